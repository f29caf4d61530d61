// Two `taizhang serve` processes on one PostgreSQL database behind nginx, round-robin (issue 7:
// "sessions and caches must not assume a single process"). nginx runs one worker, so consecutive
// requests go to alternate servers and every check below spans both processes: a session made by
// one is honoured by the other, a record written through one is read — and counted in a figure —
// through the other, a logout through one ends the session on the other, and audited requests
// sent concurrently to both append to one hash chain that `taizhang audit verify` finds intact and
// exactly as long as the requests made it.
//
// PostgreSQL only (one SQLite file is one machine's): skipped when TZ_TEST_PG is not set, failed
// when TZ_TEST_PG_REQUIRED=1. Needs nginx (Debian nginx-light) at /usr/sbin/nginx, likewise.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "auth/audit_log.h"
#include "base/checks.h"
#include "cli/test_shell.h"
#include "server/test_http_client.h"
#include "server/test_process.h"
#include "store/test_database.h"

#ifndef TZ_BINARY
#error "TZ_BINARY must name the taizhang binary"
#endif

namespace tz {
namespace {

using nlohmann::json;
using cli::testing::CmdResult;
using cli::testing::RunShell;
using server::testing::ChildProcess;
using server::testing::Fetch;
using server::testing::RawResponse;
using server::testing::ServePortOf;
using store::testing::TestDatabase;

constexpr char kNginx[] = "/usr/sbin/nginx";
constexpr char kPassword[] = "Multi-Process-2024";
constexpr int kServers = 2;

// A port of 127.0.0.1 that was free a moment ago: nginx takes its port from its configuration
// file, it cannot choose one and say which.
uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

// A valid resident ID number, a different one for each n below 1000 (born 1950-01-01).
std::string IdNumber(int n) {
  std::string first17 = std::to_string(1000 + n % 1000);
  first17 = "36090219500101" + first17.substr(1);
  return first17 + ResidentIdCheckChar(first17);
}

// A new 特困 record of 院前村, recognised on 2022-03-01: one more person in 2022H1's tekun.persons.
std::string NewTekun(int n) {
  return json{{"cells",
               {{"身份证号", IdNumber(n)}, {"姓名", "多进程" + std::to_string(n)},
                {"所属村", "院前村"}, {"供养方式", "集中供养"}, {"认定日期", "2022-03-01"},
                {"是否建档立卡", "是"}}}}
      .dump();
}

bool Required() {
  const char* v = std::getenv("TZ_TEST_PG_REQUIRED");
  return v && std::string(v) == "1";
}

std::string ReadAll(const std::string& path) {
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return s.str();
}

class MultiProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TZ_REQUIRE_TEST_DATABASE(db_);
    if (access(kNginx, X_OK) != 0) {
      if (Required()) FAIL() << kNginx << " is missing (Debian package nginx-light)";
      GTEST_SKIP() << kNginx << " is missing (Debian package nginx-light)";
    }
    char dir[] = "/tmp/tz_multiprocess_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    // By PID, nginx first (nothing then reaches the servers); the destructors would do the same.
    nginx_.Stop();
    for (ChildProcess& s : servers_) s.Stop();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // `taizhang ARGS` on the test database, `env` before it ("NAME=value"): its exit code and
  // stdout; its stderr goes to dir_/cli.log, shown when a step fails.
  CmdResult Taizhang(const std::string& args, const std::string& env = "") {
    return RunShell(env + " " + TZ_BINARY + " --db '" + db_.location() + "' " + args + " 2>>'" +
                    dir_ + "/cli.log'");
  }

  // The number of entries `audit verify` checked, or -1 when it did not find the chain intact.
  int64_t VerifiedAuditEntries() {
    CmdResult r = Taizhang("audit verify --local-admin");
    std::smatch m;
    EXPECT_EQ(r.code, 0) << r.out << ReadAll(dir_ + "/cli.log");
    if (r.code != 0 || !std::regex_search(r.out, m, std::regex("审计日志完整：(\\d+) 条"))) {
      ADD_FAILURE() << "audit verify said: " << r.out;
      return -1;
    }
    return std::stoll(m[1]);
  }

  // nginx in the foreground, one worker, round-robin over the servers, on a free port of
  // 127.0.0.1; every path (pid, logs, temporary files) inside dir_/nginx. Each answer says which
  // server made it (X-Upstream). Retries on another port when the one chosen was taken meanwhile.
  void StartNginx() {
    const std::string dir = dir_ + "/nginx";
    std::filesystem::create_directories(dir);
    for (int attempt = 0; attempt < 3; ++attempt) {
      nginx_port_ = FreePort();
      ASSERT_NE(nginx_port_, 0);
      std::ofstream conf(dir + "/nginx.conf");
      // As root the master would hand the worker to `nobody`, which cannot enter dir_ (0700).
      if (geteuid() == 0) conf << "user root root;\n";
      conf << "worker_processes 1;\n"
           << "pid " << dir << "/nginx.pid;\n"
           << "error_log " << dir << "/error.log warn;\n"
           << "events { worker_connections 256; }\n"
           << "http {\n"
           << "  access_log " << dir << "/access.log;\n";
      for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
        conf << "  " << temp << "_temp_path " << dir << "/" << temp << "_temp;\n";
      }
      // max_fails=0: a server that fails is not taken out of the rotation (its failures must
      // show), and proxy_next_upstream off: nor is a failed request retried on the other one.
      conf << "  upstream taizhang {\n";
      for (uint16_t port : ports_) {
        conf << "    server 127.0.0.1:" << port << " max_fails=0;\n";
      }
      conf << "    keepalive 8;\n"
           << "  }\n"
           << "  server {\n"
           << "    listen 127.0.0.1:" << nginx_port_ << ";\n"
           << "    client_max_body_size 70m;\n"
           << "    location / {\n"
           << "      proxy_pass http://taizhang;\n"
           << "      proxy_http_version 1.1;\n"
           << "      proxy_set_header Connection \"\";\n"
           << "      proxy_set_header Host $host;\n"
           << "      proxy_next_upstream off;\n"
           << "      add_header X-Upstream $upstream_addr always;\n"
           << "    }\n"
           << "  }\n"
           << "}\n";
      conf.close();
      ASSERT_TRUE(nginx_.Start({kNginx, "-p", dir, "-c", dir + "/nginx.conf", "-e",
                                dir + "/error.log", "-g", "daemon off;"},
                               dir + "/stderr.log"));
      // Ready when /api/health answers through it (two answers: one from each server).
      int healthy = 0;
      for (int i = 0; i < 500 && healthy < kServers && nginx_.Running(); ++i) {
        if (Fetch(nginx_port_, "GET", "/api/health").status == 200) {
          ++healthy;
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      }
      if (healthy == kServers) return;
      nginx_.Stop();
    }
    FAIL() << "nginx did not start: " << ReadAll(dir + "/error.log") << ReadAll(dir + "/stderr.log");
  }

  // A request through nginx.
  RawResponse Via(const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& headers = "") {
    return Fetch(nginx_port_, method, target, body, headers);
  }

  // Signs in as zhen through nginx: the headers of the session (cookie and CSRF token).
  std::string SignIn() {
    RawResponse r = Via("POST", "/api/auth/login",
                        json{{"user", "zhen"}, {"password", kPassword}}.dump(),
                        "Content-Type: application/json\r\n");
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.headers["set-cookie"];
    json j = json::parse(r.body, nullptr, false);
    if (r.status != 200 || !j.is_object() || !j.contains("csrf")) return "";
    return "Cookie: " + cookie.substr(0, cookie.find(';')) +
           "\r\nX-CSRF-Token: " + j["csrf"].get<std::string>() + "\r\n";
  }

  std::string ServerLogs() {
    std::string logs;
    for (int i = 0; i < kServers; ++i) {
      logs += "\n--- serve " + std::to_string(i) + ":\n" +
              ReadAll(dir_ + "/serve" + std::to_string(i) + ".log");
    }
    return logs;
  }

  TestDatabase db_{"multiprocess", TestDatabase::Kind::kPostgres};
  std::string dir_;
  ChildProcess servers_[kServers];
  uint16_t ports_[kServers] = {};
  ChildProcess nginx_;
  uint16_t nginx_port_ = 0;
};

TEST_F(MultiProcessTest, SessionsWritesAndTheAuditChainSpanServersBehindNginx) {
  // ---- One database, two servers, nginx in front.
  CmdResult demo = Taizhang("demo --local-admin");
  ASSERT_EQ(demo.code, 0) << demo.out << ReadAll(dir_ + "/cli.log");
  CmdResult add = Taizhang("user add zhen --role town_cadre --local-admin",
                           std::string("TAIZHANG_PASSWORD='") + kPassword + "'");
  ASSERT_EQ(add.code, 0) << add.out << ReadAll(dir_ + "/cli.log");
  std::map<std::string, int> server_of;  // "127.0.0.1:PORT" (X-Upstream) → 0 or 1
  for (int i = 0; i < kServers; ++i) {
    const std::string line = server::testing::StartServe(
        servers_[i], TZ_BINARY, db_.location(), {}, dir_ + "/serve" + std::to_string(i) + ".log");
    ports_[i] = ServePortOf(line);
    ASSERT_NE(ports_[i], 0) << line << ServerLogs();
    server_of["127.0.0.1:" + std::to_string(ports_[i])] = i;
  }
  ASSERT_NO_FATAL_FAILURE(StartNginx());
  // Which server answered: 0 or 1, -1 when nginx does not say.
  auto server = [&](RawResponse& r) {
    auto it = server_of.find(r.headers["x-upstream"]);
    return it == server_of.end() ? -1 : it->second;
  };

  // ---- One session, its requests alternating between the servers: reads, and writes whose
  // results the other server reads back at once.
  const std::string as = SignIn();
  ASSERT_FALSE(as.empty());
  const std::string records = "/api/ledgers/tekun/records";
  const std::string persons = "/api/figures?period=2022H1&ids=tekun.persons";
  auto figure = [&](RawResponse& r) -> int64_t {
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.contains("figures") || j["figures"].empty()) return -1;
    return j["figures"][0]["value"].is_number() ? j["figures"][0]["value"].get<int64_t>() : -1;
  };
  std::vector<int> answered_by;  // the server of each request, in order
  int served[kServers] = {};
  auto note = [&](RawResponse& r, const std::string& what) {
    const int s = server(r);
    EXPECT_NE(s, -1) << what << ": X-Upstream " << r.headers["x-upstream"];
    answered_by.push_back(s);
    if (s >= 0) ++served[s];
  };
  RawResponse first = Via("GET", persons, "", as);
  ASSERT_EQ(first.status, 200) << first.body << ServerLogs();
  note(first, "figures");
  int64_t expected_persons = figure(first);
  ASSERT_GT(expected_persons, 0) << first.body;
  RawResponse list = Via("GET", records + "?page=2&page_size=50", "", as);
  ASSERT_EQ(list.status, 200) << list.body;
  note(list, "records");
  int64_t expected_total = json::parse(list.body)["total"].get<int64_t>();

  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    RawResponse me = Via("GET", "/api/auth/me", "", as);
    EXPECT_EQ(me.status, 200) << me.body;
    note(me, "me");

    RawResponse created = Via("POST", records, NewTekun(round), as + "Content-Type: application/json\r\n");
    ASSERT_EQ(created.status, 201) << created.body << ServerLogs();
    note(created, "create");
    ++expected_total;
    ++expected_persons;
    const int64_t id = json::parse(created.body)["id"].get<int64_t>();

    // The record, from the server that did not write it.
    RawResponse got = Via("GET", records + "/" + std::to_string(id), "", as);
    ASSERT_EQ(got.status, 200) << got.body;
    note(got, "read back");
    EXPECT_NE(answered_by.back(), answered_by[answered_by.size() - 2]) << "written and read by one";
    EXPECT_EQ(json::parse(got.body)["cells"]["姓名"], "多进程" + std::to_string(round));

    RawResponse page = Via("GET", records + "?page=2&page_size=50", "", as);
    ASSERT_EQ(page.status, 200) << page.body;
    note(page, "records");
    json p = json::parse(page.body);
    EXPECT_EQ(p["total"], expected_total);
    // New records come last in the default order: page 2 grows with every one of them.
    EXPECT_EQ(static_cast<int64_t>(p["rows"].size()),
              std::clamp<int64_t>(expected_total - 50, 0, 50));

    RawResponse figures = Via("GET", persons, "", as);
    ASSERT_EQ(figures.status, 200) << figures.body;
    note(figures, "figures");
    EXPECT_EQ(figure(figures), expected_persons) << "a figure computed before the write, cached?";
  }
  // Strictly alternating, so each server answered half of them — the other's writes included.
  for (size_t i = 1; i < answered_by.size(); ++i) {
    EXPECT_NE(answered_by[i], answered_by[i - 1]) << "requests " << i - 1 << " and " << i;
  }
  EXPECT_EQ(served[0], served[1]);
  EXPECT_EQ(served[0] + served[1], 2 + 5 * kRounds);

  // ---- Logout through one server ends the session on the other (and on itself), however it is
  // reached: through nginx (both servers in turn) or directly.
  RawResponse out = Via("POST", "/api/auth/logout", "", as);
  ASSERT_EQ(out.status, 204) << out.body;
  const int logged_out_on = server(out);
  std::vector<int> refused_by;
  for (int i = 0; i < 2; ++i) {
    RawResponse me = Via("GET", "/api/auth/me", "", as);
    EXPECT_EQ(me.status, 401) << me.body;
    refused_by.push_back(server(me));
  }
  EXPECT_NE(refused_by[0], refused_by[1]);
  EXPECT_NE(std::find(refused_by.begin(), refused_by.end(), 1 - logged_out_on), refused_by.end());
  for (int i = 0; i < kServers; ++i) {
    EXPECT_EQ(Fetch(ports_[i], "GET", "/api/auth/me", "", as).status, 401) << "server " << i;
    EXPECT_EQ(Fetch(ports_[i], "POST", records, NewTekun(900 + i),
                    as + "Content-Type: application/json\r\n")
                  .status,
              401)
        << "a write with the ended session, server " << i;
  }

  // ---- Audited requests from several threads at once, to both servers: one login, creates,
  // writes refused for want of the CSRF token (audited as `denied`), one logout. The chain must
  // stay whole and grow by exactly these entries.
  const int64_t before = VerifiedAuditEntries();
  ASSERT_GE(before, 0);
  const std::string session = SignIn();
  ASSERT_FALSE(session.empty());
  const std::string cookie_only = session.substr(0, session.find("X-CSRF-Token"));
  constexpr int kThreads = 4, kCreates = 10;
  std::atomic<int> created{0}, denied{0};
  std::mutex mu;
  std::vector<std::string> failures;
  int concurrent_served[kServers] = {};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCreates; ++i) {
        RawResponse r = Via("POST", records, NewTekun(100 + t * kCreates + i),
                            session + "Content-Type: application/json\r\n");
        std::lock_guard<std::mutex> lock(mu);
        if (r.status == 201) {
          ++created;
        } else {
          failures.push_back(std::to_string(r.status) + " " + r.body);
        }
        const int s = server(r);
        if (s >= 0) ++concurrent_served[s];
      }
      RawResponse forged = Via("POST", records, NewTekun(500 + t),
                               cookie_only + "Content-Type: application/json\r\n");
      std::lock_guard<std::mutex> lock(mu);
      if (forged.status == 403 && forged.body.find("csrf_failed") != std::string::npos) {
        ++denied;
      } else {
        failures.push_back("forged: " + std::to_string(forged.status) + " " + forged.body);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: "
                                << (failures.empty() ? "" : failures[0]) << ServerLogs();
  EXPECT_EQ(created.load(), kThreads * kCreates);
  EXPECT_EQ(denied.load(), kThreads);
  EXPECT_GT(concurrent_served[0], 0);
  EXPECT_GT(concurrent_served[1], 0);
  RawResponse bye = Via("POST", "/api/auth/logout", "", session);
  EXPECT_EQ(bye.status, 204) << bye.body;

  const int64_t after = VerifiedAuditEntries();
  EXPECT_EQ(after, before + 1 + kThreads * kCreates + kThreads + 1);
  // And they are these entries: the log's tail by action (the export, audited before it
  // writes, is the last entry).
  const std::string exported = dir_ + "/audit.jsonl";
  CmdResult ex = Taizhang("audit export --format jsonl -o '" + exported + "' --local-admin");
  ASSERT_EQ(ex.code, 0) << ex.out << ReadAll(dir_ + "/cli.log");
  std::map<std::string, int> actions;
  std::ifstream in(exported);
  int64_t last_seq = 0;
  for (std::string line; std::getline(in, line);) {
    json e = json::parse(line, nullptr, false);
    ASSERT_FALSE(e.is_discarded()) << line;
    last_seq = e["seq"].get<int64_t>();
    if (last_seq > before) ++actions[e["action"].get<std::string>()];
  }
  EXPECT_EQ(last_seq, after + 1);
  EXPECT_EQ(actions, (std::map<std::string, int>{{auth::audit_action::kExport, 1},
                                                 {auth::audit_action::kLogin, 1},
                                                 {auth::audit_action::kRecordCreate,
                                                  kThreads * kCreates},
                                                 {auth::audit_action::kDenied, kThreads},
                                                 {auth::audit_action::kLogout, 1}}));

  // Every write landed once.
  RawResponse check = Fetch(ports_[0], "POST", "/api/auth/login",
                            json{{"user", "zhen"}, {"password", kPassword}}.dump(),
                            "Content-Type: application/json\r\n");
  ASSERT_EQ(check.status, 200);
  const std::string direct = "Cookie: " +
                             check.headers["set-cookie"].substr(0, check.headers["set-cookie"].find(';')) +
                             "\r\n";
  RawResponse total = Fetch(ports_[1], "GET", records + "?page_size=1", "", direct);
  ASSERT_EQ(total.status, 200) << total.body;
  EXPECT_EQ(json::parse(total.body)["total"], expected_total + kThreads * kCreates);

  // ---- Stopped by PID: nginx, then the servers, each exiting cleanly.
  EXPECT_EQ(nginx_.TerminateAndWait(5000), 0) << ReadAll(dir_ + "/nginx/error.log");
  for (int i = 0; i < kServers; ++i) {
    EXPECT_EQ(servers_[i].TerminateAndWait(5000), 0) << "server " << i << ServerLogs();
  }
}

}  // namespace
}  // namespace tz
