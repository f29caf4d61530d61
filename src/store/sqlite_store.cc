// SQLite implementation of Store (C API).
#include <sqlite3.h>

#include <map>
#include <string>

#include "store/store.h"

namespace tz::store {
namespace {

class SqliteDialect : public Dialect {
 public:
  const char* Name() const override { return "sqlite"; }
  std::string StringAgg(const std::string& expr, const std::string& sep) const override {
    return "group_concat(" + expr + ", " + sep + ")";
  }
  std::string IntToText(const std::string& expr) const override {
    return "CAST(" + expr + " AS TEXT)";
  }
  // INTEGER PRIMARY KEY is the rowid itself (no second index).
  const char* RowIdColumn() const override { return "INTEGER PRIMARY KEY"; }
  const char* IntegerKeyColumn() const override { return "INTEGER PRIMARY KEY"; }
  const char* LockForUpdate() const override { return ""; }
  size_t MaxIdentifierBytes() const override { return 0; }
  std::string LockTableForWrite(const std::string&) const override { return ""; }
  const char* TableExistsQuery() const override {
    return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
  }
};

Status SqliteError(sqlite3* db, std::string_view what) {
  std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
  // A unique key taken meanwhile (two writers checked, both found it free): the user's conflict,
  // not a failure of the system — the same answer as PostgreSQL's 23505 below.
  if (db && (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ||
             sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)) {
    return Status::AlreadyExists("已有相同唯一标识的记录（可能刚由别人录入），请刷新后再试",
                                 std::string(what) + ": " + msg);
  }
  return Status::IoError("数据库操作失败：" + msg, std::string(what) + ": " + msg);
}

// `copy` false binds text in place (SQLITE_STATIC): only for a statement that is stepped, reset
// and cleared while `params` is alive.
Status Bind(sqlite3* db, sqlite3_stmt* stmt, const std::vector<SqlValue>& params,
            bool copy = true) {
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
    return Status::Internal("内部错误：SQL 参数个数不符",
                            "parameter count mismatch: " + std::to_string(params.size()) +
                                " given, " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                                " expected in: " + sqlite3_sql(stmt));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i) + 1;
    int rc;
    if (const auto* n = std::get_if<int64_t>(&params[i])) {
      rc = sqlite3_bind_int64(stmt, idx, *n);
    } else if (const auto* s = std::get_if<std::string>(&params[i])) {
      rc = sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()),
                             copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(stmt, idx);
    }
    if (rc != SQLITE_OK) return SqliteError(db, "bind");
  }
  return Status::Ok();
}

SqlValue Column(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: {
      // Only reachable through hand-edited data; keep it readable rather than fail.
      double d = sqlite3_column_double(stmt, i);
      if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
      return std::to_string(d);
    }
    default: {
      const unsigned char* t = sqlite3_column_text(stmt, i);
      int n = sqlite3_column_bytes(stmt, i);
      return std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(n));
    }
  }
}

class SqlitePrepared : public PreparedStatement {
 public:
  SqlitePrepared(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqlitePrepared() override { sqlite3_finalize(stmt_); }
  // Bulk writes run this 100,000 times: text is bound without copying, and the bindings are
  // cleared before returning so that the statement never points at the caller's strings later.
  Status Run(const std::vector<SqlValue>& params) override {
    Status st = Bind(db_, stmt_, params, /*copy=*/false);
    if (st.ok()) {
      int rc = sqlite3_step(stmt_);
      if (rc != SQLITE_DONE && rc != SQLITE_ROW) st = SqliteError(db_, "step");
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return st;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    sqlite3_close_v2(db_);
  }

  const Dialect& dialect() const override { return dialect_; }

  Status Execute(const SqlStatement& stmt) override {
    return Query(stmt, [](const std::vector<SqlValue>&) { return Status::Ok(); });
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      return Status::IoError("数据库操作失败：" + msg, "exec: " + msg);
    }
    return Status::Ok();
  }

  Status Query(const SqlStatement& stmt, const RowCallback& on_row) override {
    ++query_count_;
    // The statements a server runs on every request (the session, a page and its count) are the
    // same few texts: kept prepared, they skip SQLite's parser and planner. A statement in use (a
    // callback querying the same text again) gets a fresh one that is finalised after.
    CacheEntry* cached = nullptr;
    sqlite3_stmt* s = nullptr;
    auto it = cache_.find(stmt.sql);
    if (it != cache_.end() && !it->second.busy) {
      cached = &it->second;
      s = cached->stmt;
    } else if (sqlite3_prepare_v2(db_, stmt.sql.c_str(), static_cast<int>(stmt.sql.size()), &s,
                                  nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      return SqliteError(db_, "prepare: " + stmt.sql);
    } else if (it == cache_.end() && stmt.sql.size() <= kMaxCachedSql) {
      if (cache_.size() >= kMaxCachedStatements) ClearIdleCache();
      cached = &cache_.emplace(stmt.sql, CacheEntry{s, false}).first->second;
    }
    if (cached) cached->busy = true;
    struct Release {
      sqlite3_stmt* s;
      CacheEntry* cached;
      ~Release() {
        if (!cached) {
          sqlite3_finalize(s);
          return;
        }
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        cached->busy = false;
      }
    } release{s, cached};
    TZ_RETURN_IF_ERROR(Bind(db_, s, stmt.params));
    const int ncol = sqlite3_column_count(s);
    std::vector<SqlValue> row(static_cast<size_t>(ncol));
    while (true) {
      int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) return Status::Ok();
      if (rc != SQLITE_ROW) return SqliteError(db_, "step: " + stmt.sql);
      for (int i = 0; i < ncol; ++i) row[static_cast<size_t>(i)] = Column(s, i);
      TZ_RETURN_IF_ERROR(on_row(row));
    }
  }

  Result<std::unique_ptr<PreparedStatement>> Prepare(std::string_view sql) override {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr) !=
        SQLITE_OK) {
      return SqliteError(db_, "prepare: " + std::string(sql));
    }
    return std::unique_ptr<PreparedStatement>(std::make_unique<SqlitePrepared>(db_, s));
  }

  Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override { return ExecuteScript("ROLLBACK"); }

 private:
  struct CacheEntry {
    sqlite3_stmt* stmt;
    bool busy;
  };
  // Bounds: statements built with a value list of any length (IN (?, ?, …)) are not kept, and a
  // full cache is emptied rather than grown (a connection runs a few dozen distinct texts).
  static constexpr size_t kMaxCachedStatements = 64;
  static constexpr size_t kMaxCachedSql = 8192;

  void ClearIdleCache() {
    for (auto it = cache_.begin(); it != cache_.end();) {
      if (it->second.busy) {
        ++it;
      } else {
        sqlite3_finalize(it->second.stmt);
        it = cache_.erase(it);
      }
    }
  }

  sqlite3* db_;
  SqliteDialect dialect_;
  // std::map: entries keep their address while others are added (a busy entry is referenced).
  std::map<std::string, CacheEntry> cache_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, bool create) {
  // SQLite counts every allocation under a global mutex unless told not to; a bulk import makes
  // millions. It must precede SQLite's initialisation, hence once, at the first open (the CLI and
  // the server open their database before any other thread touches SQLite). Should SQLite be
  // initialised already, the call changes nothing (SQLITE_MISUSE) and only speed is lost.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3* db = nullptr;
  // NOMUTEX: a Store is used by one thread at a time (the server leases each connection to one
  // request; an import's reading thread never touches the Store), so the per-call connection
  // mutex Debian's serialized build takes is pure cost — about a quarter of a small query.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    if (!create && rc == SQLITE_CANTOPEN) {
      return Status::NotFound("数据库不存在：" + path + "（请先运行 taizhang init）",
                              "cannot open database " + path + ": " + msg);
    }
    return Status::IoError("无法打开数据库 " + path + "：" + msg,
                           "cannot open database " + path + ": " + msg);
  }
  auto store = std::make_unique<SqliteStore>(db);
  sqlite3_busy_timeout(db, 5000);
  // WAL: readers (the web app) don't block the writer (an import). NORMAL sync is durable in WAL
  // mode except for the last transactions on power loss, which an office PC on a UPS-less desk
  // accepts; imports are re-runnable. A 32 MB page cache (default 2 MB) keeps a 100,000-row
  // import's pages in memory until commit instead of spilling them to the WAL mid-transaction
  // and reading them back: half the import time. temp_store=MEMORY keeps the statement journal
  // of multi-row INSERTs (RowWriter) in memory instead of a temp file written page by page.
  Status pragmas = store->ExecuteScript(
      // secure_delete: deleted records and ended sessions are overwritten, not left in free
      // pages of the file (MLPS 剩余信息保护).
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
      "PRAGMA secure_delete=ON; "
      "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;");
  if (!pragmas.ok()) {
    if (sqlite3_errcode(db) == SQLITE_NOTADB) {
      return Status::InvalidArgument("“" + path + "”不是数据库文件（请检查 --db 参数）",
                                     path + " is not an SQLite database");
    }
    return pragmas;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tz::store
