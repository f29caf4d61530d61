// Small helpers the route files share: query parameters, request bodies, temporary files and
// downloads. Not a public API of the server layer.
#ifndef TAIZHANG_SERVER_ROUTE_UTIL_H_
#define TAIZHANG_SERVER_ROUTE_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"
#include "base/result.h"
#include "server/http.h"

namespace tz::server {

// A whole number from the query string (`fallback` when absent), or InvalidArgument naming it.
Result<int64_t> IntParam(const HttpRequest& req, const char* name, int64_t fallback);

// The principal of a signed-in request (set by the guard; every non-public route has one).
const auth::Principal& Who(const HttpRequest& req);

// A yes/no query parameter: "1", "true" → true; absent, "0", "false" → false; anything else is
// InvalidArgument naming it.
Result<bool> FlagParam(const HttpRequest& req, const char* name);

// A path segment that must be a positive record id.
Result<int64_t> RecordId(const std::string& text);

// "a,b,c" → {"a", "b", "c"} (empty items dropped); absent → {}.
std::vector<std::string> ListParam(const HttpRequest& req, const char* name);

// A file in the system's temporary directory, removed when this goes out of scope.
class TempFile {
 public:
  // `suffix` such as ".xlsx" (export picks the format by it).
  static Result<TempFile> Create(std::string_view suffix);
  TempFile(TempFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile();
  const std::string& path() const { return path_; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Writes `data` to `path` in full.
Status WriteFile(const std::string& path, std::string_view data);
// The whole file, for a download.
Result<std::string> ReadFile(const std::string& path);

// The name an upload gives in X-Filename (percent-encoded), for the log and records, never used as
// a path: control characters (a forged log line) become spaces, and it is cut to 255 bytes at a
// character boundary. `fallback` when there is none.
std::string UploadName(const HttpRequest& req, std::string_view fallback);

// A file download: the body, its type, and `Content-Disposition: attachment` with the (Chinese)
// file name both as RFC 5987 `filename*` and as an ASCII fallback.
HttpResponse Download(std::string body, std::string content_type, std::string_view filename);

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_ROUTE_UTIL_H_
