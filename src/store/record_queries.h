// Single records of a ledger by their _id: a filtered, sorted page of rows, and one row written,
// replaced or deleted. The caller builds the WHERE (SQL over quoted column labels with `?`
// placeholders); everything else here names only catalog labels, so no text from a request
// reaches SQL except as a bound value.
#ifndef TAIZHANG_STORE_RECORD_QUERIES_H_
#define TAIZHANG_STORE_RECORD_QUERIES_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "pack/catalog.h"
#include "store/store.h"

namespace tz::store {

// The rows matching `where` (empty sql: all).
Result<int64_t> CountMatching(Store& store, const pack::Ledger& ledger, const SqlStatement& where);

struct RowOrder {
  int column = -1;  // index into ledger.columns; -1: insertion order (_id)
  bool descending = false;
};

// One page of the rows matching `where`, in `order` (empty values last either way, then _id,
// so that pages never overlap), calling on_row with the row's _id and one value per column.
Status PageRows(
    Store& store, const pack::Ledger& ledger, const SqlStatement& where, const RowOrder& order,
    int64_t limit, int64_t offset,
    const std::function<Status(int64_t id, const std::vector<SqlValue>& values)>& on_row);

// True when the ledger has a row with this _id.
Result<bool> RowExists(Store& store, const pack::Ledger& ledger, int64_t id);

// True when some row other than `except_id` (0: none excepted) has `value` in `column` — of
// `town` when given (multi-town databases: keys are unique per town).
Result<bool> ValueTaken(Store& store, const pack::Ledger& ledger, int column, const SqlValue& value,
                        int64_t except_id = 0, const std::string& town = "");

// Inserts one row (one value per column, catalog order) and returns its _id. `town`: the row's
// town (kTownColumn), required in a multi-town database and empty otherwise; likewise below.
Result<int64_t> InsertRow(Store& store, const pack::Ledger& ledger, int64_t import_id,
                          int64_t source_row, const std::vector<SqlValue>& values,
                          const std::string& town = "");

// Replaces every column of row `id`; false when there is no such row.
Result<bool> ReplaceRow(Store& store, const pack::Ledger& ledger, int64_t id, int64_t import_id,
                        int64_t source_row, const std::vector<SqlValue>& values,
                        const std::string& town = "");

// Deletes row `id`; false when there is no such row.
Result<bool> DeleteRow(Store& store, const pack::Ledger& ledger, int64_t id);

}  // namespace tz::store

#endif  // TAIZHANG_STORE_RECORD_QUERIES_H_
