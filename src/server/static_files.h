// The built web app (web/dist) served from memory: every file under the directory is read once at
// start-up, so only those files can ever be served, whatever a request's path says. Paths that
// are not files get index.html (the app's own router shows the page), except paths that look
// like files (under /assets/, or ending in .js, .css, .png, …), which are a 404. A rebuilt web
// app is seen after a restart. Text files are gzip-compressed once, on first demand, and sent compressed to
// browsers that accept it (the app's scripts are 1.4 MB, 0.45 MB compressed: a village office on
// a slow county line feels the difference).
#ifndef TAIZHANG_SERVER_STATIC_FILES_H_
#define TAIZHANG_SERVER_STATIC_FILES_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "server/http.h"

namespace tz::server {

class StaticFiles {
 public:
  // Reads every regular file under `dir` (at most kMaxTotalBytes). NotFound when `dir` has no
  // index.html: it is not a built web app.
  static Result<std::shared_ptr<const StaticFiles>> Load(const std::string& dir);
  static constexpr size_t kMaxTotalBytes = 64u << 20;

  HttpResponse Serve(const HttpRequest& request) const;
  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    bool compressible = false;
    // The body gzip-compressed, made at the first request that can take it (not at start-up:
    // compressing the app's scripts takes longer than the 200 ms start budget); empty when
    // compression does not pay.
    mutable std::once_flag gzip_once;
    mutable std::string gzipped;
  };
  std::map<std::string, File> files_;  // "/index.html", "/assets/app-1a2b.js", …
};

// The web app's directory when --web is not given: $TAIZHANG_WEB, else web/dist of the source
// tree (compiled in; a build used in place), else "web" next to the binary (an install). Empty
// when none holds an index.html.
std::string DefaultWebDir();

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_STATIC_FILES_H_
