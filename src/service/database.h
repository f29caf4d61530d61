// A taizhang database: a Store with its Catalog (loaded from the pack stored inside it) and the
// figure engine bound to that Catalog. Shared by the CLI and, later, the HTTP server.
#ifndef TAIZHANG_SERVICE_DATABASE_H_
#define TAIZHANG_SERVICE_DATABASE_H_

#include <memory>
#include <string>

#include "base/result.h"
#include "figures/engine.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::service {

class Database {
 public:
  // Creates a new database at `path` from the pack in `pack_dir`. AlreadyExists if initialised.
  // `org_file` (optional) replaces the pack's org.txt: the same ledgers and figures for another
  // town, or for a district or a city (packs/township/orgs/).
  static Result<std::unique_ptr<Database>> Init(const std::string& path,
                                                const std::string& pack_dir,
                                                const std::string& org_file = "");
  // Opens an existing database. NotFound / FailedPrecondition with a hint to run init.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  // Opens, or creates with `pack_dir` when the file does not exist or holds no schema yet.
  static Result<std::unique_ptr<Database>> OpenOrInit(const std::string& path,
                                                      const std::string& pack_dir,
                                                      const std::string& org_file = "");

  // Another connection to the same database file, sharing this one's Catalog and Engine (both
  // immutable): ledgers and figures found through either are the same objects. For a pool of
  // connections (DatabasePool).
  Result<std::unique_ptr<Database>> OpenAnotherConnection(const std::string& path) const;

  store::Store& store() { return *store_; }
  // Rows held by a ledger.
  Result<int64_t> RowCount(const pack::Ledger& ledger);
  // True when no ledger holds any row (a database fresh from init).
  Result<bool> IsEmpty();
  const pack::Catalog& catalog() const { return *catalog_; }
  const figures::Engine& engine() const { return *engine_; }

 private:
  Database() = default;
  static Result<std::unique_ptr<Database>> Build(std::unique_ptr<store::Store> store,
                                                 const pack::PackFiles& files);

  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const pack::Catalog> catalog_;
  std::shared_ptr<const figures::Engine> engine_;  // refers to *catalog_
};

// The default pack directory: $TAIZHANG_PACK, else packs/township next to the binary's source
// tree (compiled in), else ./packs/township.
std::string DefaultPackDir();

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_DATABASE_H_
