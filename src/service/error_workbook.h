// The error report a person can act on: the uploaded sheet written back as it was, every bad cell
// highlighted and a 错误说明 column saying what is wrong with each row.
#ifndef TAIZHANG_SERVICE_ERROR_WORKBOOK_H_
#define TAIZHANG_SERVICE_ERROR_WORKBOOK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "io/sheet.h"

namespace tz::service {

struct MarkedIssue {
  int64_t row = 0;  // spreadsheet row (1-based); 0: the file as a whole (shown on the header)
  int column = -1;  // sheet column (A = 0) of the bad cell, or -1 for the row as a whole
  std::string message;
};

struct ErrorSheetLayout {
  size_t sheet = 0;  // which sheet of the reader
  std::string sheet_name;
  int64_t header_first_row = 0;  // header rows get the header look and are kept in view
  int64_t header_last_row = 0;
  int note_column = 0;  // where 错误说明 goes: right of every used column
};

// Re-reads the sheet from `reader` and writes it to `path` (xlsx) with `issues` marked.
Status WriteErrorWorkbook(io::SheetReader& reader, const ErrorSheetLayout& layout,
                          std::vector<MarkedIssue> issues, const std::string& path);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_ERROR_WORKBOOK_H_
