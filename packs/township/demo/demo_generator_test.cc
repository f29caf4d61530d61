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

namespace tz::demo {
namespace {

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_demo_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(system(cmd.c_str()), 0);
  }

  std::unique_ptr<service::Database> Generate(const std::string& name, uint64_t seed,
                                              DemoStats* stats = nullptr,
                                              std::vector<std::string>* log = nullptr) {
    auto db = service::Database::Init(dir_ + "/" + name, "packs/township");
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

  std::string dir_;
};

TEST_F(DemoTest, EveryTownFigureOf2022H1HasABelievableValue) {
  DemoStats stats;
  std::vector<std::string> log;
  auto start = std::chrono::steady_clock::now();
  auto db = Generate("demo.db", 20220630, &stats, &log);
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
  auto a = Generate("a.db", 7);
  auto b = Generate("b.db", 7);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  for (const char* period : {"2022H1", "2021", "2023H1"}) {
    SCOPED_TRACE(period);
    EXPECT_EQ(Displays(Compute(*a, period, "")), Displays(Compute(*b, period, "")));
    EXPECT_EQ(Displays(Compute(*a, period, "院前村")), Displays(Compute(*b, period, "院前村")));
  }
}

TEST_F(DemoTest, VillagesAndOtherPeriodsHaveValues) {
  auto db = Generate("v.db", 20220630);
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

}  // namespace
}  // namespace tz::demo
