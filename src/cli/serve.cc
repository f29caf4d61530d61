// taizhang serve: the JSON API over HTTP until SIGTERM or SIGINT, then a graceful stop.
#include <signal.h>
#include <sys/stat.h>

#include <charconv>
#include <cstdio>

#include "cli/commands.h"
#include "server/api.h"
#include "server/http_server.h"
#include "auth/user_store.h"
#include "server/static_files.h"
#include "service/database_pool.h"
#include "store/store.h"

namespace tz::cli {
namespace {

bool NoAccountsYet(service::Database& db) {
  auth::AuditLog log(db.store());
  auth::UserStore users(db.store(), log);
  Result<bool> any = users.AnyUser();
  return any.ok() && !*any;
}

}  // namespace

int RunServe(const Args& args) {
  server::HttpServerOptions options;
  options.host = args.Get("--host", "127.0.0.1");
  const std::string port_text = args.Get("--port", "8080");
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    std::fprintf(stderr, "错误：--port 应为 0 到 65535 的整数\n");
    return 2;
  }
  options.port = static_cast<uint16_t>(port);

  // Every file the server creates — uploads, reports and PDF work directories in $TMPDIR — is for
  // this account only: other users of a shared machine must not read a report or a ledger upload.
  // (The database keeps the mode `init` gave it; SQLite gives its -wal and -shm files the same.)
  umask(077);

  // One connection per server thread: a request never waits for a connection, and each thread's
  // transactions are its own.
  auto pool = service::DatabasePool::Open(args.db, options.threads);
  if (!pool.ok()) return Fail(pool.status());

  server::Router router;
  server::SessionOptions session;
  // Behind a TLS proxy that does not send X-Forwarded-Proto, the cookie is still marked Secure.
  session.always_secure = args.Has("--secure-cookies");
  server::AddApiRoutes(router, **pool, session);

  // The web app: --web DIR, else the default places; without it the API still works.
  const std::string web_dir = args.Has("--web") ? args.Get("--web") : server::DefaultWebDir();
  std::string web_note;
  if (!web_dir.empty()) {
    auto files = server::StaticFiles::Load(web_dir);
    if (!files.ok()) return Fail(files.status());
    std::shared_ptr<const server::StaticFiles> f = *files;
    router.SetFallback([f](const server::HttpRequest& r, const server::PathParams&) {
      return f->Serve(r);
    });
  } else {
    web_note = "（未找到网页文件，只提供 /api 接口；构建前端：cd web && npm ci && npm run build）";
  }

  // Block the stop signals before the server's threads exist, so they inherit the mask and the
  // signals can only be taken here, by sigwait (no handler, no race with start-up).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  server::HttpServer http(std::move(router), options);
  auto bound = http.Start();
  if (!bound.ok()) return Fail(bound.status());
  std::printf("taizhang 已启动：http://%s:%u/\n", options.host.c_str(), unsigned{*bound});
  std::fflush(stdout);
  if (!web_note.empty()) std::fprintf(stderr, "%s\n", web_note.c_str());
  if (NoAccountsYet(*(*pool)->Acquire())) {
    std::fprintf(stderr,
                 "还没有任何账号：先创建管理员，如 taizhang --db %s user add admin --role admin "
                 "--local-admin\n",
                 store::DisplayLocation(args.db).c_str());
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "收到信号 %d，正在停止服务……\n", signal_number);
  http.Stop();
  std::fprintf(stderr, "服务已停止\n");
  return 0;
}

}  // namespace tz::cli
