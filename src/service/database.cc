#include "service/database.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "store/ledger_tables.h"

#ifndef TZ_SOURCE_DIR
#define TZ_SOURCE_DIR "."
#endif

namespace tz::service {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string DefaultPackDir() {
  if (const char* env = std::getenv("TAIZHANG_PACK"); env && *env) return env;
  std::string built_in = std::string(TZ_SOURCE_DIR) + "/packs/township";
  if (IsDirectory(built_in)) return built_in;
  return "packs/township";
}

Result<std::unique_ptr<Database>> Database::Build(std::unique_ptr<store::Store> store,
                                                  const pack::PackFiles& files) {
  auto db = std::unique_ptr<Database>(new Database());
  TZ_ASSIGN_OR_RETURN(pack::Catalog catalog, pack::LoadPack(files));
  db->catalog_ = std::make_shared<const pack::Catalog>(std::move(catalog));
  TZ_ASSIGN_OR_RETURN(std::unique_ptr<figures::Engine> engine,
                      figures::Engine::Create(*db->catalog_));
  db->engine_ = std::move(engine);
  db->store_ = std::move(store);
  return db;
}

Result<std::unique_ptr<Database>> Database::OpenAnotherConnection(const std::string& path) const {
  TZ_ASSIGN_OR_RETURN(auto store, store::OpenStore(path, /*create=*/false));
  auto db = std::unique_ptr<Database>(new Database());
  db->store_ = std::move(store);
  db->catalog_ = catalog_;
  db->engine_ = engine_;
  return db;
}

Result<std::unique_ptr<Database>> Database::Init(const std::string& path,
                                                 const std::string& pack_dir,
                                                 const std::string& org_file) {
  // Validate the whole pack (ledgers and every figure) before creating anything on disk.
  TZ_ASSIGN_OR_RETURN(pack::PackFiles files, pack::ReadPackDir(pack_dir));
  if (!org_file.empty()) {
    // Read with the same limits as the pack's own files: a pack directory of one file.
    std::ifstream in(org_file, std::ios::binary);
    if (!in) {
      return Status::NotFound("找不到组织架构文件 " + org_file, "cannot read org file " + org_file);
    }
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    constexpr size_t kMaxOrgBytes = 8 << 20;  // a province's villages take ~3 MB
    if (content.size() > kMaxOrgBytes) {
      return Status::InvalidArgument("组织架构文件 " + org_file + " 太大（超过 8 MB）",
                                     "org file too large: " + org_file);
    }
    files["org.txt"] = std::move(content);
  }
  TZ_ASSIGN_OR_RETURN(pack::Catalog catalog, pack::LoadPack(files));
  TZ_RETURN_IF_ERROR(figures::Engine::Create(catalog).status());
  TZ_ASSIGN_OR_RETURN(auto store, store::OpenStore(path, /*create=*/true));
  Status s = store::InitSchema(*store, files, catalog);
  if (!s.ok()) {
    if (s.code() == StatusCode::kAlreadyExists) {
      const std::string where = store::DisplayLocation(path);
      return Status::AlreadyExists("数据库 " + where + " 已经初始化过",
                                   "database " + where + " already initialised");
    }
    return s;
  }
  return Build(std::move(store), files);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  if (!store::IsPostgresLocation(path) && !FileExists(path)) {
    return Status::NotFound("数据库不存在：" + path + "（请先运行 taizhang init 或 taizhang demo）",
                            "database file " + path + " does not exist");
  }
  TZ_ASSIGN_OR_RETURN(auto store, store::OpenStore(path, /*create=*/false));
  TZ_ASSIGN_OR_RETURN(pack::PackFiles files, store::LoadStoredPack(*store));
  auto db = Build(std::move(store), files);
  if (!db.ok()) {
    return db.status().WithContext("数据库中保存的台账包有误：", "stored pack is invalid: ");
  }
  return db;
}

Result<int64_t> Database::RowCount(const pack::Ledger& ledger) {
  return store::CountRows(*store_, ledger);
}

Result<bool> Database::IsEmpty() {
  for (const pack::Ledger& l : catalog_->ledgers) {
    TZ_ASSIGN_OR_RETURN(int64_t n, RowCount(l));
    if (n > 0) return false;
  }
  return true;
}

Result<std::unique_ptr<Database>> Database::OpenOrInit(const std::string& path,
                                                       const std::string& pack_dir,
                                                       const std::string& org_file) {
  if (store::IsPostgresLocation(path) || FileExists(path)) {
    TZ_ASSIGN_OR_RETURN(auto store, store::OpenStore(path, false));
    TZ_ASSIGN_OR_RETURN(bool initialised, store::IsInitialised(*store));
    if (initialised) {
      TZ_ASSIGN_OR_RETURN(pack::PackFiles files, store::LoadStoredPack(*store));
      return Build(std::move(store), files);
    }
  }
  return Init(path, pack_dir, org_file);
}

}  // namespace tz::service
