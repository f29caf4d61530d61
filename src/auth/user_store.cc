#include "auth/user_store.h"

#include <openssl/evp.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "base/strings.h"
#include "store/ledger_tables.h"

namespace tz::auth {
namespace {

using store::SqlValue;
using Json = nlohmann::ordered_json;  // keys in the order written: readable audit details

constexpr char kExpiredMessage[] = "登录已过期，请重新登录";
constexpr size_t kMaxDisplayNameBytes = 64;
constexpr size_t kMaxActorBytes = 64;

// Columns of _users as User plus the hash, in the order UserFromRow reads them.
constexpr const char* kUserColumns[] = {
    "id",          "name",          "display_name", "role",       "unit",         "disabled",
    "must_change", "failed_logins", "locked_until", "created_at", "password_hash"};

// Portable DDL: BIGINT and TEXT only (timestamps are Unix seconds); the row id column comes from
// the dialect.
std::string CreateTablesSql(const store::Dialect& dialect) {
  return std::string("CREATE TABLE IF NOT EXISTS _users (id ") + dialect.RowIdColumn() +
         ", name TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL, "
         "unit TEXT NOT NULL, password_hash TEXT NOT NULL, must_change BIGINT NOT NULL, "
         "disabled BIGINT NOT NULL, failed_logins BIGINT NOT NULL, "
         "locked_until BIGINT NOT NULL, created_at BIGINT NOT NULL, "
         "updated_at BIGINT NOT NULL);"
         "CREATE TABLE IF NOT EXISTS _sessions (token_hash TEXT PRIMARY KEY, "
         "user_id BIGINT NOT NULL REFERENCES _users (id), csrf TEXT NOT NULL, "
         "created_at BIGINT NOT NULL, last_seen BIGINT NOT NULL, remote TEXT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS _sessions_user ON _sessions (user_id);";
}

// A user row with what User does not carry.
struct StoredUser {
  User user;
  std::string password_hash;
};

int64_t Int(const SqlValue& v) {
  const int64_t* i = std::get_if<int64_t>(&v);
  return i ? *i : 0;
}

std::string Text(const SqlValue& v) {
  const std::string* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}

std::string UserColumns(std::string_view prefix) {
  std::string out;
  for (const char* c : kUserColumns) {
    if (!out.empty()) out += ", ";
    out.append(prefix).append(c);
  }
  return out;
}

StoredUser UserFromRow(const std::vector<SqlValue>& row, size_t at) {
  StoredUser s;
  User& u = s.user;
  u.id = Int(row[at]);
  u.name = Text(row[at + 1]);
  u.display_name = Text(row[at + 2]);
  u.role = Text(row[at + 3]);
  u.unit = Text(row[at + 4]);
  u.disabled = Int(row[at + 5]) != 0;
  u.must_change_password = Int(row[at + 6]) != 0;
  u.failed_logins = static_cast<int>(Int(row[at + 7]));
  u.locked_until = Int(row[at + 8]);
  u.created_at = Int(row[at + 9]);
  s.password_hash = Text(row[at + 10]);
  return s;
}

// UTF-8 without NUL: what PostgreSQL text can hold (refused on both stores alike).
bool IsStorableText(std::string_view s) {
  return IsValidUtf8(s) && s.find('\0') == std::string_view::npos;
}

// Whether FindUser reads the row to change it in the same transaction: it is then locked
// (PostgreSQL's FOR UPDATE; SQLite's BEGIN IMMEDIATE has already excluded other writers), so that
// of two wrong passwords at once only one is counted as the failure that locks the account.
enum class Lock { kNo, kForUpdate };

// `column` is one of ours ("name", "id"), never input. A name that is not UTF-8 or holds a NUL
// is found nowhere, without asking the database: a login name is whatever was typed, and
// PostgreSQL refuses such text with an error where SQLite finds nothing.
Result<std::optional<StoredUser>> FindUser(store::Store& store, const char* column, SqlValue key,
                                           Lock lock = Lock::kNo) {
  std::optional<StoredUser> found;
  if (const auto* name = std::get_if<std::string>(&key); name && !IsStorableText(*name)) {
    return found;
  }
  std::string sql = "SELECT " + UserColumns("") + " FROM _users WHERE " + column + " = ?";
  if (lock == Lock::kForUpdate) sql += store.dialect().LockForUpdate();
  TZ_RETURN_IF_ERROR(store.Query({sql, {std::move(key)}}, [&](const std::vector<SqlValue>& row) {
    found = UserFromRow(row, 0);
    return Status::Ok();
  }));
  return found;
}

Result<int64_t> Count(store::Store& store, const store::SqlStatement& stmt) {
  int64_t n = 0;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>& row) {
    n = Int(row[0]);
    return Status::Ok();
  }));
  return n;
}

// Typed text made safe for the audit log and for messages: invalid UTF-8 becomes U+FFFD and the
// result is cut, on a character boundary, to `max_bytes` (a guesser can type anything).
std::string Sanitize(std::string_view s, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    std::string ch;
    uint32_t cp = 0;
    if (!DecodeUtf8(s, &i, &cp)) {
      cp = 0xFFFD;
      ++i;
    }
    AppendUtf8(cp, &ch);
    if (out.size() + ch.size() > max_bytes) break;
    out += ch;
  }
  return out;
}

std::string NormalName(std::string_view name) { return AsciiLower(name); }

bool IsValidName(std::string_view name);

// A name typed at login that matches no account, as the audit log keeps it: as typed when it
// could be a login name (an auditor wants to see "admin" being guessed), else masked to its first
// character — a password typed into the wrong field (a name over 8 characters with a digit, or one
// with characters login names cannot have), or an ID or phone number (a run of 7 or more digits),
// must not land in the log in full.
std::string UnknownName(std::string_view typed) {
  size_t run = 0, longest = 0;
  for (char c : typed) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  bool digits = false;
  for (char c : typed) digits = digits || (c >= '0' && c <= '9');
  // A long name with digits is more likely a password typed in the wrong field than a login name.
  if (IsValidName(typed) && longest < 7 && !(digits && typed.size() > 8)) {
    return std::string(typed);
  }
  std::string first = Sanitize(typed, 4);
  size_t i = 0;
  uint32_t cp = 0;
  if (!first.empty() && DecodeUtf8(first, &i, &cp)) first.resize(i);
  return first + "***（已遮盖）";
}

bool IsValidName(std::string_view name) {
  if (name.size() < 2 || name.size() > 32) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status CheckName(std::string_view name) {
  if (IsValidName(name)) return Status::Ok();
  return Status::InvalidArgument(
      "用户名须为 2 至 32 个字符，只能使用英文字母、数字、点（.）、下划线（_）和连字符（-）",
      "bad user name");
}

Status CheckDisplayName(std::string_view display_name) {
  if (display_name.size() > kMaxDisplayNameBytes || !IsStorableText(display_name)) {
    return Status::InvalidArgument("姓名不能超过 64 字节（约 21 个汉字）",
                                   "display name over 64 bytes or not UTF-8");
  }
  return Status::Ok();
}

Status CheckRole(std::string_view role) {
  if (role.empty()) return Status::InvalidArgument("角色不能为空", "empty role");
  if (!IsStorableText(role)) return Status::InvalidArgument("角色含有无效文字", "role not UTF-8");
  return Status::Ok();
}

Status CheckUnit(std::string_view unit) {
  if (!IsStorableText(unit)) return Status::InvalidArgument("单位含有无效文字", "unit not UTF-8");
  return Status::Ok();
}

Status NoSuchUser(std::string_view name) {
  return Status::NotFound("没有用户 " + Sanitize(name, kMaxActorBytes), "no such user");
}

// Lower-case hex SHA-256: what _sessions keeps instead of the token.
std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr) != 1) return "";
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[md[i] >> 4];
    out += kDigits[md[i] & 0xF];
  }
  return out;
}

// Invalid UTF-8 (a remote string, say) is replaced rather than thrown on.
std::string Dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The fields of an account an audit entry shows (never the hash).
Json AccountFields(const User& u) {
  return Json{{"display_name", u.display_name},
              {"role", u.role},
              {"unit", u.unit},
              {"disabled", u.disabled},
              {"must_change_password", u.must_change_password}};
}

// A user_change entry's before/after, holding only the fields that changed.
struct Changes {
  Json before = Json::object();
  Json after = Json::object();

  template <typename T>
  void Note(const char* field, const T& old_value, const T& new_value) {
    if (old_value == new_value) return;
    before[field] = old_value;
    after[field] = new_value;
  }
  bool empty() const { return after.empty(); }
};

AuditEntry UserChangeEntry(const std::string& actor, const std::string& op, const std::string& user,
                           const Changes& c) {
  Json detail{{"op", op}, {"user", user}, {"before", c.before}, {"after", c.after}};
  return {actor, audit_action::kUserChange, user, Dump(detail)};
}

// Notes the lockout fields a reset or unlock clears.
void NoteUnlock(const User& u, Changes* c) {
  c->Note("failed_logins", u.failed_logins, 0);
  c->Note("locked_until", u.locked_until, int64_t{0});
}

Result<int64_t> DeleteSessions(store::Store& store, int64_t user_id) {
  TZ_ASSIGN_OR_RETURN(
      int64_t n, Count(store, {"SELECT COUNT(*) FROM _sessions WHERE user_id = ?", {user_id}}));
  if (n > 0) {
    TZ_RETURN_IF_ERROR(store.Execute({"DELETE FROM _sessions WHERE user_id = ?", {user_id}}));
  }
  return n;
}

// Verifying an unknown name against this costs what a real verification costs, so the time of
// a failed login does not tell whether the name exists. Computed once, with the first caller's
// cost (one policy per process).
const std::string& DummyHash(const Argon2Cost& cost) {
  static const std::string hash = [&] {
    Result<std::string> h = HashPassword("tz-dummy-password-for-unknown-users", cost);
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

const char* ReasonLog(std::string_view reason) {
  if (reason == "no_such_user") return "no such user";
  if (reason == "wrong_password") return "wrong password";
  if (reason == "locked") return "account locked";
  return "account disabled";
}

Status LoginFailed(std::string_view reason, const std::string& name) {
  return Status::Unauthenticated(
      kLoginFailedMessage, std::string("login failed for \"") + name + "\": " + ReasonLog(reason));
}

AuditEntry LoginFailedEntry(const std::string& actor, const char* reason,
                            const std::string& remote) {
  return {actor, audit_action::kLoginFailed, actor, Dump({{"reason", reason}, {"remote", remote}})};
}

// A wrong password for an existing account: one more failure, and the one that reaches
// max_failures locks the account (the count restarts, so the next lockout needs as many again).
Status CountFailure(store::Store& store, AuditLog& audit, const AuthPolicy& policy, const User& u,
                    int64_t now, const std::string& remote) {
  const int failures = u.failed_logins + 1;
  if (policy.max_failures <= 0 || failures < policy.max_failures) {
    return store.Execute(
        {"UPDATE _users SET failed_logins = failed_logins + 1 WHERE id = ?", {u.id}});
  }
  const int64_t until = now + policy.lockout_s;
  TZ_RETURN_IF_ERROR(store.Execute(
      {"UPDATE _users SET failed_logins = 0, locked_until = ? WHERE id = ?", {until, u.id}}));
  return audit.Append(
      {u.name, audit_action::kLockout, u.name,
       Dump({{"failures", failures}, {"locked_until", until}, {"remote", remote}})});
}

}  // namespace

int64_t UserStore::SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

UserStore::UserStore(store::Store& store, AuditLog& audit, AuthPolicy policy, Clock clock)
    : store_(store), audit_(audit), policy_(std::move(policy)), clock_(std::move(clock)) {}

Status UserStore::EnsureTables() {
  // A lookup, not DDL, once the tables are there (_sessions is made last, in the same script).
  TZ_ASSIGN_OR_RETURN(bool ready, store::TableExists(store_, "_sessions"));
  if (ready) return Status::Ok();
  Status created = store_.ExecuteScript(CreateTablesSql(store_.dialect()));
  if (created.ok()) return created;
  // On PostgreSQL, when two connections create the same table at once the second fails (a
  // duplicate in the system catalog) as soon as the first commits: the tables are then there.
  TZ_ASSIGN_OR_RETURN(bool users, store::TableExists(store_, "_users"));
  TZ_ASSIGN_OR_RETURN(ready, store::TableExists(store_, "_sessions"));
  return users && ready ? Status::Ok() : created;
}

Result<std::string> UserStore::AddUser(const std::string& actor, const NewUser& nu) {
  const std::string name = NormalName(nu.name);
  TZ_RETURN_IF_ERROR(CheckName(name));
  TZ_RETURN_IF_ERROR(CheckDisplayName(nu.display_name));
  TZ_RETURN_IF_ERROR(CheckRole(nu.role));
  TZ_RETURN_IF_ERROR(CheckUnit(nu.unit));
  const bool generated = nu.password.empty();
  const std::string password = generated ? GeneratePassword() : nu.password;
  if (!generated) TZ_RETURN_IF_ERROR(CheckPassword(policy_.password, password, name));
  // Hashing takes tens of milliseconds: before the transaction, not holding the write lock.
  TZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, policy_.argon2));
  TZ_RETURN_IF_ERROR(EnsureTables());

  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  const int64_t now = clock_();
  User u;
  u.name = name;
  u.display_name = nu.display_name;
  u.role = nu.role;
  u.unit = nu.unit;
  u.must_change_password = generated;
  // ON CONFLICT rather than a look first: on PostgreSQL a concurrent AddUser of the same name, not
  // yet committed, is invisible to a look but makes this insert wait for it and insert nothing.
  bool added = false;
  TZ_RETURN_IF_ERROR(store_.Query(
      {"INSERT INTO _users (name, display_name, role, unit, password_hash, must_change, disabled, "
       "failed_logins, locked_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, "
       "?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
       {u.name, u.display_name, u.role, u.unit, hash, int64_t{generated}, now, now}},
      [&](const std::vector<SqlValue>&) {
        added = true;
        return Status::Ok();
      }));
  if (!added) return Status::AlreadyExists("用户 " + name + " 已存在", "user exists");
  Changes c;
  c.after = AccountFields(u);
  TZ_RETURN_IF_ERROR(audit_.Append(UserChangeEntry(actor, "add", name, c)));
  TZ_RETURN_IF_ERROR(tx.Commit());
  return password;
}

Result<std::vector<User>> UserStore::ListUsers() {
  TZ_RETURN_IF_ERROR(EnsureTables());
  std::vector<User> users;
  TZ_RETURN_IF_ERROR(store_.Query({"SELECT " + UserColumns("") + " FROM _users ORDER BY name", {}},
                                  [&](const std::vector<SqlValue>& row) {
                                    users.push_back(UserFromRow(row, 0).user);
                                    return Status::Ok();
                                  }));
  return users;
}

Result<User> UserStore::GetUser(const std::string& name) {
  TZ_RETURN_IF_ERROR(EnsureTables());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s, FindUser(store_, "name", NormalName(name)));
  if (!s) return NoSuchUser(NormalName(name));
  return s->user;
}

Result<bool> UserStore::AnyUser() {
  TZ_RETURN_IF_ERROR(EnsureTables());
  TZ_ASSIGN_OR_RETURN(int64_t n, Count(store_, {"SELECT COUNT(*) FROM _users", {}}));
  return n > 0;
}

Status UserStore::UpdateUser(const std::string& actor, const std::string& name,
                             const UserChange& change) {
  if (change.display_name) TZ_RETURN_IF_ERROR(CheckDisplayName(*change.display_name));
  if (change.role) TZ_RETURN_IF_ERROR(CheckRole(*change.role));
  if (change.unit) TZ_RETURN_IF_ERROR(CheckUnit(*change.unit));
  const std::string lname = NormalName(name);
  TZ_RETURN_IF_ERROR(EnsureTables());

  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s,
                      FindUser(store_, "name", lname, Lock::kForUpdate));
  if (!s) return NoSuchUser(lname);
  const User& old = s->user;
  User u = old;
  u.display_name = change.display_name.value_or(old.display_name);
  u.role = change.role.value_or(old.role);
  u.unit = change.unit.value_or(old.unit);
  u.disabled = change.disabled.value_or(old.disabled);
  Changes c;
  c.Note("display_name", old.display_name, u.display_name);
  c.Note("role", old.role, u.role);
  c.Note("unit", old.unit, u.unit);
  c.Note("disabled", old.disabled, u.disabled);
  if (c.empty()) return Status::Ok();  // nothing changes, nothing to audit

  TZ_RETURN_IF_ERROR(store_.Execute(
      {"UPDATE _users SET display_name = ?, role = ?, unit = ?, disabled = ?, updated_at = ? "
       "WHERE id = ?",
       {u.display_name, u.role, u.unit, int64_t{u.disabled}, clock_(), u.id}}));
  if (u.disabled && !old.disabled) TZ_RETURN_IF_ERROR(DeleteSessions(store_, u.id).status());
  TZ_RETURN_IF_ERROR(audit_.Append(UserChangeEntry(actor, "update", lname, c)));
  return tx.Commit();
}

Result<std::string> UserStore::ResetPassword(const std::string& actor, const std::string& name) {
  const std::string lname = NormalName(name);
  TZ_RETURN_IF_ERROR(EnsureTables());
  const std::string password = GeneratePassword();
  TZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, policy_.argon2));

  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s,
                      FindUser(store_, "name", lname, Lock::kForUpdate));
  if (!s) return NoSuchUser(lname);
  const User& old = s->user;
  TZ_RETURN_IF_ERROR(
      store_.Execute({"UPDATE _users SET password_hash = ?, must_change = 1, failed_logins = 0, "
                      "locked_until = 0, updated_at = ? WHERE id = ?",
                      {hash, clock_(), old.id}}));
  TZ_RETURN_IF_ERROR(DeleteSessions(store_, old.id).status());
  Changes c;
  c.Note("must_change_password", old.must_change_password, true);
  NoteUnlock(old, &c);
  TZ_RETURN_IF_ERROR(audit_.Append(UserChangeEntry(actor, "reset_password", lname, c)));
  TZ_RETURN_IF_ERROR(tx.Commit());
  return password;
}

Status UserStore::Unlock(const std::string& actor, const std::string& name) {
  const std::string lname = NormalName(name);
  TZ_RETURN_IF_ERROR(EnsureTables());
  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s,
                      FindUser(store_, "name", lname, Lock::kForUpdate));
  if (!s) return NoSuchUser(lname);
  Changes c;
  NoteUnlock(s->user, &c);
  if (c.empty()) return Status::Ok();  // not locked, no failures: nothing to audit
  TZ_RETURN_IF_ERROR(store_.Execute(
      {"UPDATE _users SET failed_logins = 0, locked_until = 0, updated_at = ? WHERE id = ?",
       {clock_(), s->user.id}}));
  TZ_RETURN_IF_ERROR(audit_.Append(UserChangeEntry(actor, "unlock", lname, c)));
  return tx.Commit();
}

Status UserStore::ChangePassword(const std::string& name, const std::string& old_password,
                                 const std::string& new_password, const std::string& keep_token) {
  const std::string lname = NormalName(name);
  TZ_RETURN_IF_ERROR(EnsureTables());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> before, FindUser(store_, "name", lname));
  if (!before) return NoSuchUser(lname);
  if (!VerifyPassword(before->password_hash, old_password)) {
    // A wrong old password counts like a failed login: whoever holds a session (a PC left signed
    // in) cannot guess the password without limit. The lockout ends every session of the user.
    store::Transaction tx(store_);
    TZ_RETURN_IF_ERROR(tx.Begin());
    TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s,
                        FindUser(store_, "id", before->user.id, Lock::kForUpdate));
    if (s) {
      const int64_t now = clock_();
      TZ_RETURN_IF_ERROR(
          audit_.Append(LoginFailedEntry(s->user.name, "wrong_old_password", "session")));
      TZ_RETURN_IF_ERROR(CountFailure(store_, audit_, policy_, s->user, now, "session"));
      TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> after, FindUser(store_, "id", s->user.id));
      if (after && after->user.locked_until > now) {
        TZ_RETURN_IF_ERROR(
            store_.Execute({"DELETE FROM _sessions WHERE user_id = ?", {s->user.id}}));
      }
    }
    TZ_RETURN_IF_ERROR(tx.Commit());
    return Status::InvalidArgument("原密码不正确（连续失败 5 次将锁定 15 分钟）",
                                   "old password does not verify");
  }
  if (new_password == old_password) {
    return Status::InvalidArgument("新密码不能与原密码相同", "new password equals the old");
  }
  TZ_RETURN_IF_ERROR(CheckPassword(policy_.password, new_password, lname));
  TZ_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password, policy_.argon2));

  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s,
                      FindUser(store_, "id", before->user.id, Lock::kForUpdate));
  // The password changed between the check and the write (another session): the old one that
  // was verified is no longer the old one.
  if (!s || s->password_hash != before->password_hash) {
    return Status::InvalidArgument("原密码不正确", "password changed concurrently");
  }
  TZ_RETURN_IF_ERROR(store_.Execute(
      {"UPDATE _users SET password_hash = ?, must_change = 0, updated_at = ? WHERE id = ?",
       {hash, clock_(), s->user.id}}));
  // An empty keep_token hashes to a value no session has: every session ends.
  TZ_RETURN_IF_ERROR(store_.Execute({"DELETE FROM _sessions WHERE user_id = ? AND token_hash <> ?",
                                     {s->user.id, Sha256Hex(keep_token)}}));
  Changes c;
  c.Note("must_change_password", s->user.must_change_password, false);
  TZ_RETURN_IF_ERROR(audit_.Append(UserChangeEntry(lname, "change_password", lname, c)));
  return tx.Commit();
}

Result<Session> UserStore::Login(const std::string& name, const std::string& password,
                                 const std::string& remote, bool create_session) {
  const std::string lname = NormalName(name);
  TZ_RETURN_IF_ERROR(EnsureTables());
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> seen, FindUser(store_, "name", lname));
  if (!seen) {
    (void)VerifyPassword(DummyHash(policy_.argon2), password);
    const std::string actor = lname.empty() ? "-" : UnknownName(lname);
    TZ_RETURN_IF_ERROR(audit_.AppendCommitted(LoginFailedEntry(actor, "no_such_user", remote)));
    return LoginFailed("no_such_user", actor);
  }
  // Verified whatever the account's state, so that a locked or disabled account answers in the
  // same time as any other; and outside the transaction, so Argon2 never holds the write lock.
  const bool password_ok = VerifyPassword(seen->password_hash, password);

  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  // Read again under the write lock: another login may have counted a failure or locked meanwhile.
  TZ_ASSIGN_OR_RETURN(std::optional<StoredUser> s,
                      FindUser(store_, "id", seen->user.id, Lock::kForUpdate));
  if (!s) return LoginFailed("no_such_user", lname);  // deleted meanwhile (nothing deletes yet)
  User& u = s->user;
  const int64_t now = clock_();
  const char* reason = nullptr;
  if (u.disabled) {
    reason = "disabled";
  } else if (u.locked_until > now) {
    reason = "locked";
  } else if (!password_ok || s->password_hash != seen->password_hash) {
    reason = "wrong_password";
  }
  if (reason) {
    TZ_RETURN_IF_ERROR(audit_.Append(LoginFailedEntry(u.name, reason, remote)));
    if (std::string_view(reason) == "wrong_password") {
      TZ_RETURN_IF_ERROR(CountFailure(store_, audit_, policy_, u, now, remote));
    }
    TZ_RETURN_IF_ERROR(tx.Commit());
    return LoginFailed(reason, u.name);
  }

  TZ_RETURN_IF_ERROR(store_.Execute(
      {"UPDATE _users SET failed_logins = 0, locked_until = 0 WHERE id = ?", {u.id}}));
  u.failed_logins = 0;
  u.locked_until = 0;
  Session session;
  session.user = u;
  session.created_at = session.last_seen = now;
  if (create_session) {
    // Expired sessions of everyone go here, where a write happens anyway, not on every request.
    TZ_RETURN_IF_ERROR(
        store_.Execute({"DELETE FROM _sessions WHERE last_seen < ? OR created_at < ?",
                        {now - policy_.idle_timeout_s, now - policy_.absolute_timeout_s}}));
    session.token = RandomHex(16);
    session.csrf = RandomHex(16);
    const std::string token_hash = Sha256Hex(session.token);
    if (token_hash.empty()) return Status::Internal("无法创建会话", "SHA-256 failed");
    TZ_RETURN_IF_ERROR(store_.Execute(
        {"INSERT INTO _sessions (token_hash, user_id, csrf, created_at, last_seen, remote) "
         "VALUES (?, ?, ?, ?, ?, ?)",
         {token_hash, u.id, session.csrf, now, now, remote}}));
  }
  TZ_RETURN_IF_ERROR(audit_.Append({u.name, audit_action::kLogin, u.name,
                                    Dump({{"remote", remote}, {"session", create_session}})}));
  TZ_RETURN_IF_ERROR(tx.Commit());
  return session;
}

Result<Session> UserStore::Authenticate(const std::string& token) {
  const Status expired = Status::Unauthenticated(kExpiredMessage, "session unknown or expired");
  if (token.empty()) return expired;
  const std::string token_hash = Sha256Hex(token);
  if (token_hash.empty()) return expired;  // SHA-256 failed (out of memory): never match ""
  std::optional<Session> found;
  // Runs on every request: no CREATE TABLE first (a statement per request); a database without
  // the tables has no sessions, which the failed query is checked for.
  Status queried = store_.Query(
      {"SELECT s.csrf, s.created_at, s.last_seen, " + UserColumns("u.") +
           " FROM _sessions s JOIN _users u ON u.id = s.user_id WHERE s.token_hash = ?",
       {token_hash}},
      [&](const std::vector<SqlValue>& row) {
        found.emplace();
        found->csrf = Text(row[0]);
        found->created_at = Int(row[1]);
        found->last_seen = Int(row[2]);
        found->user = UserFromRow(row, 3).user;
        return Status::Ok();
      });
  if (!queried.ok()) {
    TZ_ASSIGN_OR_RETURN(bool tables, store::TableExists(store_, "_sessions"));
    if (tables) return queried;
    return expired;
  }
  if (!found) return expired;
  const int64_t now = clock_();
  if (now - found->last_seen > policy_.idle_timeout_s ||
      now - found->created_at > policy_.absolute_timeout_s || found->user.disabled) {
    TZ_RETURN_IF_ERROR(
        store_.Execute({"DELETE FROM _sessions WHERE token_hash = ?", {token_hash}}));
    return expired;
  }
  if (now - found->last_seen >= policy_.touch_interval_s) {
    TZ_RETURN_IF_ERROR(store_.Execute(
        {"UPDATE _sessions SET last_seen = ? WHERE token_hash = ?", {now, token_hash}}));
    found->last_seen = now;
  }
  return *found;
}

Status UserStore::Logout(const std::string& token) {
  if (token.empty()) return Status::Ok();
  TZ_RETURN_IF_ERROR(EnsureTables());
  const std::string token_hash = Sha256Hex(token);
  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  std::optional<std::string> user;
  // Locked (PostgreSQL), so that of two logouts at once only one finds the session and audits.
  TZ_RETURN_IF_ERROR(store_.Query(
      {"SELECT u.name FROM _sessions s JOIN _users u ON u.id = s.user_id WHERE s.token_hash = ?" +
           std::string(store_.dialect().LockForUpdate()),
       {token_hash}},
      [&](const std::vector<SqlValue>& row) {
        user = Text(row[0]);
        return Status::Ok();
      }));
  if (!user) return Status::Ok();  // already gone (expired, or a second logout)
  TZ_RETURN_IF_ERROR(store_.Execute({"DELETE FROM _sessions WHERE token_hash = ?", {token_hash}}));
  TZ_RETURN_IF_ERROR(audit_.Append({*user, audit_action::kLogout, *user, ""}));
  return tx.Commit();
}

Result<int64_t> UserStore::EndSessions(int64_t user_id) {
  TZ_RETURN_IF_ERROR(EnsureTables());
  store::Transaction tx(store_);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_ASSIGN_OR_RETURN(int64_t n, DeleteSessions(store_, user_id));
  TZ_RETURN_IF_ERROR(tx.Commit());
  return n;
}

}  // namespace tz::auth
