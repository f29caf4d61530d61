// XlsxWriter over libxlsxwriter in constant-memory mode.
//
// What constant-memory mode allows (checked against libxlsxwriter 1.1.4): each worksheet keeps only
// its current row in memory and flushes it to an (unlinked) temporary file when a later row is
// written, so a cell, a row height or a merge on an earlier row fails with "index out of range".
// Everything kept outside sheetData is unaffected and may be set at any time: column widths and
// formats (<cols>), freeze panes (<sheetViews>), merged ranges and data validations (lists written
// after sheetData). Sheets are independent: writing to one sheet while another is open is fine.
//
// The one thing that does not fit is the hidden "_lists" sheet holding long drop-down lists, one
// column per list: a second list would have to go into column B from row 1 up, after row 40 of
// column A was flushed. So the long lists are collected in memory (they are small: a ledger's enum
// values, a village's grids) and the "_lists" sheet is written at Close(), row by row across all
// its columns, and hidden. The validations refer to it by a fixed range formula
// (=_lists!$B$1:$B$40) that needs no sheet to exist when it is set; the name "_lists" is reserved
// from the start so that a user sheet can never take it.
#include "io/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "base/date.h"
#include "base/strings.h"

namespace tz::io {
namespace {

constexpr int64_t kMaxRows = 1048576;  // Excel's sheet: rows 0..1048575, columns 0..16383
constexpr int kMaxCols = 16384;
constexpr size_t kMaxCellChars = 32767;      // UTF-16 units in one cell
constexpr size_t kMaxInlineListChars = 255;  // an inline list, commas included
constexpr size_t kMaxSheetNameChars = 31;
constexpr const char* kListsSheet = "_lists";
constexpr int kStyleCount = 8;

constexpr lxw_color_t kGreyFill = 0xD9D9D9;
constexpr lxw_color_t kDarkRed = 0xC00000;
constexpr lxw_color_t kYellow = 0xFFFF00;
constexpr lxw_color_t kRed = 0xFF0000;

// Length as Excel counts it: UTF-16 code units (a character outside the BMP counts twice).
// `s` must be well-formed UTF-8.
size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

// "A", "Z", "AA", … for a 0-based column.
std::string ColumnName(int col) {
  std::string out;
  for (int c = col + 1; c > 0; c = (c - 1) / 26) out.insert(out.begin(), char('A' + (c - 1) % 26));
  return out;
}

std::string CellName(int64_t row, int col) { return ColumnName(col) + std::to_string(row + 1); }

// The Chinese reason for a library error, and the kind of Status it is.
struct ErrorText {
  StatusCode code;
  const char* reason;
};

ErrorText DescribeError(lxw_error err) {
  switch (err) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
      return {StatusCode::kIoError, "内存不足"};
    case LXW_ERROR_CREATING_XLSX_FILE:
      return {StatusCode::kIoError,
              "无法创建文件（目录不存在、没有写入权限，或文件正被其他程序打开）"};
    case LXW_ERROR_CREATING_TMPFILE:
      return {StatusCode::kIoError, "无法创建临时文件（临时目录不可写或磁盘已满）"};
    case LXW_ERROR_READING_TMPFILE:
      return {StatusCode::kIoError, "无法读取临时文件"};
    case LXW_ERROR_ZIP_FILE_OPERATION:
      return {StatusCode::kIoError, "写入文件出错（磁盘可能已满）"};
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
      return {StatusCode::kIoError, "生成xlsx压缩包出错"};
    case LXW_ERROR_FEATURE_NOT_SUPPORTED:
      return {StatusCode::kInternal, "不支持的功能"};
    case LXW_ERROR_NULL_PARAMETER_IGNORED:
      return {StatusCode::kInternal, "缺少参数"};
    case LXW_ERROR_PARAMETER_VALIDATION:
      return {StatusCode::kInvalidArgument, "参数无效"};
    case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED:
      return {StatusCode::kInvalidArgument, "工作表名称超过31个字符"};
    case LXW_ERROR_INVALID_SHEETNAME_CHARACTER:
      return {StatusCode::kInvalidArgument, "工作表名称含有不允许的字符"};
    case LXW_ERROR_SHEETNAME_START_END_APOSTROPHE:
      return {StatusCode::kInvalidArgument, "工作表名称不能以单引号开头或结尾"};
    case LXW_ERROR_SHEETNAME_ALREADY_USED:
      return {StatusCode::kInvalidArgument, "工作表名称重复"};
    case LXW_ERROR_32_STRING_LENGTH_EXCEEDED:
      return {StatusCode::kInvalidArgument, "文字超过32个字符"};
    case LXW_ERROR_128_STRING_LENGTH_EXCEEDED:
      return {StatusCode::kInvalidArgument, "文字超过128个字符"};
    case LXW_ERROR_255_STRING_LENGTH_EXCEEDED:
      return {StatusCode::kInvalidArgument, "文字超过255个字符"};
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
      return {StatusCode::kInvalidArgument, "单元格文字超过Excel的上限32767个字符"};
    case LXW_ERROR_SHARED_STRING_INDEX_NOT_FOUND:
      return {StatusCode::kInternal, "共享字符串不存在"};
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
      return {StatusCode::kInvalidArgument, "行号或列号超出工作表的范围"};
    case LXW_ERROR_WORKSHEET_MAX_URL_LENGTH_EXCEEDED:
    case LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED:
      return {StatusCode::kInvalidArgument, "超链接过长或过多"};
    case LXW_ERROR_IMAGE_DIMENSIONS:
      return {StatusCode::kInvalidArgument, "无法读取图片尺寸"};
    default:
      return {StatusCode::kInternal, "未知错误"};
  }
}

Status MakeStatus(StatusCode code, std::string msg, std::string log) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return Status::InvalidArgument(std::move(msg), std::move(log));
    case StatusCode::kIoError:
      return Status::IoError(std::move(msg), std::move(log));
    default:
      return Status::Internal(std::move(msg), std::move(log));
  }
}

// A directory for libxlsxwriter's temporary files (one per worksheet plus one per part while the
// zip is assembled; all unlinked as soon as they are opened). $TMPDIR or the system's temporary
// directory when writable, else the directory of the output file, which we are writing to anyway.
std::string PickTmpDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (!ec && std::filesystem::is_directory(tmp, ec) && access(tmp.c_str(), W_OK | X_OK) == 0) {
    return tmp.string();
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

// Cuts well-formed UTF-8 to at most `max_units` UTF-16 units, at a character boundary.
std::string CutUtf16(std::string_view s, size_t max_units) {
  size_t units = 0;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    size_t w = len == 4 ? 2 : 1;
    if (units + w > max_units) break;
    units += w;
    i += len;
  }
  return std::string(s.substr(0, i));
}

// Excel reads "_xHHHH_" in cell text as an escaped character; text that contains such a sequence
// literally has its underscore escaped as "_x005F_" so that it reads back unchanged.
bool NeedsUnderscoreEscape(std::string_view s) { return s.find("_x") != std::string_view::npos; }

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string EscapeUnderscores(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && IsHex(s[i + 2]) && IsHex(s[i + 3]) &&
        IsHex(s[i + 4]) && IsHex(s[i + 5]) && s[i + 6] == '_') {
      out += "_x005F_";
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

struct XlsxWriter::Impl {
  struct Sheet {
    lxw_worksheet* ws = nullptr;
    std::string name;
    int64_t current_row = 0;  // rows before it are flushed and can no longer be written
    bool hidden = false;
  };

  std::string path;
  std::string tmpdir;  // must outlive the workbook: libxlsxwriter keeps the pointer
  lxw_workbook* wb = nullptr;
  std::vector<Sheet> sheets;
  std::array<lxw_format*, kStyleCount * 2> formats{};
  // Long drop-down lists: column i of "_lists" holds long_lists[i]; identical lists share one.
  std::vector<const std::vector<std::string>*> long_lists;
  std::map<std::vector<std::string>, int> list_columns;
  std::string text_;  // the text of the cell being written

  ~Impl() {
    // Close() was not called (an export abandoned on an error): close the workbook so that its
    // temporary files are closed and freed, and remove the unfinished file.
    if (wb != nullptr) {
      CloseWorkbook();
      std::remove(path.c_str());
    }
  }

  // workbook_close(), which writes the file and frees the workbook even when it fails, plus the
  // temporary files libxlsxwriter forgets. In constant-memory mode each worksheet has one, closed
  // only when the sheet's data is copied into the zip, which is skipped for a sheet without cells
  // (_worksheet_write_optimized_sheet_data in 1.1.4 and in the later sources we read; the
  // workbook free does not close it either), and for every sheet when the output cannot be
  // created (the packager fails before any sheet is assembled). Each would leak a descriptor of
  // an unlinked file until the process ends, which a server writing many exports cannot afford.
  // (A failure later in packaging, e.g. a full disk, may still leak some: which sheets were
  // already closed is not knowable from outside.)
  lxw_error CloseWorkbook() {
    // workbook_close would add this one itself, out of our sight.
    if (STAILQ_EMPTY(wb->worksheets)) workbook_add_worksheet(wb, nullptr);
    std::vector<std::FILE*> empty_sheet_files;
    std::vector<std::FILE*> all_files;
    lxw_worksheet* ws = nullptr;
    LXW_FOREACH_WORKSHEET(ws, wb) {
      if (ws->optimize_tmpfile == nullptr) continue;
      all_files.push_back(ws->optimize_tmpfile);
      if (ws->dim_rowmin == LXW_ROW_MAX) empty_sheet_files.push_back(ws->optimize_tmpfile);
    }
    lxw_error err = workbook_close(wb);
    wb = nullptr;
    for (std::FILE* f : err == LXW_ERROR_CREATING_XLSX_FILE ? all_files : empty_sheet_files) {
      std::fclose(f);
    }
    return err;
  }

  // "无法写入文件 out.xlsx：<reason>" for people, "<what>: <lxw_strerror>" for logs.
  Status LibError(lxw_error err, std::string_view what) const {
    ErrorText t = DescribeError(err);
    return MakeStatus(t.code, "无法写入文件 " + path + "：" + t.reason,
                      "xlsx " + path + ": " + std::string(what) + ": " + lxw_strerror(err) +
                          " (lxw_error " + std::to_string(static_cast<int>(err)) + ")");
  }
  Status Check(lxw_error err, std::string_view what) const {
    return err == LXW_NO_ERROR ? Status::Ok() : LibError(err, what);
  }
  // For the per-cell calls: the cell's name is only spelled out on error.
  Status CheckCell(lxw_error err, const char* what, int64_t row, int col) const {
    if (err == LXW_NO_ERROR) return Status::Ok();
    return LibError(err, std::string(what) + " " + CellName(row, col));
  }
  Status Invalid(std::string_view reason, std::string_view log) const {
    return Status::InvalidArgument("无法写入文件 " + path + "：" + std::string(reason),
                                   "xlsx " + path + ": " + std::string(log));
  }
  Status Bug(std::string_view log) const {
    return Status::Internal("无法写入文件 " + path + "：程序内部错误",
                            "xlsx " + path + ": " + std::string(log));
  }

  Status CheckOpen() const {
    if (wb == nullptr) return Bug("the writer is already closed");
    return Status::Ok();
  }
  Result<Sheet*> Current() {
    TZ_RETURN_IF_ERROR(CheckOpen());
    if (sheets.empty()) return Bug("no sheet: call AddSheet first");
    return &sheets.back();
  }

  Status CheckCol(int col) const {
    if (col < 0 || col >= kMaxCols) {
      return Invalid("第" + std::to_string(col + 1) + "列超出Excel的范围（最多16384列）",
                     "column " + std::to_string(col) + " out of range");
    }
    return Status::Ok();
  }
  Status CheckRow(int64_t row) const {
    if (row < 0 || row >= kMaxRows) {
      return Invalid("第" + std::to_string(row + 1) + "行超出Excel的范围（最多1048576行）",
                     "row " + std::to_string(row) + " out of range");
    }
    return Status::Ok();
  }

  // The sheet to write cell (row, col) into; rows must come in increasing order.
  Result<Sheet*> CellSheet(int64_t row, int col) {
    TZ_ASSIGN_OR_RETURN(Sheet * s, Current());
    TZ_RETURN_IF_ERROR(CheckRow(row));
    TZ_RETURN_IF_ERROR(CheckCol(col));
    if (row < s->current_row) {
      return Bug("row " + std::to_string(row + 1) + " written after row " +
                 std::to_string(s->current_row + 1) + " on sheet '" + s->name +
                 "' (constant-memory mode needs rows in increasing order)");
    }
    s->current_row = row;
    return s;
  }

  lxw_format* Format(XlsxCellStyle cs) {
    const int style = static_cast<int>(cs.style);
    if (style < 0 || style >= kStyleCount) return nullptr;
    if (cs.style == XlsxStyle::kGeneral && !cs.highlight) return nullptr;  // the default look
    lxw_format*& slot = formats[style * 2 + (cs.highlight ? 1 : 0)];
    if (slot != nullptr) return slot;
    lxw_format* f = workbook_add_format(wb);
    if (f == nullptr) return nullptr;
    switch (cs.style) {
      case XlsxStyle::kGeneral:
        break;
      case XlsxStyle::kText:
        format_set_num_format(f, "@");
        break;
      case XlsxStyle::kDate:
        format_set_num_format(f, "yyyy-mm-dd");
        break;
      case XlsxStyle::kMonth:
        format_set_num_format(f, "yyyy-mm");
        break;
      case XlsxStyle::kTitle:
        format_set_bold(f);
        format_set_font_size(f, 16);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        break;
      case XlsxStyle::kHeader:
      case XlsxStyle::kRequiredHeader:
        format_set_bold(f);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, kGreyFill);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_text_wrap(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        if (cs.style == XlsxStyle::kRequiredHeader) format_set_font_color(f, kDarkRed);
        break;
      case XlsxStyle::kNote:
        format_set_font_color(f, kDarkRed);
        format_set_text_wrap(f);
        break;
    }
    if (cs.highlight) {
      format_set_pattern(f, LXW_PATTERN_SOLID);
      format_set_bg_color(f, kYellow);
      format_set_border(f, LXW_BORDER_THIN);
      format_set_border_color(f, kRed);
    }
    slot = f;
    return f;
  }

  // Checks text for a cell (or a list value) and leaves what to hand to the library (NUL
  // terminated, "_x" escaped) in text_. `where()` names the cell in a message, only on error.
  template <typename Where>
  Status PrepareText(std::string_view text, Where where) {
    if (!IsValidUtf8(text)) {
      std::string w = where();
      return Invalid(w + "的文字不是有效的UTF-8编码", w + ": text is not valid UTF-8");
    }
    size_t len = Utf16Length(text);
    if (len > kMaxCellChars) {
      std::string w = where();
      return Invalid(
          w + "的文字有" + std::to_string(len) + "个字符，超过Excel单元格的上限32767个字符",
          w + ": text of " + std::to_string(len) + " characters exceeds Excel's 32767");
    }
    if (NeedsUnderscoreEscape(text)) {
      text_ = EscapeUnderscores(text);
    } else {
      text_.assign(text);  // reuses the buffer: no allocation per cell
    }
    return Status::Ok();
  }

  // A sheet name Excel accepts, unique in the workbook (case-insensitively, as Excel compares).
  std::string SheetName(std::string_view requested) const {
    std::string base;
    for (char c : requested) {
      bool forbidden = std::strchr("[]:*?/\\", c) != nullptr && c != '\0';
      bool control = static_cast<unsigned char>(c) < 0x20;
      base += (forbidden || control) ? '_' : c;
    }
    if (!base.empty() && base.front() == '\'') base.front() = '_';
    base = CutUtf16(base, kMaxSheetNameChars);
    if (!base.empty() && base.back() == '\'') base.back() = '_';
    if (base.empty()) base = "Sheet" + std::to_string(sheets.size() + 1);
    if (AsciiLower(base) == "history") base += "_";  // reserved by Excel
    auto taken = [&](const std::string& name) {
      std::string lower = AsciiLower(name);
      if (lower == kListsSheet) return true;
      for (const Sheet& s : sheets) {
        if (AsciiLower(s.name) == lower) return true;
      }
      return false;
    };
    std::string name = base;
    for (int n = 2; taken(name); ++n) {
      std::string suffix = "(" + std::to_string(n) + ")";
      name = CutUtf16(base, kMaxSheetNameChars - suffix.size()) + suffix;
    }
    return name;
  }

  // Column of "_lists" holding `values` (added on first need).
  Result<int> ListColumn(const std::vector<std::string>& values) {
    auto it = list_columns.find(values);
    if (it != list_columns.end()) return it->second;
    if (list_columns.size() >= static_cast<size_t>(kMaxCols)) {
      return Invalid("下拉列表过多", "more than 16384 long drop-down lists");
    }
    int col = static_cast<int>(list_columns.size());
    auto [pos, inserted] = list_columns.emplace(values, col);
    long_lists.push_back(&pos->first);
    return col;
  }

  // Writes the hidden "_lists" sheet, row by row across its columns (see the top of the file).
  Status WriteListsSheet() {
    if (long_lists.empty()) return Status::Ok();
    lxw_worksheet* ws = workbook_add_worksheet(wb, kListsSheet);
    if (ws == nullptr) return LibError(LXW_ERROR_CREATING_TMPFILE, "adding sheet _lists");
    size_t rows = 0;
    for (const auto* list : long_lists) rows = std::max(rows, list->size());
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < long_lists.size(); ++c) {
        const auto& list = *long_lists[c];
        if (r >= list.size()) continue;
        TZ_RETURN_IF_ERROR(PrepareText(list[r], [] { return std::string("下拉列表"); }));
        TZ_RETURN_IF_ERROR(
            CheckCell(worksheet_write_string(ws, static_cast<lxw_row_t>(r),
                                             static_cast<lxw_col_t>(c), text_.c_str(), nullptr),
                      "write_string _lists", static_cast<int64_t>(r), static_cast<int>(c)));
      }
    }
    worksheet_hide(ws);
    return Status::Ok();
  }
};

XlsxWriter::XlsxWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxWriter::~XlsxWriter() = default;

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("没有指定输出文件", "xlsx: empty output path");
  // libxlsxwriter opens the output only in workbook_close(); find out now whether we can write it.
  std::FILE* probe = std::fopen(path.c_str(), "wb");
  if (probe == nullptr) {
    int err = errno;
    const char* reason = err == ENOENT   ? "目录不存在"
                         : err == EACCES ? "没有写入权限"
                         : err == EISDIR ? "这是一个目录"
                         : err == ENOSPC ? "磁盘已满"
                         : err == EROFS  ? "文件系统只读"
                                         : "无法创建";
    return Status::IoError("无法创建文件 " + path + "：" + reason,
                           "xlsx: cannot create " + path + ": " + std::strerror(err));
  }
  std::fclose(probe);

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->tmpdir = PickTmpDir(path);
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = impl->tmpdir.data();
  options.use_zip64 = LXW_FALSE;
  impl->wb = workbook_new_opt(path.c_str(), &options);
  if (impl->wb == nullptr) {
    std::remove(path.c_str());
    return Status::IoError("无法创建文件 " + path + "：内存不足或无法创建临时文件",
                           "xlsx: workbook_new_opt failed for " + path);
  }
  return std::unique_ptr<XlsxWriter>(new XlsxWriter(std::move(impl)));
}

Status XlsxWriter::AddSheet(const std::string& name) {
  TZ_RETURN_IF_ERROR(impl_->CheckOpen());
  if (!IsValidUtf8(name)) {
    return impl_->Invalid("工作表名称不是有效的UTF-8编码", "sheet name is not valid UTF-8");
  }
  std::string sheet_name = impl_->SheetName(name);
  lxw_worksheet* ws = workbook_add_worksheet(impl_->wb, sheet_name.c_str());
  if (ws == nullptr) {
    // The name was checked above, so what is left is a temporary file or memory.
    lxw_error err = workbook_validate_sheet_name(impl_->wb, sheet_name.c_str());
    return impl_->LibError(err != LXW_NO_ERROR ? err : LXW_ERROR_CREATING_TMPFILE,
                           "adding sheet '" + sheet_name + "'");
  }
  impl_->sheets.push_back(Impl::Sheet{ws, sheet_name, 0, false});
  return Status::Ok();
}

Status XlsxWriter::HideSheet() {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->Current());
  worksheet_hide(s->ws);
  s->hidden = true;
  return Status::Ok();
}

Status XlsxWriter::SetColumn(int col, double width, XlsxStyle style) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->Current());
  TZ_RETURN_IF_ERROR(impl_->CheckCol(col));
  if (!(width >= 0 && width <= 255)) {
    return impl_->Invalid("列宽无效", "column width " + std::to_string(width) + " not in 0..255");
  }
  lxw_col_t c = static_cast<lxw_col_t>(col);
  return impl_->Check(worksheet_set_column(s->ws, c, c, width, impl_->Format({style, false})),
                      "set_column " + ColumnName(col));
}

Status XlsxWriter::WriteText(int64_t row, int col, std::string_view text, XlsxCellStyle style) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->CellSheet(row, col));
  TZ_RETURN_IF_ERROR(impl_->PrepareText(text, [&] { return "单元格" + CellName(row, col); }));
  // worksheet_write_string never makes a formula, whatever the text starts with.
  return impl_->CheckCell(
      worksheet_write_string(s->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                             impl_->text_.c_str(), impl_->Format(style)),
      "write_string", row, col);
}

Status XlsxWriter::WriteNumber(int64_t row, int col, double value, XlsxCellStyle style) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->CellSheet(row, col));
  if (!std::isfinite(value)) {
    return impl_->Invalid("单元格" + CellName(row, col) + "的数值无效",
                          CellName(row, col) + ": number is not finite");
  }
  return impl_->CheckCell(
      worksheet_write_number(s->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), value,
                             impl_->Format(style)),
      "write_number", row, col);
}

Status XlsxWriter::WriteDate(int64_t row, int col, int year, int month, int day,
                             XlsxCellStyle style) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->CellSheet(row, col));
  if (year < 1900 || year > 9999 || !Date::FromYmd(year, month, day).has_value()) {
    return impl_->Invalid("单元格" + CellName(row, col) + "的日期无效",
                          CellName(row, col) + ": invalid date " + std::to_string(year) + "-" +
                              std::to_string(month) + "-" + std::to_string(day));
  }
  // A date cell always shows as a date: yyyy-mm for kMonth, yyyy-mm-dd for any other style
  // (a highlighted date keeps its date format under the yellow fill).
  XlsxCellStyle date_style{style.style == XlsxStyle::kMonth ? XlsxStyle::kMonth : XlsxStyle::kDate,
                           style.highlight};
  lxw_datetime dt{};
  dt.year = year;
  dt.month = month;
  dt.day = day;
  return impl_->CheckCell(
      worksheet_write_datetime(s->ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), &dt,
                               impl_->Format(date_style)),
      "write_datetime", row, col);
}

Status XlsxWriter::WriteBlank(int64_t row, int col, XlsxCellStyle style) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->CellSheet(row, col));
  lxw_format* format = impl_->Format(style);
  if (format == nullptr) return Status::Ok();  // a blank cell without a look is no cell at all
  return impl_->CheckCell(worksheet_write_blank(s->ws, static_cast<lxw_row_t>(row),
                                                static_cast<lxw_col_t>(col), format),
                          "write_blank", row, col);
}

Status XlsxWriter::WriteTitle(int64_t row, int first_col, int last_col, std::string_view text) {
  TZ_RETURN_IF_ERROR(impl_->CheckCol(last_col));
  if (last_col < first_col) {
    return impl_->Bug("title columns " + std::to_string(first_col) + ".." +
                      std::to_string(last_col) + " are reversed");
  }
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->CellSheet(row, first_col));
  TZ_RETURN_IF_ERROR(impl_->PrepareText(text, [] { return std::string("标题"); }));
  const char* value = impl_->text_.c_str();
  lxw_format* format = impl_->Format({XlsxStyle::kTitle, false});
  lxw_row_t r = static_cast<lxw_row_t>(row);
  // Tall enough for the 16-point title (set while the row is still in memory).
  TZ_RETURN_IF_ERROR(impl_->Check(worksheet_set_row(s->ws, r, 24, nullptr), "set_row title"));
  if (first_col == last_col) {  // a merge needs two cells
    return impl_->Check(
        worksheet_write_string(s->ws, r, static_cast<lxw_col_t>(first_col), value, format),
        "write_string title");
  }
  return impl_->Check(
      worksheet_merge_range(s->ws, r, static_cast<lxw_col_t>(first_col), r,
                            static_cast<lxw_col_t>(last_col), value, format),
      "merge_range title " + CellName(row, first_col) + ":" + CellName(row, last_col));
}

Status XlsxWriter::AddListValidation(int64_t first_row, int64_t last_row, int col,
                                     const std::vector<std::string>& values) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->Current());
  TZ_RETURN_IF_ERROR(impl_->CheckRow(first_row));
  TZ_RETURN_IF_ERROR(impl_->CheckRow(last_row));
  TZ_RETURN_IF_ERROR(impl_->CheckCol(col));
  if (last_row < first_row) {
    return impl_->Bug("validation rows " + std::to_string(first_row) + ".." +
                      std::to_string(last_row) + " are reversed");
  }
  if (values.empty()) return impl_->Bug("a drop-down list without values");
  if (values.size() > static_cast<size_t>(kMaxRows)) {
    return impl_->Invalid("下拉列表的选项超过1048576个", "drop-down list too long");
  }
  // Inline ("a,b,c") when it fits Excel's 255 characters and no value holds a comma or a double
  // quote (an inline list has no escaping for either); otherwise a range of the "_lists" sheet.
  bool fits_inline = true;
  size_t chars = values.size() - 1;  // the commas
  for (const std::string& v : values) {
    if (!IsValidUtf8(v)) {
      return impl_->Invalid("下拉列表的选项不是有效的UTF-8编码",
                            "drop-down value is not valid UTF-8");
    }
    if (v.find_first_of(",\"") != std::string::npos) fits_inline = false;
    chars += Utf16Length(v);
  }
  if (chars > kMaxInlineListChars) fits_inline = false;

  lxw_data_validation dv{};
  dv.error_title = const_cast<char*>("输入有误");
  dv.error_message = const_cast<char*>("请从下拉列表中选择。");
  std::vector<char*> list;
  std::string formula;
  if (fits_inline) {
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    for (const std::string& v : values) list.push_back(const_cast<char*>(v.c_str()));
    list.push_back(nullptr);
    dv.value_list = list.data();
  } else {
    TZ_ASSIGN_OR_RETURN(int list_col, impl_->ListColumn(values));
    std::string c = "$" + ColumnName(list_col) + "$";
    formula = std::string("=") + kListsSheet + "!" + c + "1:" + c + std::to_string(values.size());
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = formula.data();
  }
  return impl_->Check(
      worksheet_data_validation_range(s->ws, static_cast<lxw_row_t>(first_row),
                                      static_cast<lxw_col_t>(col), static_cast<lxw_row_t>(last_row),
                                      static_cast<lxw_col_t>(col), &dv),
      "data_validation " + CellName(first_row, col) + ":" + CellName(last_row, col));
}

Status XlsxWriter::FreezeRows(int64_t rows) {
  TZ_ASSIGN_OR_RETURN(Impl::Sheet * s, impl_->Current());
  if (rows < 0 || rows >= kMaxRows) {
    return impl_->Bug("freeze rows " + std::to_string(rows) + " out of range");
  }
  worksheet_freeze_panes(s->ws, static_cast<lxw_row_t>(rows), 0);
  return Status::Ok();
}

Status XlsxWriter::Close() {
  TZ_RETURN_IF_ERROR(impl_->CheckOpen());
  Status status = impl_->WriteListsSheet();
  if (status.ok()) {
    // Excel opens on the active sheet, which must be visible: the first visible one.
    bool any_visible = impl_->sheets.empty();  // no sheet: an empty Sheet1 is added
    for (Impl::Sheet& s : impl_->sheets) {
      if (s.hidden) continue;
      any_visible = true;
      if (impl_->sheets.front().hidden) worksheet_activate(s.ws);
      break;
    }
    if (!any_visible) {
      status = impl_->Invalid("至少要有一个工作表不隐藏", "every sheet is hidden");
    }
  }
  // After this the writer is closed whatever happened.
  lxw_error err = impl_->CloseWorkbook();
  if (status.ok()) status = impl_->Check(err, "workbook_close");
  if (!status.ok()) std::remove(impl_->path.c_str());  // no half-written file left behind
  return status;
}

}  // namespace tz::io
