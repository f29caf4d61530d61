#include "service/error_workbook.h"

#include <algorithm>
#include <cstdio>

#include "base/strings.h"
#include "io/xlsx_writer.h"

namespace tz::service {
namespace {

using io::XlsxCellStyle;
using io::XlsxStyle;

Status WriteCell(io::XlsxWriter& w, int64_t row, int col, const io::Cell& cell, bool header,
                 bool bad) {
  XlsxCellStyle style{header ? XlsxStyle::kHeader : XlsxStyle::kGeneral, bad};
  switch (cell.kind) {
    case io::CellKind::kEmpty:
      return bad || header ? w.WriteBlank(row, col, style) : Status::Ok();
    case io::CellKind::kNumber:
      return w.WriteNumber(row, col, cell.number, style);
    case io::CellKind::kDate: {
      int y = 0, m = 0, d = 0;
      if (std::sscanf(cell.text.c_str(), "%d-%d-%d", &y, &m, &d) == 3) {
        return w.WriteDate(row, col, y, m, d, {XlsxStyle::kDate, bad});
      }
      return w.WriteText(row, col, cell.text, style);
    }
    case io::CellKind::kText:
    case io::CellKind::kBool:
    case io::CellKind::kError:
      return w.WriteText(row, col, cell.text, style);
  }
  return Status::Ok();
}

}  // namespace

Status WriteErrorWorkbook(io::SheetReader& reader, const ErrorSheetLayout& layout,
                          std::vector<MarkedIssue> issues, const std::string& path) {
  // Issues about the file as a whole are shown on the header row.
  for (MarkedIssue& i : issues) {
    if (i.row == 0) i.row = layout.header_last_row;
  }
  std::stable_sort(issues.begin(), issues.end(),
                   [](const MarkedIssue& a, const MarkedIssue& b) { return a.row < b.row; });
  TZ_ASSIGN_OR_RETURN(auto w, io::XlsxWriter::Create(path));
  TZ_RETURN_IF_ERROR(w->AddSheet(layout.sheet_name.empty() ? "Sheet1" : layout.sheet_name));
  TZ_RETURN_IF_ERROR(w->FreezeRows(layout.header_last_row));
  for (int c = 0; c < layout.note_column; ++c) TZ_RETURN_IF_ERROR(w->SetColumn(c, 14));
  TZ_RETURN_IF_ERROR(w->SetColumn(layout.note_column, 60, XlsxStyle::kNote));

  size_t next = 0;
  std::vector<int> bad_columns;
  std::vector<std::string> notes;
  Status read = reader.ForEachRow(layout.sheet, [&](const io::SheetRow& row) -> Result<bool> {
    while (next < issues.size() && issues[next].row < row.number) ++next;  // rows never read
    bad_columns.clear();
    notes.clear();
    for (; next < issues.size() && issues[next].row == row.number; ++next) {
      if (issues[next].column >= 0) bad_columns.push_back(issues[next].column);
      notes.push_back(issues[next].message);
    }
    const bool header =
        row.number >= layout.header_first_row && row.number <= layout.header_last_row;
    const int64_t r = row.number - 1;
    for (size_t c = 0; c < row.cells.size() && static_cast<int>(c) < layout.note_column; ++c) {
      bool bad = std::find(bad_columns.begin(), bad_columns.end(), static_cast<int>(c)) !=
                 bad_columns.end();
      TZ_RETURN_IF_ERROR(WriteCell(*w, r, static_cast<int>(c), row.cells[c], header, bad));
    }
    // A bad cell the row does not reach (an empty required cell at the end) is still marked.
    std::sort(bad_columns.begin(), bad_columns.end());
    for (int c : bad_columns) {
      if (static_cast<size_t>(c) >= row.cells.size() && c < layout.note_column) {
        TZ_RETURN_IF_ERROR(w->WriteBlank(r, c, {XlsxStyle::kGeneral, true}));
      }
    }
    if (row.number == layout.header_last_row) {
      std::string title = "错误说明";
      if (!notes.empty()) title += "（" + Join(notes, "；") + "）";
      TZ_RETURN_IF_ERROR(w->WriteText(r, layout.note_column, title, {XlsxStyle::kHeader, false}));
    } else if (!notes.empty()) {
      TZ_RETURN_IF_ERROR(w->WriteText(r, layout.note_column, Join(notes, "；")));
    }
    return true;
  });
  // A file that breaks off half way (already in the report) still gets what was read marked up.
  if (!read.ok() && read.code() != StatusCode::kInvalidArgument) return read;
  return w->Close();
}

}  // namespace tz::service
