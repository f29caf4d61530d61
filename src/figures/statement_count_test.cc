// "All aggregates over one ledger in one SQL statement": computing every figure of the default
// pack runs exactly one statement per ledger the figures touch, counted by the store itself.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "figures/engine.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::figures {
namespace {

TEST(StatementCount, OneStatementPerLedgerTouched) {
  auto files = pack::ReadPackDir("packs/township");
  ASSERT_TRUE(files.ok());
  auto catalog = pack::LoadPack(*files);
  ASSERT_TRUE(catalog.ok());
  auto engine = Engine::Create(*catalog);
  ASSERT_TRUE(engine.ok()) << engine.status().message();

  // The ledgers named by aggregates in the figure texts, found independently of the engine.
  std::set<std::string> ledgers;
  std::regex agg(R"((count|sum|min|max|distinct|single|list|groups)\(\s*([a-z_]+))");
  for (const pack::FigureDef& f : catalog->figures) {
    for (std::sregex_iterator it(f.expr.begin(), f.expr.end(), agg), end; it != end; ++it) {
      ledgers.insert((*it)[2].str());
    }
  }
  ASSERT_GT(ledgers.size(), 30u);

  // On SQLite, or on PostgreSQL in the "pg." run (store/test_database.h): one statement per
  // ledger on both.
  store::testing::TestDatabase db("stmt");
  TZ_REQUIRE_TEST_DATABASE(db);
  auto store = store::OpenStore(db.location(), true);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE(store::InitSchema(**store, *files, *catalog).ok());

  Period p = *ParsePeriod("2022H1");
  Scope town;
  town.code = catalog->org.town.code;
  town.name = catalog->org.town.name;
  int64_t before = (*store)->query_count();
  auto result = (*engine)->Compute(**store, p, town);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ((*store)->query_count() - before, static_cast<int64_t>(ledgers.size()));
  EXPECT_EQ(result->stats.queries, static_cast<int>(ledgers.size()));

  // At village level, ledgers without a village column are not queried at all.
  auto village = (*engine)->ResolveScope(**store, "院前村");
  ASSERT_TRUE(village.ok());
  before = (*store)->query_count();
  auto vr = (*engine)->Compute(**store, p, *village);
  ASSERT_TRUE(vr.ok());
  EXPECT_LT((*store)->query_count() - before, static_cast<int64_t>(ledgers.size()));
}

}  // namespace
}  // namespace tz::figures
