#include "service/database_pool.h"

namespace tz::service {

Result<std::unique_ptr<DatabasePool>> DatabasePool::Open(const std::string& path, int size) {
  std::unique_ptr<DatabasePool> pool(new DatabasePool());
  pool->path_ = path;
  for (int i = 0; i < std::max(size, 1); ++i) {
    TZ_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path));
    pool->free_.push_back(db.get());
    pool->all_.push_back(std::move(db));
  }
  return pool;
}

DatabasePool::Lease DatabasePool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  freed_.wait(lock, [this] { return !free_.empty(); });
  Database* db = free_.back();
  free_.pop_back();
  return Lease(this, db);
}

void DatabasePool::Release(Database* db) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(db);
  }
  freed_.notify_one();
}

}  // namespace tz::service
