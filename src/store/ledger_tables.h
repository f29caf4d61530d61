// Tables made from the Catalog, the stored pack, and bulk row writing.
//
// Each ledger L is a table "l_<id>" with one column per ledger column, named by its Chinese label
// (quoted), plus bookkeeping columns: _id (row id, insertion order), _import (the import that
// wrote it) and _row (its spreadsheet row number there). Values are stored as documented in
// docs/pack.md (dates as ISO text, decimals as scaled integers, bools as 0/1, units as codes).
#ifndef TAIZHANG_STORE_LEDGER_TABLES_H_
#define TAIZHANG_STORE_LEDGER_TABLES_H_

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pack/catalog.h"
#include "store/store.h"

namespace tz::store {

inline constexpr int kSchemaVersion = 1;

std::string LedgerTable(const pack::Ledger& ledger);  // "l_dibao"

// In a database whose pack spans several towns (OrgTree::MultiTown), every ledger table also has
// this column: the 9-digit code of the town the row belongs to. Keys are unique per town, and a
// town's, district's or city's figures read the rows of its towns. A township database has none.
inline constexpr char kTownColumn[] = "_town";

// True when the database already holds a taizhang schema.
Result<bool> IsInitialised(Store& store);

// Whether a table of that name exists (the dialect's catalog query).
Result<bool> TableExists(Store& store, std::string_view table);

// The current time in UTC as "YYYY-MM-DDTHH:MM:SSZ": every timestamp the database keeps.
std::string UtcTimestamp();

// Creates the bookkeeping tables, stores the pack's files and creates one table per ledger, in one
// transaction. Fails with AlreadyExists if the database is already initialised.
Status InitSchema(Store& store, const pack::PackFiles& pack_files, const pack::Catalog& catalog);

// The pack files saved by InitSchema.
Result<pack::PackFiles> LoadStoredPack(Store& store);

// Records an import (call inside the import's transaction) and returns its id.
Result<int64_t> RecordImport(Store& store, const pack::Ledger& ledger, const std::string& source,
                             int64_t rows);

// Inserts rows into one ledger's table: through the store's bulk writer where it has one
// (PostgreSQL's COPY), else several rows per INSERT statement: a bulk import spends most of its
// time in the database, and one statement per row costs a third more. `values` has
// one SqlValue per ledger column, in catalog order; Write takes its contents (leaving it empty of
// meaning for the caller to refill). Rows reach the table at the latest on Flush(), which must be
// called before the transaction commits; a writer destroyed with rows pending drops them (that is
// an abandoned import, rolled back anyway).
class RowWriter {
 public:
  // `town`: the rows' town (kTownColumn), required in a multi-town database, empty otherwise.
  static Result<std::unique_ptr<RowWriter>> Create(Store& store, const pack::Ledger& ledger,
                                                   const std::string& town = "");
  Status Write(int64_t import_id, int64_t source_row, std::vector<SqlValue>& values);
  Status Flush();

 private:
  RowWriter(Store& store, const pack::Ledger& ledger, size_t batch_rows, std::string town);
  Result<PreparedStatement*> StatementFor(size_t rows);

  Store& store_;
  const pack::Ledger& ledger_;
  const size_t batch_rows_;
  const std::string town_;  // written into kTownColumn of every row when not empty
  std::unique_ptr<BulkWriter> bulk_;         // or, without one:
  std::unique_ptr<PreparedStatement> full_;  // for batch_rows_ rows
  std::vector<SqlValue> pending_;            // (columns + 2) values per pending row
  size_t pending_rows_ = 0;
};

// Sets the row count of an import recorded before its rows were streamed in.
Status SetImportRows(Store& store, int64_t import_id, int64_t rows);

// Deletes the rows of a ledger, all of them (column < 0) or those whose `column` equals `value`,
// of one town when `town` is given (multi-town databases), and returns how many went.
Result<int64_t> DeleteRows(Store& store, const pack::Ledger& ledger, int column,
                           const SqlValue& value, const std::string& town = "");

// Deletes the rows with a given key, with one prepared statement for many keys (upserts).
class KeyDeleter {
 public:
  // `town`: only that town's rows (keys are unique per town in a multi-town database).
  static Result<std::unique_ptr<KeyDeleter>> Create(Store& store, const pack::Ledger& ledger,
                                                    const std::string& town = "");
  Status Delete(const SqlValue& key);

 private:
  KeyDeleter(std::unique_ptr<PreparedStatement> stmt, std::string town)
      : stmt_(std::move(stmt)), town_(std::move(town)) {}
  std::unique_ptr<PreparedStatement> stmt_;
  std::string town_;
};

// Streams a ledger's rows in insertion order, one SqlValue per ledger column, optionally filtered
// by `where` (SQL over the quoted column labels with `?` placeholders, bound from where.params).
// Memory stays bounded (Store::QueryStream); on_row must not write.
Status ForEachLedgerRow(Store& store, const pack::Ledger& ledger, const SqlStatement& where,
                        const RowCallback& on_row);

// Every non-empty value of one column (for key uniqueness and reference checks); with
// except_column >= 0, only of rows whose except_column is not `except_value` (or is NULL).
Result<std::set<std::string>> DistinctValues(Store& store, const pack::Ledger& ledger, int column,
                                             int except_column = -1,
                                             const SqlValue& except_value = {},
                                             const std::string& town = "");

// Number of rows in a ledger.
Result<int64_t> CountRows(Store& store, const pack::Ledger& ledger);

}  // namespace tz::store

#endif  // TAIZHANG_STORE_LEDGER_TABLES_H_
