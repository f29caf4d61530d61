#include "io/zip_writer.h"

#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <filesystem>
#include <system_error>
#include <utility>

namespace tz::io {
namespace {

Status CannotWrite(const std::string& path, const std::string& log) {
  return Status::IoError(
      "无法写入文件：" + path + "（请检查目录是否存在、是否有写入权限、磁盘是否已满）", log);
}

std::string LibzipError(int code) {
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  std::string text = zip_error_strerror(&err);
  zip_error_fini(&err);
  return text;
}

// A name beside `path` that no other writer of this process or another one picks: the rename at
// Close is only atomic within one file system, so the temporary file must share the directory.
std::string TempPathFor(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

Result<std::unique_ptr<ZipWriter>> ZipWriter::Create(const std::string& path) {
  std::error_code ec;
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  if (!std::filesystem::is_directory(dir, ec)) {
    return CannotWrite(path, "no such directory: " + dir.string());
  }
  if (std::filesystem::is_directory(target, ec)) {
    return Status::InvalidArgument("不能写入文件：" + path + " 是一个目录",
                                   "target is a directory: " + path);
  }
  std::string temp = TempPathFor(path);
  int error = 0;
  // libzip writes nothing until zip_close (and then through a temporary of its own), so opening
  // creates no file yet; ZIP_EXCL refuses a leftover of the same name rather than reading it.
  zip_t* archive = zip_open(temp.c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  if (archive == nullptr) return CannotWrite(path, "zip_open " + temp + ": " + LibzipError(error));
  return std::unique_ptr<ZipWriter>(new ZipWriter(archive, path, std::move(temp)));
}

ZipWriter::~ZipWriter() { Discard(); }

void ZipWriter::Discard() {
  if (archive_ == nullptr) return;
  zip_discard(archive_);
  archive_ = nullptr;
  std::error_code ec;
  std::filesystem::remove(temp_path_, ec);  // only there when a rename failed
}

Status ZipWriter::Add(std::string_view name, std::string bytes) {
  if (archive_ == nullptr) {
    return Status::FailedPrecondition("文件已写完，不能再添加内容", "ZipWriter::Add after Close");
  }
  std::string entry(name);
  if (entry.empty() || entry.front() == '/') {
    return Status::InvalidArgument("压缩包内的文件名无效：" + entry,
                                   "bad zip entry name: " + entry);
  }
  const std::string& data = contents_.emplace_back(std::move(bytes));
  zip_source_t* source = zip_source_buffer(archive_, data.data(), data.size(), 0);
  if (source == nullptr) {
    return Status::Internal("写入压缩包失败",
                            "zip_source_buffer: " + std::string(zip_strerror(archive_)));
  }
  // Without ZIP_FL_OVERWRITE libzip refuses a name already added: a docx with two copies of a
  // part is one Word would reject.
  zip_int64_t index = zip_file_add(archive_, entry.c_str(), source, ZIP_FL_ENC_UTF_8);
  if (index < 0) {
    std::string log = "zip_file_add " + entry + ": " + zip_strerror(archive_);
    zip_source_free(source);
    if (zip_error_code_zip(zip_get_error(archive_)) == ZIP_ER_EXISTS) {
      return Status::InvalidArgument("压缩包内的文件名重复：" + entry, log);
    }
    return Status::Internal("写入压缩包失败", log);
  }
  if (zip_set_file_compression(archive_, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 0) !=
      0) {
    return Status::Internal("写入压缩包失败",
                            "zip_set_file_compression " + entry + ": " + zip_strerror(archive_));
  }
  ++entries_;
  return Status::Ok();
}

Status ZipWriter::Close() {
  if (archive_ == nullptr) {
    return Status::FailedPrecondition("文件已写完", "ZipWriter::Close called twice");
  }
  if (entries_ == 0) {
    Discard();
    return Status::InvalidArgument("没有可写入的内容：" + path_, "empty zip archive: " + path_);
  }
  if (zip_close(archive_) != 0) {
    // The archive is still open after a failed zip_close; libzip has removed its own temporary.
    std::string log = "zip_close " + temp_path_ + ": " + zip_strerror(archive_);
    Discard();
    return CannotWrite(path_, log);
  }
  archive_ = nullptr;
  contents_.clear();
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) {
    std::string log = "rename " + temp_path_ + " to " + path_ + ": " + ec.message();
    std::filesystem::remove(temp_path_, ec);
    return CannotWrite(path_, log);
  }
  return Status::Ok();
}

}  // namespace tz::io
