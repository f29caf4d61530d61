// Binding errors name the figure, its file and line, and the column in the expression; the engine
// computes the bound figures with the period semantics of seed-report.md.
#include "figures/binder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "figures/engine.h"
#include "figures/planner.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::figures {
namespace {

const char kOrg[] =
    "town 360902117 辽市镇\n"
    "village 360902117200 辽市村 辽市村委会\n"
    "village 360902117201 院前村 院前村委会\n";

const char kLedgers[] =
    "ledger training 教育培训台账\n"
    "  column 日期 date required\n"
    "  column 类型 enum(网格员培训|党校授课) required\n"
    "  column 参加人数 int\n"
    "  column 所属村 unit\n"
    "ledger pay 补助台账\n"
    "  column 所属村 unit required\n"
    "  column 月份 month required\n"
    "  column 金额 decimal required\n"
    "  column 开始 date\n"
    "  column 结束 date\n"
    "  column 是否发放 bool\n"
    "  column 学期 text\n"
    "ledger plan 目标台账\n"
    "  column 年度 int required\n"
    "  column 名称 text required\n"
    "  column 目标值 decimal\n"
    "ledger contact 联系人台账\n"
    "  column 身份证号 id18\n"
    "  column 电话 phone\n"
    "  column 姓名 text sensitive\n";

Result<pack::Catalog> Catalog(const std::string& figures) {
  pack::PackFiles files = {{"pack.txt", "name t\n"},
                           {"org.txt", kOrg},
                           {"ledgers/a.txt", kLedgers},
                           {"figures/f.txt", figures}};
  return pack::LoadPack(files);
}

std::string BindError(const std::string& value) {
  auto c = Catalog("figure t.x\n  value " + value + "\n");
  EXPECT_TRUE(c.ok()) << c.status().message();
  auto b = BindCatalog(*c);
  EXPECT_FALSE(b.ok()) << value;
  return b.ok() ? "" : b.status().message();
}

TEST(BinderTest, ErrorsNameFigureFileLineAndColumn) {
  std::string e = BindError("count(training | 类型 = '党校')");
  EXPECT_NE(e.find("figures/f.txt:2"), std::string::npos) << e;
  EXPECT_NE(e.find("t.x"), std::string::npos) << e;
  EXPECT_NE(e.find("第23列"), std::string::npos) << e;
  EXPECT_NE(e.find("党校授课"), std::string::npos) << e;  // lists the allowed values

  EXPECT_NE(BindError("count(nosuch)").find("未知的台账"), std::string::npos);
  EXPECT_NE(BindError("count(training | 人数 > 3)").find("没有列“人数”"), std::string::npos);
  EXPECT_NE(BindError("sum(training.类型)").find("sum 需要数值列"), std::string::npos);
  EXPECT_NE(BindError("count(training | 日期 = 3)").find("不能与数字比较"), std::string::npos);
  EXPECT_NE(BindError("count(training | 日期 = '2022-02-30')").find("不是有效日期"),
            std::string::npos);
  EXPECT_NE(BindError("count(training | 参加人数 in P)").find("不是日期"), std::string::npos);
  EXPECT_NE(BindError("count(pay | 是否发放 = '对')").find("是/否"), std::string::npos);
  EXPECT_NE(BindError("count(pay | 所属村 = '东风村')").find("不是本镇"), std::string::npos);
  EXPECT_NE(BindError("count(training) + '文字'").find("需要数值"), std::string::npos);
  EXPECT_NE(BindError("t.y").find("未知的指标"), std::string::npos);
  EXPECT_NE(BindError("count(training | 类型 > '党校授课')").find("只能用 = 或 !="),
            std::string::npos);
  EXPECT_NE(BindError("count(training | 年度 = y)").find("没有列"), std::string::npos);
  EXPECT_NE(BindError("min(training.日期) < '2022-13-01'").find("不是有效日期"), std::string::npos);
}

TEST(BinderTest, CyclesAreErrors) {
  auto c = Catalog("figure a.x\n  value a.y + 1\nfigure a.y\n  value a.x\n");
  ASSERT_TRUE(c.ok());
  auto b = BindCatalog(*c);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("循环"), std::string::npos) << b.status().message();
}

class EngineTest : public ::testing::Test {
 protected:
  // On SQLite, or on PostgreSQL in the "pg." run (store/test_database.h).
  void SetUp() override { TZ_REQUIRE_TEST_DATABASE(db_); }
  void Load(const std::string& figures) {
    auto c = Catalog(figures);
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalog_ = std::make_unique<pack::Catalog>(std::move(c).value());
    auto e = Engine::Create(*catalog_);
    ASSERT_TRUE(e.ok()) << e.status().message();
    engine_ = std::move(e).value();
    auto s = store::OpenStore(db_.location(), true);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(store::InitSchema(*store_, {{"pack.txt", "name t\n"}}, *catalog_).ok());
  }
  void TearDown() override { store_.reset(); }

  void Insert(const std::string& ledger, std::vector<store::SqlValue> row) {
    auto w = store::RowWriter::Create(*store_, *catalog_->FindLedger(ledger));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(1, ++row_, row).ok());
    ASSERT_TRUE((*w)->Flush().ok());
  }

  const FigureResult& Get(const ComputeResult& r, const std::string& id) {
    const FigureResult* f = r.Find(id);
    EXPECT_NE(f, nullptr) << id;
    return *f;
  }

  ComputeResult Compute(const std::string& period, const std::string& unit = "") {
    auto scope = engine_->ResolveScope(*store_, unit);
    EXPECT_TRUE(scope.ok());
    auto r = engine_->Compute(*store_, *ParsePeriod(period), *scope);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return *r;
  }

  std::unique_ptr<pack::Catalog> catalog_;
  std::unique_ptr<Engine> engine_;
  store::testing::TestDatabase db_{"engine"};
  std::unique_ptr<store::Store> store_;
  int row_ = 1;
};

using store::SqlValue;
const SqlValue kNull;

TEST_F(EngineTest, PeriodsActiveAtMonthsAndTemplates) {
  Load(
      "figure p.in_p\n  value count(pay | 月份 in P)\n"
      "figure p.in_y\n  value sum(pay.金额 | 月份 in Y)\n  display decimal\n"
      "figure p.active\n  value count(pay | active(开始, 结束))\n"
      "figure p.paid\n  value count(pay | 是否发放 = '是')\n"
      "figure p.not_paid\n  value count(pay | not 是否发放 = '是')\n"
      "figure p.spring\n  value count(pay | 学期 = '{y}年春季')\n"
      "figure p.first\n  value month(min(pay.月份 | 月份 in Y))\n"
      "figure p.village\n  value count(pay | 所属村 = '院前村')\n"
      "figure p.bare\n  value count(pay | 是否发放)\n"
      "figure p.not_bare\n  value count(pay | not 是否发放)\n"
      "figure p.early\n  value min(pay.开始) < '2022/1/2'\n  display bool\n");
  const std::string y1 = "360902117201", y0 = "360902117200";
  // 所属村, 月份, 金额 (×10000), 开始, 结束, 是否发放, 学期
  Insert("pay", {y1, std::string("2021-12"), int64_t{15000}, std::string("2022-01-01"), kNull,
                 int64_t{1}, std::string("2022年春季")});
  Insert("pay", {y1, std::string("2022-03"), int64_t{25000}, std::string("2022-06-30"),
                 std::string("2022-06-30"), int64_t{0}, std::string("2021年春季")});
  Insert("pay", {y0, std::string("2022-07"), int64_t{10000}, std::string("2022-07-01"), kNull,
                 kNull, std::string("2022年秋季")});
  ComputeResult h1 = Compute("2022H1");
  EXPECT_EQ(Get(h1, "p.in_p").display, "1");    // 2022-03 only
  EXPECT_EQ(Get(h1, "p.in_y").display, "2.5");  // Y = 2022-01..2022-06
  EXPECT_EQ(Get(h1, "p.active").display, "1");  // row 2 ends on A: not active; row 3 starts later
  EXPECT_EQ(Get(h1, "p.paid").display, "1");
  EXPECT_EQ(Get(h1, "p.not_paid").display, "2");  // an empty 是否发放 is "not 是"
  EXPECT_EQ(Get(h1, "p.spring").display, "1");
  EXPECT_EQ(Get(h1, "p.first").display, "3");
  EXPECT_EQ(Get(h1, "p.village").display, "2");
  EXPECT_EQ(Get(h1, "p.bare").display, "1");
  EXPECT_EQ(Get(h1, "p.not_bare").display, "2");  // 否 and empty
  EXPECT_EQ(Get(h1, "p.early").display, "是");    // 2022-01-01 < 2022/1/2 as dates
  ComputeResult year = Compute("2022");
  EXPECT_EQ(Get(year, "p.in_p").display, "2");
  EXPECT_EQ(Get(year, "p.active").display, "2");  // rows 1 and 3 at 2022-12-31
  ComputeResult q3 = Compute("2022-07-01..2022-07-31");
  EXPECT_EQ(Get(q3, "p.in_p").display, "1");
  ComputeResult y2021 = Compute("2021");
  EXPECT_EQ(Get(y2021, "p.spring").display, "1");  // {y} is 2021 now
  EXPECT_EQ(Get(y2021, "p.first").display, "12");
  // Village scope: only that village's rows.
  ComputeResult v = Compute("2022", "院前村");
  EXPECT_EQ(Get(v, "p.in_p").display, "1");
}

TEST_F(EngineTest, NoValueNeverASilentZero) {
  Load(
      "figure n.count\n  value count(training | 日期 in P)\n"
      "figure n.people\n  value sum(training.参加人数 | 日期 in P)\n"
      "figure n.rate\n  value 100 * n.people / n.count\n  display percent\n"
      "figure n.max\n  value max(training.参加人数 | 日期 in P)\n"
      "figure n.target\n  value single(plan.目标值 | 年度 = y, 名称 = 'GDP')\n  display decimal\n"
      "figure n.share\n  value 100 * n.target / 2\n");
  ComputeResult empty = Compute("2022H1");
  EXPECT_EQ(Get(empty, "n.count").display, "0");
  EXPECT_EQ(Get(empty, "n.people").display, "0");  // an empty sum is 0
  EXPECT_EQ(Get(empty, "n.rate").display, "—");
  EXPECT_EQ(Get(empty, "n.rate").value.note(), "分母为0");
  EXPECT_FALSE(Get(empty, "n.max").value.has_value());
  EXPECT_FALSE(Get(empty, "n.target").value.has_value());
  EXPECT_NE(Get(empty, "n.target").value.note().find("没有"), std::string::npos);
  EXPECT_EQ(Get(empty, "n.share").value.note(), Get(empty, "n.target").value.note());

  Insert("plan", {int64_t{2022}, std::string("GDP"), int64_t{125000}});
  EXPECT_EQ(Get(Compute("2022H1"), "n.target").display, "12.5");
  EXPECT_EQ(Get(Compute("2022H1"), "n.share").display, "625");
  Insert("plan", {int64_t{2022}, std::string("GDP"), int64_t{130000}});
  ComputeResult two_rows = Compute("2022H1");
  const FigureResult& several = Get(two_rows, "n.target");
  EXPECT_FALSE(several.value.has_value());
  EXPECT_NE(several.value.note().find("2条"), std::string::npos) << several.value.note();

  // A ledger without a village column is not applicable at village level.
  ComputeResult village = Compute("2022H1", "院前村");
  const FigureResult& na = Get(village, "n.target");
  EXPECT_NE(na.value.note().find("不适用"), std::string::npos) << na.value.note();
}

// Explain lists the records behind each aggregate, at most `max_records` of them, with the full
// count; with 0 only the count (the 数据来源 appendix of a report).
TEST_F(EngineTest, ExplainCountsAndListsAtMostMaxRecords) {
  Load("figure n.count\n  value count(training | 日期 in P)\n");
  for (const char* day : {"2022-02-01", "2022-03-01", "2022-04-01", "2022-08-01"}) {
    Insert("training", {std::string(day), std::string("党校授课"), int64_t{10}, std::string("院前村")});
  }
  ComputeResult r = Compute("2022H1");
  ASSERT_EQ(Get(r, "n.count").display, "3");
  for (int max : {0, 2, 50}) {
    auto ex = engine_->Explain(*store_, "n.count", r, max);
    ASSERT_TRUE(ex.ok()) << ex.status().message();
    ASSERT_EQ(ex->aggregates.size(), 1u);
    EXPECT_EQ(ex->aggregates[0].total_records, 3) << max;
    EXPECT_EQ(ex->aggregates[0].records.size(), static_cast<size_t>(std::min(max, 3))) << max;
    EXPECT_EQ(ex->aggregates[0].ledger_title, "教育培训台账");
  }
}

TEST_F(EngineTest, ListsGroupsAndDisplays) {
  Load(
      "figure g.list\n  value list(pay.学期 | 金额 >= 1 by 月份)\n  display list\n"
      "figure g.groups\n  value groups(pay.学期 | 金额 >= 1)\n  display groups 家\n"
      "figure g.named\n  value groups(pay.学期, pay.月份)\n  display groups_named 家\n"
      "figure g.n\n  value count(pay)\n  display cn_count\n"
      "figure g.by_enum\n  value list(training.日期 by 类型)\n  display list\n");
  Insert("training", {std::string("2022-01-02"), std::string("网格员培训"), kNull, kNull});
  Insert("training", {std::string("2022-01-01"), std::string("党校授课"), kNull, kNull});
  Insert("pay", {std::string("360902117201"), std::string("2022-05"), int64_t{20000}, kNull, kNull,
                 kNull, std::string("乙")});
  Insert("pay", {std::string("360902117201"), std::string("2022-02"), int64_t{20000}, kNull, kNull,
                 kNull, std::string("甲")});
  Insert("pay", {std::string("360902117201"), std::string("2022-03"), int64_t{5000}, kNull, kNull,
                 kNull, std::string("乙")});
  ComputeResult r = Compute("2022H1");
  EXPECT_EQ(Get(r, "g.list").display, "甲和乙");  // by 月份; the 0.5 row is out
  EXPECT_EQ(Get(r, "g.groups").display, "一家乙、一家甲");
  EXPECT_EQ(Get(r, "g.named").display, "两家乙：2022-05和2022-03，一家甲：2022-02");
  EXPECT_EQ(Get(r, "g.n").display, "三");
  // By 类型 in the pack's order (网格员培训 first), not by the characters (党 < 网).
  EXPECT_EQ(Get(r, "g.by_enum").display, "2022-01-02和2022-01-01");
}

// A figure's value goes into reports and every API answer: ID numbers, phones and the columns a
// pack marks sensitive are masked in it, whoever asks.
TEST_F(EngineTest, ListsAndGroupsMaskPersonalIdentifiers) {
  Load(
      "figure c.phones\n  value list(contact.电话)\n  display list\n"
      "figure c.names\n  value list(contact.姓名)\n  display list\n"
      "figure c.ids\n  value groups(contact.身份证号, contact.电话)\n  display groups_named 人\n");
  Insert("contact",
         {std::string("360902194001013113"), std::string("13812345678"), std::string("张三丰")});
  ComputeResult r = Compute("2022H1");
  EXPECT_EQ(Get(r, "c.phones").display, "138****5678");
  EXPECT_EQ(Get(r, "c.names").display, "张**");
  const std::string ids = Get(r, "c.ids").display;
  EXPECT_NE(ids.find("360902********3113"), std::string::npos) << ids;
  EXPECT_EQ(ids.find("194001"), std::string::npos) << ids;
  EXPECT_EQ(ids.find("12345"), std::string::npos) << ids;
}

// What a column shows to a viewer who may not unmask: decided by Column::sensitive, which the
// loader sets for every id18 and phone column and the pack sets for others.
TEST(MaskedCellTextTest, SensitiveColumns) {
  pack::PackFiles files = {{"pack.txt", "name t\n"},
                           {"org.txt", kOrg},
                           {"ledgers/a.txt",
                            "ledger petition 信访件台账\n"
                            "  column 信访人 text required sensitive\n"
                            "  column 事项 text\n"
                            "  column 身份证号 id18\n"
                            "  column 电话 phone\n"
                            "  column 所属村 unit sensitive\n"
                            "  column 人数 int sensitive\n"}};
  auto c = pack::LoadPack(files);
  ASSERT_TRUE(c.ok()) << c.status().message();
  const pack::Ledger& led = *c->FindLedger("petition");
  auto masked = [&](const char* label, SqlValue v) {
    return MaskedCellText(*c, *led.FindColumn(label), v);
  };
  // Text: the first character, then one * for each further character (not byte).
  EXPECT_EQ(masked("信访人", std::string("张三丰")), "张**");
  EXPECT_EQ(masked("信访人", std::string("欧阳")), "欧*");
  EXPECT_EQ(masked("信访人", std::string("李")), "李");
  EXPECT_EQ(masked("信访人", std::string("Ann Lee")), "A******");
  EXPECT_EQ(masked("信访人", std::string("")), "");
  EXPECT_EQ(masked("信访人", SqlValue()), "");
  EXPECT_EQ(CellText(*c, *led.FindColumn("信访人"), std::string("张三丰")), "张三丰");
  EXPECT_EQ(masked("事项", std::string("张三丰")), "张三丰");  // not sensitive
  // ID numbers and phones keep their masks, without being marked.
  EXPECT_EQ(masked("身份证号", std::string("360902194001013113")), "360902********3113");
  EXPECT_EQ(masked("身份证号", SqlValue()), "");
  EXPECT_EQ(masked("电话", std::string("13812345678")), "138****5678");
  EXPECT_EQ(masked("电话", std::string("0795-1234567")), "079*****4567");
  // Other types are masked as the text a person reads: the village's name, the number's digits.
  EXPECT_EQ(masked("所属村", std::string("360902117201")), "院**");
  EXPECT_EQ(masked("人数", SqlValue(int64_t{12})), "1*");
}

}  // namespace
}  // namespace tz::figures

namespace tz::figures {
namespace {

TEST(GridScopeTest, FiguresOneLevelBelowTheVillage) {
  pack::PackFiles files = {
      {"pack.txt", "name t\n"},
      {"org.txt", std::string(kOrg) + "grids grid 网格编号 网格名称 所属村\n"},
      {"ledgers/a.txt",
       "ledger grid 网格台账\n  key 网格编号\n  column 网格编号 text required\n"
       "  column 网格名称 text required\n  column 所属村 unit required\n"
       "ledger dispute 矛盾纠纷台账\n  scope 所属村 所属网格\n  column 编号 text required\n"
       "  column 所属村 unit required\n  column 所属网格 ref(grid)\n"
       "ledger visit 走访台账\n  column 所属村 unit required\n"},
      {"figures/f.txt", "figure d.n\n  value count(dispute)\nfigure v.n\n  value count(visit)\n"}};
  auto catalog = pack::LoadPack(files);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto engine = Engine::Create(*catalog);
  ASSERT_TRUE(engine.ok());
  store::testing::TestDatabase db("grid");  // SQLite, or PostgreSQL in the "pg." run
  TZ_REQUIRE_TEST_DATABASE(db);
  auto store = store::OpenStore(db.location(), true);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE(store::InitSchema(**store, files, *catalog).ok());
  auto write = [&](const char* ledger, std::vector<SqlValue> row) {
    auto w = store::RowWriter::Create(**store, *catalog->FindLedger(ledger));
    ASSERT_TRUE((*w)->Write(1, 2, row).ok());
    ASSERT_TRUE((*w)->Flush().ok());
  };
  write("grid", {std::string("G1"), std::string("院前一组网格"), std::string("360902117201")});
  write("grid", {std::string("G2"), std::string("院前二组网格"), std::string("360902117201")});
  write("dispute", {std::string("D1"), std::string("360902117201"), std::string("G1")});
  write("dispute", {std::string("D2"), std::string("360902117201"), std::string("G2")});
  write("dispute", {std::string("D3"), std::string("360902117201"), SqlValue()});
  write("visit", {std::string("360902117201")});

  auto grid = (*engine)->ResolveScope(**store, "院前一组网格");  // by name, or by its key
  ASSERT_TRUE(grid.ok()) << grid.status().message();
  EXPECT_EQ(grid->code, "G1");
  auto r = (*engine)->Compute(**store, *ParsePeriod("2022"), *grid);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Find("d.n")->display, "1");
  EXPECT_EQ(r->Find("v.n")->display, "—");  // 走访台账 has no grid column: not applicable
  auto village = (*engine)->ResolveScope(**store, "360902117201");
  auto rv = (*engine)->Compute(**store, *ParsePeriod("2022"), *village);
  EXPECT_EQ(rv->Find("d.n")->display, "3");
  EXPECT_EQ(rv->Find("v.n")->display, "1");
  EXPECT_FALSE((*engine)->ResolveScope(**store, "G9").ok());
}

}  // namespace
}  // namespace tz::figures
