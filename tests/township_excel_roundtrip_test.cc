// Every ledger of the township pack through Excel and back: the hand-made fixtures are imported,
// each ledger is exported to xlsx and to CSV (unmasked) and imported into fresh databases, and
// the three databases must hold the same rows and give the same figures. Between them the
// fixtures use every column type (dates, months, amounts, ints, enums, bools, villages, IDs,
// credit codes, phones, references).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/database.h"
#include "service/export_service.h"
#include "service/import_service.h"
#include "service/report_service.h"
#include "store/ledger_tables.h"

namespace tz {
namespace {

namespace fs = std::filesystem;
using service::Database;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TownshipRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_roundtripXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Database> NewDb(const std::string& name) {
    auto db = Database::Init(dir_ + "/" + name + ".db", "packs/township");
    EXPECT_TRUE(db.ok()) << db.status().message();
    return std::move(db).value();
  }

  // Imports `path` into `ledger`; references may dangle (ledgers come in any order), nothing else.
  void Import(Database& db, const pack::Ledger& ledger, const std::string& path) {
    auto report = service::ImportFile(db.store(), db.catalog(), ledger, path);
    ASSERT_TRUE(report.ok()) << path << ": " << report.status().message();
    ASSERT_TRUE(report->ok()) << path << ": row " << report->errors[0].row << " "
                              << report->errors[0].column << ": " << report->errors[0].message;
  }

  std::string Export(Database& db, const pack::Ledger& ledger, const std::string& name) {
    service::ExportOptions unmasked;
    unmasked.unmasked = true;
    std::string path = dir_ + "/" + name;
    auto r = service::ExportLedger(db.store(), db.catalog(), ledger, unmasked, path);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status().message();
    return path;
  }

  std::string dir_;
};

TEST_F(TownshipRoundTrip, EveryLedgerThroughXlsxAndCsvComesBackTheSame) {
  auto original = NewDb("original");
  auto via_xlsx = NewDb("xlsx");
  auto via_csv = NewDb("csv");
  std::vector<const pack::Ledger*> ledgers;
  for (const auto& entry : fs::directory_iterator("tests/fixtures/township")) {
    if (entry.path().extension() != ".csv") continue;
    const pack::Ledger* l = original->catalog().FindLedger(entry.path().stem().string());
    ASSERT_NE(l, nullptr) << entry.path();
    Import(*original, *l, entry.path().string());
    ledgers.push_back(l);
  }
  ASSERT_GE(ledgers.size(), 38u);
  for (const pack::Ledger* l : ledgers) {
    SCOPED_TRACE(l->id);
    std::string xlsx = Export(*original, *l, l->id + ".xlsx");
    std::string csv = Export(*original, *l, l->id + ".csv");
    Import(*via_xlsx, *via_xlsx->catalog().FindLedger(l->id), xlsx);
    Import(*via_csv, *via_csv->catalog().FindLedger(l->id), csv);
    std::string again_xlsx =
        Export(*via_xlsx, *via_xlsx->catalog().FindLedger(l->id), l->id + ".from-xlsx.csv");
    std::string again_csv =
        Export(*via_csv, *via_csv->catalog().FindLedger(l->id), l->id + ".from-csv.csv");
    EXPECT_EQ(ReadAll(again_xlsx), ReadAll(csv));
    EXPECT_EQ(ReadAll(again_csv), ReadAll(csv));
  }
  // And so every figure of every period agrees.
  for (const char* period : {"2022H1", "2022", "2022Q2"}) {
    auto admin = auth::Principal::LocalAdmin(original->catalog(), "test");
    auto a = service::ComputeFigures(*original, admin, {period, "", {}});
    auto b = service::ComputeFigures(*via_xlsx, admin, {period, "", {}});
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->figures.size(), b->figures.size());
    for (size_t i = 0; i < a->figures.size(); ++i) {
      EXPECT_EQ(a->figures[i].display, b->figures[i].display)
          << period << " " << a->figures[i].def->id;
    }
  }
}

}  // namespace
}  // namespace tz
