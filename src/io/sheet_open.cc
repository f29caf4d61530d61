// Which reader a file needs, decided by its first bytes: people rename files, and systems export
// "xls" files that are really something else.
#include <filesystem>
#include <fstream>

#include "base/strings.h"
#include "io/sheet.h"

namespace tz::io {
namespace {

std::string LowerExtension(const std::string& path) {
  return AsciiLower(std::filesystem::path(path).extension().string());
}

}  // namespace

Result<std::unique_ptr<SheetReader>> OpenSheetFile(const std::string& path,
                                                   const SheetLimits& limits) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Status::NotFound("找不到文件：" + path, "no such file: " + path);
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status::InvalidArgument(path + " 不是文件", "not a regular file: " + path);
  }
  uint64_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits.max_file_bytes) {
    return Status::InvalidArgument("文件有 " + std::to_string(size >> 20) + " MB，超过了 " +
                                       std::to_string(limits.max_file_bytes >> 20) +
                                       " MB 的上限，请分成几个文件导入",
                                   "file too big: " + std::to_string(size) + " bytes");
  }
  if (size == 0) return Status::InvalidArgument("文件为空", "empty file: " + path);
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, sizeof magic);
  if (!in && in.gcount() == 0) return Status::IoError("无法读取文件：" + path, "read " + path);
  std::string_view head(magic, static_cast<size_t>(in.gcount()));
  if (StartsWith(head, "PK\x03\x04")) return OpenXlsx(path, limits);
  if (StartsWith(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return OpenXls(path, limits);
  const std::string ext = LowerExtension(path);
  if (ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" || ext == ".et") {
    return Status::InvalidArgument(
        "文件扩展名是 " + ext +
            "，但内容不是 Excel 工作簿（可能是改了扩展名的其他文件，或从网页系统导出的"
            "“假 xls”）。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入",
        "extension " + ext + " but content is neither zip nor OLE: " + path);
  }
  return OpenCsvSheet(path, limits);
}

}  // namespace tz::io
