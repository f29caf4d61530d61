// A read-only zip archive (the container of an xlsx or a docx) that never trusts the file: the
// number of entries, each entry's declared size and compression ratio, and the bytes actually
// inflated are all capped, so a zip bomb costs a few milliseconds and a 64 KB buffer. libzip stays
// inside zip_archive.cc: this header only forward-declares its handle.
#ifndef TAIZHANG_IO_ZIP_ARCHIVE_H_
#define TAIZHANG_IO_ZIP_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct zip;  // libzip's zip_t

namespace tz::io {

struct ZipLimits {
  uint64_t max_file_bytes = 64u << 20;  // the archive on disk
  size_t max_entries = 10000;
  uint64_t max_entry_bytes = 1u << 30;  // uncompressed, declared or actually inflated
  double max_compression_ratio = 200;   // checked for entries declaring or inflating over 1 MB
};

// What the archive is expected to hold: only the words of the messages a cadre reads depend on it
// ("不是有效的 xlsx 文件" or "不是有效的 Word 文档", Excel or Word named in the advice).
enum class ZipContent { kXlsx, kDocx };

class ZipArchive {
 public:
  // Errors (InvalidArgument unless said): NotFound when there is no such file; the file is too
  // large; not a zip ("不是有效的 xlsx 文件"); a damaged or truncated zip ("文件不完整或已损坏");
  // more than max_entries entries (checked from the end record before libzip reads the directory).
  static Result<std::unique_ptr<ZipArchive>> Open(const std::string& path, const ZipLimits& limits,
                                                  ZipContent content = ZipContent::kXlsx);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // The index of the entry named `name`; an exact match first, then ignoring ASCII case (some
  // writers spell "xl/SharedStrings.xml"). A leading "/" is ignored.
  std::optional<uint64_t> Find(std::string_view name) const;

  // The names of all entries, indexed as ReadEntry expects, in the order of the central directory
  // (for a writer that copies every part it does not change, in the same order).
  std::vector<std::string> Names() const;

  // Streams entry `index` to `on_chunk` in pieces of at most 64 KB (the same buffer each time).
  // `on_chunk` returns true to go on, false to stop early (then ReadEntry returns OK). Refuses
  // before inflating anything an entry that declares more than max_entry_bytes or a ratio above
  // max_compression_ratio, and stops once more than max_entry_bytes, or more than
  // max(1 MB, max_compression_ratio × the compressed size), were actually inflated (a declared
  // size can lie). `name` is only used in messages.
  Status ReadEntry(uint64_t index, std::string_view name,
                   const std::function<Result<bool>(std::string_view chunk)>& on_chunk) const;

 private:
  ZipArchive(struct zip* archive, const ZipLimits& limits, ZipContent content)
      : archive_(archive), limits_(limits), content_(content) {}

  struct zip* archive_;
  ZipLimits limits_;
  ZipContent content_;
};

// The message every damaged-archive error shares, for callers that find damage of their own.
Status DamagedFile(std::string log_message, ZipContent content = ZipContent::kXlsx);

}  // namespace tz::io

#endif  // TAIZHANG_IO_ZIP_ARCHIVE_H_
