#include "auth/user_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/strings.h"
#include "store/test_database.h"

namespace tz::auth {
namespace {

using store::SqlValue;

constexpr char kAdmin[] = "admin";
constexpr char kPassword[] = "Liaoshi#2022town";
constexpr char kExpired[] = "登录已过期，请重新登录";
constexpr int64_t kMinute = 60;

UserChange Disabled(bool disabled) {
  UserChange c;
  c.disabled = disabled;
  return c;
}

UserChange RoleChange(const std::string& role) {
  UserChange c;
  c.role = role;
  return c;
}

struct AuditRow {
  std::string actor, action, target;
  nlohmann::json detail;
};

class UserStoreTest : public ::testing::Test {
 protected:
  // On SQLite, or on PostgreSQL in the "pg." run (store/test_database.h).
  void SetUp() override {
    TZ_REQUIRE_TEST_DATABASE(db_);
    auto s = store::OpenStore(db_.location(), /*create=*/true);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    audit_ = std::make_unique<AuditLog>(*store_);
    AuthPolicy policy;
    policy.argon2 = {64, 1, 1};  // cheap: the tests check behaviour, not cost
    users_ = std::make_unique<UserStore>(*store_, *audit_, policy, [this] { return now_; });
  }

  void TearDown() override {
    if (!audit_) return;  // skipped, or SetUp failed
    auto r = audit_->Verify();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->ok()) << r->log;
    users_.reset();
    audit_.reset();
    store_.reset();
  }

  void Add(const std::string& name, const std::string& password = kPassword,
           const std::string& unit = "") {
    auto r = users_->AddUser(kAdmin, {name, "张三", "village_clerk", unit, password});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  Session MustLogin(const std::string& name, const std::string& password = kPassword) {
    auto r = users_->Login(name, password, "127.0.0.1");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Session{};
  }

  User MustGet(const std::string& name) {
    auto r = users_->GetUser(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : User{};
  }

  void Exec(const std::string& sql, std::vector<SqlValue> params = {}) {
    Status st = store_->Execute({sql, std::move(params)});
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  int64_t Count(const std::string& sql, std::vector<SqlValue> params = {}) {
    int64_t n = -1;
    Status st = store_->Query({sql, std::move(params)}, [&](const std::vector<SqlValue>& row) {
      n = std::get<int64_t>(row[0]);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return n;
  }

  int64_t Sessions() { return Count("SELECT COUNT(*) FROM _sessions"); }

  std::vector<AuditRow> Audit() {
    std::vector<AuditRow> rows;
    Status st =
        store_->Query({"SELECT actor, action, target, detail FROM _audit ORDER BY seq", {}},
                      [&](const std::vector<SqlValue>& r) {
                        const std::string& d = std::get<std::string>(r[3]);
                        rows.push_back({std::get<std::string>(r[0]), std::get<std::string>(r[1]),
                                        std::get<std::string>(r[2]),
                                        d.empty() ? nlohmann::json() : nlohmann::json::parse(d)});
                        return Status::Ok();
                      });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return rows;
  }

  std::map<std::string, int> Actions() {
    std::map<std::string, int> n;
    for (const AuditRow& r : Audit()) ++n[r.action];
    return n;
  }

  // Every stored byte of a table, as text, to look for a secret in.
  std::string TableText(const std::string& table) {
    std::string text;
    Status st = store_->Query({"SELECT * FROM " + table, {}}, [&](const std::vector<SqlValue>& r) {
      for (const SqlValue& v : r) text += store::SqlValueToString(v) + "|";
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return text;
  }

  void ExpectLoginFails(const std::string& name, const std::string& password) {
    auto r = users_->Login(name, password, "127.0.0.1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().message(), kLoginFailedMessage);
  }

  void ExpectExpired(const std::string& token) {
    auto r = users_->Authenticate(token);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(r.status().message(), kExpired);
  }

  store::testing::TestDatabase db_{"users"};
  int64_t now_ = 1714552200;  // 2024-05-01 08:30 UTC
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<UserStore> users_;
};

TEST_F(UserStoreTest, AddsGetsAndListsUsers) {
  auto any = users_->AnyUser();
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(*any);

  auto pw =
      users_->AddUser(kAdmin, {"ZhangSan", "张三", "village_clerk", "360102001001", kPassword});
  ASSERT_TRUE(pw.ok()) << pw.status().ToString();
  EXPECT_EQ(*pw, kPassword);
  Add("lisi");

  User u = MustGet("ZHANGSAN");
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.name, "zhangsan");
  EXPECT_EQ(u.display_name, "张三");
  EXPECT_EQ(u.role, "village_clerk");
  EXPECT_EQ(u.unit, "360102001001");
  EXPECT_FALSE(u.disabled);
  EXPECT_FALSE(u.must_change_password);
  EXPECT_EQ(u.failed_logins, 0);
  EXPECT_EQ(u.locked_until, 0);
  EXPECT_EQ(u.created_at, now_);

  auto list = users_->ListUsers();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "lisi");
  EXPECT_EQ((*list)[1].name, "zhangsan");
  any = users_->AnyUser();
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(*any);

  auto missing = users_->GetUser("nobody");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "没有用户 nobody");

  std::vector<AuditRow> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].actor, kAdmin);
  EXPECT_EQ(audit[0].action, "user_change");
  EXPECT_EQ(audit[0].target, "zhangsan");
  EXPECT_EQ(audit[0].detail["op"], "add");
  EXPECT_EQ(audit[0].detail["user"], "zhangsan");
  EXPECT_TRUE(audit[0].detail["before"].empty());
  EXPECT_EQ(audit[0].detail["after"]["role"], "village_clerk");
  EXPECT_EQ(audit[0].detail["after"]["unit"], "360102001001");
  const std::string audit_text = TableText("_audit");
  EXPECT_EQ(audit_text.find(kPassword), std::string::npos);
  EXPECT_EQ(audit_text.find("argon2"), std::string::npos);
  EXPECT_EQ(TableText("_users").find(kPassword), std::string::npos);
}

TEST_F(UserStoreTest, RejectsBadNamesAndFields) {
  const std::string too_long(33, 'a');
  for (const std::string& name :
       {std::string("a"), too_long, std::string(""), std::string("张三"), std::string("a b"),
        std::string("a/b"), std::string("x'; DROP TABLE _users; --")}) {
    auto r = users_->AddUser(kAdmin, {name, "", "clerk", "", kPassword});
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(r.status().message().find("2 至 32"), std::string::npos) << r.status().message();
  }
  Add(std::string(32, 'b'));
  Add("a.b_c-D9");
  EXPECT_EQ(MustGet("A.B_C-d9").name, "a.b_c-d9");

  auto no_role = users_->AddUser(kAdmin, {"wangwu", "", "", "", kPassword});
  ASSERT_FALSE(no_role.ok());
  EXPECT_EQ(no_role.status().code(), StatusCode::kInvalidArgument);
  auto long_display = users_->AddUser(kAdmin, {"wangwu", std::string(65, 'x'), "clerk", "", ""});
  EXPECT_EQ(long_display.status().code(), StatusCode::kInvalidArgument);
  auto bad_utf8 = users_->AddUser(kAdmin, {"wangwu", "\xE5\xBC", "clerk", "", ""});
  EXPECT_EQ(bad_utf8.status().code(), StatusCode::kInvalidArgument);
  // A NUL, which PostgreSQL text cannot hold, is refused on both stores.
  auto nul = users_->AddUser(kAdmin, {"wangwu", std::string("王\0五", 7), "clerk", "", ""});
  EXPECT_EQ(nul.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(users_->GetUser(std::string("b\0b", 3)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(users_->AddUser(kAdmin, {"wangwu", std::string(64, 'x'), "clerk", "", ""}).ok());
}

TEST_F(UserStoreTest, PasswordPolicyIsEnforced) {
  struct Case {
    const char* password;
    const char* says;
  };
  for (const Case& c : {Case{"Ab#1", "至少需要 10 个字符"}, Case{"abcdefghijkl", "至少 3 类"},
                        Case{"Xx#zhaoliu2024", "不能包含用户名"}}) {
    auto r = users_->AddUser(kAdmin, {"zhaoliu", "", "clerk", "", c.password});
    ASSERT_FALSE(r.ok()) << c.password;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(users_->GetUser("zhaoliu").status().code(), StatusCode::kNotFound);
  std::ostringstream exported;
  auto entries = audit_->Export(exported, AuditExportFormat::kJsonLines);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, 0);
}

TEST_F(UserStoreTest, GeneratedPasswordMustBeChangedAndLogsIn) {
  auto pw = users_->AddUser(kAdmin, {"sunqi", "孙七", "clerk", "", ""});
  ASSERT_TRUE(pw.ok()) << pw.status().ToString();
  EXPECT_EQ(pw->size(), 16u);
  EXPECT_TRUE(CheckPassword(PasswordPolicy{}, *pw, "sunqi").ok());
  EXPECT_TRUE(MustGet("sunqi").must_change_password);
  Session s = MustLogin("sunqi", *pw);
  EXPECT_TRUE(s.user.must_change_password);
  EXPECT_EQ(Audit()[0].detail["after"]["must_change_password"], true);
  EXPECT_EQ(TableText("_audit").find(*pw), std::string::npos);
}

TEST_F(UserStoreTest, DuplicateNameIsCaseInsensitive) {
  Add("wangwu");
  auto r = users_->AddUser(kAdmin, {"WangWu", "", "clerk", "", kPassword});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(r.status().message(), "用户 wangwu 已存在");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM _users"), 1);
  EXPECT_EQ(Audit().size(), 1u);
}

// A name being added by another connection, not yet committed: this AddUser waits for it and then
// answers AlreadyExists on both stores (SQLite: BEGIN IMMEDIATE waits; PostgreSQL: the insert
// waits on the unique name), never a database error.
TEST_F(UserStoreTest, ANameBeingAddedElsewhereIsAlreadyExists) {
  Add("zhangsan");  // makes the tables
  auto other = store::OpenStore(db_.location(), /*create=*/false);
  ASSERT_TRUE(other.ok());
  store::Transaction tx(**other);
  ASSERT_TRUE(tx.Begin().ok());
  Status inserted = (*other)->Execute(
      {"INSERT INTO _users (name, display_name, role, unit, password_hash, must_change, "
       "disabled, failed_logins, locked_until, created_at, updated_at) "
       "VALUES ('wangwu', '', 'clerk', '', 'x', 0, 0, 0, 0, 0, 0)",
       {}});
  ASSERT_TRUE(inserted.ok()) << inserted.ToString();
  std::atomic<bool> done{false};
  Result<std::string> added = Status::Internal("not run");
  std::thread t([&] {
    added = users_->AddUser(kAdmin, {"WangWu", "", "clerk", "", kPassword});
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(done.load());
  ASSERT_TRUE(tx.Commit().ok());
  t.join();
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), StatusCode::kAlreadyExists) << added.status().ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM _users"), 2);
  EXPECT_EQ(Audit().size(), 1u);  // only zhangsan's
}

TEST_F(UserStoreTest, LoginCreatesASessionWhoseTokenIsNotStored) {
  Add("zhangsan");
  auto r = users_->Login("ZhangSan", kPassword, "192.168.1.20");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Session s = *r;
  EXPECT_EQ(s.token.size(), 32u);
  EXPECT_EQ(s.csrf.size(), 32u);
  EXPECT_EQ(s.token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(s.token, s.csrf);
  EXPECT_EQ(s.user.name, "zhangsan");
  EXPECT_EQ(s.created_at, now_);
  EXPECT_EQ(s.last_seen, now_);

  EXPECT_EQ(Sessions(), 1);
  EXPECT_EQ(TableText("_sessions").find(s.token), std::string::npos);
  EXPECT_EQ(TableText("_audit").find(s.token), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM _sessions WHERE length(token_hash) = 64 AND remote = ?",
                  {std::string("192.168.1.20")}),
            1);

  auto a = users_->Authenticate(s.token);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->token.empty());
  EXPECT_EQ(a->csrf, s.csrf);
  EXPECT_EQ(a->user.name, "zhangsan");
  EXPECT_EQ(a->user.id, s.user.id);
  ExpectExpired(std::string(32, '0'));
  ExpectExpired("");

  AuditRow login = Audit().back();
  EXPECT_EQ(login.actor, "zhangsan");
  EXPECT_EQ(login.action, "login");
  EXPECT_EQ(login.detail, nlohmann::json::parse(R"({"remote":"192.168.1.20","session":true})"));

  // The command line's --user: checked and audited, no session.
  auto cli = users_->Login("zhangsan", kPassword, "cli", /*create_session=*/false);
  ASSERT_TRUE(cli.ok());
  EXPECT_TRUE(cli->token.empty());
  EXPECT_EQ(cli->user.name, "zhangsan");
  EXPECT_EQ(Sessions(), 1);
  EXPECT_EQ(Audit().back().detail["session"], false);
}

TEST_F(UserStoreTest, FiveWrongPasswordsLockForFifteenMinutes) {
  Add("zhangsan");
  for (int i = 1; i <= 5; ++i) {
    ExpectLoginFails("zhangsan", "Wrong#password1");
    EXPECT_EQ(MustGet("zhangsan").failed_logins, i == 5 ? 0 : i);
  }
  const int64_t locked_until = now_ + 15 * kMinute;
  EXPECT_EQ(MustGet("zhangsan").locked_until, locked_until);

  // The right password while locked: the same answer as for a name that does not exist.
  auto locked = users_->Login("zhangsan", kPassword, "127.0.0.1");
  auto unknown = users_->Login("nobody", kPassword, "127.0.0.1");
  ASSERT_FALSE(locked.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(locked.status().code(), unknown.status().code());
  EXPECT_EQ(locked.status().message(), unknown.status().message());
  EXPECT_NE(locked.status().log_message(), unknown.status().log_message());
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 0);
  EXPECT_EQ(MustGet("zhangsan").locked_until, locked_until);

  now_ += 15 * kMinute - 1;
  ExpectLoginFails("zhangsan", kPassword);
  now_ += 1;
  Session s = MustLogin("zhangsan");
  EXPECT_EQ(s.user.failed_logins, 0);
  EXPECT_EQ(MustGet("zhangsan").locked_until, 0);

  std::map<std::string, int> actions = Actions();
  EXPECT_EQ(actions["login_failed"], 8);  // 5 wrong, locked twice, 1 unknown
  EXPECT_EQ(actions["lockout"], 1);
  EXPECT_EQ(actions["login"], 1);
  std::map<std::string, int> reasons;
  for (const AuditRow& r : Audit()) {
    if (r.action == "login_failed") ++reasons[r.detail["reason"].get<std::string>()];
    if (r.action == "lockout") {
      EXPECT_EQ(r.actor, "zhangsan");
      EXPECT_EQ(r.detail["locked_until"], locked_until);
    }
  }
  EXPECT_EQ(reasons["wrong_password"], 5);
  EXPECT_EQ(reasons["locked"], 2);
  EXPECT_EQ(reasons["no_such_user"], 1);
  EXPECT_EQ(TableText("_audit").find(kPassword), std::string::npos);
  EXPECT_EQ(TableText("_audit").find("Wrong#password1"), std::string::npos);
}

TEST_F(UserStoreTest, SuccessResetsTheFailureCount) {
  Add("zhangsan");
  ExpectLoginFails("zhangsan", "Wrong#password1");
  ExpectLoginFails("zhangsan", "Wrong#password1");
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 2);
  MustLogin("zhangsan");
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 0);
  // Four more failures do not lock: the count restarted.
  for (int i = 0; i < 4; ++i) ExpectLoginFails("zhangsan", "Wrong#password1");
  MustLogin("zhangsan");
}

TEST_F(UserStoreTest, UnlockClearsALockout) {
  Add("zhangsan");
  for (int i = 0; i < 5; ++i) ExpectLoginFails("zhangsan", "Wrong#password1");
  ExpectLoginFails("zhangsan", kPassword);
  ASSERT_TRUE(users_->Unlock(kAdmin, "ZhangSan").ok());
  EXPECT_EQ(MustGet("zhangsan").locked_until, 0);
  MustLogin("zhangsan");
  AuditRow unlock;
  for (const AuditRow& r : Audit()) {
    if (r.action == "user_change" && r.detail["op"] == "unlock") unlock = r;
  }
  EXPECT_EQ(unlock.actor, kAdmin);
  EXPECT_EQ(unlock.detail["after"]["locked_until"], 0);
  EXPECT_EQ(users_->Unlock(kAdmin, "nobody").code(), StatusCode::kNotFound);
}

TEST_F(UserStoreTest, UnknownAndOddNamesAreAuditedSafely) {
  ExpectLoginFails("", kPassword);
  const std::string odd = std::string(100, 'x') + "\xFF\xFE";
  ExpectLoginFails(odd, kPassword);
  ExpectLoginFails("\xE5\xBC\xA0\xFF", kPassword);
  ExpectLoginFails("360902195001011112", kPassword);  // an ID number typed as the name
  ExpectLoginFails("admin", kPassword);               // a guess at a login name
  ExpectLoginFails("Summer2024ab", kPassword);        // a password typed as the name
  std::vector<AuditRow> audit = Audit();
  ASSERT_EQ(audit.size(), 6u);
  EXPECT_EQ(audit[0].actor, "-");
  EXPECT_EQ(audit[0].detail["reason"], "no_such_user");
  EXPECT_EQ(audit[0].detail["remote"], "127.0.0.1");
  // Names that cannot be login names (too long, not ASCII) or hold a long run of digits are kept
  // masked: what was typed may be a password or an ID number.
  EXPECT_EQ(audit[1].actor, "x***（已遮盖）");
  EXPECT_EQ(audit[2].actor, "张***（已遮盖）");
  EXPECT_EQ(audit[3].actor, "3***（已遮盖）");
  EXPECT_EQ(audit[4].actor, "admin");
  EXPECT_EQ(audit[5].actor, "s***（已遮盖）");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM _users"), 0);
}

TEST_F(UserStoreTest, IdleSessionEnds) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  now_ += 31 * kMinute;
  ExpectExpired(s.token);
  EXPECT_EQ(Sessions(), 0);
  ExpectExpired(s.token);
}

TEST_F(UserStoreTest, UseKeepsASessionAlive) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  now_ += 30;  // within touch_interval_s: no write
  ASSERT_TRUE(users_->Authenticate(s.token).ok());
  EXPECT_EQ(Count("SELECT last_seen FROM _sessions"), s.last_seen);
  now_ += 20 * kMinute;
  auto a = users_->Authenticate(s.token);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->last_seen, now_);
  EXPECT_EQ(Count("SELECT last_seen FROM _sessions"), now_);
  now_ += 20 * kMinute;
  EXPECT_TRUE(users_->Authenticate(s.token).ok());
  now_ += 30 * kMinute;  // exactly the idle timeout: still valid
  EXPECT_TRUE(users_->Authenticate(s.token).ok());
}

TEST_F(UserStoreTest, SessionEndsAfterTwelveHoursEvenWhenActive) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  for (int i = 0; i < 12 * 6; ++i) {
    now_ += 10 * kMinute;
    ASSERT_TRUE(users_->Authenticate(s.token).ok()) << "after " << (i + 1) * 10 << " min";
  }
  now_ += 1;
  ExpectExpired(s.token);
  EXPECT_EQ(Sessions(), 0);
}

TEST_F(UserStoreTest, LoginPurgesExpiredSessions) {
  Add("zhangsan");
  Add("lisi");
  MustLogin("zhangsan");
  MustLogin("zhangsan");
  now_ += 31 * kMinute;
  Session fresh = MustLogin("lisi");
  EXPECT_EQ(Sessions(), 1);
  EXPECT_TRUE(users_->Authenticate(fresh.token).ok());
}

TEST_F(UserStoreTest, LogoutEndsTheSession) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  Session other = MustLogin("zhangsan");
  ASSERT_TRUE(users_->Logout(s.token).ok());
  ExpectExpired(s.token);
  EXPECT_TRUE(users_->Authenticate(other.token).ok());
  ASSERT_TRUE(users_->Logout(s.token).ok());
  ASSERT_TRUE(users_->Logout("").ok());
  EXPECT_EQ(Actions()["logout"], 1);
  EXPECT_EQ(Audit().back().actor, "zhangsan");
}

TEST_F(UserStoreTest, DisablingEndsSessionsAtOnce) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  ASSERT_TRUE(users_->UpdateUser(kAdmin, "zhangsan", Disabled(true)).ok());
  EXPECT_EQ(Sessions(), 0);
  ExpectExpired(s.token);

  auto disabled = users_->Login("zhangsan", kPassword, "127.0.0.1");
  auto unknown = users_->Login("nobody", kPassword, "127.0.0.1");
  ASSERT_FALSE(disabled.ok());
  EXPECT_EQ(disabled.status().code(), unknown.status().code());
  EXPECT_EQ(disabled.status().message(), unknown.status().message());
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 0);

  std::vector<AuditRow> audit = Audit();
  ASSERT_EQ(audit.size(), 5u);  // add, login, disable, disabled, unknown
  EXPECT_EQ(audit[2].detail["op"], "update");
  EXPECT_EQ(audit[2].detail["before"], nlohmann::json::parse(R"({"disabled":false})"));
  EXPECT_EQ(audit[2].detail["after"], nlohmann::json::parse(R"({"disabled":true})"));
  EXPECT_EQ(audit[3].detail["reason"], "disabled");

  ASSERT_TRUE(users_->UpdateUser(kAdmin, "zhangsan", Disabled(false)).ok());
  MustLogin("zhangsan");
}

TEST_F(UserStoreTest, UpdateAuditsOnlyChangedFields) {
  Add("zhangsan", kPassword, "360102001001");
  UserChange change;
  change.display_name = "张三丰";
  change.role = "village_clerk";  // as it was
  change.unit = "360102001002";
  ASSERT_TRUE(users_->UpdateUser(kAdmin, "ZHANGSAN", change).ok());
  User u = MustGet("zhangsan");
  EXPECT_EQ(u.display_name, "张三丰");
  EXPECT_EQ(u.unit, "360102001002");
  AuditRow r = Audit().back();
  EXPECT_EQ(r.actor, kAdmin);
  EXPECT_EQ(r.target, "zhangsan");
  EXPECT_EQ(r.detail["before"],
            nlohmann::json::parse(R"({"display_name":"张三","unit":"360102001001"})"));
  EXPECT_EQ(r.detail["after"],
            nlohmann::json::parse(R"({"display_name":"张三丰","unit":"360102001002"})"));

  // Nothing changes: nothing is written.
  ASSERT_TRUE(users_->UpdateUser(kAdmin, "zhangsan", RoleChange("village_clerk")).ok());
  EXPECT_EQ(Audit().size(), 2u);

  EXPECT_EQ(users_->UpdateUser(kAdmin, "nobody", RoleChange("x")).code(), StatusCode::kNotFound);
  EXPECT_EQ(users_->UpdateUser(kAdmin, "zhangsan", RoleChange("")).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(UserStoreTest, ResetPasswordEndsSessionsAndMustBeChanged) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  for (int i = 0; i < 5; ++i) ExpectLoginFails("zhangsan", "Wrong#password1");
  auto pw = users_->ResetPassword(kAdmin, "zhangsan");
  ASSERT_TRUE(pw.ok()) << pw.status().ToString();
  EXPECT_EQ(Sessions(), 0);
  ExpectExpired(s.token);
  User u = MustGet("zhangsan");
  EXPECT_TRUE(u.must_change_password);
  EXPECT_EQ(u.locked_until, 0);
  ExpectLoginFails("zhangsan", kPassword);
  Session again = MustLogin("zhangsan", *pw);
  EXPECT_TRUE(again.user.must_change_password);

  AuditRow reset;
  for (const AuditRow& r : Audit()) {
    if (r.action == "user_change" && r.detail["op"] == "reset_password") reset = r;
  }
  EXPECT_EQ(reset.detail["after"]["must_change_password"], true);
  EXPECT_EQ(TableText("_audit").find(*pw), std::string::npos);
  EXPECT_EQ(users_->ResetPassword(kAdmin, "nobody").status().message(), "没有用户 nobody");
}

TEST_F(UserStoreTest, ChangePassword) {
  auto generated = users_->AddUser(kAdmin, {"zhangsan", "张三", "clerk", "", ""});
  ASSERT_TRUE(generated.ok());
  const std::string old_pw = *generated;
  Session mine = MustLogin("zhangsan", old_pw);
  Session other = MustLogin("zhangsan", old_pw);

  Status wrong = users_->ChangePassword("zhangsan", "Not#theOld123", kPassword, mine.token);
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong.message().rfind("原密码不正确", 0), 0u) << wrong.message();
  Status same = users_->ChangePassword("zhangsan", old_pw, old_pw, mine.token);
  EXPECT_EQ(same.message(), "新密码不能与原密码相同");
  Status weak = users_->ChangePassword("zhangsan", old_pw, "short", mine.token);
  EXPECT_EQ(weak.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(weak.message().find("至少需要"), std::string::npos) << weak.message();
  EXPECT_EQ(Sessions(), 2);
  // A wrong old password counts like a failed login (a guesser at a signed-in PC).
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 1);

  Status ok = users_->ChangePassword("ZhangSan", old_pw, kPassword, mine.token);
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_FALSE(MustGet("zhangsan").must_change_password);
  EXPECT_TRUE(users_->Authenticate(mine.token).ok());
  ExpectExpired(other.token);
  EXPECT_EQ(Sessions(), 1);
  ExpectLoginFails("zhangsan", old_pw);
  MustLogin("zhangsan", kPassword);

  AuditRow change;
  for (const AuditRow& r : Audit()) {
    if (r.action == "user_change" && r.detail["op"] == "change_password") change = r;
  }
  EXPECT_EQ(change.actor, "zhangsan");
  EXPECT_EQ(change.detail["before"], nlohmann::json::parse(R"({"must_change_password":true})"));
  EXPECT_EQ(change.detail["after"], nlohmann::json::parse(R"({"must_change_password":false})"));
  const std::string audit_text = TableText("_audit");
  EXPECT_EQ(audit_text.find(kPassword), std::string::npos);
  EXPECT_EQ(audit_text.find(old_pw), std::string::npos);

  // Without keep_token every session ends.
  ASSERT_TRUE(users_->ChangePassword("zhangsan", kPassword, "Another#pass99").ok());
  EXPECT_EQ(Sessions(), 0);
  EXPECT_EQ(users_->ChangePassword("nobody", "a", "b").code(), StatusCode::kNotFound);
}

// Guessing the old password from a signed-in session locks the account after five tries and
// ends its sessions, as five wrong logins would.
TEST_F(UserStoreTest, GuessingTheOldPasswordLocksAndEndsSessions) {
  Add("zhangsan");
  Session mine = MustLogin("zhangsan", kPassword);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(users_->ChangePassword("zhangsan", "Guess#number" + std::to_string(i), "New#pass12345",
                                     mine.token)
                  .code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(Sessions(), 0);
  ExpectExpired(mine.token);
  ExpectLoginFails("zhangsan", kPassword);  // locked
  int lockouts = 0;
  for (const AuditRow& r : Audit()) lockouts += r.action == "lockout";
  EXPECT_EQ(lockouts, 1);
}

TEST_F(UserStoreTest, AnActionWhoseAuditEntryFailsChangesNothing) {
  Add("zhangsan");
  Session s = MustLogin("zhangsan");
  ExpectLoginFails("zhangsan", "Wrong#password1");
  const int64_t entries = Count("SELECT COUNT(*) FROM _audit");
  // The same broken audit table on both stores; only the trigger syntax differs.
  const bool pg = std::string(store_->dialect().Name()) == "postgresql";
  if (pg) {
    Status created = store_->ExecuteScript(
        "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN RAISE EXCEPTION 'audit broken'; END$$; "
        "CREATE TRIGGER no_audit BEFORE INSERT ON _audit FOR EACH ROW "
        "EXECUTE FUNCTION no_audit();");
    ASSERT_TRUE(created.ok()) << created.ToString();
  } else {
    Exec(
        "CREATE TRIGGER no_audit BEFORE INSERT ON _audit "
        "BEGIN SELECT RAISE(ABORT, 'audit broken'); END;");
  }

  auto add = users_->AddUser(kAdmin, {"lisi", "李四", "clerk", "", kPassword});
  ASSERT_FALSE(add.ok());
  EXPECT_NE(add.status().log_message().find("audit broken"), std::string::npos);
  EXPECT_EQ(users_->GetUser("lisi").status().code(), StatusCode::kNotFound);

  auto login = users_->Login("zhangsan", kPassword, "127.0.0.1");
  ASSERT_FALSE(login.ok());
  EXPECT_NE(login.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Sessions(), 1);
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 1);

  auto failed = users_->Login("zhangsan", "Wrong#password1", "127.0.0.1");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(MustGet("zhangsan").failed_logins, 1);

  EXPECT_FALSE(users_->UpdateUser(kAdmin, "zhangsan", Disabled(true)).ok());
  EXPECT_FALSE(MustGet("zhangsan").disabled);
  EXPECT_TRUE(users_->Authenticate(s.token).ok());

  EXPECT_FALSE(users_->ResetPassword(kAdmin, "zhangsan").ok());
  EXPECT_FALSE(users_->ChangePassword("zhangsan", kPassword, "Another#pass99").ok());
  EXPECT_FALSE(users_->Logout(s.token).ok());
  EXPECT_TRUE(users_->Authenticate(s.token).ok());
  EXPECT_FALSE(MustGet("zhangsan").must_change_password);

  Exec(pg ? "DROP TRIGGER no_audit ON _audit" : "DROP TRIGGER no_audit");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM _audit"), entries);
  MustLogin("zhangsan", kPassword);
}

TEST_F(UserStoreTest, EndSessionsCountsThem) {
  Add("zhangsan");
  Add("lisi");
  Session s = MustLogin("zhangsan");
  MustLogin("zhangsan");
  Session keep = MustLogin("lisi");
  auto n = users_->EndSessions(s.user.id);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  ExpectExpired(s.token);
  EXPECT_TRUE(users_->Authenticate(keep.token).ok());
}

}  // namespace
}  // namespace tz::auth
