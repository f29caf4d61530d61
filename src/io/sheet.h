// A spreadsheet as the importer sees it, whatever file it came from (xlsx, legacy xls, CSV): sheets
// of rows of typed cells, streamed one row at a time so that memory does not grow with the file.
#ifndef TAIZHANG_IO_SHEET_H_
#define TAIZHANG_IO_SHEET_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace tz::io {

enum class CellKind { kEmpty, kText, kNumber, kDate, kBool, kError };

struct Cell {
  CellKind kind = CellKind::kEmpty;
  // kText: the text (shared/inline strings resolved, rich-text runs joined, XML entities decoded).
  // kNumber: the number as Excel's General format shows it, up to 15 significant digits and never
  //   in exponent form below 1e15 ("1234.5", "13800138000", "0.3" for 0.30000000000000004);
  //   from 1e15 up in exponent form ("3.60902E+17"), as Excel shows it.
  // kDate: a number whose cell format is a date: "2022-06-30", or "2022-06-30 08:30:00" when it
  //   has a time of day.
  // kBool: "TRUE" or "FALSE" (also LibreOffice's TRUE()/FALSE() formula cells, by cached value).
  // kError: the error value as shown, "#N/A", "#DIV/0!", ….
  std::string text;
  // kNumber and kDate: the value (for kDate the serial in the workbook's date system); kBool: 0/1.
  double number = 0;
};

// One spreadsheet row. cells[i] is column i (A = 0); missing cells of a sparse row are kEmpty and
// trailing empty cells may be absent.
struct SheetRow {
  int64_t number = 0;  // 1-based, as Excel shows it
  std::vector<Cell> cells;
};

// Bounds against hostile files. Every breach is an InvalidArgument with a Chinese message for the
// user (and an English log text), never a silent truncation.
struct SheetLimits {
  uint64_t max_file_bytes = 64u << 20;  // the file on disk
  int64_t max_rows = 1000000;           // rows of one sheet (a declared larger dimension is
                                        // refused before any row is read)
  size_t max_columns = 1000;            // cells in one row
  size_t max_cell_bytes = 32u << 10;    // text of one cell
  uint64_t max_entry_bytes = 1u << 30;  // uncompressed size of any one part of an xlsx
  uint64_t max_shared_string_bytes = 256u << 20;  // all shared strings together
  double max_compression_ratio = 200;             // uncompressed/compressed of a part above 1 MB
  size_t max_entries = 10000;                     // parts in an xlsx zip
};

enum class WorkbookFormat { kCsv, kXlsx, kXls };

// A legacy .xls is read whole by libfreexl, whose memory and work grow several times faster than
// the file; no real .xls ledger (at most 65,536 rows) comes near this.
inline constexpr uint64_t kMaxXlsBytes = 16u << 20;

// Return true from the callback to go on, false to stop early (not an error).
using SheetRowFn = std::function<Result<bool>(const SheetRow&)>;

class SheetReader {
 public:
  virtual ~SheetReader() = default;

  virtual WorkbookFormat format() const = 0;
  // Sheet names in workbook order (a CSV file has one sheet named after the file).
  virtual const std::vector<std::string>& sheet_names() const = 0;
  // True when date serials count from 1904-01-01 (old Mac Excel), false for the 1900 system.
  virtual bool date1904() const = 0;
  // Streams the rows of sheet `index` in order, skipping rows with no cells. May be called again,
  // for the same or another sheet; each call reads from the start. A non-OK Status from on_row, or
  // an error in the file, stops and is returned.
  virtual Status ForEachRow(size_t index, const SheetRowFn& on_row) = 0;
  // The text encoding a CSV file turned out to be in ("UTF-8", "GB18030"), known after the first
  // ForEachRow; empty for workbooks.
  virtual std::string text_encoding() const { return {}; }
};

// Opens by content, not by name: "PK\x03\x04" is an xlsx, D0 CF 11 E0 an xls, anything else is CSV
// text. A file named .xlsx/.xls whose content is neither is refused (a renamed file); a workbook
// named .csv is read as the workbook it is.
Result<std::unique_ptr<SheetReader>> OpenSheetFile(const std::string& path,
                                                   const SheetLimits& limits = {});
Result<std::unique_ptr<SheetReader>> OpenXlsx(const std::string& path,
                                              const SheetLimits& limits = {});
Result<std::unique_ptr<SheetReader>> OpenXls(const std::string& path,
                                             const SheetLimits& limits = {});
Result<std::unique_ptr<SheetReader>> OpenCsvSheet(const std::string& path,
                                                  const SheetLimits& limits = {});

// An Excel date serial as a calendar day and seconds into it. 1900 system: 1 = 1900-01-01,
// 59 = 1900-02-28, 60 = Excel's nonexistent 1900-02-29 (nullopt), 61 = 1900-03-01. 1904 system:
// 0 = 1904-01-01. nullopt for negative, NaN or past 9999-12-31.
struct SerialDate {
  int year = 0, month = 0, day = 0;
  int seconds = 0;  // of the day, rounded to the nearest second
};
std::optional<SerialDate> SerialToDate(double serial, bool date1904);
// "2022-06-30", or "2022-06-30 08:30:00" when seconds != 0.
std::string FormatSerialDate(const SerialDate& d);

// A number as Excel's General format shows it (see Cell::text).
std::string FormatGeneralNumber(double value);

}  // namespace tz::io

#endif  // TAIZHANG_IO_SHEET_H_
