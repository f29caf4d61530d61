#include "store/ledger_tables.h"

#include <algorithm>

#include <chrono>
#include <ctime>

namespace tz::store {
namespace {

const char* SqlType(pack::ColumnType type) {
  switch (type) {
    case pack::ColumnType::kInt:
    case pack::ColumnType::kDecimal:
    case pack::ColumnType::kBool:
      // BIGINT: decimals are scaled integers, beyond PostgreSQL's 4-byte INTEGER (SQLite gives
      // both names the same 8-byte integer affinity).
      return "BIGINT";
    default:
      return "TEXT";
  }
}

}  // namespace

std::string LedgerTable(const pack::Ledger& ledger) { return "l_" + ledger.id; }

std::string UtcTimestamp() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<bool> TableExists(Store& store, std::string_view table) {
  bool found = false;
  TZ_RETURN_IF_ERROR(store.Query({store.dialect().TableExistsQuery(), {std::string(table)}},
                                 [&](const std::vector<SqlValue>&) {
                                   found = true;
                                   return Status::Ok();
                                 }));
  return found;
}

Result<bool> IsInitialised(Store& store) { return TableExists(store, "_meta"); }

Status InitSchema(Store& store, const pack::PackFiles& pack_files, const pack::Catalog& catalog) {
  TZ_ASSIGN_OR_RETURN(bool initialised, IsInitialised(store));
  if (initialised) {
    return Status::AlreadyExists("数据库已经初始化过，不能重复初始化",
                                 "database is already initialised");
  }
  const Dialect& d = store.dialect();
  if (size_t max = d.MaxIdentifierBytes(); max > 0) {
    for (const pack::Ledger& ledger : catalog.ledgers) {
      for (const pack::Column& col : ledger.columns) {
        if (col.label.size() > max) {
          return Status::InvalidArgument(
              "台账“" + ledger.title + "”的列名“" + col.label + "”太长：" + d.Name() +
                  " 的列名最多 " + std::to_string(max) + " 字节（约 " + std::to_string(max / 3) +
                  " 个汉字）",
              "column label longer than " + std::to_string(max) + " bytes: " + col.label);
        }
      }
    }
  }
  Transaction tx(store);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_RETURN_IF_ERROR(store.ExecuteScript(
      "CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE _pack (path TEXT PRIMARY KEY, content TEXT NOT NULL);"
      "CREATE TABLE _imports (id " +
      std::string(d.RowIdColumn()) +
      ", ledger TEXT NOT NULL, source TEXT NOT NULL, rows BIGINT NOT NULL, at TEXT NOT NULL);"));
  TZ_RETURN_IF_ERROR(store.Execute(
      {"INSERT INTO _meta (key, value) VALUES (?, ?), (?, ?), (?, ?)",
       {std::string("schema_version"), std::to_string(kSchemaVersion), std::string("pack_name"),
        catalog.name, std::string("created_at"), UtcTimestamp()}}));
  for (const auto& [path, content] : pack_files) {
    TZ_RETURN_IF_ERROR(
        store.Execute({"INSERT INTO _pack (path, content) VALUES (?, ?)", {path, content}}));
  }
  for (const pack::Ledger& ledger : catalog.ledgers) {
    std::string table = d.Quote(LedgerTable(ledger));
    const bool towns = catalog.org.MultiTown();
    std::string ddl = "CREATE TABLE " + table + " (_id " + d.RowIdColumn() +
                      ", _import BIGINT NOT NULL, _row BIGINT NOT NULL";
    if (towns) ddl += std::string(", ") + kTownColumn + " TEXT NOT NULL";
    for (const pack::Column& col : ledger.columns) {
      ddl += ", " + d.Quote(col.label) + " " + SqlType(col.type);
    }
    ddl += ");";
    if (towns) {
      ddl += "CREATE INDEX " + d.Quote("t_" + ledger.id) + " ON " + table + " (" + kTownColumn +
             ");";
    }
    if (ledger.key_column >= 0) {
      ddl += "CREATE UNIQUE INDEX " + d.Quote("k_" + ledger.id) + " ON " + table + " (" +
             (towns ? std::string(kTownColumn) + ", " : std::string()) +
             d.Quote(ledger.columns[static_cast<size_t>(ledger.key_column)].label) + ");";
    }
    TZ_RETURN_IF_ERROR(store.ExecuteScript(ddl));
  }
  return tx.Commit();
}

Result<pack::PackFiles> LoadStoredPack(Store& store) {
  TZ_ASSIGN_OR_RETURN(bool initialised, IsInitialised(store));
  if (!initialised) {
    return Status::FailedPrecondition("数据库尚未初始化（请先运行 taizhang init 或 taizhang demo）",
                                      "database has no taizhang schema");
  }
  pack::PackFiles files;
  TZ_RETURN_IF_ERROR(store.Query(
      {"SELECT path, content FROM _pack ORDER BY path", {}}, [&](const std::vector<SqlValue>& row) {
        files[std::get<std::string>(row[0])] = std::get<std::string>(row[1]);
        return Status::Ok();
      }));
  return files;
}

Result<int64_t> RecordImport(Store& store, const pack::Ledger& ledger, const std::string& source,
                             int64_t rows) {
  // RETURNING (SQLite ≥ 3.35, PostgreSQL) gives this insert's id even with concurrent imports.
  int64_t id = 0;
  TZ_RETURN_IF_ERROR(store.Query(
      {"INSERT INTO _imports (ledger, source, rows, at) VALUES (?, ?, ?, ?) RETURNING id",
       {ledger.id, source, rows, UtcTimestamp()}},
      [&](const std::vector<SqlValue>& row) {
        id = std::get<int64_t>(row[0]);
        return Status::Ok();
      }));
  return id;
}

namespace {

std::string InsertSql(const Dialect& d, const pack::Ledger& ledger, size_t rows, bool town) {
  std::string sql = "INSERT INTO " + d.Quote(LedgerTable(ledger)) + " (";
  std::string row = "(";
  for (const pack::Column& col : ledger.columns) {
    sql += d.Quote(col.label) + ", ";
    row += "?, ";
  }
  sql += town ? std::string(kTownColumn) + ", _import, _row) VALUES " : "_import, _row) VALUES ";
  row += town ? "?, ?, ?)" : "?, ?)";
  for (size_t i = 0; i < rows; ++i) sql += (i ? ", " : "") + row;
  return sql;
}

}  // namespace

RowWriter::RowWriter(Store& store, const pack::Ledger& ledger, size_t batch_rows,
                     std::string town)
    : store_(store), ledger_(ledger), batch_rows_(batch_rows), town_(std::move(town)) {}

Result<std::unique_ptr<RowWriter>> RowWriter::Create(Store& store, const pack::Ledger& ledger,
                                                     const std::string& town) {
  // 64 rows a statement, fewer for wide ledgers: SQLite allows 32,766 parameters.
  const size_t per_row = ledger.columns.size() + 3;
  const size_t batch = std::max<size_t>(1, std::min<size_t>(64, 30000 / per_row));
  std::unique_ptr<RowWriter> w(new RowWriter(store, ledger, batch, town));
  const Dialect& d = store.dialect();
  std::vector<std::string> columns;
  for (const pack::Column& col : ledger.columns) columns.push_back(d.Quote(col.label));
  if (!town.empty()) columns.push_back(kTownColumn);
  columns.push_back("_import");
  columns.push_back("_row");
  TZ_ASSIGN_OR_RETURN(w->bulk_, store.OpenBulkWriter(d.Quote(LedgerTable(ledger)), columns));
  if (w->bulk_) return w;
  TZ_ASSIGN_OR_RETURN(w->full_, store.Prepare(InsertSql(d, ledger, batch, !town.empty())));
  w->pending_.reserve(batch * per_row);
  return w;
}

Status RowWriter::Write(int64_t import_id, int64_t source_row, std::vector<SqlValue>& values) {
  if (bulk_) {
    const size_t n = values.size();
    if (!town_.empty()) values.push_back(town_);
    values.push_back(import_id);
    values.push_back(source_row);
    Status st = bulk_->Put(values);
    values.resize(n);
    return st;
  }
  for (SqlValue& v : values) pending_.push_back(std::move(v));
  if (!town_.empty()) pending_.push_back(town_);
  pending_.push_back(import_id);
  pending_.push_back(source_row);
  if (++pending_rows_ < batch_rows_) return Status::Ok();
  Status st = full_->Run(pending_);
  pending_.clear();
  pending_rows_ = 0;
  return st;
}

Status RowWriter::Flush() {
  if (bulk_) return bulk_->Finish();
  if (pending_rows_ == 0) return Status::Ok();
  // The tail of an import: one statement of its own size, prepared once.
  TZ_ASSIGN_OR_RETURN(auto tail, store_.Prepare(InsertSql(store_.dialect(), ledger_, pending_rows_,
                                                          !town_.empty())));
  Status st = tail->Run(pending_);
  pending_.clear();
  pending_rows_ = 0;
  return st;
}

Status SetImportRows(Store& store, int64_t import_id, int64_t rows) {
  return store.Execute({"UPDATE _imports SET rows = ? WHERE id = ?", {rows, import_id}});
}

Result<int64_t> DeleteRows(Store& store, const pack::Ledger& ledger, int column,
                           const SqlValue& value, const std::string& town) {
  const Dialect& d = store.dialect();
  SqlStatement stmt{"DELETE FROM " + d.Quote(LedgerTable(ledger)) + " WHERE 1 = 1", {}};
  if (column >= 0) {
    stmt.sql += " AND " + d.Quote(ledger.columns[static_cast<size_t>(column)].label) + " = ?";
    stmt.params.push_back(value);
  }
  if (!town.empty()) {
    stmt.sql += std::string(" AND ") + kTownColumn + " = ?";
    stmt.params.push_back(town);
  }
  // RETURNING counts what went without a dialect-specific "changes()" call.
  stmt.sql += " RETURNING 1";
  int64_t n = 0;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>&) {
    ++n;
    return Status::Ok();
  }));
  return n;
}

Result<std::unique_ptr<KeyDeleter>> KeyDeleter::Create(Store& store, const pack::Ledger& ledger,
                                                       const std::string& town) {
  const Dialect& d = store.dialect();
  const std::string& key = ledger.columns[static_cast<size_t>(ledger.key_column)].label;
  std::string sql = "DELETE FROM " + d.Quote(LedgerTable(ledger)) + " WHERE " + d.Quote(key) + " = ?";
  if (!town.empty()) sql += std::string(" AND ") + kTownColumn + " = ?";
  TZ_ASSIGN_OR_RETURN(auto stmt, store.Prepare(sql));
  return std::unique_ptr<KeyDeleter>(new KeyDeleter(std::move(stmt), town));
}

Status KeyDeleter::Delete(const SqlValue& key) {
  if (town_.empty()) return stmt_->Run({key});
  return stmt_->Run({key, town_});
}

Status ForEachLedgerRow(Store& store, const pack::Ledger& ledger, const SqlStatement& where,
                        const RowCallback& on_row) {
  const Dialect& d = store.dialect();
  SqlStatement stmt;
  stmt.sql = "SELECT ";
  for (size_t i = 0; i < ledger.columns.size(); ++i) {
    if (i) stmt.sql += ", ";
    stmt.sql += d.Quote(ledger.columns[i].label);
  }
  stmt.sql += " FROM " + d.Quote(LedgerTable(ledger));
  if (!where.sql.empty()) stmt.sql += " WHERE " + where.sql;
  stmt.sql += " ORDER BY _id";
  stmt.params = where.params;
  // Streamed: an export of a city's ledger is millions of rows.
  return store.QueryStream(stmt, on_row);
}

Result<std::set<std::string>> DistinctValues(Store& store, const pack::Ledger& ledger, int column,
                                             int except_column, const SqlValue& except_value,
                                             const std::string& town) {
  const Dialect& d = store.dialect();
  std::string col = d.Quote(ledger.columns[static_cast<size_t>(column)].label);
  SqlStatement stmt{"SELECT DISTINCT " + col + " FROM " + d.Quote(LedgerTable(ledger)) +
                        " WHERE " + col + " IS NOT NULL",
                    {}};
  if (except_column >= 0) {
    std::string other = d.Quote(ledger.columns[static_cast<size_t>(except_column)].label);
    stmt.sql += " AND (" + other + " <> ? OR " + other + " IS NULL)";
    stmt.params.push_back(except_value);
  }
  if (!town.empty()) {
    stmt.sql += std::string(" AND ") + kTownColumn + " = ?";
    stmt.params.push_back(town);
  }
  std::set<std::string> out;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>& row) {
    if (const auto* s = std::get_if<std::string>(&row[0]))
      out.insert(*s);
    else if (const auto* n = std::get_if<int64_t>(&row[0]))
      out.insert(std::to_string(*n));
    return Status::Ok();
  }));
  return out;
}

Result<int64_t> CountRows(Store& store, const pack::Ledger& ledger) {
  int64_t n = 0;
  TZ_RETURN_IF_ERROR(
      store.Query({"SELECT COUNT(*) FROM " + store.dialect().Quote(LedgerTable(ledger)), {}},
                  [&](const std::vector<SqlValue>& row) {
                    n = std::get<int64_t>(row[0]);
                    return Status::Ok();
                  }));
  return n;
}

}  // namespace tz::store
