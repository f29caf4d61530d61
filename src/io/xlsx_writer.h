// Writing xlsx files with libxlsxwriter: the ledger templates, exports and error reports cadres
// open in Excel or WPS. Rows are streamed (constant-memory mode) so an export of any size costs a
// few MB; rows must therefore be written in increasing order, each row's cells left to right.
#ifndef TAIZHANG_IO_XLSX_WRITER_H_
#define TAIZHANG_IO_XLSX_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace tz::io {

// The few looks a cell can have. Each is one cached format of the workbook.
enum class XlsxStyle : uint8_t {
  kGeneral,         // as typed
  kText,            // number format "@": Excel keeps digits as text (ID numbers, phones)
  kDate,            // yyyy-mm-dd
  kMonth,           // yyyy-mm
  kTitle,           // the sheet title: bold, larger, centred
  kHeader,          // a column header: bold, grey fill, thin border, wrapped
  kRequiredHeader,  // a required column's header: as kHeader with a red font
  kNote,            // the 错误说明 column: red text, wrapped
};

struct XlsxCellStyle {
  XlsxStyle style = XlsxStyle::kGeneral;
  bool highlight = false;  // a bad cell in an error report: yellow fill, red border
};

class XlsxWriter {
 public:
  // Creates `path` (overwriting). Errors: IoError when it cannot be created.
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path);
  ~XlsxWriter();

  // Starts a new worksheet; later calls write to it. Names are cut to Excel's 31 characters and
  // characters Excel forbids ([]:*?/\) replaced.
  Status AddSheet(const std::string& name);
  // Hides the current sheet (used for long drop-down lists).
  Status HideSheet();

  // Column width (in characters) and the default format of a whole column (so that what a user
  // types into an empty template row is text or a date as the column wants).
  Status SetColumn(int col, double width, XlsxStyle style = XlsxStyle::kGeneral);

  // Text is always written as a string cell: it can never become a formula, whatever it starts
  // with. Text longer than Excel's 32,767 characters is an error.
  Status WriteText(int64_t row, int col, std::string_view text, XlsxCellStyle style = {});
  Status WriteNumber(int64_t row, int col, double value, XlsxCellStyle style = {});
  // A date cell (a serial in the 1900 system) shown as yyyy-mm-dd (or yyyy-mm with kMonth).
  Status WriteDate(int64_t row, int col, int year, int month, int day,
                   XlsxCellStyle style = {XlsxStyle::kDate, false});
  Status WriteBlank(int64_t row, int col, XlsxCellStyle style);
  // A title across columns first..last of `row` (merged).
  Status WriteTitle(int64_t row, int first_col, int last_col, std::string_view text);
  // A drop-down list on rows first_row..last_row of `col`. Lists whose values do not fit Excel's
  // 255-character limit go through a hidden sheet "_lists" (created on first need).
  Status AddListValidation(int64_t first_row, int64_t last_row, int col,
                           const std::vector<std::string>& values);
  // Keeps the first `rows` rows visible while scrolling.
  Status FreezeRows(int64_t rows);

  // Writes the file. Must be called; errors of the library surface here or at the call above.
  Status Close();

 private:
  struct Impl;
  explicit XlsxWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tz::io

#endif  // TAIZHANG_IO_XLSX_WRITER_H_
