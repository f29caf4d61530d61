#include "cli/identity.h"

#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "service/users_service.h"

namespace tz::cli {
namespace {

// A line from the terminal without echo, or from a pipe as it comes.
std::string ReadPassword(const std::string& prompt) {
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  termios old_mode{};
  const bool have_mode = tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (have_mode) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (have_mode) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old_mode);
  std::fprintf(stderr, "\n");
  return line;
}

}  // namespace

std::string OsUser() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
  const char* user = std::getenv("USER");
  return user ? user : "";
}

Result<auth::Principal> CommandPrincipal(service::Database& db, const Args& args) {
  const bool local = args.Has("--local-admin");
  const bool user = args.Has("--user");
  if (local == user) {
    return Status::Unauthenticated(
        local ? "--user 与 --local-admin 只能选一个"
              : "请用 --user 用户名 指定操作人（密码取自环境变量 TAIZHANG_PASSWORD 或在终端输入），"
                "或用 --local-admin 以本机管理员身份运行（会记入审计日志）",
        "no identity given for a data command");
  }
  if (local) return auth::Principal::LocalAdmin(db.catalog(), OsUser());
  const std::string name = args.Get("--user");
  const char* env = std::getenv("TAIZHANG_PASSWORD");
  const std::string password = env ? env : ReadPassword("用户 " + name + " 的密码：");
  TZ_ASSIGN_OR_RETURN(service::SignedIn in,
                      service::SignIn(db, name, password, "cli", /*create_session=*/false));
  if (in.session.user.must_change_password) {
    return Status::PermissionDenied("请先在网页上登录并修改初始密码",
                                    "password change required before CLI use");
  }
  return std::move(in.principal);
}

}  // namespace tz::cli
