// Finding a ledger's header in a spreadsheet as cadres keep it: after a title row (the town's name
// and the ledger's) and a unit line (单位：元), possibly as a two-row header with merged group
// cells, with columns in any order, extra columns and required-markers (a trailing *).
#ifndef TAIZHANG_SERVICE_HEADER_MATCH_H_
#define TAIZHANG_SERVICE_HEADER_MATCH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/sheet.h"
#include "pack/catalog.h"

namespace tz::service {

// The header is looked for among this many non-empty rows at the top of a sheet.
inline constexpr size_t kHeaderSearchRows = 30;

struct HeaderMatch {
  int64_t first_row = 0;       // spreadsheet row numbers of the header (equal for a one-row header)
  int64_t last_row = 0;        // data starts below this row
  std::vector<int> source_of;  // ledger column → sheet column (A = 0), or -1 when absent
  int matched = 0;             // ledger columns found
  std::vector<std::pair<int, std::string>> unknown;     // sheet column, label: not of the ledger
  std::vector<std::pair<int, std::string>> duplicates;  // sheet column, label: seen twice
  int width = 0;                                        // sheet columns spanned by the header

  // Good enough to be this ledger's header: at least half of its required columns (and at least
  // one column) are there.
  bool Plausible(const pack::Ledger& ledger) const;
};

// A header cell as a label: spaces and line breaks inside removed (身份\n证号), a required marker
// (* ＊) and a trailing (必填)/（必填） dropped.
std::string NormalizeLabel(std::string_view cell);

// The best header among `rows` (the top of a sheet): the row, or pair of adjacent rows, whose cells
// name the most ledger columns; on a tie the earlier and shorter one. matched == 0 when none does.
HeaderMatch FindHeader(const pack::Ledger& ledger, const std::vector<io::SheetRow>& rows);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_HEADER_MATCH_H_
