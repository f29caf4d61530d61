// From a spreadsheet cell to a stored value: what text a typed cell (number, date, boolean) stands
// for in a given ledger column, and that text checked against the column's type as
// spec/ledgers.md says. Messages are Chinese, for the cadre who fixes the sheet.
#ifndef TAIZHANG_SERVICE_CELL_VALUE_H_
#define TAIZHANG_SERVICE_CELL_VALUE_H_

#include <string>
#include <string_view>

#include "base/checks.h"
#include "io/sheet.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::service {

// A text cell longer than this is refused: no ledger column holds essays, and it bounds memory.
inline constexpr size_t kMaxCellBytes = 8 * 1024;

// Trimmed; control characters dropped (a tab becomes a space, an in-cell line break stays).
std::string CleanCell(std::string_view raw);

// The text a cell gives column `col`, cleaned. On a cell that cannot be taken as it is (an ID
// number Excel stored as a number and so rounded, a formula error) returns "" and sets *error.
// - numbers in date/month columns are date serials of the workbook's system (date1904);
// - a text starting with ' before = + - @ or a tab loses the ' (the guard our CSV export adds so
//   that Excel does not run it as a formula), so exports import back unchanged.
std::string CellToText(const pack::Column& col, const io::Cell& cell, bool date1904,
                       std::string* error);

// Checks `text` (already cleaned; may be empty) against the column and returns the value to store,
// or NULL with *error set. `id_info` receives the parts of a valid id18.
// `town`: in a multi-town pack, the town whose villages a unit cell names (village names repeat
// across towns); empty: a code, or a name only one village has.
store::SqlValue ConvertCell(const pack::Catalog& catalog, const pack::Column& col,
                            const std::string& text, std::string* error,
                            ResidentIdInfo* id_info = nullptr, std::string_view town = {});

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_CELL_VALUE_H_
