// Figures of a multi-town database roll up correctly (issue 7): the township pack with a small
// city tree (宜春市 › 袁州区 › 辽市镇, 金瑞镇; 丰城市 › 剑光街道), rows imported per town, and every
// node's figures checked against values worked out by hand below. Counts add up; the dispute
// rate is recomputed at each level from the records (never the mean of the towns' rates);
// `distinct` counts a town's own case numbers per town; `single` (a town's target) has no value
// above town level. Runs on SQLite and, as pg.*, on PostgreSQL.
//
// dispute, 摸排日期 in 2022H1 (A = 2022-06-30; resolved = 调处成功 with 调处日期 ≤ A):
//   辽市镇  院前村 成功 · 院前村 成功 · 院前村 调处中 · 西坑村 成功     found 4, resolved 3, 75%
//   金瑞镇  院前村 成功                                                  found 1, resolved 1, 100%
//   剑光街道 龙津社区 成功 · 调处中 ×4                                   found 5, resolved 1, 20%
//   袁州区 = 辽市镇 + 金瑞镇: found 5, resolved 4, 80% (the towns' mean would be 87.5%)
//   院前村 of 辽市镇 (360902117201): found 3, resolved 2, 66.7% (display `percent`: one decimal,
//   the % sign is the template's)
//   宜春市: found 10, resolved 5, 50% (the towns' mean would be 65%)
// discipline_case 案件编号, 受理日期 in P: 辽市镇 AJ01, AJ02; 金瑞镇 AJ01 (its own AJ01)
//   辽市镇 2, 金瑞镇 1, 袁州区 3 (two towns' AJ01 are two cases), 宜春市 3
// target 地区生产总值 2022: 辽市镇 15.8, 金瑞镇 9.6 → town values; 袁州区 and 宜春市: no value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "base/period.h"
#include "service/database.h"
#include "service/import_service.h"
#include "store/test_database.h"

namespace tz {
namespace {

constexpr char kCityOrg[] =
    "region 江西省\n"
    "city 3609 宜春市\n"
    "district 360902 袁州区\n"
    "town 360902117 辽市镇\n"
    "village 360902117201 院前村 院前村委会\n"
    "village 360902117202 西坑村 西坑村委会\n"
    "town 360902102 金瑞镇\n"
    "village 360902102213 院前村 院前村委会\n"
    "district 360981 丰城市\n"
    "town 360981100 剑光街道\n"
    "village 360981100001 龙津社区 龙津社区居委会\n"
    "grids grid 网格编号 网格名称 所属村\n";

constexpr char kDisputeHeader[] = "编号,摸排日期,所属村,所属网格,纠纷类型,当事人,调处状态,调处日期,调处人\n";

class RollupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TZ_REQUIRE_TEST_DATABASE(test_db_);
    dir_ = std::filesystem::temp_directory_path() / ("tz_rollup_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    const std::string org = dir_ + "/org.txt";
    std::ofstream(org, std::ios::binary) << kCityOrg;
    auto db = service::Database::Init(test_db_.location(), "packs/township", org);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->catalog().org.MultiTown());

    Import("dispute", "辽市镇",
           std::string(kDisputeHeader) +
               "MD01,2022-01-05,院前村,,邻里纠纷,甲、乙,调处成功,2022-01-09,调\n"
               "MD02,2022-03-01,院前村,,邻里纠纷,甲、乙,调处成功,2022-06-30,调\n"
               "MD03,2022-04-01,院前村委会,,邻里纠纷,甲、乙,调处中,,\n"
               "MD04,2022-05-01,西坑村,,邻里纠纷,甲、乙,调处成功,2022-05-02,调\n"
               "MD05,2022-07-01,西坑村,,邻里纠纷,甲、乙,调处成功,2022-07-02,调\n");  // H2
    // The same 编号 MD01 in another town: keys are a town's own.
    Import("dispute", "金瑞镇",
           std::string(kDisputeHeader) +
               "MD01,2022-02-01,院前村,,婚姻家庭,丙、丁,调处成功,2022-02-03,调\n");
    Import("dispute", "360981100",
           std::string(kDisputeHeader) +
               "F1,2022-01-01,龙津社区,,劳资纠纷,戊、己,调处成功,2022-01-02,调\n"
               "F2,2022-01-02,龙津社区,,劳资纠纷,戊、己,调处中,,\n"
               "F3,2022-01-03,龙津社区,,劳资纠纷,戊、己,调处中,,\n"
               "F4,2022-01-04,龙津社区,,劳资纠纷,戊、己,调处中,,\n"
               "F5,2022-01-05,龙津社区,,劳资纠纷,戊、己,调处中,,\n");
    const std::string cases = "案件编号,被审查人,受理日期,立案日期,办结日期,处分种类,处分日期\n";
    Import("discipline_case", "辽市镇",
           cases + "AJ01,张甲,2022-01-10,,,无,\nAJ02,李乙,2022-02-10,,,无,\nAJ02,王丙,2022-02-10,,,无,\n");
    Import("discipline_case", "金瑞镇", cases + "AJ01,赵丁,2022-03-10,,,无,\n");
    const std::string target = "年度,指标名称,目标值,单位,增长目标\n";
    Import("target", "辽市镇", target + "2022,地区生产总值,15.8,亿元,8.5\n");
    Import("target", "金瑞镇", target + "2022,地区生产总值,9.6,亿元,7\n");
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void Import(const std::string& ledger, const std::string& town, const std::string& csv) {
    const std::string path = dir_ + "/" + ledger + ".csv";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << csv;
    auto l = service::FindLedger(db_->catalog(), ledger);
    ASSERT_TRUE(l.ok());
    service::ImportOptions options;
    options.town = town;
    auto report = service::ImportFile(db_->store(), db_->catalog(), **l, path, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_TRUE(report->errors.empty()) << ledger << " " << town << ": " << report->errors[0].message;
  }

  // The display of one figure for a unit, "—" when it has no value (and then the note).
  std::string Figure(const std::string& unit, const std::string& id, std::string* note = nullptr) {
    auto period = ParsePeriod("2022H1");
    auto scope = db_->engine().ResolveScope(db_->store(), unit);
    EXPECT_TRUE(scope.ok()) << unit << ": " << scope.status().ToString();
    if (!scope.ok()) return "?";
    auto r = db_->engine().Compute(db_->store(), *period, *scope, {id});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return "?";
    const figures::FigureResult* f = r->Find(id);
    if (note) *note = f->value.note();
    return f->display;
  }

  store::testing::TestDatabase test_db_{"rollup"};
  std::string dir_;
  std::unique_ptr<service::Database> db_;
};

TEST_F(RollupTest, CountsAddUpAndRatesAreRecomputedAtEachLevel) {
  struct Row {
    const char* unit;
    const char* found;
    const char* resolved;
    const char* rate;
  };
  for (const Row& r : {Row{"", "10", "5", "50"}, Row{"宜春市", "10", "5", "50"},
                       Row{"袁州区", "5", "4", "80"}, Row{"360902", "5", "4", "80"},
                       Row{"丰城市", "5", "1", "20"}, Row{"辽市镇", "4", "3", "75"},
                       Row{"360902102", "1", "1", "100"}, Row{"剑光街道", "5", "1", "20"},
                       Row{"360902117201", "3", "2", "66.7"}, Row{"360902102213", "1", "1", "100"},
                       Row{"西坑村", "1", "1", "100"}}) {
    EXPECT_EQ(Figure(r.unit, "dispute.found"), r.found) << r.unit;
    EXPECT_EQ(Figure(r.unit, "dispute.resolved"), r.resolved) << r.unit;
    EXPECT_EQ(Figure(r.unit, "dispute.rate"), r.rate) << r.unit;
  }
}

TEST_F(RollupTest, DistinctCountsATownsOwnNumbersPerTown) {
  EXPECT_EQ(Figure("辽市镇", "discipline.cases_accepted"), "2");
  EXPECT_EQ(Figure("金瑞镇", "discipline.cases_accepted"), "1");
  EXPECT_EQ(Figure("袁州区", "discipline.cases_accepted"), "3");
  EXPECT_EQ(Figure("", "discipline.cases_accepted"), "3");
  EXPECT_EQ(Figure("丰城市", "discipline.cases_accepted"), "0");
}

TEST_F(RollupTest, ATownsTargetHasNoValueAboveTheTown) {
  EXPECT_EQ(Figure("辽市镇", "target.gdp"), "15.8");
  EXPECT_EQ(Figure("金瑞镇", "target.gdp"), "9.6");
  std::string note;
  EXPECT_EQ(Figure("袁州区", "target.gdp", &note), "—");
  EXPECT_NE(note.find("不适用"), std::string::npos) << note;
  EXPECT_EQ(Figure("", "target.gdp", &note), "—");
}

TEST_F(RollupTest, AVillageNameOfTwoTownsIsAmbiguousAndAnImportNeedsItsTown) {
  auto scope = db_->engine().ResolveScope(db_->store(), "院前村");
  ASSERT_FALSE(scope.ok());
  EXPECT_NE(scope.status().message().find("金瑞镇院前村（360902102213）"), std::string::npos)
      << scope.status().message();
  // Without a town (nor a village to take it from) a multi-town import is refused.
  const std::string path = dir_ + "/d.csv";
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << kDisputeHeader << "X1,2022-01-05,院前村,,邻里纠纷,甲、乙,调处中,,\n";
  auto l = service::FindLedger(db_->catalog(), "dispute");
  ASSERT_TRUE(l.ok());
  auto refused = service::ImportFile(db_->store(), db_->catalog(), **l, path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("指定所属乡镇"), std::string::npos)
      << refused.status().message();
  // A village of another town is an error in this town's file.
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      << kDisputeHeader << "X1,2022-01-05,龙津社区,,邻里纠纷,甲、乙,调处中,,\n";
  service::ImportOptions options;
  options.town = "辽市镇";
  auto wrong = service::ImportFile(db_->store(), db_->catalog(), **l, path, options);
  ASSERT_TRUE(wrong.ok());
  ASSERT_FALSE(wrong->errors.empty());
  EXPECT_NE(wrong->errors[0].message.find("不是辽市镇的村"), std::string::npos)
      << wrong->errors[0].message;
  EXPECT_EQ(Figure("", "dispute.found"), "10");  // nothing of either went in
}

}  // namespace
}  // namespace tz
