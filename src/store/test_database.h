// Tests only: a fresh, empty database for one test on the store the run asks for, so that one
// test source runs on both stores.
//
// Without TZ_TEST_STORE it is a SQLite file in a new temporary directory. With
// TZ_TEST_STORE=postgresql (the "pg." copies ctest registers through tz_pgtest in CMake) it is a
// new database on the server whose URL is $TZ_TEST_PG (scripts/test.sh starts a throwaway one),
// dropped when the object goes. With no server configured such a test is skipped, or fails when
// TZ_TEST_PG_REQUIRED=1 (scripts/test.sh sets it: CI must not pass by skipping).
#ifndef TAIZHANG_STORE_TEST_DATABASE_H_
#define TAIZHANG_STORE_TEST_DATABASE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/store.h"

namespace tz::store::testing {

class TestDatabase {
 public:
  // Which store: the run's (TZ_TEST_STORE), or one named by a test that compares both.
  enum class Kind { kConfigured, kSqlite, kPostgres };

  // `name` makes the file name or database name readable in failures ("figures").
  explicit TestDatabase(const std::string& name = "t", Kind kind = Kind::kConfigured) {
    static std::atomic<int> counter{0};
    const std::string unique =
        std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
    const bool postgres = kind == Kind::kConfigured ? OnPostgres() : kind == Kind::kPostgres;
    if (!postgres) {
      dir_ = std::filesystem::temp_directory_path() / ("tz_" + name + "_" + unique);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location_ = dir_ + "/" + name + ".db";
      return;
    }
    const char* server = std::getenv("TZ_TEST_PG");
    if (!server || !*server) {
      error_ = "a PostgreSQL test database is wanted but TZ_TEST_PG (a server URL) is not set";
      const char* required = std::getenv("TZ_TEST_PG_REQUIRED");
      skip_ = !(required && std::string(required) == "1");
      return;
    }
    server_ = server;
    db_name_ = "tzt_" + Lower(name) + "_" + unique;
    // FILE_COPY: a new database in ~70 ms instead of ~130 ms (no WAL for each copied page).
    Status st = Admin("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE); CREATE DATABASE " +
                      db_name_ + " STRATEGY FILE_COPY");
    if (!st.ok()) {
      error_ = "cannot create a test database on " + server_ + ": " + st.ToString();
      return;
    }
    location_ = WithDatabase(server_, db_name_);
  }
  ~TestDatabase() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!db_name_.empty()) (void)Admin("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  static bool OnPostgres() {
    const char* store = std::getenv("TZ_TEST_STORE");
    return store && std::string(store) == "postgresql";
  }

  // The --db location: a file path or a postgresql:// URL.
  const std::string& location() const { return location_; }
  // Empty when the database is ready; else why it is not.
  const std::string& error() const { return error_; }
  bool skip() const { return skip_; }

 private:
  static std::string Lower(std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) c = '_';
    }
    return s;
  }
  // postgresql://u@h:p/postgres?x → postgresql://u@h:p/NAME?x
  static std::string WithDatabase(const std::string& url, const std::string& name) {
    size_t scheme = url.find("://");
    size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    size_t query = url.find('?');
    std::string head = url.substr(0, slash == std::string::npos ? query : slash);
    std::string tail = query == std::string::npos ? "" : url.substr(query);
    return head + "/" + name + tail;
  }
  Status Admin(const std::string& sql) const {
    auto admin = OpenPostgres(server_);
    if (!admin.ok()) return admin.status();
    // One statement at a time: CREATE/DROP DATABASE cannot run inside a multi-statement string.
    size_t start = 0;
    while (start < sql.size()) {
      size_t end = sql.find("; ", start);
      std::string one = sql.substr(start, end == std::string::npos ? std::string::npos : end - start);
      TZ_RETURN_IF_ERROR((*admin)->ExecuteScript(one));
      if (end == std::string::npos) break;
      start = end + 2;
    }
    return Status::Ok();
  }

  std::string dir_;
  std::string server_;
  std::string db_name_;
  std::string location_;
  std::string error_;
  bool skip_ = false;
};

}  // namespace tz::store::testing

// In a test body or SetUp/SetUpTestSuite: skip or fail when `db` is not ready.
#define TZ_REQUIRE_TEST_DATABASE(db)                                         \
  do {                                                                      \
    if (!(db).error().empty()) {                                            \
      if ((db).skip()) GTEST_SKIP() << (db).error();                        \
      FAIL() << (db).error();                                               \
    }                                                                       \
  } while (0)

#endif  // TAIZHANG_STORE_TEST_DATABASE_H_
