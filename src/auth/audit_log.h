// The tamper-evident audit log (issue 5, item 4): an append-only table `_audit` in which every
// entry carries the SHA-256 of the one before it, plus a one-row `_audit_head` naming the latest
// entry so that deleting the tail is detectable too. docs/audit.md gives the table, the exact bytes
// that are hashed, and what Verify can and cannot detect.
//
#ifndef TAIZHANG_AUTH_AUDIT_LOG_H_
#define TAIZHANG_AUTH_AUDIT_LOG_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/store.h"

namespace tz::auth {

// The actions issue 5 names. Append accepts any non-empty action; these keep callers consistent.
namespace audit_action {
inline constexpr char kLogin[] = "login";
inline constexpr char kLoginFailed[] = "login_failed";
inline constexpr char kLockout[] = "lockout";
inline constexpr char kLogout[] = "logout";
inline constexpr char kDenied[] = "denied";
inline constexpr char kRecordCreate[] = "record_create";
inline constexpr char kRecordUpdate[] = "record_update";
inline constexpr char kRecordDelete[] = "record_delete";
inline constexpr char kImport[] = "import";
inline constexpr char kExport[] = "export";
inline constexpr char kUnmask[] = "unmask";
inline constexpr char kReportDownload[] = "report_download";
inline constexpr char kUserChange[] = "user_change";
inline constexpr char kSettingsChange[] = "settings_change";
}  // namespace audit_action

// What a caller records. The sequence number, timestamp and hashes are the log's to assign.
struct AuditEntry {
  std::string actor;   // the user name, or e.g. "local-admin" for the command line
  std::string action;  // one of audit_action, or another short word
  std::string target;  // what was acted on: "l_dibao/42", a file name, a user name; may be empty
  std::string detail;  // JSON text (masked before/after values, counts); may be empty
};

// An entry as stored: what Export writes and Verify checks.
struct StoredAuditEntry {
  int64_t seq = 0;
  std::string at;  // UTC, "2024-05-01T08:30:00Z"
  std::string actor, action, target, detail;
  std::string prev_hash;  // 64 hex digits; 64 zeros for entry 1
  std::string hash;       // 64 lowercase hex digits
};

// The outcome of Verify: either intact, or the first problem found in seq order.
struct VerifyReport {
  enum class Problem {
    kNone,
    kAltered,      // entry `seq`'s stored hash is not the hash of its fields (or the head's)
    kMissing,      // entry `seq` is gone: a gap in the middle, or the tail before the head
    kBrokenLink,   // entry `seq`'s prev_hash is not entry seq-1's hash (seq-1 was rewritten)
    kHeadMissing,  // entries exist but `_audit_head` does not: a deleted tail is undetectable
    kBeyondHead,   // entry `seq` is past the head's seq: not appended through AuditLog
  };
  int64_t checked = 0;  // entries whose hash and link were verified before the first problem
  Problem problem = Problem::kNone;
  int64_t seq = 0;      // the entry the problem names (0 for kNone and kHeadMissing)
  std::string message;  // for people (Chinese): "第 3 条审计记录被改动"
  std::string log;      // for logs (English): "entry 3 altered: …"

  bool ok() const { return problem == Problem::kNone; }
};

enum class AuditExportFormat { kCsv, kJsonLines };

class AuditLog {
 public:
  // Returns the current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC). Replaceable for tests.
  using Clock = std::function<std::string()>;
  static std::string UtcNow();

  explicit AuditLog(store::Store& store, Clock clock = &AuditLog::UtcNow)
      : store_(store), clock_(std::move(clock)) {}

  // Appends one entry. Call it inside the transaction of the action it records (Transaction::Begin
  // on the same Store): the entry then commits or rolls back with the action, and an error here
  // must make the caller roll back — "if an audit entry cannot be written, the action fails".
  //
  // Concurrency: Append reads the head (latest seq and hash) and writes the next entry. On SQLite
  // the caller's transaction is BEGIN IMMEDIATE, which takes the database's write lock before that
  // read, so concurrent appenders (other connections, other processes) are serialised and cannot
  // fork the chain. On PostgreSQL the head row is read with SELECT … FOR UPDATE in the same
  // transaction, which serialises appenders the same way; the very first appends of a log, with
  // no head row to lock yet, are serialised by inserting the head row first (ON CONFLICT DO
  // NOTHING), and concurrent creation of the tables is recovered from through a savepoint.
  //
  // Creates the tables if missing (in a savepoint, which PostgreSQL allows only inside a
  // transaction). InvalidArgument for an empty actor or action, a field that is not UTF-8, or a
  // detail that is not JSON.
  Status Append(const AuditEntry& entry);

  // Append in a transaction of its own, for events with nothing else to write (a failed login).
  Status AppendCommitted(const AuditEntry& entry);

  // Walks the whole log in seq order (one SELECT, hence one consistent snapshot), recomputing
  // every hash and link, and reports the first problem. A database with no audit tables has an
  // empty, intact log. An error Status only when the database cannot be read.
  Result<VerifyReport> Verify();

  // Writes every entry, every column (hashes included) so the chain can be re-verified outside:
  // CSV (UTF-8 with BOM, CRLF, header row; text cells starting with = + - @ tab CR or ' get a
  // leading ' so Excel cannot run them — strip one leading ' to get the stored value back) or JSON
  // lines (one object per entry, exact values). Returns the number of entries written.
  Result<int64_t> Export(std::ostream& out, AuditExportFormat format);

  // A page of entries, newest first, optionally only those of one actor or action (the audit page
  // of the web app). `total` receives the number of matching entries. Reads no hashes' validity:
  // Verify does that.
  struct PageQuery {
    int64_t offset = 0;
    int64_t limit = 50;
    std::string actor;   // exact; empty: any
    std::string action;  // exact; empty: any
  };
  Result<std::vector<StoredAuditEntry>> Page(const PageQuery& query, int64_t* total);

  // The hash of an entry: lowercase hex SHA-256 of CanonicalBytes. Public for tests and docs.
  static std::string EntryHash(const StoredAuditEntry& e);
  // "tz-audit-v1" then seq (decimal), at, actor, action, target, detail, prev_hash, each written
  // as <decimal byte length> ':' <bytes> ',' — so no bytes can move from one field to the next
  // without changing the encoding.
  static std::string CanonicalBytes(const StoredAuditEntry& e);

  static constexpr std::string_view kGenesisHash =
      "0000000000000000000000000000000000000000000000000000000000000000";

 private:
  Status EnsureTables();

  store::Store& store_;
  Clock clock_;
};

}  // namespace tz::auth

#endif  // TAIZHANG_AUTH_AUDIT_LOG_H_
