// Writing a zip archive (the container of a docx) with libzip. Entries are kept in memory until
// Close() — the parts of a generated document are small — and the archive is written to a
// temporary file beside the target, then renamed over it, so a failed or abandoned write never
// leaves half a file where a cadre would find it. libzip stays inside zip_writer.cc.
#ifndef TAIZHANG_IO_ZIP_WRITER_H_
#define TAIZHANG_IO_ZIP_WRITER_H_

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

struct zip;  // libzip's zip_t

namespace tz::io {

class ZipWriter {
 public:
  // Prepares to write `path` (replacing it on Close). Nothing appears at `path` before Close().
  // Errors: IoError when the directory does not exist or the temporary file cannot be created.
  static Result<std::unique_ptr<ZipWriter>> Create(const std::string& path);
  // Without Close(), discards everything: neither the target nor the temporary file is left.
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds entry `name` (UTF-8, "/" separated, no leading "/"), deflated, in the order of the calls.
  // Errors: InvalidArgument for an empty, absolute or repeated name; FailedPrecondition after
  // Close().
  Status Add(std::string_view name, std::string bytes);

  // Writes the archive and renames it onto the target. Errors: IoError when writing or renaming
  // fails (the target is then untouched); InvalidArgument when nothing was added (libzip writes no
  // file for an empty archive); FailedPrecondition when already closed.
  Status Close();

 private:
  ZipWriter(struct zip* archive, std::string path, std::string temp_path)
      : archive_(archive), path_(std::move(path)), temp_path_(std::move(temp_path)) {}
  void Discard();

  struct zip* archive_;  // null once closed or discarded
  std::string path_;
  std::string temp_path_;
  // libzip reads each entry's bytes only at zip_close; a deque never moves them meanwhile.
  std::deque<std::string> contents_;
  size_t entries_ = 0;
};

}  // namespace tz::io

#endif  // TAIZHANG_IO_ZIP_WRITER_H_
