// The golden test of the PostgreSQL store (issue 7): the demo town, generated with the same seed
// into SQLite and into PostgreSQL, gives every figure of the pack identically — value, display
// and note — for the town, each village and some grids, over years, half-years, a quarter and a
// month; and `explain` finds the same records behind every figure of the town.
//
// Needs a PostgreSQL server ($TZ_TEST_PG; scripts/test.sh starts a throwaway one): skipped
// without, failed without when TZ_TEST_PG_REQUIRED=1.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/period.h"
#include "packs/township/demo/demo_generator.h"
#include "service/database.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz {
namespace {

using store::testing::TestDatabase;

std::unique_ptr<service::Database> MakeDemo(const TestDatabase& where) {
  auto db = service::Database::Init(where.location(), "packs/township");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  auto stats = demo::GenerateTownshipDemo((*db)->store(), (*db)->catalog(), 2022, nullptr);
  EXPECT_TRUE(stats.ok()) << stats.status().ToString();
  if (!stats.ok()) return nullptr;
  EXPECT_GT(stats->rows, 100000);
  return std::move(db).value();
}

// The town (""), every village by code, and the first three grids of the grid ledger.
std::vector<std::string> Units(service::Database& db) {
  std::vector<std::string> units = {""};
  for (const pack::OrgUnit& v : db.catalog().org.villages) units.push_back(v.code);
  const auto& grids = db.catalog().org.grids;
  if (!grids) return units;
  const pack::Ledger* ledger = db.catalog().FindLedger(grids->ledger);
  EXPECT_NE(ledger, nullptr);
  if (!ledger) return units;
  auto codes = store::DistinctValues(db.store(), *ledger, ledger->ColumnIndex(grids->code_column));
  EXPECT_TRUE(codes.ok());
  if (!codes.ok()) return units;
  EXPECT_GE(codes->size(), 3u);
  for (const std::string& c : *codes) {
    if (units.size() >= 1 + db.catalog().org.villages.size() + 3) break;
    units.push_back(c);
  }
  return units;
}

// Every figure of one period and unit as one comparable line each.
std::vector<std::string> Figures(service::Database& db, const Period& period,
                                 const std::string& unit) {
  std::vector<std::string> out;
  auto scope = db.engine().ResolveScope(db.store(), unit);
  EXPECT_TRUE(scope.ok()) << unit << ": " << scope.status().ToString();
  if (!scope.ok()) return out;
  auto computed = db.engine().Compute(db.store(), period, *scope);
  EXPECT_TRUE(computed.ok()) << computed.status().ToString();
  if (!computed.ok()) return out;
  for (const figures::FigureResult& f : computed->figures) {
    out.push_back(f.def->id + " = " + f.display + (f.value.has_value() ? "" : " [no value]") +
                  " note: " + f.value.note());
  }
  return out;
}

class DemoGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TZ_REQUIRE_TEST_DATABASE(pg_db_);
    TZ_REQUIRE_TEST_DATABASE(sqlite_db_);
    sqlite_ = MakeDemo(sqlite_db_);
    pg_ = MakeDemo(pg_db_);
    ASSERT_TRUE(sqlite_ && pg_);
    ASSERT_STREQ(pg_->store().dialect().Name(), "postgresql");
    ASSERT_STREQ(sqlite_->store().dialect().Name(), "sqlite");
  }

  TestDatabase sqlite_db_{"golden", TestDatabase::Kind::kSqlite};
  TestDatabase pg_db_{"golden", TestDatabase::Kind::kPostgres};
  std::unique_ptr<service::Database> sqlite_;
  std::unique_ptr<service::Database> pg_;
};

TEST_F(DemoGoldenTest, EveryFigureIsTheSameOnSqliteAndPostgres) {
  const std::vector<std::string> units = Units(*sqlite_);
  ASSERT_EQ(units, Units(*pg_));
  ASSERT_GE(units.size(), 14u);  // the town, ten villages, three grids
  int compared = 0, with_value = 0;
  for (const char* p : {"2021", "2022H1", "2022H2", "2022", "2022Q2", "2022-05", "2023H1"}) {
    auto period = ParsePeriod(p);
    ASSERT_TRUE(period.ok()) << p;
    for (const std::string& unit : units) {
      std::vector<std::string> lite = Figures(*sqlite_, *period, unit);
      std::vector<std::string> pg = Figures(*pg_, *period, unit);
      ASSERT_EQ(lite.size(), sqlite_->catalog().figures.size()) << p << " " << unit;
      ASSERT_EQ(lite.size(), pg.size()) << p << " " << unit;
      for (size_t i = 0; i < lite.size(); ++i) {
        EXPECT_EQ(lite[i], pg[i]) << "period " << p << ", unit '" << unit << "'";
        ++compared;
        if (lite[i].find("[no value]") == std::string::npos) ++with_value;
      }
    }
  }
  // The comparison means something only if most figures have values in the demo.
  EXPECT_GT(with_value, compared / 2) << with_value << " of " << compared;
}

TEST_F(DemoGoldenTest, ExplainFindsTheSameRecords) {
  auto period = ParsePeriod("2022H1");
  ASSERT_TRUE(period.ok());
  for (const std::string& unit : {std::string(), sqlite_->catalog().org.villages[1].code}) {
    auto lite_scope = sqlite_->engine().ResolveScope(sqlite_->store(), unit);
    auto pg_scope = pg_->engine().ResolveScope(pg_->store(), unit);
    ASSERT_TRUE(lite_scope.ok() && pg_scope.ok());
    int with_records = 0;
    for (const pack::FigureDef& f : sqlite_->catalog().figures) {
      if (!sqlite_->engine().ReadsLedgers(f.id)) continue;
      auto lite = sqlite_->engine().Explain(sqlite_->store(), f.id, *period, *lite_scope, 20);
      auto pg = pg_->engine().Explain(pg_->store(), f.id, *period, *pg_scope, 20);
      ASSERT_TRUE(lite.ok()) << f.id << ": " << lite.status().ToString();
      ASSERT_TRUE(pg.ok()) << f.id << ": " << pg.status().ToString();
      EXPECT_EQ(lite->result.display, pg->result.display) << f.id;
      ASSERT_EQ(lite->aggregates.size(), pg->aggregates.size()) << f.id;
      for (size_t i = 0; i < lite->aggregates.size(); ++i) {
        const auto& a = lite->aggregates[i];
        const auto& b = pg->aggregates[i];
        EXPECT_EQ(a.total_records, b.total_records) << f.id << " " << a.source;
        EXPECT_EQ(a.records, b.records) << f.id << " " << a.source;
        EXPECT_EQ(a.applicable, b.applicable) << f.id << " " << a.source;
        if (!a.records.empty()) ++with_records;
      }
    }
    EXPECT_GT(with_records, 20) << "unit '" << unit << "'";
  }
}

}  // namespace
}  // namespace tz
