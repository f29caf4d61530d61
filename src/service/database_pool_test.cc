#include "service/database_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace tz::service {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_pool_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    ASSERT_TRUE(Database::Init(dir_ + "/t.db", "packs/township").ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PoolTest, ConnectionsAreDistinctButShareOneCatalog) {
  auto pool = DatabasePool::Open(dir_ + "/t.db", 3);
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
  auto pool = DatabasePool::Open(dir_ + "/t.db", 1);
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

TEST_F(PoolTest, AMissingDatabaseIsNotFound) {
  EXPECT_EQ(DatabasePool::Open(dir_ + "/none.db", 2).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tz::service
