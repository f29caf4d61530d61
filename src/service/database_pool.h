// A fixed set of open connections to one database, for a server whose requests run on several
// threads at once. A Store (an SQLite connection with its transactions) serves one thread at a
// time; each request leases a whole Database for its duration and gives it back. SQLite in WAL
// mode lets the leases read while another writes; writers queue on SQLite's busy timeout.
#ifndef TAIZHANG_SERVICE_DATABASE_POOL_H_
#define TAIZHANG_SERVICE_DATABASE_POOL_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "service/database.h"

namespace tz::service {

class DatabasePool {
 public:
  // Opens `size` (≥ 1) connections to the database at `path` (Database::Open's errors).
  static Result<std::unique_ptr<DatabasePool>> Open(const std::string& path, int size);

  // A database leased to one thread; returned to the pool when the lease is destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), db_(other.db_) { other.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_) pool_->Release(db_);
    }
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_; }

   private:
    friend class DatabasePool;
    Lease(DatabasePool* pool, Database* db) : pool_(pool), db_(db) {}
    DatabasePool* pool_;
    Database* db_;
  };

  // Waits until a connection is free. With as many connections as server threads it never waits.
  Lease Acquire();

  // The pack of the database: one Catalog shared by every connection, read-only, safe to share.
  const pack::Catalog& catalog() const { return all_.front()->catalog(); }
  const std::string& path() const { return path_; }

 private:
  DatabasePool() = default;
  void Release(Database* db);

  std::string path_;
  std::vector<std::unique_ptr<Database>> all_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<Database*> free_;  // guarded by mu_
};

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_DATABASE_POOL_H_
