#include "service/database_pool.h"

namespace tz::service {

Result<std::unique_ptr<DatabasePool>> DatabasePool::Open(const std::string& path, int size) {
  std::unique_ptr<DatabasePool> pool(new DatabasePool());
  pool->path_ = path;
  TZ_ASSIGN_OR_RETURN(std::unique_ptr<Database> first, Database::Open(path));
  pool->free_.push_back(first.get());
  pool->all_.push_back(std::move(first));
  // The others share the first's Catalog: a ledger found in pool.catalog() is the same object
  // whichever connection a request leases (services compare ledgers by address).
  for (int i = 1; i < size; ++i) {
    TZ_ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                        pool->all_.front()->OpenAnotherConnection(path));
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
