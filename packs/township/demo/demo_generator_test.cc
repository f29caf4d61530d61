// The demo data: it passes import validation, and every figure of the seed report has a believable,
// non-zero value for 2022H1 (the town and a village), deterministically for a seed.
#include "packs/township/demo/demo_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/period.h"
#include "figures/engine.h"
#include "service/database.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::demo {
namespace {

class DemoTest : public ::testing::Test {
 protected:
  // A skip or failure here, when the first database cannot be made, stops the test before it runs.
  void SetUp() override {
    test_dbs_.push_back(std::make_unique<store::testing::TestDatabase>("demo"));
    TZ_REQUIRE_TEST_DATABASE(*test_dbs_.back());
  }
  void TearDown() override { test_dbs_.clear(); }

  // The demo generated into a new database on the store under test (SQLite, or PostgreSQL in the
  // "pg." run): the one SetUp made for the first call, a further one for each later call. The
  // caller drops the returned Database before TearDown drops the databases.
  std::unique_ptr<service::Database> Generate(const std::string& name, uint64_t seed,
                                              DemoStats* stats = nullptr,
                                              std::vector<std::string>* log = nullptr) {
    if (used_++ > 0) test_dbs_.push_back(std::make_unique<store::testing::TestDatabase>(name));
    const store::testing::TestDatabase& test_db = *test_dbs_.back();
    EXPECT_TRUE(test_db.error().empty()) << test_db.error();
    auto db = service::Database::Init(test_db.location(), "packs/township");
    EXPECT_TRUE(db.ok()) << db.status().message();
    if (!db.ok()) return nullptr;
    auto progress = [&](const std::string& msg) {
      if (log) log->push_back(msg);
    };
    auto s = GenerateTownshipDemo((*db)->store(), (*db)->catalog(), seed, progress);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return nullptr;
    if (stats) *stats = *s;
    return std::move(db).value();
  }

  static figures::ComputeResult Compute(service::Database& db, const std::string& period,
                                        const std::string& unit) {
    auto p = ParsePeriod(period);
    EXPECT_TRUE(p.ok());
    auto scope = db.engine().ResolveScope(db.store(), unit);
    EXPECT_TRUE(scope.ok()) << scope.status().message();
    auto r = db.engine().Compute(db.store(), *p, *scope);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return std::move(r).value();
  }

  static std::map<std::string, std::string> Displays(const figures::ComputeResult& r) {
    std::map<std::string, std::string> out;
    for (const figures::FigureResult& f : r.figures) out[f.def->id] = f.display;
    return out;
  }

  std::vector<std::unique_ptr<store::testing::TestDatabase>> test_dbs_;
  int used_ = 0;
};

TEST_F(DemoTest, EveryTownFigureOf2022H1HasABelievableValue) {
  DemoStats stats;
  std::vector<std::string> log;
  auto start = std::chrono::steady_clock::now();
  auto db = Generate("demo", 20220630, &stats, &log);
  ASSERT_NE(db, nullptr);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("demo: %lld rows in %d ledgers, %.2f s\n", static_cast<long long>(stats.rows),
              stats.ledgers, secs);
  for (const std::string& m : log) std::printf("  %s\n", m.c_str());
  EXPECT_EQ(stats.ledgers, static_cast<int>(db->catalog().ledgers.size()));
  EXPECT_GT(stats.rows, 50000);

  figures::ComputeResult r = Compute(*db, "2022H1", "");
  ASSERT_EQ(r.figures.size(), db->catalog().figures.size());
  std::printf("辽市镇 2022H1:\n");
  for (const figures::FigureResult& f : r.figures) {
    std::printf("  %-36s %s\n", f.def->id.c_str(), f.display.c_str());
  }
  for (const figures::FigureResult& f : r.figures) {
    const std::string& id = f.def->id;
    SCOPED_TRACE(id);
    ASSERT_TRUE(f.value.has_value()) << f.value.note();
    EXPECT_NE(f.display, "—");
    switch (f.value.kind()) {
      case figures::FigureValue::Kind::kNumber:
        if (id == "petition.skip_level") {
          EXPECT_TRUE(f.value.number().IsZero()) << "no 进京/赴省 petitions in 2022 by design";
        } else {
          EXPECT_FALSE(f.value.number().IsZero());
          EXPECT_FALSE(f.value.number().IsNegative());
        }
        break;
      case figures::FigureValue::Kind::kBool:
        EXPECT_TRUE(f.value.boolean());
        break;
      case figures::FigureValue::Kind::kText:
        EXPECT_FALSE(f.value.text().empty());
        break;
      case figures::FigureValue::Kind::kList:
        EXPECT_FALSE(f.value.list().empty());
        break;
      case figures::FigureValue::Kind::kGroups:
        EXPECT_FALSE(f.value.groups().empty());
        break;
      case figures::FigureValue::Kind::kNone:
        break;
    }
  }
  auto d = Displays(r);
  // The things the seed names.
  EXPECT_EQ(d["investment.billion_projects"], "宜春中晶高科股份有限公司和东莞晨蓝实业有限公司");
  EXPECT_EQ(d["investment.billion_project_count"], "两");
  EXPECT_EQ(d["enterprise.monthly_candidates"], "三家建筑业、一家餐饮业");
  EXPECT_EQ(d["enterprise.annual_candidates"],
            "两家服务业：宜春豆福网络科技有限公司和江西禧宴科技有限公司，一家餐饮业：卡多利雅");
  EXPECT_EQ(d["pv.first_month"], "1");
  EXPECT_EQ(d["pv.last_month"], "6");
  EXPECT_EQ(d["target.gdp"], "12.5");
  EXPECT_EQ(d["target.gdp_growth"], "6.5");
  // Proportions of a township of about 25,000.
  auto num = [&](const char* id) { return std::atof(d[id].c_str()); };
  EXPECT_GE(num("dibao.households"), 300);
  EXPECT_LE(num("dibao.households"), 450);
  EXPECT_GE(num("tekun.persons"), 60);
  EXPECT_LE(num("tekun.persons"), 90);
  EXPECT_GE(num("dispute.rate"), 80);
  EXPECT_GE(num("medins.rate"), 95);
  EXPECT_GE(num("medins.assessed"), 20000);
  EXPECT_LE(num("medins.assessed"), 26000);
  EXPECT_LT(num("fiscal.completion"), 50);
}

TEST_F(DemoTest, SameSeedSameFigures) {
  auto a = Generate("a", 7);
  auto b = Generate("b", 7);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (const char* period : {"2022H1", "2021", "2023H1"}) {
    SCOPED_TRACE(period);
    EXPECT_EQ(Displays(Compute(*a, period, "")), Displays(Compute(*b, period, "")));
    EXPECT_EQ(Displays(Compute(*a, period, "院前村")), Displays(Compute(*b, period, "院前村")));
  }
}

TEST_F(DemoTest, VillagesAndOtherPeriodsHaveValues) {
  auto db = Generate("v", 20220630);
  ASSERT_NE(db, nullptr);
  // Figures over ledgers with 所属村: every village has a value, non-zero, for 2022H1.
  const std::vector<std::string> village_figures = {"dibao.households",
                                                    "dibao.persons",
                                                    "tekun.persons",
                                                    "labor.persons",
                                                    "jobs.persons",
                                                    "pv.income",
                                                    "subsidy.households",
                                                    "monitor.poor_households",
                                                    "medins.assessed",
                                                    "medins.paid",
                                                    "medins.rate",
                                                    "dispute.found",
                                                    "dispute.rate",
                                                    "safety.hazards_found",
                                                    "militia.ordinary_members",
                                                    "conscription.registered",
                                                    "forest.oil_tea_area",
                                                    "petition.received"};
  for (const auto& v : db->catalog().org.villages) {
    SCOPED_TRACE(v.name);
    figures::ComputeResult r = Compute(*db, "2022H1", v.name);
    for (const std::string& id : village_figures) {
      const figures::FigureResult* f = r.Find(id);
      ASSERT_NE(f, nullptr) << id;
      ASSERT_TRUE(f->value.has_value()) << id << ": " << f->value.note();
      if (f->value.kind() == figures::FigureValue::Kind::kNumber) {
        EXPECT_FALSE(f->value.number().IsZero()) << id;
      }
    }
    if (v.name == "院前村") {
      std::printf("院前村 2022H1:\n");
      for (const figures::FigureResult& f : r.figures) {
        std::printf("  %-36s %s\n", f.def->id.c_str(), f.display.c_str());
      }
    }
  }
  // Other periods of the town: the year-level figures are there too.
  for (const char* period : {"2021H1", "2021", "2022", "2023H1"}) {
    SCOPED_TRACE(period);
    auto d = Displays(Compute(*db, period, ""));
    for (const char* id : {"dibao.households", "tekun.persons", "dispute.found", "medins.rate",
                           "pv.income", "target.gdp", "fiscal.completion", "conscription.enlisted",
                           "party.school_lessons", "safety.hazards_found"}) {
      EXPECT_NE(d[id], "—") << id;
      EXPECT_NE(d[id], "0") << id;
    }
    std::printf("%s: 低保 %s户 特困 %s人 纠纷 %s起 调处率 %s%% 医保 %s%% 光伏 %s元 财政完成 %s%%\n",
                period, d["dibao.households"].c_str(), d["tekun.persons"].c_str(),
                d["dispute.found"].c_str(), d["dispute.rate"].c_str(), d["medins.rate"].c_str(),
                d["pv.income"].c_str(), d["fiscal.completion"].c_str());
  }
}

// ---------------------------------------------------------------------------------------------
// Several towns (issue 7, `taizhang demo --towns N`): a small city of three towns in two districts,
// 辽市镇 with its ten villages listed after 金瑞镇 (which has a 院前村 of its own) and 剑光街道.

// The city's org.txt: 辽市镇's villages as in the township pack's org.txt.
std::string SmallCityOrg() {
  std::string org =
      "region 江西省\n"
      "city 3609 宜春市\n"
      "district 360902 袁州区\n"
      "town 360902102 金瑞镇\n"
      "village 360902102001 金西社区 金西社区居委会\n"
      "village 360902102200 由木村 由木村委会\n"
      "village 360902102213 院前村 院前村委会\n"
      "town 360902117 辽市镇\n";
  auto pack = pack::ReadPackDir("packs/township");
  EXPECT_TRUE(pack.ok()) << pack.status().message();
  if (!pack.ok()) return org;
  const std::string& township = (*pack)["org.txt"];
  int villages = 0;
  for (size_t at = 0; at < township.size();) {
    size_t end = township.find('\n', at);
    if (end == std::string::npos) end = township.size();
    std::string line = township.substr(at, end - at);
    if (line.rfind("village ", 0) == 0) {
      org += line + "\n";
      ++villages;
    }
    at = end + 1;
  }
  EXPECT_EQ(villages, 10);
  org +=
      "district 360981 丰城市\n"
      "town 360981002 剑光街道\n"
      "village 360981002001 向阳社区 向阳社区居委会\n"
      "village 360981002002 东路社区 东路社区居委会\n"
      "grids grid 网格编号 网格名称 所属村\n";
  return org;
}

// Every ledger's rows of one town (or of the whole database when `town` is empty), the pack's
// columns only, in the order written, one string per row.
std::map<std::string, std::vector<std::string>> LedgerRows(service::Database& db,
                                                           const std::string& town) {
  std::map<std::string, std::vector<std::string>> out;
  const store::Dialect& d = db.store().dialect();
  for (const pack::Ledger& ledger : db.catalog().ledgers) {
    std::string cols;
    for (const pack::Column& c : ledger.columns) {
      cols += (cols.empty() ? "" : ", ") + d.Quote(c.label);
    }
    store::SqlStatement q{"SELECT " + cols + " FROM " + d.Quote(store::LedgerTable(ledger)), {}};
    if (!town.empty()) {
      q.sql += std::string(" WHERE ") + store::kTownColumn + " = ?";
      q.params.push_back(town);
    }
    q.sql += " ORDER BY _id";
    std::vector<std::string>& rows = out[ledger.id];
    Status s = db.store().Query(q, [&](const std::vector<store::SqlValue>& row) {
      std::string text;
      for (const store::SqlValue& v : row) text += store::SqlValueToString(v) + "|";
      rows.push_back(std::move(text));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << ledger.id << ": " << s.message();
  }
  return out;
}

TEST_F(DemoTest, ThreeTownsOfACity) {
  char dir[] = "/tmp/tz_demo_orgXXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string org_file = std::string(dir) + "/org.txt";
  {
    const std::string org = SmallCityOrg();
    std::FILE* f = std::fopen(org_file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(org.data(), 1, org.size(), f), org.size());
    std::fclose(f);
  }
  const store::testing::TestDatabase& city_db = *test_dbs_.back();
  ++used_;  // Generate() below makes its own database
  auto city = service::Database::Init(city_db.location(), "packs/township", org_file);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(city.ok()) << city.status().message();
  service::Database& db = **city;
  ASSERT_TRUE(db.catalog().org.MultiTown());

  // More towns than the tree has, and a township pack asked for two: refused before any row.
  auto too_many = GenerateDemo(db.store(), db.catalog(), 20220630, 4, nullptr);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_many.status().message().find("只有 3 个"), std::string::npos)
      << too_many.status().message();

  std::vector<std::string> log;
  auto start = std::chrono::steady_clock::now();
  auto stats = GenerateDemo(db.store(), db.catalog(), 20220630, 3,
                            [&](const std::string& m) { log.push_back(m); });
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("3 towns: %lld rows, %lld residents, %.2f s\n", static_cast<long long>(stats->rows),
              static_cast<long long>(stats->residents), secs);
  for (const std::string& m : log) std::printf("  %s\n", m.c_str());

  // 辽市镇 first, then the tree's order; a line per town, none per ledger.
  ASSERT_EQ(stats->towns.size(), 3u);
  EXPECT_EQ(stats->towns[0].code, "360902117");
  EXPECT_EQ(stats->towns[1].code, "360902102");
  EXPECT_EQ(stats->towns[2].code, "360981002");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1].rfind("生成 第 2/3 个镇 金瑞镇：", 0), 0u) << log[1];
  EXPECT_EQ(stats->ledgers, static_cast<int>(db.catalog().ledgers.size()));
  for (const DemoTownStats& t : stats->towns) {
    SCOPED_TRACE(t.name);
    EXPECT_GE(t.residents, 15000);
    EXPECT_LE(t.residents, 35000);
  }

  // Every ledger has rows of every town (each town's import of it succeeded).
  std::map<std::string, std::map<std::string, std::vector<std::string>>> by_town;
  for (const DemoTownStats& t : stats->towns) by_town[t.code] = LedgerRows(db, t.code);
  for (const pack::Ledger& ledger : db.catalog().ledgers) {
    for (const DemoTownStats& t : stats->towns) {
      EXPECT_FALSE(by_town[t.code][ledger.id].empty()) << t.name << " " << ledger.id;
    }
  }

  // ID numbers, households and every register key are unique over the whole city.
  const store::Dialect& d = db.store().dialect();
  for (const auto& [ledger_id, column] :
       std::vector<std::pair<std::string, std::string>>{{"person", "身份证号"},
                                                        {"household", "户编号"},
                                                        {"grid", "网格编号"},
                                                        {"party_branch", "支部名称"},
                                                        {"civil_station", "名称"},
                                                        {"militia_unit", "名称"},
                                                        {"enterprise", "统一社会信用代码"}}) {
    const pack::Ledger* ledger = db.catalog().FindLedger(ledger_id);
    ASSERT_NE(ledger, nullptr) << ledger_id;
    int64_t rows = -1;
    int64_t distinct = -2;
    Status s = db.store().Query(
        {"SELECT COUNT(*), COUNT(DISTINCT " + d.Quote(column) + ") FROM " +
             d.Quote(store::LedgerTable(*ledger)),
         {}},
        [&](const std::vector<store::SqlValue>& row) {
          rows = std::get<int64_t>(row[0]);
          distinct = std::get<int64_t>(row[1]);
          return Status::Ok();
        });
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(rows, distinct) << ledger_id << "." << column;
  }

  // 辽市镇 is today's demo town: the same rows, ledger by ledger, as the township pack's demo with
  // the same seed; so its figures are too.
  auto one = Generate("one", 20220630);
  ASSERT_NE(one, nullptr);
  auto alone = LedgerRows(*one, "");
  for (const pack::Ledger& ledger : db.catalog().ledgers) {
    SCOPED_TRACE(ledger.id);
    const std::vector<std::string>& in_city = by_town["360902117"][ledger.id];
    EXPECT_EQ(in_city.size(), alone[ledger.id].size());
    EXPECT_TRUE(in_city == alone[ledger.id]);
  }
  EXPECT_EQ(Displays(Compute(db, "2022H1", "辽市镇")), Displays(Compute(*one, "2022H1", "")));

  // The other towns have their own names and figures.
  auto jinrui = Displays(Compute(db, "2022H1", "金瑞镇"));
  EXPECT_NE(jinrui["dispute.found"], "0");
  EXPECT_NE(jinrui["dibao.households"], "0");
  EXPECT_NE(jinrui["medins.assessed"], "0");
  for (const std::string& row : by_town["360902102"]["party_branch"]) {
    EXPECT_EQ(row.find("'辽市"), std::string::npos) << row;
    EXPECT_NE(row.find("'金瑞"), std::string::npos) << row;  // 金瑞镇机关党支部, 金瑞中学党支部
  }
}

}  // namespace
}  // namespace tz::demo
