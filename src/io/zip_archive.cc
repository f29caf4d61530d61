#include "io/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <vector>

namespace tz::io {
namespace {

constexpr size_t kChunkBytes = 64u << 10;
// Ratios are only meaningful for entries big enough to hurt: tiny XML parts compress far better
// than 200:1 when they are mostly repeated boilerplate.
constexpr uint64_t kRatioCheckAbove = 1u << 20;

// "300 字节", "12 KB", "300.5 MB", for messages a cadre can compare with the file manager.
std::string FormatSize(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " 字节";
  if (bytes < (1u << 20)) return std::to_string((bytes + 1023) / 1024) + " KB";
  uint64_t tenths = (bytes * 10 + (1u << 20) - 1) >> 20;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10) out += "." + std::to_string(tenths % 10);
  return out + " MB";
}

// The words of the messages that name the kind of file or the program to fix it with.
struct Wording {
  const char* not_a_zip;
  const char* damaged;
  const char* unlike;       // "不像正常的 …"
  const char* unlock;       // where to remove a password
  const char* too_big_fix;  // what to do about a file too large
};

const Wording& WordingFor(ZipContent content) {
  static const Wording kXlsx{
      "不是有效的 xlsx 文件（内容不是 Excel 工作簿格式，可能是改了扩展名的其他文件），"
      "请用 Excel 或 WPS 另存为 .xlsx 后再导入",
      "文件不完整或已损坏（无法作为 xlsx 打开），请重新保存后再导入", "Excel 文件",
      "请在 Excel 或 WPS 中取消密码后再导入", "请分成几个文件导入"};
  static const Wording kDocx{
      "不是有效的 Word 文档（内容不是 .docx 格式，可能是改了扩展名的其他文件），"
      "请用 Word 或 WPS 另存为 .docx 后再试",
      "文件不完整或已损坏（无法作为 docx 打开），请用 Word 或 WPS 重新保存后再试", "Word 文档",
      "请在 Word 或 WPS 中取消密码后再试", "请压缩或删减文档中的图片后再试"};
  return content == ZipContent::kDocx ? kDocx : kXlsx;
}

Status NotAZip(const std::string& path, ZipContent content) {
  return Status::InvalidArgument(WordingFor(content).not_a_zip, "not a zip archive: " + path);
}

uint32_t Le16(const unsigned char* p) { return p[0] | (p[1] << 8); }
uint32_t Le32(const unsigned char* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t Le64(const unsigned char* p) {
  return Le32(p) | (static_cast<uint64_t>(Le32(p + 4)) << 32);
}

// The entry count the archive's end record declares, or nullopt when there is no end record (then
// libzip reports the damage). Read before zip_open because libzip allocates a few hundred bytes
// per directory entry up front: a 64 MB file could declare a million entries.
std::optional<uint64_t> DeclaredEntryCount(const std::string& path, uint64_t file_size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  constexpr uint64_t kEndRecord = 22, kMaxComment = 0xFFFF, kLocator = 20;
  uint64_t tail_size = std::min<uint64_t>(file_size, kEndRecord + kMaxComment + kLocator);
  std::vector<unsigned char> tail(tail_size);
  in.seekg(static_cast<std::streamoff>(file_size - tail_size));
  if (!in.read(reinterpret_cast<char*>(tail.data()), static_cast<std::streamsize>(tail_size))) {
    return std::nullopt;
  }
  if (tail_size < kEndRecord) return std::nullopt;
  for (size_t i = tail_size - kEndRecord + 1; i-- > 0;) {
    const unsigned char* p = tail.data() + i;
    if (std::memcmp(p, "PK\x05\x06", 4) != 0) continue;
    uint64_t count = Le16(p + 10);
    if (count != 0xFFFF || i < kLocator) return count;
    // Zip64: the locator just before the end record points at the zip64 end record.
    const unsigned char* locator = p - kLocator;
    if (std::memcmp(locator, "PK\x06\x07", 4) != 0) return count;
    uint64_t offset = Le64(locator + 8);
    unsigned char record[40];
    if (offset > file_size - sizeof(record)) return std::nullopt;
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(record), sizeof(record))) return std::nullopt;
    if (std::memcmp(record, "PK\x06\x06", 4) != 0) return std::nullopt;
    return Le64(record + 32);
  }
  return std::nullopt;
}

bool StartsLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  return in.read(head, 4) && std::memcmp(head, "PK\x03\x04", 4) == 0;
}

}  // namespace

Status DamagedFile(std::string log_message, ZipContent content) {
  return Status::InvalidArgument(WordingFor(content).damaged, std::move(log_message));
}

Result<std::unique_ptr<ZipArchive>> ZipArchive::Open(const std::string& path,
                                                     const ZipLimits& limits, ZipContent content) {
  const Wording& words = WordingFor(content);
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Status::NotFound("找不到文件：" + path, "no such file: " + path);
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status::InvalidArgument("不是文件：" + path, "not a regular file: " + path);
  }
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec)
    return Status::IoError("无法读取文件：" + path, "cannot stat " + path + ": " + ec.message());
  if (size > limits.max_file_bytes) {
    return Status::InvalidArgument("文件过大（" + FormatSize(size) + "），上限为 " +
                                       FormatSize(limits.max_file_bytes) + "，" + words.too_big_fix,
                                   "file of " + std::to_string(size) +
                                       " bytes exceeds the limit of " +
                                       std::to_string(limits.max_file_bytes));
  }
  std::optional<uint64_t> declared = DeclaredEntryCount(path, size);
  if (declared && *declared > limits.max_entries) {
    return Status::InvalidArgument("文件包含的部件过多（" + std::to_string(*declared) +
                                       " 个，上限 " + std::to_string(limits.max_entries) +
                                       " 个），不像正常的 " + words.unlike +
                                       "，出于安全原因拒绝读取",
                                   "zip declares " + std::to_string(*declared) +
                                       " entries, limit " + std::to_string(limits.max_entries));
  }

  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_error_t err;
    zip_error_init_with_code(&err, error);
    std::string log = "zip_open " + path + ": " + zip_error_strerror(&err);
    zip_error_fini(&err);
    // A truncated xlsx has lost its end record and looks like "not a zip" to libzip; its first
    // bytes still tell it was one.
    if (error == ZIP_ER_NOZIP && !StartsLikeZip(path)) return NotAZip(path, content);
    if (error == ZIP_ER_OPEN || error == ZIP_ER_READ) {
      return Status::IoError("无法读取文件：" + path, log);
    }
    return DamagedFile(log, content);
  }
  auto result = std::unique_ptr<ZipArchive>(new ZipArchive(archive, limits, content));
  // The end record can understate the directory; libzip has read the real one by now.
  zip_int64_t entries = zip_get_num_entries(archive, 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > limits.max_entries) {
    return Status::InvalidArgument("文件包含的部件过多（" + std::to_string(entries) + " 个，上限 " +
                                       std::to_string(limits.max_entries) + " 个），不像正常的 " +
                                       words.unlike + "，出于安全原因拒绝读取",
                                   "zip has " + std::to_string(entries) + " entries, limit " +
                                       std::to_string(limits.max_entries));
  }
  return result;
}

ZipArchive::~ZipArchive() { zip_discard(archive_); }

std::optional<uint64_t> ZipArchive::Find(std::string_view name) const {
  if (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string key(name);
  zip_int64_t index = zip_name_locate(archive_, key.c_str(), 0);
  if (index < 0) index = zip_name_locate(archive_, key.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<uint64_t>(index);
}

std::vector<std::string> ZipArchive::Names() const {
  std::vector<std::string> names;
  zip_int64_t count = zip_get_num_entries(archive_, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    names.emplace_back(name != nullptr ? name : "");
  }
  return names;
}

Status ZipArchive::ReadEntry(
    uint64_t index, std::string_view name,
    const std::function<Result<bool>(std::string_view chunk)>& on_chunk) const {
  std::string part(name);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive_, index, 0, &st) != 0) {
    return DamagedFile("zip_stat " + part + ": " + zip_strerror(archive_), content_);
  }
  if ((st.valid & ZIP_STAT_SIZE) && st.size > limits_.max_entry_bytes) {
    return Status::InvalidArgument(
        "文件内容过大（" + part + " 解压后有 " + FormatSize(st.size) + "，上限为 " +
            FormatSize(limits_.max_entry_bytes) + "），" + WordingFor(content_).too_big_fix,
        part + " declares " + std::to_string(st.size) + " uncompressed bytes, limit " +
            std::to_string(limits_.max_entry_bytes));
  }
  if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) && st.size > kRatioCheckAbove &&
      static_cast<double>(st.size) >
          limits_.max_compression_ratio * static_cast<double>(st.comp_size)) {
    return Status::InvalidArgument(
        "文件异常（" + part + " 的压缩比异常，疑似“压缩炸弹”），出于安全原因拒绝读取",
        part + " compresses " + std::to_string(st.size) + " bytes into " +
            std::to_string(st.comp_size) + ", above the ratio limit");
  }

  zip_file_t* file = zip_fopen_index(archive_, index, 0);
  if (file == nullptr) {
    int code = zip_error_code_zip(zip_get_error(archive_));
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP) {
      return Status::InvalidArgument(std::string("文件设置了密码，") + WordingFor(content_).unlock,
                                     "encrypted zip entry " + part);
    }
    return DamagedFile("zip_fopen " + part + ": " + zip_strerror(archive_), content_);
  }
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);

  // The declared size can lie (the checks above only see the declaration), so the ratio is also
  // enforced on what actually comes out: at most max_compression_ratio times the compressed size,
  // which libzip does honour (it reads no more than comp_size bytes of the entry), or 1 MB, the
  // size below which ratios are not checked.
  std::optional<uint64_t> ratio_cap;
  if (st.valid & ZIP_STAT_COMP_SIZE) {
    double cap = limits_.max_compression_ratio * static_cast<double>(st.comp_size);
    ratio_cap = cap >= static_cast<double>(UINT64_MAX)
                    ? UINT64_MAX
                    : std::max<uint64_t>(kRatioCheckAbove, static_cast<uint64_t>(cap));
  }

  // One buffer per call, not per chunk; 64 KB keeps expat's own buffer small too.
  std::unique_ptr<char[]> buffer(new char[kChunkBytes]);
  uint64_t total = 0;
  for (;;) {
    zip_int64_t n = zip_fread(file, buffer.get(), kChunkBytes);
    if (n < 0) return DamagedFile("zip_fread " + part + ": " + zip_file_strerror(file), content_);
    if (n == 0) return Status::Ok();
    total += static_cast<uint64_t>(n);
    if (total > limits_.max_entry_bytes) {
      return Status::InvalidArgument(
          "文件内容过大（" + part + " 解压后超过 " + FormatSize(limits_.max_entry_bytes) + "），" +
              WordingFor(content_).too_big_fix,
          part + " inflates past " + std::to_string(limits_.max_entry_bytes) + " bytes (declared " +
              std::to_string(st.size) + ")");
    }
    if (ratio_cap && total > *ratio_cap) {
      return Status::InvalidArgument(
          "文件异常（" + part + " 的压缩比异常，疑似“压缩炸弹”），出于安全原因拒绝读取",
          part + " inflates past " + std::to_string(*ratio_cap) + " bytes from " +
              std::to_string(st.comp_size) + " compressed (declared " + std::to_string(st.size) +
              "), above the ratio limit");
    }
    TZ_ASSIGN_OR_RETURN(bool go_on,
                        on_chunk(std::string_view(buffer.get(), static_cast<size_t>(n))));
    if (!go_on) return Status::Ok();
  }
}

}  // namespace tz::io
