#include "service/database_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/test_database.h"

namespace tz::service {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  // On SQLite, or on PostgreSQL in the "pg." run (store/test_database.h).
  void SetUp() override {
    TZ_REQUIRE_TEST_DATABASE(test_db_);
    ASSERT_TRUE(Database::Init(test_db_.location(), "packs/township").ok());
  }
  const std::string& location() const { return test_db_.location(); }
  store::testing::TestDatabase test_db_{"pool"};
};

TEST_F(PoolTest, ConnectionsAreDistinctButShareOneCatalog) {
  auto pool = DatabasePool::Open(location(), 3);
  ASSERT_TRUE(pool.ok()) << pool.status().message();
  auto a = (*pool)->Acquire();
  auto b = (*pool)->Acquire();
  auto c = (*pool)->Acquire();
  EXPECT_NE(&a->store(), &b->store());
  EXPECT_NE(&b->store(), &c->store());
  // A ledger found through the pool is the very object every connection's services compare to.
  EXPECT_EQ(&a->catalog(), &(*pool)->catalog());
  EXPECT_EQ(&b->catalog(), &(*pool)->catalog());
  EXPECT_EQ(&c->engine(), &a->engine());
}

TEST_F(PoolTest, AcquireWaitsForALeaseToComeBack) {
  auto pool = DatabasePool::Open(location(), 1);
  ASSERT_TRUE(pool.ok());
  std::atomic<bool> got{false};
  std::thread waiter;
  {
    auto only = (*pool)->Acquire();
    waiter = std::thread([&] {
      auto lease = (*pool)->Acquire();
      got = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(got.load());  // still held here
  }
  waiter.join();
  EXPECT_TRUE(got.load());
}

// SQLite only: a database file that does not exist. (A PostgreSQL database that does not exist
// is a connection error; one that exists but was never initialised is the next test.)
TEST(PoolFileTest, AMissingDatabaseFileIsNotFound) {
  if (store::testing::TestDatabase::OnPostgres()) GTEST_SKIP() << "about SQLite files";
  char dir[] = "/tmp/tz_pool_testXXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  EXPECT_EQ(DatabasePool::Open(std::string(dir) + "/none.db", 2).status().code(),
            StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

// A database with no taizhang tables (an empty SQLite file, a new PostgreSQL database): the
// pool refuses it with the hint to run init, on both stores alike.
TEST(PoolUninitialisedTest, ADatabaseNeverInitialisedIsRefused) {
  store::testing::TestDatabase test_db("empty");
  TZ_REQUIRE_TEST_DATABASE(test_db);
  ASSERT_TRUE(store::OpenStore(test_db.location(), /*create=*/true).ok());  // an empty file
  auto pool = DatabasePool::Open(test_db.location(), 2);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(pool.status().message().find("taizhang init"), std::string::npos)
      << pool.status().message();
}

}  // namespace
}  // namespace tz::service
