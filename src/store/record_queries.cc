#include "store/record_queries.h"

#include "store/ledger_tables.h"

namespace tz::store {
namespace {

std::string Table(Store& store, const pack::Ledger& ledger) {
  return store.dialect().Quote(LedgerTable(ledger));
}

std::string Label(Store& store, const pack::Ledger& ledger, int column) {
  return store.dialect().Quote(ledger.columns[static_cast<size_t>(column)].label);
}

// Runs a statement whose rows are counted (RETURNING 1, SELECT 1 …).
Result<int64_t> CountResultRows(Store& store, const SqlStatement& stmt) {
  int64_t n = 0;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>&) {
    ++n;
    return Status::Ok();
  }));
  return n;
}

}  // namespace

Result<int64_t> CountMatching(Store& store, const pack::Ledger& ledger, const SqlStatement& where) {
  SqlStatement stmt{"SELECT COUNT(*) FROM " + Table(store, ledger), where.params};
  if (!where.sql.empty()) stmt.sql += " WHERE " + where.sql;
  int64_t n = 0;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>& row) {
    n = std::get<int64_t>(row[0]);
    return Status::Ok();
  }));
  return n;
}

Status PageRows(
    Store& store, const pack::Ledger& ledger, const SqlStatement& where, const RowOrder& order,
    int64_t limit, int64_t offset,
    const std::function<Status(int64_t id, const std::vector<SqlValue>& values)>& on_row) {
  const Dialect& d = store.dialect();
  SqlStatement stmt{"SELECT _id", where.params};
  for (const pack::Column& col : ledger.columns) stmt.sql += ", " + d.Quote(col.label);
  stmt.sql += " FROM " + Table(store, ledger);
  if (!where.sql.empty()) stmt.sql += " WHERE " + where.sql;
  stmt.sql += " ORDER BY ";
  if (order.column >= 0) {
    // SQLite puts NULLs first and PostgreSQL last: say it, so both page alike.
    std::string c = Label(store, ledger, order.column);
    stmt.sql += "(" + c + " IS NULL), " + c + (order.descending ? " DESC, " : ", ");
  }
  stmt.sql += order.column < 0 && order.descending ? "_id DESC" : "_id";
  stmt.sql += " LIMIT ? OFFSET ?";
  // In place: GCC 12 warns (wrongly) of an uninitialised string when an int64_t SqlValue is
  // moved into the vector.
  stmt.params.emplace_back(std::in_place_index<1>, limit);
  stmt.params.emplace_back(std::in_place_index<1>, offset);
  std::vector<SqlValue> values;
  return store.Query(stmt, [&](const std::vector<SqlValue>& row) {
    values.assign(row.begin() + 1, row.end());
    return on_row(std::get<int64_t>(row[0]), values);
  });
}

Result<bool> RowExists(Store& store, const pack::Ledger& ledger, int64_t id) {
  TZ_ASSIGN_OR_RETURN(
      int64_t n,
      CountResultRows(store, {"SELECT 1 FROM " + Table(store, ledger) + " WHERE _id = ?", {id}}));
  return n > 0;
}

Result<bool> ValueTaken(Store& store, const pack::Ledger& ledger, int column, const SqlValue& value,
                        int64_t except_id, const std::string& town) {
  SqlStatement stmt{
      "SELECT 1 FROM " + Table(store, ledger) + " WHERE " + Label(store, ledger, column) + " = ?",
      {value}};
  if (except_id != 0) {
    stmt.sql += " AND _id <> ?";
    stmt.params.emplace_back(std::in_place_index<1>, except_id);
  }
  if (!town.empty()) {
    stmt.sql += std::string(" AND ") + kTownColumn + " = ?";
    stmt.params.emplace_back(town);
  }
  stmt.sql += " LIMIT 1";
  TZ_ASSIGN_OR_RETURN(int64_t n, CountResultRows(store, stmt));
  return n > 0;
}

Result<int64_t> InsertRow(Store& store, const pack::Ledger& ledger, int64_t import_id,
                          int64_t source_row, const std::vector<SqlValue>& values,
                          const std::string& town) {
  const Dialect& d = store.dialect();
  SqlStatement stmt{"INSERT INTO " + Table(store, ledger) + " (", values};
  std::string marks;
  for (const pack::Column& col : ledger.columns) {
    stmt.sql += d.Quote(col.label) + ", ";
    marks += "?, ";
  }
  if (!town.empty()) {
    stmt.sql += std::string(kTownColumn) + ", ";
    marks += "?, ";
    stmt.params.emplace_back(town);
  }
  stmt.sql += "_import, _row) VALUES (" + marks + "?, ?) RETURNING _id";
  stmt.params.emplace_back(std::in_place_index<1>, import_id);
  stmt.params.emplace_back(std::in_place_index<1>, source_row);
  int64_t id = 0;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>& row) {
    id = std::get<int64_t>(row[0]);
    return Status::Ok();
  }));
  return id;
}

Result<bool> ReplaceRow(Store& store, const pack::Ledger& ledger, int64_t id, int64_t import_id,
                        int64_t source_row, const std::vector<SqlValue>& values,
                        const std::string& town) {
  const Dialect& d = store.dialect();
  SqlStatement stmt{"UPDATE " + Table(store, ledger) + " SET ", values};
  for (const pack::Column& col : ledger.columns) stmt.sql += d.Quote(col.label) + " = ?, ";
  if (!town.empty()) {
    stmt.sql += std::string(kTownColumn) + " = ?, ";
    stmt.params.emplace_back(town);
  }
  stmt.sql += "_import = ?, _row = ? WHERE _id = ? RETURNING 1";
  stmt.params.emplace_back(std::in_place_index<1>, import_id);
  stmt.params.emplace_back(std::in_place_index<1>, source_row);
  stmt.params.emplace_back(std::in_place_index<1>, id);
  TZ_ASSIGN_OR_RETURN(int64_t n, CountResultRows(store, stmt));
  return n > 0;
}

Result<bool> DeleteRow(Store& store, const pack::Ledger& ledger, int64_t id) {
  TZ_ASSIGN_OR_RETURN(
      int64_t n,
      CountResultRows(
          store, {"DELETE FROM " + Table(store, ledger) + " WHERE _id = ? RETURNING 1", {id}}));
  return n > 0;
}

}  // namespace tz::store
