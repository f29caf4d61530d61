// The Store: where ledger rows live. One interface, a SQLite implementation (a township on a PC)
// and a PostgreSQL one (a district or city). Everything dialect-specific is in Dialect; callers
// build SQL with `?` placeholders and bind every value as a parameter, never splicing it in (the
// PostgreSQL store numbers them $1, $2, … itself).
#ifndef TAIZHANG_STORE_STORE_H_
#define TAIZHANG_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"

namespace tz::store {

// A SQL value: NULL, INTEGER (ints, bools, fixed-point decimals as scaled integers) or TEXT
// (text, dates as YYYY-MM-DD, months as YYYY-MM). Ledger data never needs floating point.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

inline bool IsNull(const SqlValue& v) { return std::holds_alternative<std::monostate>(v); }
std::string SqlValueToString(const SqlValue& v);  // for explain output: NULL, 12, '院前村'

// SQL text with `?` placeholders and the values for them, in order.
struct SqlStatement {
  std::string sql;
  std::vector<SqlValue> params;
};

// The few places SQLite and PostgreSQL differ.
class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual const char* Name() const = 0;
  // "l_dibao" → "\"l_dibao\"" (with embedded quotes doubled).
  std::string Quote(std::string_view identifier) const;
  // String aggregation: group_concat(x, sep) / string_agg(x, sep).
  virtual std::string StringAgg(const std::string& expr, const std::string& sep_expr) const = 0;
  // An integer cast to text, for concatenation.
  virtual std::string IntToText(const std::string& expr) const = 0;
  // The row id column definition: a key the database assigns on insert.
  virtual const char* RowIdColumn() const = 0;
  // An integer primary key whose values the caller gives (the audit log's sequence numbers).
  virtual const char* IntegerKeyColumn() const = 0;
  // Appended to a SELECT that reads a row it will update in the same transaction, so that two
  // processes cannot both read it first (" FOR UPDATE"); SQLite's write transaction already
  // excludes every other writer ("").
  virtual const char* LockForUpdate() const = 0;
  // The longest identifier (table or column name) in bytes the database keeps whole, or 0 for
  // no limit: PostgreSQL cuts names at 63 bytes, which would merge two long column labels.
  virtual size_t MaxIdentifierBytes() const = 0;
  // A statement that makes the current transaction the only writer of `table` (quoted) until it
  // ends, while readers go on: an import checks keys, then writes, and a second import must not
  // slip in between. Empty for SQLite, whose write transaction (BEGIN IMMEDIATE) is that already.
  virtual std::string LockTableForWrite(const std::string& table) const = 0;
  // A query with one `?` (a table name) that returns a row when the table exists.
  virtual const char* TableExistsQuery() const = 0;
};

using RowCallback = std::function<Status(const std::vector<SqlValue>& row)>;

// A statement prepared once and run many times (bulk inserts).
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  virtual Status Run(const std::vector<SqlValue>& params) = 0;
};

// Rows written in bulk into one table (an import): PostgreSQL's COPY. Rows are sent in chunks,
// each a complete statement, so the connection stays usable for queries between Put calls; rows
// reach the table at the latest on Finish(), which must precede the transaction's commit.
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  // One value per column given to Store::OpenBulkWriter, in that order.
  virtual Status Put(const std::vector<SqlValue>& row) = 0;
  virtual Status Finish() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual const Dialect& dialect() const = 0;

  virtual Status Execute(const SqlStatement& stmt) = 0;
  // Several statements without parameters (DDL).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // Runs a query and calls on_row for each row; a non-OK Status from on_row stops and is returned.
  virtual Status Query(const SqlStatement& stmt, const RowCallback& on_row) = 0;
  // The same for a result that may be large (a whole ledger for an export, the whole audit log):
  // rows arrive in batches, so memory stays bounded whatever the table's size. `on_row` may run
  // queries but must not write (on PostgreSQL the rows come from a cursor inside a read
  // transaction opened for it when none is open). SQLite steps rows one by one in Query already.
  virtual Status QueryStream(const SqlStatement& stmt, const RowCallback& on_row) {
    return Query(stmt, on_row);
  }
  virtual Result<std::unique_ptr<PreparedStatement>> Prepare(std::string_view sql) = 0;
  // A bulk writer into `table` (quoted already) for `columns` (quoted already), or nullptr when
  // the store has none and multi-row INSERTs are the fastest way in (SQLite).
  virtual Result<std::unique_ptr<BulkWriter>> OpenBulkWriter(
      const std::string& table, const std::vector<std::string>& columns) {
    return std::unique_ptr<BulkWriter>();
  }

  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // Number of statements executed so far through Execute and Query (prepared runs are not
  // counted): the
  // figure engine reports it so tests can check "one statement per ledger".
  int64_t query_count() const { return query_count_; }

 protected:
  int64_t query_count_ = 0;
};

// Opens (create=true: creates if missing) a SQLite database in WAL mode.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, bool create);

// Connects to a PostgreSQL database given as a libpq URL (postgresql://user@host:port/db?…).
// The database must exist; taizhang creates its tables in the connection's current schema.
Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url);

// Where a database is: "postgresql://…" or "postgres://…" is a PostgreSQL server, anything else
// a SQLite file.
bool IsPostgresLocation(std::string_view location);
// The location for messages and logs: a PostgreSQL URL's password replaced by "***".
std::string DisplayLocation(std::string_view location);
// Opens either kind (`create` applies to SQLite files only).
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, bool create);

// Rolls back on scope exit unless Commit() was called: an import is one transaction, and an error
// anywhere writes nothing.
class Transaction {
 public:
  explicit Transaction(Store& store) : store_(store) {}
  ~Transaction() {
    if (active_) (void)store_.Rollback();
  }
  Status Begin() {
    TZ_RETURN_IF_ERROR(store_.Begin());
    active_ = true;
    return Status::Ok();
  }
  Status Commit() {
    TZ_RETURN_IF_ERROR(store_.Commit());  // on failure the destructor still rolls back
    active_ = false;
    return Status::Ok();
  }
  Status Rollback() {
    if (!active_) return Status::Ok();
    active_ = false;
    return store_.Rollback();
  }

 private:
  Store& store_;
  bool active_ = false;
};

}  // namespace tz::store

#endif  // TAIZHANG_STORE_STORE_H_
