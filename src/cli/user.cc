// taizhang user add | list | disable | enable | reset-password | unlock: accounts from the command
// line. The first administrator is made here (there is no default password): run as the local
// administrator, or as an account whose role has `users`.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "cli/commands.h"
#include "cli/identity.h"
#include "service/users_service.h"

namespace tz::cli {
namespace {

constexpr char kUserUsage[] =
    "用法: taizhang user add 用户名 --role 角色 [--unit 村或网格编号] [--display-name 姓名]\n"
    "      taizhang user list\n"
    "      taizhang user disable|enable|reset-password|unlock 用户名\n"
    "  （都需要 --local-admin 或 --user 有用户管理权限的账号）\n"
    "  add 的密码取自环境变量 TAIZHANG_NEW_PASSWORD（以 --local-admin 运行时也可用\n"
    "  TAIZHANG_PASSWORD）；没有时生成一个，首次登录须修改。\n";

std::string Time(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

int Add(service::Database& db, const auth::Principal& who, const Args& args) {
  auth::NewUser u;
  u.name = args.positional[1];
  u.role = args.Get("--role");
  u.unit = args.Get("--unit");
  u.display_name = args.Get("--display-name");
  // The new account's password: $TAIZHANG_NEW_PASSWORD, or — run as the local administrator,
  // when no one logs in — $TAIZHANG_PASSWORD. With --user that variable is the operator's own
  // password and must never become the new account's.
  if (const char* env = std::getenv("TAIZHANG_NEW_PASSWORD")) {
    u.password = env;
  } else if (const char* own = std::getenv("TAIZHANG_PASSWORD"); own && who.local_admin()) {
    u.password = own;
  }
  if (u.role.empty()) {
    std::fputs(kUserUsage, stderr);
    return 2;
  }
  const bool generated = u.password.empty();
  auto password = service::AddUserAs(db, who, u);
  if (!password.ok()) return Fail(password.status());
  std::fprintf(stderr, "已创建用户 %s（角色 %s）\n", u.name.c_str(), u.role.c_str());
  if (generated) {
    // The one time it is shown: on stdout, so a script can take it.
    std::printf("%s\n", password->c_str());
    std::fprintf(stderr, "上面是生成的初始密码，只显示这一次；首次登录时须修改。\n");
  }
  return 0;
}

int List(service::Database& db, const auth::Principal& who) {
  auto users = service::ListUsersAs(db, who);
  if (!users.ok()) return Fail(users.status());
  for (const service::UserView& v : *users) {
    std::string state = v.user.disabled ? "已停用" : v.locked ? "已锁定" : "正常";
    if (v.user.must_change_password) state += "，须改密码";
    std::printf("%-16s %-10s %-12s %-10s %s  %s\n", v.user.name.c_str(),
                v.user.display_name.c_str(), v.role_title.empty() ? v.user.role.c_str()
                                                                  : v.role_title.c_str(),
                v.unit_name.c_str(), state.c_str(), Time(v.user.created_at).c_str());
  }
  return 0;
}

}  // namespace

int RunUser(const Args& args) {
  const std::string sub = args.positional.empty() ? "" : args.positional[0];
  const size_t want = sub == "list" ? 1 : 2;
  static const char* kSubs[] = {"add", "list", "disable", "enable", "reset-password", "unlock"};
  bool known = false;
  for (const char* s : kSubs) known = known || sub == s;
  if (!known || args.positional.size() != want) {
    std::fputs(kUserUsage, stderr);
    return 2;
  }
  auto db = service::Database::Open(args.db);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  if (sub == "add") return Add(**db, *who, args);
  if (sub == "list") return List(**db, *who);
  const std::string& name = args.positional[1];
  if (sub == "disable" || sub == "enable") {
    auth::UserChange change;
    change.disabled = sub == "disable";
    Status s = service::UpdateUserAs(**db, *who, name, change);
    if (!s.ok()) return Fail(s);
    std::fprintf(stderr, "用户 %s 已%s\n", name.c_str(), sub == "disable" ? "停用，登录已全部结束" : "启用");
    return 0;
  }
  if (sub == "unlock") {
    Status s = service::UnlockAs(**db, *who, name);
    if (!s.ok()) return Fail(s);
    std::fprintf(stderr, "用户 %s 已解锁\n", name.c_str());
    return 0;
  }
  auto password = service::ResetPasswordAs(**db, *who, name);
  if (!password.ok()) return Fail(password.status());
  std::printf("%s\n", password->c_str());
  std::fprintf(stderr, "上面是用户 %s 的新初始密码，只显示这一次；首次登录时须修改。\n",
               name.c_str());
  return 0;
}

}  // namespace tz::cli
