#include "server/static_files.h"

#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/json_response.h"

namespace fs = std::filesystem;

namespace tz::server {
namespace {

const std::map<std::string, std::string>& Types() {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
  };
  return kTypes;
}

std::string ContentType(const std::string& ext) {
  auto it = Types().find(ext);
  return it == Types().end() ? "application/octet-stream" : it->second;
}

// A request for a file that is not there (a stale asset, a missing icon) gets a 404, not the
// app's page: under /assets/, or ending in a file type we serve. Anything else is a page of the
// app, dots included (/figures/dispute.rate).
bool LooksLikeAFile(const std::string& path) {
  if (path.rfind("/assets/", 0) == 0) return true;
  const std::string last = path.substr(path.rfind('/') + 1);
  const size_t dot = last.rfind('.');
  return dot != std::string::npos && Types().count(last.substr(dot));
}

// gzip of `data` (zlib with a gzip header), or "" when compression fails or saves under 10%.
std::string Gzip(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return "";
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END || out.size() > data.size() / 10 * 9) return "";
  return out;
}

bool Compressible(const std::string& content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type.rfind("application/json", 0) == 0 ||
         content_type == "image/svg+xml";
}

// Whether the request's Accept-Encoding allows gzip (and does not refuse it with q=0).
bool AcceptsGzip(const HttpRequest& request) {
  const std::string accept = request.Header("accept-encoding");
  size_t at = accept.find("gzip");
  if (at == std::string::npos) return false;
  std::string_view rest = std::string_view(accept).substr(at + 4);
  rest = rest.substr(0, rest.find(','));
  const size_t q = rest.find("q=");
  if (q == std::string_view::npos) return true;
  std::string_view value = rest.substr(q + 2);
  return !(value.rfind("0", 0) == 0 && value.find_first_of("123456789") == std::string_view::npos);
}

bool HasIndex(const fs::path& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_regular_file(dir / "index.html", ec);
}

}  // namespace

Result<std::shared_ptr<const StaticFiles>> StaticFiles::Load(const std::string& dir) {
  fs::path root(dir);
  if (!HasIndex(root)) {
    return Status::NotFound("网页目录“" + dir + "”中没有 index.html（请先构建前端：cd web && npm ci && npm run build）",
                            "no index.html in web directory " + dir);
  }
  auto files = std::make_shared<StaticFiles>();
  size_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in) return Status::IoError("无法读取网页文件 " + it->path().string(), "cannot read " + it->path().string());
    total += body.str().size();
    if (total > kMaxTotalBytes) {
      return Status::InvalidArgument("网页目录过大（超过 64MB）：" + dir, "web directory over 64 MB");
    }
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    File& file = files->files_[rel];
    file.content_type = ContentType(it->path().extension().string());
    file.body = std::move(body).str();
    file.compressible = Compressible(file.content_type) && file.body.size() >= 1024;
  }
  if (ec) return Status::IoError("无法读取网页目录 " + dir, "cannot list " + dir + ": " + ec.message());
  return std::shared_ptr<const StaticFiles>(std::move(files));
}

HttpResponse StaticFiles::Serve(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse res = ErrorResponse(405, "method_not_allowed", "这个地址只能读取",
                                     request.method + " on a static path");
    res.headers.emplace_back("Allow", "GET, HEAD");
    return res;
  }
  const std::string& path = request.path;
  auto it = files_.find(path == "/" ? "/index.html" : path);
  if (it == files_.end()) {
    if (LooksLikeAFile(path)) {
      return ErrorResponse(404, "not_found", "没有这个文件：" + path, "no static file " + path);
    }
    it = files_.find("/index.html");  // a page of the app: its router shows it
  }
  const File& file = it->second;
  HttpResponse res;
  res.content_type = file.content_type;
  res.body = file.body;
  if (file.compressible) {
    res.headers.emplace_back("Vary", "Accept-Encoding");
    if (AcceptsGzip(request)) {
      std::call_once(file.gzip_once, [&file] { file.gzipped = Gzip(file.body); });
      if (!file.gzipped.empty()) {
        res.body = file.gzipped;
        res.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
  }
  // Vite names built assets by content hash: they never change under their name.
  const bool hashed = it->first.rfind("/assets/", 0) == 0;
  res.headers.emplace_back("Cache-Control",
                           hashed ? "public, max-age=31536000, immutable" : "no-cache");
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

std::string DefaultWebDir() {
  if (const char* env = std::getenv("TAIZHANG_WEB"); env && *env) return env;
#ifdef TZ_SOURCE_DIR
  if (HasIndex(fs::path(TZ_SOURCE_DIR) / "web" / "dist")) {
    return (fs::path(TZ_SOURCE_DIR) / "web" / "dist").string();
  }
#endif
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && HasIndex(exe.parent_path() / "web")) return (exe.parent_path() / "web").string();
  return "";
}

}  // namespace tz::server
