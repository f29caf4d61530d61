// Accounts and sessions (issue 5, item 1; docs/security.md): users with Argon2id password hashes,
// lockout after repeated failures, server-side sessions with idle and absolute timeouts, and an
// audit entry for every login, failure, lockout, logout and account change — written in the same
// transaction as the change, so that if the entry cannot be written the change fails too.
//
// Tables `_users` and `_sessions` live in the ledger database (created on first use). A session
// token is 128 random bits; only its SHA-256 is stored, so a copy of the database holds no usable
// session. The store knows nothing of the pack: role ids and unit codes are checked by the service
// layer before they reach it.
#ifndef TAIZHANG_AUTH_USER_STORE_H_
#define TAIZHANG_AUTH_USER_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/password.h"
#include "base/result.h"
#include "store/store.h"

namespace tz::auth {

struct User {
  int64_t id = 0;
  std::string name;          // login name: 2-32 of [A-Za-z0-9._-], unique (case-insensitive)
  std::string display_name;  // 张三
  std::string role;          // a pack role id
  std::string unit;          // the scope unit's code (village code, grid key); empty for town/none
  bool disabled = false;
  bool must_change_password = false;  // a generated password: change it before anything else
  int failed_logins = 0;              // consecutive failures since the last success or lockout
  int64_t locked_until = 0;           // unix seconds; 0 or past: not locked
  int64_t created_at = 0;             // unix seconds
};

struct AuthPolicy {
  PasswordPolicy password;
  Argon2Cost argon2;  // tests lower it; production keeps the OWASP minimum
  int64_t idle_timeout_s = 30 * 60;         // a session unused this long ends
  int64_t absolute_timeout_s = 12 * 3600;   // a session ends this long after login regardless
  int max_failures = 5;                     // consecutive failures that lock the account
  int64_t lockout_s = 15 * 60;              // for this long
  int64_t touch_interval_s = 60;            // last_seen is written at most this often (a write
                                            // per request would serialise readers behind SQLite's
                                            // write lock); the idle timeout is accurate to this
};

// A session as the server sees it. `token` is set only by Login (it is never stored).
struct Session {
  std::string token;  // 32 lower-case hex digits (128 bits): the cookie value
  std::string csrf;   // 32 hex digits: the X-CSRF-Token every state-changing request must carry
  int64_t created_at = 0;
  int64_t last_seen = 0;
  User user;
};

// The one message for every failed login — no such user, wrong password, locked, disabled — so
// that the answer does not tell a guesser which (ASVS 2.2.1 / V3).
inline constexpr char kLoginFailedMessage[] =
    "用户名或密码错误（连续失败 5 次将锁定 15 分钟）";

struct NewUser {
  std::string name;
  std::string display_name;
  std::string role;
  std::string unit;
  std::string password;  // empty: generate one (returned by AddUser; must be changed at login)
};

// Changes to an account; fields left empty are unchanged.
struct UserChange {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<std::string> unit;
  std::optional<bool> disabled;  // disabling ends the user's sessions at once
};

class UserStore {
 public:
  using Clock = std::function<int64_t()>;  // unix seconds
  static int64_t SystemNow();

  // `store` and `audit` (on the same store) are borrowed.
  UserStore(store::Store& store, AuditLog& audit, AuthPolicy policy = {},
            Clock clock = &UserStore::SystemNow);

  // Creates the account; audited (user_change, by `actor`). Returns the password: the one given
  // (checked against the policy: InvalidArgument saying what is missing) or a generated one, in
  // which case must_change_password is set. AlreadyExists for a taken name; InvalidArgument for a
  // bad name or an empty role.
  Result<std::string> AddUser(const std::string& actor, const NewUser& user);

  Result<std::vector<User>> ListUsers();
  // NotFound (Chinese message) when there is no such user.
  Result<User> GetUser(const std::string& name);
  // True when at least one account exists (the web app's "create the first admin" hint).
  Result<bool> AnyUser();

  // Audited with the before/after of the changed fields (a change that changes nothing writes
  // nothing). Disabling ends every session of the user.
  Status UpdateUser(const std::string& actor, const std::string& name, const UserChange& change);
  // A new generated password that must be changed at the next login; ends the user's sessions and
  // clears a lockout. Audited. Returns the password.
  Result<std::string> ResetPassword(const std::string& actor, const std::string& name);
  // Clears a lockout and the failure count. Audited (unless there was nothing to clear).
  Status Unlock(const std::string& actor, const std::string& name);

  // The user changes their own password: `old_password` must verify (InvalidArgument
  // "原密码不正确" otherwise — the caller is already logged in, so this is not a login oracle),
  // the new one must pass the policy and differ from the old. Clears must_change_password and ends
  // every other session of the user (`keep_token`'s stays). Audited.
  Status ChangePassword(const std::string& name, const std::string& old_password,
                        const std::string& new_password, const std::string& keep_token = {});

  // Checks a name and password. Unauthenticated(kLoginFailedMessage) for an unknown name, a wrong
  // password, a locked or a disabled account; the log message says which (English). Every outcome
  // is audited: login, login_failed (with the reason), lockout (the failure that locks). Unknown
  // names are hashed against a dummy hash so that timing does not tell them apart. With
  // `create_session` a session is created and returned with its token; without (the command line's
  // --user) the Session carries only the user. `remote` (an address, "cli") goes into the audit
  // entry.
  Result<Session> Login(const std::string& name, const std::string& password,
                        const std::string& remote, bool create_session = true);

  // The session for a cookie's token: Unauthenticated("登录已过期，请重新登录") when unknown, idle
  // too long, past the absolute timeout, or its user is disabled (an expired session is deleted).
  // Updates last_seen at most every touch_interval_s.
  Result<Session> Authenticate(const std::string& token);

  // Ends the session (audited as logout by its user). OK when it is already gone.
  Status Logout(const std::string& token);
  // Ends every session of the user (account disabled, password reset). Returns how many. Runs its
  // own transaction (so not inside a caller's) and writes no audit entry: UpdateUser and
  // ResetPassword end sessions themselves, inside their audited transaction.
  Result<int64_t> EndSessions(int64_t user_id);

 private:
  Status EnsureTables();
  store::Store& store_;
  AuditLog& audit_;
  AuthPolicy policy_;
  Clock clock_;
};

}  // namespace tz::auth

#endif  // TAIZHANG_AUTH_USER_STORE_H_
