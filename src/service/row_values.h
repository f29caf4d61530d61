// One row's texts to the values stored, checked exactly as an import checks them: each cell
// against its column's type (ConvertCell), then the ledger's `check` lines (sex and birth date
// against the ID number). Shared by the spreadsheet import and the record form of the web app.
#ifndef TAIZHANG_SERVICE_ROW_VALUES_H_
#define TAIZHANG_SERVICE_ROW_VALUES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::service {

struct CellError {
  size_t column = 0;    // index into ledger.columns
  std::string message;  // Chinese, without the column's label
};

// `texts` holds one cleaned text per ledger column ("" = empty). A column with failed[c] set
// (may be null) already has an error of its own: it gets no value and no further message.
// Returns one value per column (NULL where a cell failed) and appends the errors in column order,
// the `check` errors after the cell errors.
// `town`: the town whose villages unit cells name (ConvertCell), in a multi-town pack.
std::vector<store::SqlValue> ConvertRow(const pack::Catalog& catalog, const pack::Ledger& ledger,
                                        const std::vector<std::string>& texts,
                                        const std::vector<bool>* failed,
                                        std::vector<CellError>* errors,
                                        std::string_view town = {});

// Grid key → the code of the village it lies in, from the grid ledger named in org.txt (`grids`);
// empty when the pack has no grids. An import reads them all once; a single record's write reads
// only the grid it names (`only`).
using GridVillages = std::map<std::string, std::string>;
// `town`: that town's grids only (grid keys are unique per town in a multi-town database).
Result<GridVillages> LoadGridVillages(store::Store& store, const pack::Catalog& catalog,
                                      const std::string* only = nullptr,
                                      const std::string& town = "");

// A row placed in a village and in a grid of another village is wrong: the error on the grid
// column, or nullopt (nothing to check when either cell is empty, the grid is not registered — the
// reference check warns about that — or the ledger lacks one of the two columns).
std::optional<CellError> GridOutsideVillage(const pack::Catalog& catalog,
                                            const pack::Ledger& ledger, const GridVillages& grids,
                                            const std::vector<store::SqlValue>& values);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_ROW_VALUES_H_
