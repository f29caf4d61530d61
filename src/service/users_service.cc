#include "service/users_service.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "base/strings.h"
#include "service/access.h"
#include "store/ledger_tables.h"

namespace tz::service {
namespace {

using store::SqlValue;

constexpr char kMinLength[] = "password.min_length";
constexpr char kMinClasses[] = "password.min_classes";

// A UserStore over this connection with the policy in force.
struct Accounts {
  auth::AuditLog log;
  auth::UserStore users;
  Accounts(Database& db, const auth::AuthPolicy& policy)
      : log(db.store()), users(db.store(), log, policy) {}
};

// The unit stored for a user of `role`: a village's code, a grid's key, or "" — checked against
// the role's scope.
Result<std::string> UnitForRole(Database& db, const pack::Role& role, const std::string& unit) {
  const std::string u(TrimSpace(unit));
  switch (role.scope) {
    case pack::RoleScope::kNone:
    case pack::RoleScope::kTown:
      if (!u.empty()) {
        return Status::InvalidArgument(
            Quoted(role.title) + "的数据范围是" +
                (role.scope == pack::RoleScope::kTown ? "全镇" : "无（不接触台账数据）") +
                "，不需要指定单位",
            "unit given for a role of scope " + std::string(pack::RoleScopeName(role.scope)));
      }
      return std::string();
    case pack::RoleScope::kVillage: {
      const pack::OrgUnit* v = db.catalog().org.FindVillage(u);
      if (!v) {
        return Status::InvalidArgument(Quoted(role.title) + "须指定所属村（社区）：" +
                                           (u.empty() ? "未填写" : Quoted(u) + "不是本镇的村"),
                                       "village role without a valid village");
      }
      return v->code;
    }
    case pack::RoleScope::kGrid: {
      if (u.empty()) {
        return Status::InvalidArgument(Quoted(role.title) + "须指定所属网格（网格编号）",
                                       "grid role without a grid");
      }
      TZ_ASSIGN_OR_RETURN(figures::Scope scope, db.engine().ResolveScope(db.store(), u));
      if (scope.level != pack::OrgLevel::kGrid) {
        return Status::InvalidArgument(Quoted(u) + "不是网格：" + Quoted(role.title) +
                                           "须指定网格编号",
                                       "grid role given a non-grid unit");
      }
      return scope.code;
    }
  }
  return std::string();
}

Result<const pack::Role*> FindRole(Database& db, const std::string& id) {
  const pack::Role* role = db.catalog().FindRole(id);
  if (role) return role;
  std::vector<std::string> ids;
  for (const pack::Role& r : db.catalog().roles) ids.push_back(r.id + "（" + r.title + "）");
  return Status::InvalidArgument(
      "没有角色" + Quoted(id) +
          (ids.empty() ? "：台账包没有定义角色（roles.txt）" : "（可选：" + Join(ids, "、") + "）"),
      "unknown role '" + id + "'");
}

}  // namespace

Result<auth::Principal> PrincipalFor(Database& db, const auth::User& user) {
  const pack::Role* role = db.catalog().FindRole(user.role);
  if (!role) {
    return Status::FailedPrecondition(
        "账号" + Quoted(user.name) + "的角色" + Quoted(user.role) + "已不在台账包中，请联系系统管理员",
        "user " + user.name + " has unknown role " + user.role);
  }
  // A town-wide role covers the whole tree: the town of a township database, the whole district
  // or city of a multi-town one.
  TZ_ASSIGN_OR_RETURN(figures::Scope root, db.engine().ResolveScope(db.store(), ""));
  if (role->scope == pack::RoleScope::kVillage || role->scope == pack::RoleScope::kGrid) {
    Result<figures::Scope> unit = db.engine().ResolveScope(db.store(), user.unit);
    const pack::OrgLevel want = role->scope == pack::RoleScope::kVillage ? pack::OrgLevel::kVillage
                                                                         : pack::OrgLevel::kGrid;
    if (user.unit.empty() || !unit.ok() || unit->level != want) {
      return Status::FailedPrecondition(
          "账号" + Quoted(user.name) + "的所属单位" + Quoted(user.unit) + "已不存在，请联系系统管理员",
          "user " + user.name + " has unknown unit " + user.unit);
    }
    root = std::move(unit).value();
  }
  return auth::Principal::ForUser(user.name, *role, std::move(root));
}

Result<SignedIn> SignIn(Database& db, const std::string& name, const std::string& password,
                        const std::string& remote, bool create_session) {
  TZ_ASSIGN_OR_RETURN(auth::AuthPolicy policy, LoadAuthPolicy(db));
  Accounts a(db, policy);
  TZ_ASSIGN_OR_RETURN(auth::Session session, a.users.Login(name, password, remote, create_session));
  Result<auth::Principal> who = PrincipalFor(db, session.user);
  if (!who.ok()) {
    // The account cannot act (its role or unit left the pack): no session is left behind.
    if (create_session) (void)a.users.Logout(session.token);
    return who.status();
  }
  return SignedIn{std::move(session), std::move(who).value()};
}

Result<SignedIn> ResumeSession(Database& db, const std::string& token) {
  // Timeouts are not settings: the default policy is the one in force.
  Accounts a(db, auth::AuthPolicy{});
  TZ_ASSIGN_OR_RETURN(auth::Session session, a.users.Authenticate(token));
  TZ_ASSIGN_OR_RETURN(auth::Principal who, PrincipalFor(db, session.user));
  return SignedIn{std::move(session), std::move(who)};
}

Status SignOut(Database& db, const std::string& token) {
  Accounts a(db, auth::AuthPolicy{});
  return a.users.Logout(token);
}

Status ChangeOwnPassword(Database& db, const std::string& name, const std::string& old_password,
                         const std::string& new_password, const std::string& keep_token) {
  TZ_ASSIGN_OR_RETURN(auth::AuthPolicy policy, LoadAuthPolicy(db));
  Accounts a(db, policy);
  return a.users.ChangePassword(name, old_password, new_password, keep_token);
}

Result<auth::AuthPolicy> LoadAuthPolicy(Database& db) {
  auth::AuthPolicy policy;
  TZ_ASSIGN_OR_RETURN(bool have, store::TableExists(db.store(), "_settings"));
  if (!have) return policy;
  TZ_RETURN_IF_ERROR(db.store().Query(
      {"SELECT key, value FROM _settings WHERE key IN (?, ?)",
       {std::string(kMinLength), std::string(kMinClasses)}},
      [&](const std::vector<SqlValue>& row) {
        const auto* key = std::get_if<std::string>(&row[0]);
        const auto* value = std::get_if<std::string>(&row[1]);
        if (!key || !value) return Status::Ok();
        int n = std::atoi(value->c_str());
        if (*key == kMinLength && n >= 8 && n <= 64) policy.password.min_length = n;
        if (*key == kMinClasses && n >= 1 && n <= 4) policy.password.min_classes = n;
        return Status::Ok();
      }));
  return policy;
}

Status SavePasswordPolicy(Database& db, const auth::Principal& who,
                          const auth::PasswordPolicy& policy) {
  TZ_RETURN_IF_ERROR(Require(db, who, "users"));
  if (policy.min_length < 8 || policy.min_length > 64) {
    return Status::InvalidArgument("密码最短长度应在 8 到 64 之间", "min_length out of range");
  }
  if (policy.min_classes < 1 || policy.min_classes > 4) {
    return Status::InvalidArgument("密码至少包含的字符种类应在 1 到 4 之间",
                                   "min_classes out of range");
  }
  TZ_ASSIGN_OR_RETURN(auth::AuthPolicy before, LoadAuthPolicy(db));
  store::Store& store = db.store();
  TZ_RETURN_IF_ERROR(store.ExecuteScript(
      "CREATE TABLE IF NOT EXISTS _settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
  store::Transaction tx(store);
  TZ_RETURN_IF_ERROR(tx.Begin());
  for (const auto& [key, value] :
       {std::pair<const char*, int64_t>{kMinLength, static_cast<int64_t>(policy.min_length)},
        {kMinClasses, policy.min_classes}}) {
    TZ_RETURN_IF_ERROR(store.Execute({"DELETE FROM _settings WHERE key = ?", {std::string(key)}}));
    TZ_RETURN_IF_ERROR(store.Execute({"INSERT INTO _settings (key, value) VALUES (?, ?)",
                                      {std::string(key), std::to_string(value)}}));
  }
  nlohmann::json detail = {
      {"before",
       {{"min_length", before.password.min_length}, {"min_classes", before.password.min_classes}}},
      {"after", {{"min_length", policy.min_length}, {"min_classes", policy.min_classes}}}};
  TZ_RETURN_IF_ERROR(AuditInTransaction(db, who, auth::audit_action::kSettingsChange,
                                        "password_policy", detail.dump()));
  return tx.Commit();
}

Result<std::string> AddUserAs(Database& db, const auth::Principal& who, auth::NewUser user) {
  TZ_RETURN_IF_ERROR(Require(db, who, "users"));
  TZ_ASSIGN_OR_RETURN(const pack::Role* role, FindRole(db, user.role));
  TZ_ASSIGN_OR_RETURN(user.unit, UnitForRole(db, *role, user.unit));
  user.role = role->id;
  TZ_ASSIGN_OR_RETURN(auth::AuthPolicy policy, LoadAuthPolicy(db));
  Accounts a(db, policy);
  return a.users.AddUser(who.actor(), user);
}

Result<std::vector<UserView>> ListUsersAs(Database& db, const auth::Principal& who) {
  TZ_RETURN_IF_ERROR(Require(db, who, "users"));
  Accounts a(db, auth::AuthPolicy{});
  TZ_ASSIGN_OR_RETURN(std::vector<auth::User> users, a.users.ListUsers());
  const int64_t now = auth::UserStore::SystemNow();
  std::vector<UserView> out;
  for (auth::User& u : users) {
    UserView v;
    if (const pack::Role* role = db.catalog().FindRole(u.role)) {
      v.role_title = role->title;
      if (!u.unit.empty()) {
        Result<figures::Scope> unit = db.engine().ResolveScope(db.store(), u.unit);
        if (unit.ok()) v.unit_name = unit->name;
      }
    }
    v.locked = u.locked_until > now;
    v.user = std::move(u);
    out.push_back(std::move(v));
  }
  return out;
}

Status UpdateUserAs(Database& db, const auth::Principal& who, const std::string& name,
                    const auth::UserChange& change) {
  TZ_RETURN_IF_ERROR(Require(db, who, "users"));
  Accounts a(db, auth::AuthPolicy{});
  TZ_ASSIGN_OR_RETURN(auth::User current, a.users.GetUser(name));
  // One's own account: disabling it or changing its role or unit could leave no administrator
  // (and a role change would widen one's own rights without a second person).
  if (!who.local_admin() && current.name == who.actor()) {
    if (change.disabled.value_or(false)) {
      return Status::InvalidArgument("不能停用自己的账号", "user tried to disable itself");
    }
  }
  auth::UserChange checked = change;
  if (change.role || change.unit) {
    TZ_ASSIGN_OR_RETURN(const pack::Role* role, FindRole(db, change.role.value_or(current.role)));
    TZ_ASSIGN_OR_RETURN(std::string unit,
                        UnitForRole(db, *role, change.unit.value_or(current.unit)));
    checked.role = role->id;
    checked.unit = unit;
    if (!who.local_admin() && current.name == who.actor() &&
        (role->id != current.role || unit != current.unit)) {
      return Status::InvalidArgument("不能更改自己的角色或所属单位，请由另一位管理员操作",
                                     "user tried to change its own role or unit");
    }
  }
  return a.users.UpdateUser(who.actor(), name, checked);
}

Result<std::string> ResetPasswordAs(Database& db, const auth::Principal& who,
                                    const std::string& name) {
  TZ_RETURN_IF_ERROR(Require(db, who, "users"));
  Accounts a(db, auth::AuthPolicy{});
  return a.users.ResetPassword(who.actor(), name);
}

Status UnlockAs(Database& db, const auth::Principal& who, const std::string& name) {
  TZ_RETURN_IF_ERROR(Require(db, who, "users"));
  Accounts a(db, auth::AuthPolicy{});
  return a.users.Unlock(who.actor(), name);
}

}  // namespace tz::service
