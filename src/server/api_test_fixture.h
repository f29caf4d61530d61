// A database with the hand-made fixtures of tests/fixtures/township/, the whole API on a Router,
// and signed-in sessions to call it with: shared by api_test.cc and access_api_test.cc. The
// database is a fresh SQLite file, or a fresh PostgreSQL database in the "pg." run (tz_pgtest,
// store/test_database.h): the same expectations hold for both stores.
#ifndef TAIZHANG_SERVER_API_TEST_FIXTURE_H_
#define TAIZHANG_SERVER_API_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/api.h"
#include "server/session_guard.h"
#include "service/import_service.h"
#include "service/users_service.h"
#include "store/test_database.h"

namespace tz::server {

// What a signed-in client sends with every request: its cookie and CSRF token.
struct TestSession {
  std::string name;
  std::string cookie;  // "tz_session=…"
  std::string csrf;
};

inline constexpr char kTestPassword[] = "Ledger-Pass-2024";

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<store::testing::TestDatabase>("api");
    TZ_REQUIRE_TEST_DATABASE(*test_db_);
    auto db = service::Database::Init(test_db_->location(), "packs/township");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    for (const char* ledger : Fixtures()) {
      auto report = service::ImportCsvFile(
          db_->store(), db_->catalog(), *db_->catalog().FindLedger(ledger),
          std::string("tests/fixtures/township/") + ledger + ".csv");
      ASSERT_TRUE(report.ok() && report->ok()) << ledger;
    }
    auto pool = service::DatabasePool::Open(test_db_->location(), 2);
    ASSERT_TRUE(pool.ok()) << pool.status().message();
    pool_ = std::move(pool).value();
    AddApiRoutes(router_, *pool_);
  }
  void TearDown() override {
    pool_.reset();
    db_.reset();
    test_db_.reset();  // after every connection to it is closed
  }

  // The ledgers imported from the fixtures.
  virtual std::vector<const char*> Fixtures() const { return {"tekun", "dispute"}; }

  auth::Principal LocalAdmin() { return auth::Principal::LocalAdmin(db_->catalog(), "test"); }

  // Creates the account (with kTestPassword, so no change is due) and signs it in via the API.
  TestSession SignIn(const std::string& name, const std::string& role,
                     const std::string& unit = "") {
    auth::NewUser u{name, name, role, unit, kTestPassword};
    auto added = service::AddUserAs(*db_, LocalAdmin(), u);
    EXPECT_TRUE(added.ok()) << added.status().message();
    return LogIn(name, kTestPassword);
  }
  TestSession LogIn(const std::string& name, const std::string& password) {
    nlohmann::json body = {{"user", name}, {"password", password}};
    HttpResponse r = Send("POST", "/api/auth/login", body.dump(),
                          {{"content-type", "application/json"}}, nullptr);
    EXPECT_EQ(r.status, 200) << r.body;
    TestSession s;
    s.name = name;
    std::string cookie = HeaderOf(r, "Set-Cookie");
    s.cookie = cookie.substr(0, cookie.find(';'));
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("csrf")) s.csrf = j["csrf"].get<std::string>();
    return s;
  }

  // `method` `target` (path and query, percent-encoded as a browser sends it) with `body`, as
  // `as` (its cookie, and its CSRF token on writes); nullptr: anonymously.
  HttpResponse Send(const std::string& method, const std::string& target, std::string body,
                    std::map<std::string, std::string> headers, const TestSession* as) {
    HttpRequest req;
    req.method = method;
    req.raw_target = target;
    req.body = std::move(body);
    req.headers = std::move(headers);
    req.remote = "127.0.0.1:50000";
    if (as) {
      req.headers.emplace("cookie", as->cookie);
      if (method != "GET") req.headers.emplace(kCsrfHeader, as->csrf);
    }
    ParseTarget(target, &req.path, &req.query);
    return router_.Dispatch(req);
  }

  nlohmann::json Json(const HttpResponse& r) { return nlohmann::json::parse(r.body); }
  // A 4xx with the one JSON error shape and a Chinese message.
  void ExpectJsonError(const HttpResponse& r, int status, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << what;
    ASSERT_TRUE(body.contains("error")) << what;
    EXPECT_FALSE(body["error"]["code"].get<std::string>().empty()) << what;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << what;
  }
  int64_t Rows(const char* ledger) { return *db_->RowCount(*db_->catalog().FindLedger(ledger)); }
  // A header of a response, or "".
  static std::string HeaderOf(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  std::unique_ptr<store::testing::TestDatabase> test_db_;
  std::unique_ptr<service::Database> db_;  // a second connection, to check what was written
  std::unique_ptr<service::DatabasePool> pool_;
  Router router_;
};

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_API_TEST_FIXTURE_H_
