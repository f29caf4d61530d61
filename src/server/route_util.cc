#include "server/route_util.h"

#include "service/users_service.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/strings.h"

namespace tz::server {

Result<int64_t> IntParam(const HttpRequest& req, const char* name, int64_t fallback) {
  std::optional<std::string> text = req.Query(name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return Status::InvalidArgument(std::string("参数 ") + name + " 应为整数：" + *text,
                                   std::string("query parameter ") + name + " is not an integer");
  }
  return v;
}

const auth::Principal& Who(const HttpRequest& req) { return req.caller->principal; }

Result<bool> FlagParam(const HttpRequest& req, const char* name) {
  std::optional<std::string> v = req.Query(name);
  if (!v || v->empty() || *v == "0" || *v == "false") return false;
  if (*v == "1" || *v == "true") return true;
  return Status::InvalidArgument(std::string("参数 ") + name + " 应为 1 或 0：" + *v,
                                 std::string("bad flag ") + name);
}

Result<int64_t> RecordId(const std::string& text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) {
    return Status::InvalidArgument("记录编号应为正整数：" + text, "bad record id '" + text + "'");
  }
  return v;
}

std::vector<std::string> ListParam(const HttpRequest& req, const char* name) {
  std::vector<std::string> out;
  std::optional<std::string> text = req.Query(name);
  if (!text) return out;
  for (std::string_view item : Split(*text, ',')) {
    item = TrimSpace(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

Result<TempFile> TempFile::Create(std::string_view suffix) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/taizhang-XXXXXX";
  pattern += suffix;
  int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    return Status::IoError("无法创建临时文件", "mkstemps " + pattern + ": " + std::strerror(errno));
  }
  close(fd);
  return TempFile(pattern);
}

TempFile::~TempFile() {
  if (!path_.empty()) std::remove(path_.c_str());
}

Status WriteFile(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return Status::IoError("无法写入临时文件", "cannot write " + path);
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in) return Status::IoError("无法读取生成的文件", "cannot read " + path);
  return std::move(s).str();
}

HttpResponse Download(std::string body, std::string content_type, std::string_view filename) {
  HttpResponse res;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  std::string ascii;    // for clients without RFC 5987: non-ASCII becomes '_'
  std::string encoded;  // UTF-8, percent-encoded
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii += plain ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

std::string UploadName(const HttpRequest& req, std::string_view fallback) {
  std::string filename = PercentDecode(req.Header("x-filename"), false);
  if (filename.size() > 255) {
    filename.resize(255);
    while (!filename.empty() && (static_cast<unsigned char>(filename.back()) & 0xC0) == 0x80) {
      filename.pop_back();  // not in the middle of a UTF-8 character
    }
    if (!filename.empty() && static_cast<unsigned char>(filename.back()) >= 0xC0) filename.pop_back();
  }
  for (size_t i = 0; i < filename.size(); ++i) {
    const auto c = static_cast<unsigned char>(filename[i]);
    if (c < 0x20 || c == 0x7f) filename[i] = ' ';
    // C1 controls (U+0080–U+009F, NEL among them) are C2 80–C2 9F in UTF-8.
    const bool c1 = c == 0xC2 && i + 1 < filename.size() &&
                    static_cast<unsigned char>(filename[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(filename[i + 1]) <= 0x9F;
    if (c1) filename.replace(i, 2, "  ");
  }
  return filename.empty() ? std::string(fallback) : filename;
}

}  // namespace tz::server
