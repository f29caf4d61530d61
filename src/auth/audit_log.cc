#include "auth/audit_log.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "io/csv_reader.h"
#include "store/ledger_tables.h"

namespace tz::auth {
namespace {

using store::SqlValue;

// seq is assigned by Append, never by the database, so that it is part of the hashed bytes and
// a gap means a deleted entry; the dialect gives the key's type (BIGINT on PostgreSQL).
std::string CreateTablesSql(const store::Dialect& d) {
  const std::string key = d.IntegerKeyColumn();
  return "CREATE TABLE IF NOT EXISTS _audit (seq " + key + ", at TEXT NOT NULL, "
         "actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, "
         "prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
         "CREATE TABLE IF NOT EXISTS _audit_head (id " + key + ", seq BIGINT NOT NULL, "
         "hash TEXT NOT NULL);";
}

constexpr char kColumns[] = "seq, at, actor, action, target, detail, prev_hash, hash";

// Stops a Query early once Verify has found its problem; never leaves this file.
constexpr char kStopQuery[] = "audit verify: stop";

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xF];
  }
  return out;
}

void AppendField(std::string* out, std::string_view field) {
  *out += std::to_string(field.size());
  *out += ':';
  out->append(field);
  *out += ',';
}

// A stored column as text; nullopt for NULL or a non-text value (only tampering produces those).
std::optional<std::string> Text(const SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

// Values for export: whatever is stored, NULL as empty.
std::string AnyText(const SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return "";
}

// Excel runs a cell starting with = + - @ (or tab/CR) as a formula; a leading ' keeps it text.
// Unlike the ledger export, a value that already starts with ' gets one too, so that "strip one
// leading '" gives back the stored value exactly and the hash can be recomputed from the CSV.
std::string CsvGuard(std::string text) {
  if (!text.empty() && std::string_view("=+-@\t\r'").find(text[0]) != std::string_view::npos) {
    text.insert(0, "'");
  }
  return text;
}

std::string Seq(int64_t n) { return std::to_string(n); }

}  // namespace

std::string AuditLog::UtcNow() { return store::UtcTimestamp(); }

std::string AuditLog::CanonicalBytes(const StoredAuditEntry& e) {
  std::string out;
  AppendField(&out, "tz-audit-v1");
  AppendField(&out, std::to_string(e.seq));
  AppendField(&out, e.at);
  AppendField(&out, e.actor);
  AppendField(&out, e.action);
  AppendField(&out, e.target);
  AppendField(&out, e.detail);
  AppendField(&out, e.prev_hash);
  return out;
}

std::string AuditLog::EntryHash(const StoredAuditEntry& e) {
  std::string bytes = CanonicalBytes(e);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  // EVP_Digest only fails on allocation failure; an empty hash then can never verify.
  if (EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) != 1) return "";
  return Hex(md, n);
}

Status AuditLog::EnsureTables() {
  // A lookup, not DDL, on every append but the first ones of a database. _audit_head is made
  // after _audit, in the same script.
  TZ_ASSIGN_OR_RETURN(bool ready, store::TableExists(store_, "_audit_head"));
  if (ready) return Status::Ok();
  // Made inside a savepoint: on PostgreSQL, when two transactions create the same table at once,
  // the second fails (a duplicate in the system catalog) as soon as the first commits, and that
  // would abort the caller's whole transaction. Back at the savepoint, the tables are there.
  TZ_RETURN_IF_ERROR(store_.ExecuteScript("SAVEPOINT tz_audit_tables"));
  Status created = store_.ExecuteScript(CreateTablesSql(store_.dialect()));
  if (created.ok()) return store_.ExecuteScript("RELEASE SAVEPOINT tz_audit_tables");
  TZ_RETURN_IF_ERROR(store_.ExecuteScript(
      "ROLLBACK TO SAVEPOINT tz_audit_tables; RELEASE SAVEPOINT tz_audit_tables"));
  TZ_ASSIGN_OR_RETURN(bool log, store::TableExists(store_, "_audit"));
  TZ_ASSIGN_OR_RETURN(ready, store::TableExists(store_, "_audit_head"));
  return log && ready ? Status::Ok() : created;
}

Status AuditLog::Append(const AuditEntry& entry) {
  if (entry.actor.empty() || entry.action.empty()) {
    return Status::InvalidArgument("审计记录缺少操作人或操作", "audit entry without actor/action");
  }
  for (const std::string* f : {&entry.actor, &entry.action, &entry.target, &entry.detail}) {
    if (!IsValidUtf8(*f)) {
      return Status::InvalidArgument("审计记录含有无效的 UTF-8 文字", "audit entry not UTF-8");
    }
    // PostgreSQL text cannot hold NUL: refused on both stores, not kept by SQLite alone.
    if (f->find('\0') != std::string::npos) {
      return Status::InvalidArgument("审计记录含有空字符（\\0）", "audit entry with a NUL");
    }
  }
  if (!entry.detail.empty() && !nlohmann::json::accept(entry.detail)) {
    return Status::InvalidArgument("审计记录的详情不是 JSON", "audit detail is not JSON");
  }
  TZ_RETURN_IF_ERROR(EnsureTables());

  // The head, not the last row, is the tip: if the tail was deleted, the next entry then leaves a
  // gap that Verify reports, instead of silently re-growing the chain over the deletion.
  bool have_head = false;
  int64_t last_seq = 0;
  std::string last_hash(kGenesisHash);
  auto take = [&](const std::vector<SqlValue>& row) {
    // Only tampering stores a non-integer seq; refuse to chain onto it (Verify names the damage).
    const int64_t* seq = std::get_if<int64_t>(&row[0]);
    if (!seq) {
      return Status::Corruption("审计日志已损坏，无法追加记录（请运行 taizhang audit verify）",
                                "audit tip seq is not an integer");
    }
    last_seq = *seq;
    last_hash = AnyText(row[1]);
    return Status::Ok();
  };
  // The head row is read with a lock (PostgreSQL): several server processes append to one log,
  // and two that read the same head would both write seq + 1.
  const std::string lock = store_.dialect().LockForUpdate();
  auto read_head = [&] {
    return store_.Query({"SELECT seq, hash FROM _audit_head WHERE id = 1" + lock, {}},
                        [&](const std::vector<SqlValue>& row) {
                          have_head = true;
                          return take(row);
                        });
  };
  TZ_RETURN_IF_ERROR(read_head());
  if (!have_head) {
    // A new log, or one whose head row was deleted: continue from the last entry.
    TZ_RETURN_IF_ERROR(
        store_.Query({"SELECT seq, hash FROM _audit ORDER BY seq DESC LIMIT 1" + lock, {}}, take));
    // There is no row to lock yet, so two first appends (PostgreSQL) could both get here: the
    // head is inserted first, and the second insert waits for the first transaction's commit and
    // then inserts nothing. Read again, locked, the head is the first appender's last entry.
    TZ_RETURN_IF_ERROR(store_.Execute(
        {"INSERT INTO _audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
         {last_seq, last_hash}}));
    TZ_RETURN_IF_ERROR(read_head());
    if (!have_head) return Status::Internal("无法写入审计日志", "audit head row not readable");
  }

  StoredAuditEntry e{last_seq + 1, clock_(),     entry.actor, entry.action,
                     entry.target, entry.detail, last_hash,   ""};
  e.hash = EntryHash(e);
  if (e.hash.empty()) return Status::Internal("无法计算审计记录的摘要", "SHA-256 failed");
  TZ_RETURN_IF_ERROR(store_.Execute(
      {std::string("INSERT INTO _audit (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
       {e.seq, e.at, e.actor, e.action, e.target, e.detail, e.prev_hash, e.hash}}));
  return store_.Execute({"UPDATE _audit_head SET seq = ?, hash = ? WHERE id = 1", {e.seq, e.hash}});
}

Status AuditLog::AppendCommitted(const AuditEntry& entry) {
  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_RETURN_IF_ERROR(Append(entry));
  return tx.Commit();
}

Result<VerifyReport> AuditLog::Verify() {
  VerifyReport report;
  TZ_ASSIGN_OR_RETURN(bool have_log, store::TableExists(store_, "_audit"));
  TZ_ASSIGN_OR_RETURN(bool have_head_table, store::TableExists(store_, "_audit_head"));

  auto fail = [&](VerifyReport::Problem p, int64_t seq, std::string message, std::string log) {
    report.problem = p;
    report.seq = seq;
    report.message = std::move(message);
    report.log = std::move(log);
  };
  const std::string n_of = "审计日志第 ";

  int64_t prev_seq = 0;
  std::string prev_hash(kGenesisHash);
  std::optional<int64_t> head_seq;
  std::string head_hash;

  // Entries (kind 0) in seq order, then the head row (kind 1), in one statement so that an append
  // committing meanwhile cannot make the head and the chain disagree.
  std::string sql;
  if (have_log) sql = std::string("SELECT 0, ") + kColumns + " FROM _audit";
  if (have_head_table) {
    if (!sql.empty()) sql += " UNION ALL ";
    sql += "SELECT 1, seq, NULL, NULL, NULL, NULL, NULL, NULL, hash FROM _audit_head WHERE id = 1";
  }
  if (!sql.empty()) {
    sql += " ORDER BY 1, 2";
    // Streamed: a district's log grows by millions of entries.
    Status st = store_.QueryStream({sql, {}}, [&](const std::vector<SqlValue>& row) -> Status {
      const int64_t* seq = std::get_if<int64_t>(&row[1]);
      if (std::get<int64_t>(row[0]) == 1) {
        head_seq = seq ? *seq : -1;
        head_hash = AnyText(row[8]);
        return Status::Ok();
      }
      if (!seq) {
        fail(VerifyReport::Problem::kAltered, prev_seq + 1, n_of + Seq(prev_seq + 1) + " 条被改动",
             "entry after " + Seq(prev_seq) + " has a non-integer seq");
        return Status::Internal(kStopQuery);
      }
      const int64_t expected = prev_seq + 1;
      if (*seq != expected) {
        // seq is the primary key and rows come in order, so *seq < expected means seq ≤ 0.
        std::string follows = prev_seq == 0 ? "开头" : "第 " + Seq(prev_seq) + " 条之后";
        fail(VerifyReport::Problem::kMissing, expected,
             "审计日志缺少第 " + Seq(expected) + " 条（" + follows + "是第 " + Seq(*seq) + " 条）",
             "entry " + Seq(expected) + " missing: entry " + Seq(prev_seq) +
                 " is followed by entry " + Seq(*seq));
        return Status::Internal(kStopQuery);
      }
      StoredAuditEntry e;
      e.seq = *seq;
      std::optional<std::string> fields[7];
      for (int i = 0; i < 7; ++i) fields[i] = Text(row[static_cast<size_t>(i) + 2]);
      bool all_text = true;
      for (const auto& f : fields) all_text = all_text && f.has_value();
      if (all_text) {
        e.at = *fields[0];
        e.actor = *fields[1];
        e.action = *fields[2];
        e.target = *fields[3];
        e.detail = *fields[4];
        e.prev_hash = *fields[5];
        e.hash = *fields[6];
      }
      if (!all_text || EntryHash(e) != e.hash) {
        fail(VerifyReport::Problem::kAltered, e.seq, n_of + Seq(e.seq) + " 条被改动",
             "entry " + Seq(e.seq) + " altered: its hash does not match its fields");
        return Status::Internal(kStopQuery);
      }
      if (e.prev_hash != prev_hash) {
        // The entry itself is consistent, so the one before it was rewritten with a new hash.
        if (e.seq == 1) {
          fail(VerifyReport::Problem::kBrokenLink, 1,
               n_of + "1 条不是日志的开头（前一摘要应为全零）",
               "entry 1 does not start the chain: prev_hash is not 64 zeros");
        } else {
          fail(VerifyReport::Problem::kBrokenLink, e.seq,
               n_of + Seq(e.seq) + " 条与第 " + Seq(e.seq - 1) + " 条接不上（第 " + Seq(e.seq - 1) +
                   " 条被改动后重算过摘要）",
               "entry " + Seq(e.seq) + " does not follow " + Seq(e.seq - 1) +
                   ": its prev_hash is not entry " + Seq(e.seq - 1) + "'s hash");
        }
        return Status::Internal(kStopQuery);
      }
      prev_seq = e.seq;
      prev_hash = e.hash;
      ++report.checked;
      return Status::Ok();
    });
    if (!report.ok()) return report;
    TZ_RETURN_IF_ERROR(st);
  }

  // The chain alone cannot show a deleted tail; the head row, written with every entry, can.
  if (!head_seq) {
    if (report.checked > 0) {
      fail(VerifyReport::Problem::kHeadMissing, 0,
           "审计日志的末条标记（_audit_head）缺失，无法确认末尾记录没有被删除",
           "_audit_head row missing while " + Seq(report.checked) + " entries exist");
    }
  } else if (*head_seq > prev_seq) {
    fail(VerifyReport::Problem::kMissing, prev_seq + 1,
         "审计日志缺少第 " + Seq(prev_seq + 1) + " 条（末尾记录被删除：应有 " + Seq(*head_seq) +
             " 条，只剩 " + Seq(prev_seq) + " 条）",
         "entry " + Seq(prev_seq + 1) + " missing: the log ends at " + Seq(prev_seq) +
             " but its head records " + Seq(*head_seq));
  } else if (*head_seq < prev_seq) {
    fail(VerifyReport::Problem::kBeyondHead, *head_seq + 1,
         n_of + Seq(*head_seq + 1) + " 条不是由系统写入的（在末条标记第 " + Seq(*head_seq) +
             " 条之后）",
         "entry " + Seq(*head_seq + 1) + " is beyond the head (seq " + Seq(*head_seq) + ")");
  } else if (prev_seq > 0 && head_hash != prev_hash) {
    fail(VerifyReport::Problem::kAltered, prev_seq, n_of + Seq(prev_seq) + " 条被改动",
         "entry " + Seq(prev_seq) + " altered: its hash differs from the head's");
  }
  return report;
}

Result<std::vector<StoredAuditEntry>> AuditLog::Page(const PageQuery& query, int64_t* total) {
  std::vector<StoredAuditEntry> out;
  *total = 0;
  TZ_ASSIGN_OR_RETURN(bool have_log, store::TableExists(store_, "_audit"));
  if (!have_log) return out;
  // Append stores only UTF-8 without NUL: other text matches no entry, and is not sent to
  // PostgreSQL, which would refuse it with an error where SQLite finds nothing.
  for (const std::string* f : {&query.actor, &query.action}) {
    if (!IsValidUtf8(*f) || f->find('\0') != std::string::npos) return out;
  }
  std::string where = " WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (!query.actor.empty()) {
    where += " AND actor = ?";
    params.push_back(query.actor);
  }
  if (!query.action.empty()) {
    where += " AND action = ?";
    params.push_back(query.action);
  }
  TZ_RETURN_IF_ERROR(store_.Query({"SELECT COUNT(*) FROM _audit" + where, params},
                                  [&](const std::vector<SqlValue>& row) {
                                    if (const auto* n = std::get_if<int64_t>(&row[0])) *total = *n;
                                    return Status::Ok();
                                  }));
  params.push_back(query.limit);
  params.push_back(query.offset);
  TZ_RETURN_IF_ERROR(store_.Query(
      {std::string("SELECT ") + kColumns + " FROM _audit" + where +
           " ORDER BY seq DESC LIMIT ? OFFSET ?",
       params},
      [&](const std::vector<SqlValue>& row) {
        StoredAuditEntry e;
        if (const auto* seq = std::get_if<int64_t>(&row[0])) e.seq = *seq;
        e.at = AnyText(row[1]);
        e.actor = AnyText(row[2]);
        e.action = AnyText(row[3]);
        e.target = AnyText(row[4]);
        e.detail = AnyText(row[5]);
        e.prev_hash = AnyText(row[6]);
        e.hash = AnyText(row[7]);
        out.push_back(std::move(e));
        return Status::Ok();
      }));
  return out;
}

Result<int64_t> AuditLog::Export(std::ostream& out, AuditExportFormat format) {
  TZ_ASSIGN_OR_RETURN(bool have_log, store::TableExists(store_, "_audit"));
  static const char* kNames[] = {"seq",    "at",     "actor",     "action",
                                 "target", "detail", "prev_hash", "hash"};
  if (format == AuditExportFormat::kCsv) {
    out << "\xEF\xBB\xBF";  // BOM: Excel then reads the file as UTF-8
    out << Join(std::vector<std::string>(std::begin(kNames), std::end(kNames)), ",") << "\r\n";
  }
  int64_t rows = 0;
  if (have_log) {
    TZ_RETURN_IF_ERROR(store_.QueryStream(
        {std::string("SELECT ") + kColumns + " FROM _audit ORDER BY seq", {}},
        [&](const std::vector<SqlValue>& row) {
          if (format == AuditExportFormat::kCsv) {
            std::vector<std::string> cells{AnyText(row[0])};
            for (size_t i = 1; i < row.size(); ++i) {
              cells.push_back(io::CsvEscape(CsvGuard(AnyText(row[i]))));
            }
            out << Join(cells, ",") << "\r\n";
          } else {
            nlohmann::ordered_json line;
            const int64_t* seq = std::get_if<int64_t>(&row[0]);
            line["seq"] = seq ? nlohmann::ordered_json(*seq) : nlohmann::ordered_json(nullptr);
            for (size_t i = 1; i < row.size(); ++i) line[kNames[i]] = AnyText(row[i]);
            // Append keeps fields UTF-8; `replace` only matters for a row tampered with outside.
            out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
          }
          ++rows;
          return out ? Status::Ok() : Status::IoError("写入审计日志导出失败", "write failed");
        }));
  }
  if (!out) return Status::IoError("写入审计日志导出失败", "write failed");
  return rows;
}

}  // namespace tz::auth
