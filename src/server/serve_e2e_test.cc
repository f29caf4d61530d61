// `taizhang serve` end to end: the built binary on an initialised database and an ephemeral port,
// asked for its routes over HTTP, then stopped with SIGTERM. On SQLite, and again on PostgreSQL
// as "pg.ServeTest.*" (tz_pgtest). Several processes on one database: cli/multiprocess_pgtest.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>
#include <zlib.h>
#include <fstream>
#include <filesystem>
#include <sstream>

#include "server/test_http_client.h"
#include "server/test_process.h"
#include "store/test_database.h"

#ifndef TZ_BINARY
#error "TZ_BINARY must name the taizhang binary"
#endif

namespace {

using nlohmann::json;
using tz::server::testing::ChildProcess;
using tz::server::testing::Fetch;
using tz::server::testing::ServePortOf;
using tz::server::testing::TestConnection;

// The database is a SQLite file, or a PostgreSQL database in the "pg." run (tz_pgtest): the
// server behaves the same on both. dir_ holds what is not the database: the server's log and the
// web app's files.
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_serve_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    TZ_REQUIRE_TEST_DATABASE(test_db_);
    db_ = test_db_.location();
    std::string init = std::string(TZ_BINARY) + " --db '" + db_ + "' init >/dev/null 2>&1";
    ASSERT_EQ(system(init.c_str()), 0);
    // A town cadre (镇干部) to sign in as: the first account, made from the command line.
    std::string add = std::string("TAIZHANG_PASSWORD='") + kPassword + "' " + TZ_BINARY +
                      " --db '" + db_ +
                      "' user add zhen --role town_cadre --local-admin >/dev/null 2>&1";
    ASSERT_EQ(system(add.c_str()), 0);
  }

  static constexpr char kPassword[] = "Serve-Test-2024";

  // Signs in as zhen: the headers every later request sends (cookie, CSRF token).
  std::string SignIn(uint16_t port) {
    auto r = Fetch(port, "POST", "/api/auth/login",
                   json{{"user", "zhen"}, {"password", kPassword}}.dump(),
                   "Content-Type: application/json\r\n");
    EXPECT_EQ(r.status, 200) << r.body;
    cookie_header_ = r.headers["set-cookie"];
    std::string cookie = cookie_header_.substr(0, cookie_header_.find(';'));
    std::string csrf = json::parse(r.body)["csrf"];
    return "Cookie: " + cookie + "\r\nX-CSRF-Token: " + csrf + "\r\n";
  }
  std::string cookie_header_;  // the Set-Cookie of the last SignIn
  void TearDown() override {
    serve_.Kill();
    if (!dir_.empty()) {
      ASSERT_EQ(system(("rm -rf '" + dir_ + "'").c_str()), 0);
    }
  }

  // Starts `taizhang serve --port 0 [extra…]`; returns the first line it prints (empty after 10 s).
  std::string StartServe(std::vector<std::string> extra = {}) {
    return tz::server::testing::StartServe(serve_, TZ_BINARY, db_, extra, dir_ + "/serve.log");
  }

  // The exit code after SIGTERM, or -1 when it has not exited within `ms`.
  int TerminateAndWait(int ms) { return serve_.TerminateAndWait(ms); }

  tz::store::testing::TestDatabase test_db_{"serve"};
  std::string dir_, db_;
  ChildProcess serve_;
};

TEST_F(ServeTest, ServesHealthAndOrgThenStopsOnSigterm) {
  std::string line = StartServe();
  const uint16_t port = ServePortOf(line);
  ASSERT_NE(port, 0) << line;

  auto health = Fetch(port, "GET", "/api/health");
  ASSERT_EQ(health.status, 200);
  json h = json::parse(health.body);
  EXPECT_EQ(h["ok"], true);
  EXPECT_GT(h["ledgers"].get<int>(), 40);

  EXPECT_EQ(Fetch(port, "GET", "/api/org").status, 401);  // only for signed-in accounts
  const std::string as = SignIn(port);
  auto org = Fetch(port, "GET", "/api/org", "", as);
  ASSERT_EQ(org.status, 200);
  json o = json::parse(org.body);
  EXPECT_EQ(o["town"]["code"], "360902117");
  EXPECT_FALSE(o["town"]["name"].get<std::string>().empty());
  EXPECT_TRUE(o["town"]["region"].is_array());
  ASSERT_EQ(o["villages"].size(), 10u);
  bool found = false;
  for (const json& v : o["villages"]) {
    EXPECT_EQ(v["code"].get<std::string>().size(), 12u);
    EXPECT_TRUE(v["aliases"].is_array());
    if (v["name"] == "院前村") found = true;
  }
  EXPECT_TRUE(found);

  EXPECT_EQ(Fetch(port, "GET", "/api/nothing").status, 404);
  EXPECT_EQ(TerminateAndWait(2000), 0);
}

TEST_F(ServeTest, MissingDatabaseFailsWithExitCode1) {
  // A file that is not there, or on PostgreSQL a database of the server that is not there.
  std::string missing = dir_ + "/none.db";
  if (tz::store::testing::TestDatabase::OnPostgres()) {
    const size_t query = db_.find('?');
    missing = db_.substr(0, query) + "_none" + (query == std::string::npos ? "" : db_.substr(query));
  }
  std::string cmd =
      std::string(TZ_BINARY) + " --db '" + missing + "' serve --port 0 2>/dev/null";
  int status = system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

TEST_F(ServeTest, BadPortIsAUsageError) {
  std::string cmd =
      std::string(TZ_BINARY) + " --db '" + db_ + "' serve --port 70000 2>/dev/null";
  int status = system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

// Writes from several connections at once (each server thread has its own database connection),
// an oversized body refused before it is read, and the web app's files.
TEST_F(ServeTest, WritesConcurrentlyRefusesHugeBodiesAndServesTheWebApp) {
  std::filesystem::create_directories(dir_ + "/web/assets");
  std::ofstream(dir_ + "/web/index.html") << "<!doctype html><title>台账</title>";
  std::ofstream(dir_ + "/web/assets/app-1a2b.js") << "console.log(1)";
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "export const 台账" + std::to_string(i) + " = 1;\n";
  std::ofstream(dir_ + "/web/assets/big-9f8e.js") << big;
  // A file next to the web directory, where a SQLite database would be: never served.
  std::ofstream(dir_ + "/t.db") << std::string("SQLite format 3\0", 16);
  const uint16_t port = ServePortOf(StartServe({"--web", dir_ + "/web"}));
  ASSERT_NE(port, 0);
  const std::string records = "/api/ledgers/tekun/records";
  const std::string as = SignIn(port);

  // 80 MB declared: 413 from the header alone, nothing written.
  {
    TestConnection c(port);
    ASSERT_TRUE(c.Send("POST " + records + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 83886080\r\n\r\n{\"cells\":"));
    auto r = c.Read(false);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(json::parse(r.body)["error"]["code"], "payload_too_large");
  }

  // 4 clients × 10 creates, with list reads in between: every create lands exactly once.
  auto body = [](int n) {
    // Valid ID numbers: 36090219500101 + a 3-digit sequence + check digit.
    std::string base = "36090219500101" + std::to_string(100 + n);
    const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (base[static_cast<size_t>(i)] - '0') * w[i];
    std::string id = base + "10X98765432"[sum % 11];
    return json{{"cells",
                 {{"身份证号", id}, {"姓名", "测试" + std::to_string(n)}, {"所属村", "院前村"},
                  {"供养方式", "集中供养"}, {"认定日期", "2022-03-01"}, {"是否建档立卡", "是"}}}}
        .dump();
  };
  std::vector<std::thread> clients;
  std::atomic<int> created{0}, listed{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        if (Fetch(port, "POST", records, body(t * 10 + i), as).status == 201) ++created;
        if (Fetch(port, "GET", records + "?page_size=5", "", as).status == 200) ++listed;
      }
    });
  }
  for (std::thread& c : clients) c.join();
  EXPECT_EQ(created.load(), 40);
  EXPECT_EQ(listed.load(), 40);
  EXPECT_EQ(json::parse(Fetch(port, "GET", records, "", as).body)["total"], 40);

  // The web app: files by path, the app's pages get index.html, nothing outside the directory.
  auto index = Fetch(port, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("台账"), std::string::npos);
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(Fetch(port, "GET", "/ledgers/tekun?page=2").body, index.body);
  auto js = Fetch(port, "GET", "/assets/app-1a2b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_NE(js.headers["cache-control"].find("immutable"), std::string::npos);
  // A large text file goes gzip-compressed to a browser that accepts it, as it is to others.
  {
    TestConnection c(port);
    ASSERT_TRUE(c.Send("GET /assets/big-9f8e.js HTTP/1.1\r\nHost: x\r\n"
                       "Accept-Encoding: gzip, deflate, br\r\n\r\n"));
    auto r = c.Read(false);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["content-encoding"], "gzip");
    EXPECT_LT(r.body.size(), big.size() / 4);
    std::string plain(big.size() + 1, '\0');
    uLongf plain_size = plain.size();
    z_stream z{};
    ASSERT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(r.body.data());
    z.avail_in = static_cast<uInt>(r.body.size());
    z.next_out = reinterpret_cast<Bytef*>(plain.data());
    z.avail_out = static_cast<uInt>(plain_size);
    EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    plain.resize(z.total_out);
    inflateEnd(&z);
    EXPECT_EQ(plain, big);
  }
  EXPECT_EQ(Fetch(port, "GET", "/assets/big-9f8e.js").body, big);  // no Accept-Encoding
  EXPECT_EQ(Fetch(port, "GET", "/assets/gone.js").status, 404);
  EXPECT_EQ(Fetch(port, "GET", "/assets/gone").status, 404);
  EXPECT_EQ(Fetch(port, "GET", "/favicon.ico").status, 404);
  EXPECT_EQ(Fetch(port, "GET", "/figures/dispute.rate?period=2022H1").body, index.body);
  EXPECT_EQ(Fetch(port, "GET", "/../t.db").body.find("SQLite"), std::string::npos);
  EXPECT_EQ(Fetch(port, "GET", "/%2e%2e/t.db").body.find("SQLite"), std::string::npos);
  EXPECT_EQ(Fetch(port, "POST", "/ledgers/tekun", "x").status, 405);
  EXPECT_EQ(Fetch(port, "GET", "/api/nothing").status, 404);  // the API never falls back
  EXPECT_EQ(TerminateAndWait(2000), 0);
}

// The session cookie on the wire: its attributes, CSRF, and logout ending it for good (a copy of
// the cookie replayed afterwards is refused).
TEST_F(ServeTest, SessionCookieCsrfAndLogout) {
  const uint16_t port = ServePortOf(StartServe());
  ASSERT_NE(port, 0);
  EXPECT_EQ(Fetch(port, "GET", "/api/auth/me").status, 401);
  // A login posted as a form (another site's page) is refused before the password is looked at.
  EXPECT_EQ(Fetch(port, "POST", "/api/auth/login",
                  json{{"user", "zhen"}, {"password", kPassword}}.dump(),
                  "Content-Type: text/plain\r\n")
                .status,
            415);
  const std::string as = SignIn(port);
  EXPECT_NE(cookie_header_.find("HttpOnly"), std::string::npos) << cookie_header_;
  EXPECT_NE(cookie_header_.find("SameSite=Strict"), std::string::npos) << cookie_header_;
  EXPECT_EQ(cookie_header_.find("Secure"), std::string::npos) << "plain HTTP: " << cookie_header_;
  auto me = Fetch(port, "GET", "/api/auth/me", "", as);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["user"]["role"], "town_cadre");

  // A write without the CSRF token is refused even with the cookie.
  const std::string cookie_only = as.substr(0, as.find("X-CSRF-Token"));
  auto forged = Fetch(port, "POST", "/api/ledgers/dispute/records", R"({"cells":{}})", cookie_only);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(json::parse(forged.body)["error"]["code"], "csrf_failed");

  // Behind a TLS proxy the cookie is Secure.
  auto https = Fetch(port, "POST", "/api/auth/login",
                     json{{"user", "zhen"}, {"password", kPassword}}.dump(),
                     "Content-Type: application/json\r\nX-Forwarded-Proto: https\r\n");
  EXPECT_NE(https.headers["set-cookie"].find("; Secure"), std::string::npos);

  auto out = Fetch(port, "POST", "/api/auth/logout", "", as);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Fetch(port, "GET", "/api/auth/me", "", as).status, 401);  // replayed after logout
  EXPECT_EQ(TerminateAndWait(2000), 0);
}

// No full ID number in the server's log or in any answer to a role without `unmask`: records
// written, refused, exported and searched for, and a login attempt typed with an ID number.
TEST_F(ServeTest, NoFullIdNumberInLogsOrAnswers) {
  const uint16_t port = ServePortOf(StartServe());
  ASSERT_NE(port, 0);
  const std::string as = SignIn(port);
  const std::string id = "360902195001011112";  // valid check digit
  const std::string bad_id = "360902195001011113";  // wrong check digit
  std::vector<std::string> bodies;
  auto keep = [&](const tz::server::testing::RawResponse& r) { bodies.push_back(r.body); };
  auto cells = [](const std::string& id18) {
    return json{{"cells",
                 {{"身份证号", id18}, {"姓名", "罗测试"}, {"所属村", "院前村"},
                  {"供养方式", "集中供养"}, {"认定日期", "2022-03-01"}, {"是否建档立卡", "是"}}}}
        .dump();
  };
  keep(Fetch(port, "POST", "/api/ledgers/tekun/records", cells(id), as));
  keep(Fetch(port, "POST", "/api/ledgers/tekun/records", cells(bad_id), as));
  keep(Fetch(port, "GET", "/api/ledgers/tekun/records", "", as));
  keep(Fetch(port, "GET", "/api/ledgers/tekun/records?q=" + id, "", as));
  keep(Fetch(port, "GET", "/api/ledgers/tekun/records?f.%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7=" + id,
             "", as));
  keep(Fetch(port, "GET", "/api/ledgers/tekun/records/1", "", as));
  keep(Fetch(port, "GET", "/api/ledgers/tekun/export?format=csv", "", as));
  keep(Fetch(port, "POST", "/api/ledgers/tekun/import", "身份证号,姓名\n" + bad_id + ",某\n", as));
  keep(Fetch(port, "POST", "/api/auth/login", json{{"user", id}, {"password", "x"}}.dump(),
             "Content-Type: application/json\r\n"));
  EXPECT_EQ(TerminateAndWait(2000), 0);
  std::stringstream log;
  log << std::ifstream(dir_ + "/serve.log").rdbuf();
  for (const std::string& full : {id, bad_id}) {
    EXPECT_EQ(log.str().find(full), std::string::npos) << "in the log: " << log.str();
    for (const std::string& b : bodies) {
      EXPECT_EQ(b.find(full), std::string::npos) << "in an answer: " << b.substr(0, 400);
    }
  }
  // The record was written (masked in the list), so the scan above had something to find.
  bool masked_seen = false;
  for (const std::string& b : bodies) masked_seen = masked_seen || b.find("360902********1112") != std::string::npos;
  EXPECT_TRUE(masked_seen);
}

TEST_F(ServeTest, AWebDirectoryWithoutIndexIsRefused) {
  std::filesystem::create_directories(dir_ + "/empty");
  EXPECT_EQ(ServePortOf(StartServe({"--web", dir_ + "/empty"})), 0);
  const int status = serve_.Wait();
  EXPECT_GT(status, 0);
  EXPECT_LT(status, 128) << "exited by itself, not by a signal";
}

}  // namespace
