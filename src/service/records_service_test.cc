// The records use cases behind the web app's ledger page, on the hand-made fixtures of
// tests/fixtures/township/ (every expected count below is counted by hand from those files).
#include "service/records_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "auth/principal.h"
#include "service/database.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::service {
namespace {

class RecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // On SQLite, or on PostgreSQL in the "pg." run (store/test_database.h).
    TZ_REQUIRE_TEST_DATABASE(test_db_);
    auto db = Database::Init(test_db_.location(), "packs/township");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    for (const char* id : {"grid", "household", "dibao", "dispute", "tekun"}) {
      auto report = ImportCsvFile(db_->store(), db_->catalog(), L(id),
                                  std::string("tests/fixtures/township/") + id + ".csv");
      ASSERT_TRUE(report.ok()) << report.status().message();
      ASSERT_TRUE(report->ok()) << id << ": " << report->errors[0].message;
    }
  }
  void TearDown() override { db_.reset(); }

  const pack::Ledger& L(const std::string& id) { return *db_->catalog().FindLedger(id); }
  // The local administrator: every permission over the whole town (scope tests: access_test.cc).
  auth::Principal Admin() { return auth::Principal::LocalAdmin(db_->catalog(), "test"); }

  RecordPage List(const std::string& ledger, const RecordQuery& q) {
    auto page = ListRecords(*db_, Admin(), L(ledger), q);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? *page : RecordPage{};
  }

  // The message of a refused query ("" when it was not refused as InvalidArgument).
  std::string Refusal(const std::string& ledger, const RecordQuery& q) {
    auto page = ListRecords(*db_, Admin(), L(ledger), q);
    if (page.ok() || page.status().code() != StatusCode::kInvalidArgument) return "";
    return page.status().message();
  }

  // Column `label` of every row of a page.
  std::vector<std::string> Col(const std::string& ledger, const RecordPage& page,
                               const std::string& label) {
    int c = L(ledger).ColumnIndex(label);
    std::vector<std::string> out;
    for (const RecordRow& r : page.rows) out.push_back(r.cells[static_cast<size_t>(c)]);
    return out;
  }

  int64_t Total(const std::string& ledger, const std::string& column, const std::string& filter) {
    RecordQuery q;
    q.filters[column] = filter;
    return List(ledger, q).total;
  }

  int64_t Rows(const std::string& ledger) { return *store::CountRows(db_->store(), L(ledger)); }

  int64_t IdOf(const std::string& ledger, const std::string& column, const std::string& value) {
    RecordQuery q;
    q.filters[column] = value;
    RecordPage p = List(ledger, q);
    EXPECT_EQ(p.rows.size(), 1u) << value;
    return p.rows.empty() ? 0 : p.rows[0].id;
  }

  int64_t WebImports() {
    int64_t n = 0;
    EXPECT_TRUE(db_->store()
                    .Query({"SELECT COUNT(*) FROM _imports WHERE source = 'web'", {}},
                           [&](const std::vector<store::SqlValue>& row) {
                             n = std::get<int64_t>(row[0]);
                             return Status::Ok();
                           })
                    .ok());
    return n;
  }

  static bool HasError(const RecordWrite& w, const std::string& column) {
    for (const ImportIssue& e : w.errors) {
      if (e.column == column) return true;
    }
    return false;
  }

  store::testing::TestDatabase test_db_{"records"};
  std::unique_ptr<Database> db_;
};

using Cells = std::map<std::string, std::string>;
using Strings = std::vector<std::string>;

TEST_F(RecordsTest, PagesInInsertionOrder) {
  RecordQuery q;
  q.page = 2;
  q.page_size = 3;
  q.filters["摸排日期"] = "2021-01-01..";  // all seven, but it makes a WHERE
  const int64_t before = db_->store().query_count();
  RecordPage p = List("dispute", q);
  EXPECT_EQ(db_->store().query_count() - before, 2);  // one COUNT, one SELECT
  EXPECT_EQ(p.total, 7);
  EXPECT_EQ(p.page, 2);
  EXPECT_EQ(p.page_size, 3);
  EXPECT_EQ(Col("dispute", p, "编号"), (Strings{"MD04", "MD05", "MD06"}));
  ASSERT_EQ(p.rows[0].cells.size(), L("dispute").columns.size());
  EXPECT_EQ(p.rows[0].id + 1, p.rows[1].id);

  q.page = 3;  // the last, short page
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"), (Strings{"MD07"}));
  q.page = 4;  // past the end: empty, the total still told
  p = List("dispute", q);
  EXPECT_EQ(p.total, 7);
  EXPECT_TRUE(p.rows.empty());

  RecordQuery all;  // default page size 50 takes them all
  EXPECT_EQ(List("dispute", all).rows.size(), 7u);
  all.descending = true;  // no sort column: newest first
  EXPECT_EQ(Col("dispute", List("dispute", all), "编号").front(), "MD07");
}

TEST_F(RecordsTest, SortsByDateAndText) {
  RecordQuery q;
  q.sort = "摸排日期";
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"),
            (Strings{"MD05", "MD01", "MD03", "MD06", "MD02", "MD04", "MD07"}));
  q.descending = true;
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"),
            (Strings{"MD07", "MD04", "MD02", "MD06", "MD03", "MD01", "MD05"}));
  // Text sorts by code point: 罗 U+7F57 before 胡 U+80E1; 丙 < 庚 < 戊 < 甲, 丁 < 乙 < 甲.
  q.sort = "当事人";
  q.descending = false;
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"),
            (Strings{"MD02", "MD05", "MD03", "MD01", "MD07", "MD06", "MD04"}));
  // Empty values last both ways (MD03 has no 调处日期); ties keep insertion order.
  q.sort = "调处日期";
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"),
            (Strings{"MD05", "MD01", "MD06", "MD02", "MD04", "MD07", "MD03"}));
  q.descending = true;
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"),
            (Strings{"MD07", "MD04", "MD02", "MD06", "MD01", "MD05", "MD03"}));
  // Sorted and paged: page 2 of 3 continues page 1.
  q.sort = "摸排日期";
  q.descending = false;
  q.page = 2;
  q.page_size = 3;
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"), (Strings{"MD06", "MD02", "MD04"}));
}

TEST_F(RecordsTest, FiltersByColumnType) {
  // date range, both ends inclusive: MD01 01-01, MD02 06-30, MD03 03-01, MD06 05-01.
  EXPECT_EQ(Total("dispute", "摸排日期", "2022-01-01..2022-06-30"), 4);
  EXPECT_EQ(Total("dispute", "摸排日期", "2022-07-01.."), 2);  // MD04, MD07
  EXPECT_EQ(Total("dispute", "摸排日期", "..2021-12-31"), 1);  // MD05
  EXPECT_EQ(Total("dispute", "摸排日期", "2022年3月1日"), 1);  // MD03, any date form
  EXPECT_EQ(Total("dispute", "调处日期", "2022/12/31"), 1);    // MD07
  EXPECT_EQ(Total("dispute", "调处状态", "调处成功"), 5);      // MD01 02 04 05 07
  EXPECT_EQ(Total("dispute", "所属村", "西坑村"), 3);          // MD04 06 07
  EXPECT_EQ(Total("dispute", "所属村", "360902117201"), 4);    // by code: 院前村
  EXPECT_EQ(Total("dispute", "所属网格", "G01"), 2);           // ref: exact, MD01 05
  EXPECT_EQ(Total("dispute", "当事人", "胡"), 3);              // text: contains
  EXPECT_EQ(Total("dispute", "当事人", ""), 7);                // empty: no filter
  EXPECT_EQ(Total("dibao", "保障人数", "2..4"), 4);            // H001 3 H002 2 H003 4 H006 2
  EXPECT_EQ(Total("dibao", "保障人数", "5.."), 2);             // H005 5, H007 6
  EXPECT_EQ(Total("dibao", "保障人数", "0..1"), 1);            // below min=1 is a question
  EXPECT_EQ(Total("dibao", "月保障金额", "1000..2000"), 4);    // 1500 1000 2000 1000
  EXPECT_EQ(Total("dibao", "月保障金额", "1,000"), 2);         // H002, H006
  EXPECT_EQ(Total("tekun", "是否建档立卡", "是"), 6);
  EXPECT_EQ(Total("tekun", "是否建档立卡", "否"), 1);                      // 罗特六
  // ID numbers and phones: only for who may see them in full.
  RecordQuery full;
  full.unmasked = true;
  full.filters["户主身份证号"] = "36090219751130052x";  // x as X: H005
  EXPECT_EQ(List("household", full).total, 1);
  full.filters = {{"联系电话", "13907950001"}};  // H001
  EXPECT_EQ(List("household", full).total, 1);

  RecordQuery q;  // filters combine with AND
  q.filters = {{"所属村", "院前村"}, {"摸排日期", "2022-01-01..2022-06-30"}};
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"), (Strings{"MD01", "MD02", "MD03"}));
}

TEST_F(RecordsTest, UnitKeepsOneVillage) {
  RecordQuery q;
  q.unit = "院前村委会";
  EXPECT_EQ(List("household", q).total, 5);  // H001 H002 H004(by code) H006 H007
  q.unit = "360902117202";
  RecordPage p = List("household", q);
  EXPECT_EQ(Col("household", p, "户编号"), (Strings{"H003", "H005", "H008"}));
  EXPECT_EQ(Col("household", p, "所属村"), (Strings{"西坑村", "西坑村", "西坑村"}));
  q.unit = "肯塘村";  // a village without rows
  EXPECT_EQ(List("household", q).total, 0);
  q.unit = "火星村";
  EXPECT_NE(Refusal("household", q).find("火星村"), std::string::npos);
}

TEST_F(RecordsTest, SearchesTextLiterally) {
  RecordQuery q;
  q.q = "罗调";  // 调处人 of MD01 MD02 MD05
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"), (Strings{"MD01", "MD02", "MD05"}));
  q.q = "西坑";  // by the village's name: MD04 MD06 MD07
  EXPECT_EQ(List("dispute", q).total, 3);
  q.q = "土地";  // an enum value: MD03
  EXPECT_EQ(List("dispute", q).total, 1);

  auto w = CreateRecord(*db_, Admin(), L("dispute"),
                        {{"编号", "MD08"},
                         {"摸排日期", "2022-02-02"},
                         {"所属村", "院前村"},
                         {"纠纷类型", "其他"},
                         {"当事人", "100%罗某"},
                         {"调处状态", "调处中"}});
  ASSERT_TRUE(w.ok() && w->ok());
  q.q = "%";  // only the row with a % in it, not every row
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"), (Strings{"MD08"}));
  q.q = "0%罗";
  EXPECT_EQ(List("dispute", q).total, 1);
  q.q = "_";
  EXPECT_EQ(List("dispute", q).total, 0);
  q.q = "\\";
  EXPECT_EQ(List("dispute", q).total, 0);
  q = {};
  q.filters["当事人"] = "%";  // a text filter is literal too
  EXPECT_EQ(List("dispute", q).total, 1);
}

// The same answers on both stores where their SQL differs: SQLite's LIKE ignores ASCII case and
// PostgreSQL's does not; PostgreSQL refuses text that is not UTF-8 where SQLite would keep it.
TEST_F(RecordsTest, SearchIgnoresAsciiCaseAndTextMustBeUtf8) {
  auto w = CreateRecord(*db_, Admin(), L("dispute"),
                        {{"编号", "MD09"},
                         {"摸排日期", "2022-02-03"},
                         {"所属村", "院前村"},
                         {"纠纷类型", "其他"},
                         {"当事人", "Wang Fang"},
                         {"调处状态", "调处中"}});
  ASSERT_TRUE(w.ok() && w->ok());
  RecordQuery q;
  q.q = "wANG f";
  EXPECT_EQ(Col("dispute", List("dispute", q), "编号"), (Strings{"MD09"}));
  q.q = "md0";  // the keys MD01 … MD09
  EXPECT_EQ(List("dispute", q).total, 8);
  q = {};
  q.filters["当事人"] = "FANG";
  EXPECT_EQ(List("dispute", q).total, 1);

  q = {};
  q.q = "\xE5\xBC";  // a character cut short
  EXPECT_NE(Refusal("dispute", q).find("UTF-8"), std::string::npos);
  q = {};
  q.filters["当事人"] = "\xFF";
  EXPECT_NE(Refusal("dispute", q).find("UTF-8"), std::string::npos);
  auto bad = CreateRecord(*db_, Admin(), L("dispute"),
                          {{"编号", "MD10"},
                           {"摸排日期", "2022-02-03"},
                           {"所属村", "院前村"},
                           {"纠纷类型", "其他"},
                           {"当事人", "王\xFF"},
                           {"调处状态", "调处中"}});
  ASSERT_TRUE(bad.ok()) << bad.status().ToString();
  EXPECT_TRUE(HasError(*bad, "当事人"));
  EXPECT_EQ(Rows("dispute"), 8);
  // A unit that is not UTF-8 is no grid either: an unknown unit, on both stores.
  q = {};
  q.unit = "\xFF";
  EXPECT_NE(Refusal("dispute", q).find("找不到单位"), std::string::npos);
}

TEST_F(RecordsTest, MasksUnlessAsked) {
  RecordQuery q;
  q.page_size = 1;
  RecordPage p = List("household", q);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.total, 8);
  EXPECT_EQ(Col("household", p, "户主身份证号"), (Strings{"360902********0110"}));
  EXPECT_EQ(Col("household", p, "联系电话"), (Strings{"139****0001"}));
  EXPECT_EQ(Col("household", p, "所属村"), (Strings{"院前村"}));
  q.unmasked = true;
  p = List("household", q);
  EXPECT_EQ(Col("household", p, "户主身份证号"), (Strings{"360902196503120110"}));
  EXPECT_EQ(Col("household", p, "联系电话"), (Strings{"13907950001"}));

  // A search must not reveal the hidden digits.
  RecordQuery s;
  s.q = "19650312";
  EXPECT_EQ(List("household", s).total, 0);
  s.unmasked = true;
  EXPECT_EQ(List("household", s).total, 1);

  RecordQuery d;  // decimals, bools and dates as a person writes them
  d.page_size = 1;
  EXPECT_EQ(Col("dibao", List("dibao", d), "月保障金额"), (Strings{"1500"}));
  EXPECT_EQ(Col("tekun", List("tekun", d), "是否建档立卡"), (Strings{"是"}));
}

// A masked column cannot be filtered or sorted by whoever sees it masked: a filter would answer
// "is this full ID number in the ledger" (the masked digits are a birth date: a few thousand
// guesses), and a sort would order the rows by birth date.
TEST_F(RecordsTest, MaskedColumnsCannotBeFilteredOrSorted) {
  RecordQuery q;
  q.filters["户主身份证号"] = "36090219751130052X";
  auto r = ListRecords(*db_, Admin(), L("household"), q);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("户主身份证号"), std::string::npos);
  q.filters = {{"联系电话", "1390795"}};
  EXPECT_EQ(ListRecords(*db_, Admin(), L("household"), q).status().code(), StatusCode::kInvalidArgument);
  q.filters.clear();
  q.sort = "户主身份证号";
  EXPECT_EQ(ListRecords(*db_, Admin(), L("household"), q).status().code(), StatusCode::kInvalidArgument);
  q.filters = {{"户主身份证号", ""}};  // an empty filter is no filter
  q.sort.clear();
  EXPECT_TRUE(ListRecords(*db_, Admin(), L("household"), q).ok());
}

TEST_F(RecordsTest, RefusesBadQueries) {
  RecordQuery q;
  q.page_size = 1000000000;
  std::string m = Refusal("dispute", q);
  EXPECT_NE(m.find("500"), std::string::npos) << m;
  q.page_size = 0;
  EXPECT_NE(Refusal("dispute", q), "");
  q.page_size = 500;  // the largest allowed
  EXPECT_EQ(List("dispute", q).total, 7);
  q.page = 0;
  EXPECT_NE(Refusal("dispute", q), "");
  q.page = std::numeric_limits<int64_t>::max();  // the offset would overflow
  EXPECT_NE(Refusal("dispute", q), "");

  RecordQuery u;
  u.sort = "日期";
  m = Refusal("dispute", u);
  EXPECT_NE(m.find("日期"), std::string::npos);
  EXPECT_NE(m.find("摸排日期"), std::string::npos) << "lists the valid columns: " << m;
  u = {};
  u.filters["金额"] = "1";
  EXPECT_NE(Refusal("dispute", u).find("金额"), std::string::npos);

  auto refusal_for = [&](const std::string& ledger, const std::string& column,
                         const std::string& value) {
    RecordQuery f;
    f.filters[column] = value;
    return Refusal(ledger, f);
  };
  m = refusal_for("dispute", "摸排日期", "2022-13-45");
  EXPECT_NE(m.find("摸排日期"), std::string::npos);
  EXPECT_NE(m.find("2022-13-45"), std::string::npos) << m;
  EXPECT_NE(refusal_for("dispute", "摸排日期", "2022-01-01..2022-02-30"), "");
  EXPECT_NE(refusal_for("dispute", "摸排日期", "2022-01-01..2022-02-01..2022-03-01"), "");
  EXPECT_NE(refusal_for("dispute", "调处状态", "完成"), "");
  EXPECT_NE(refusal_for("dispute", "所属村", "火星村"), "");
  EXPECT_NE(refusal_for("dibao", "保障人数", "两..三"), "");
  EXPECT_NE(refusal_for("tekun", "是否建档立卡", "yes"), "");
  EXPECT_NE(refusal_for("household", "户主身份证号", "360902********0110"), "");

  RecordQuery nounit;  // a ledger not kept by village
  nounit.unit = "院前村";
  const pack::Ledger* without = nullptr;
  for (const pack::Ledger& l : db_->catalog().ledgers) {
    if (l.village_column < 0) without = &l;
  }
  if (without) {
    auto p = ListRecords(*db_, Admin(), *without, nounit);
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST_F(RecordsTest, InjectionIsRefusedOrLiteral) {
  RecordQuery q;
  q.filters["当事人"] = "' OR 1=1 --";  // a text filter: looked for literally, finds nothing
  EXPECT_EQ(List("dispute", q).total, 0);
  q.filters["当事人"] = "'; DROP TABLE l_dispute; --";
  EXPECT_EQ(List("dispute", q).total, 0);
  q = {};
  q.filters["摸排日期"] = "2022-01-01' OR '1'='1";
  EXPECT_NE(Refusal("dispute", q), "");
  q = {};
  q.filters["所属村\" = \"所属村\" OR \"1"] = "x";
  EXPECT_NE(Refusal("dispute", q), "");
  q = {};
  q.sort = "摸排日期\"; DROP TABLE l_dispute; --";
  EXPECT_NE(Refusal("dispute", q), "");
  q.sort = "(SELECT 1)";
  EXPECT_NE(Refusal("dispute", q), "");
  q = {};
  q.q = "'); DELETE FROM l_dispute; --";
  EXPECT_EQ(List("dispute", q).total, 0);
  EXPECT_EQ(Rows("dispute"), 7);  // nothing executed
}

TEST_F(RecordsTest, CreatesAValidRecord) {
  int64_t imports = WebImports();
  auto w = CreateRecord(*db_, Admin(), L("household"),
                        {{"户编号", "H009"},
                         {"户主姓名", " 罗新 "},
                         {"户主身份证号", "360902199001010011"},
                         {"所属村", "院前村委会"},
                         {"所属网格", "G01"},
                         {"家庭人口数", "2"}});
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w->ok()) << w->errors[0].column << w->errors[0].message;
  EXPECT_TRUE(w->warnings.empty());
  EXPECT_GT(w->id, 0);
  EXPECT_EQ(Rows("household"), 9);
  EXPECT_EQ(WebImports(), imports + 1);
  RecordQuery q;
  q.filters["户编号"] = "H009";
  RecordPage p = List("household", q);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].id, w->id);
  EXPECT_EQ(Col("household", p, "户主姓名"), (Strings{"罗新"}));  // trimmed
  EXPECT_EQ(Col("household", p, "所属村"), (Strings{"院前村"}));  // stored as the code
  EXPECT_EQ(Col("household", p, "村民小组"), (Strings{""}));      // left out: empty

  // A reference to an unregistered grid is a warning; the record is written.
  w = CreateRecord(*db_, Admin(), L("household"),
                   {{"户编号", "H010"},
                    {"户主姓名", "罗新二"},
                    {"户主身份证号", "360902199002020027"},
                    {"所属村", "院前村"},
                    {"所属网格", "G99"},
                    {"家庭人口数", "1"}});
  ASSERT_TRUE(w.ok() && w->ok());
  ASSERT_EQ(w->warnings.size(), 1u);
  EXPECT_EQ(w->warnings[0].column, "所属网格");
  EXPECT_EQ(Rows("household"), 10);
}

// A grid lies in one village: a row naming a village and a grid of another village is refused,
// in the form and in an import (G01 and G02 are 院前村's grids in tests/fixtures/township/grid.csv).
TEST_F(RecordsTest, AGridOfAnotherVillageIsRefused) {
  auto w = CreateRecord(*db_, Admin(), L("household"),
                        {{"户编号", "H777"}, {"户主姓名", "胡错网"}, {"户主身份证号", "360902195001011112"},
                         {"所属村", "西坑村"},
                         {"所属网格", "G01"}, {"家庭人口数", "2"}});
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_EQ(w->errors.size(), 1u);
  EXPECT_EQ(w->errors[0].column, "所属网格");
  EXPECT_NE(w->errors[0].message.find("院前村"), std::string::npos) << w->errors[0].message;
  EXPECT_NE(w->errors[0].message.find("西坑村"), std::string::npos) << w->errors[0].message;
  // The same grid with its own village is fine.
  auto ok = CreateRecord(*db_, Admin(), L("household"),
                         {{"户编号", "H778"}, {"户主姓名", "罗对网"}, {"户主身份证号", "360902195001011112"},
                          {"所属村", "院前村"},
                          {"所属网格", "G01"}, {"家庭人口数", "2"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->ok()) << ok->errors[0].message;

  Table t;
  t.header = {"户编号", "户主姓名", "户主身份证号", "所属村", "所属网格", "家庭人口数"};
  t.rows = {{"H779", "甲", "360902195001011112", "院前村", "G02", "1"},
            {"H780", "乙", "360902195001011112", "西坑村", "G02", "1"}};
  t.row_numbers = {2, 3};
  auto report = ImportTable(db_->store(), db_->catalog(), L("household"), t, "t.csv");
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->errors.size(), 1u);
  EXPECT_EQ(report->errors[0].row, 3);
  EXPECT_EQ(report->errors[0].column, "所属网格");
  EXPECT_EQ(report->imported, 0);
}

// "Already registered" tells whether a full ID number exists: for someone who sees it masked,
// a way to test guesses of the hidden digits. Refused like any duplicate, and audited.
TEST_F(RecordsTest, AProbeOfAMaskedKeyIsAudited) {
  std::map<std::string, std::string> person = {
      {"身份证号", "360902195001011112"}, {"姓名", "罗甲"}, {"所属村", "西坑村"}};
  auto first = CreateRecord(*db_, Admin(), L("person"), person);
  ASSERT_TRUE(first.ok() && first->ok());
  figures::Scope village{pack::OrgLevel::kVillage, "360902117201", "院前村", ""};
  auto cun = auth::Principal::ForUser("cun", *db_->catalog().FindRole("village_cadre"), village);
  person["所属村"] = "院前村";
  auto probe = CreateRecord(*db_, cun, L("person"), person);
  ASSERT_TRUE(probe.ok());
  ASSERT_EQ(probe->errors.size(), 1u);
  EXPECT_EQ(probe->errors[0].column, "身份证号");
  int64_t denied = 0;
  std::string key;
  ASSERT_TRUE(db_->store()
                  .Query({"SELECT actor, detail FROM _audit WHERE action = 'denied'", {}},
                         [&](const std::vector<store::SqlValue>& row) {
                           ++denied;
                           EXPECT_EQ(std::get<std::string>(row[0]), "cun");
                           key = std::get<std::string>(row[1]);
                           return Status::Ok();
                         })
                  .ok());
  EXPECT_EQ(denied, 1);
  EXPECT_NE(key.find("360902********1112"), std::string::npos) << key;  // masked in the log
  EXPECT_EQ(key.find("360902195001011112"), std::string::npos) << key;
}

TEST_F(RecordsTest, RefusesInvalidRecords) {
  int64_t imports = WebImports();
  Cells good = {{"户编号", "H009"},
                {"户主姓名", "罗新"},
                {"户主身份证号", "360902199001010011"},
                {"所属村", "院前村"},
                {"家庭人口数", "2"}};
  auto refused = [&](const std::string& ledger, const Cells& cells) {
    auto w = CreateRecord(*db_, Admin(), L(ledger), cells);
    EXPECT_TRUE(w.ok()) << w.status().message();
    EXPECT_FALSE(w->ok());
    EXPECT_EQ(w->id, 0);
    return *w;
  };
  Cells c = good;
  c["户主身份证号"] = "360902199001010012";  // bad check character
  EXPECT_TRUE(HasError(refused("household", c), "户主身份证号"));
  c = good;
  c.erase("户主姓名");  // required, left out
  RecordWrite w = refused("household", c);
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].column, "户主姓名");
  EXPECT_EQ(w.errors[0].message, "必填项为空");
  c = good;
  c["户主姓名"] = "   ";  // blank is empty
  EXPECT_TRUE(HasError(refused("household", c), "户主姓名"));
  c = good;
  c["户编号"] = "H001";  // the key is taken
  EXPECT_TRUE(HasError(refused("household", c), "户编号"));
  c = good;
  c["家庭人口数"] = "0";  // below min=1
  EXPECT_TRUE(HasError(refused("household", c), "家庭人口数"));
  c = good;
  c["面积"] = "5";  // not a column
  EXPECT_TRUE(HasError(refused("household", c), "面积"));
  c = good;  // every error at once
  c["户主身份证号"] = "123";
  c["所属村"] = "火星村";
  c["户编号"] = "H002";
  EXPECT_EQ(refused("household", c).errors.size(), 3u);
  EXPECT_FALSE(refused("household", {}).errors.empty());

  w = refused("dispute", {{"编号", "MD09"},
                          {"摸排日期", "2022-02-02"},
                          {"所属村", "院前村"},
                          {"纠纷类型", "打架"},
                          {"当事人", "甲"},
                          {"调处状态", "调处中"}});
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].column, "纠纷类型");

  // The pack's check line: 性别 must agree with the ID number (…0011 is a man's).
  w = refused(
      "person",
      {{"身份证号", "360902199001010011"}, {"姓名", "罗新"}, {"性别", "女"}, {"所属村", "院前村"}});
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].column, "性别");
  auto ok = CreateRecord(
      *db_, Admin(), L("person"),
      {{"身份证号", "360902199001010011"}, {"姓名", "罗新"}, {"性别", "男"}, {"所属村", "院前村"}});
  ASSERT_TRUE(ok.ok() && ok->ok());

  EXPECT_EQ(Rows("household"), 8);  // nothing written by the refused ones
  EXPECT_EQ(Rows("dispute"), 7);
  EXPECT_EQ(Rows("person"), 1);
  EXPECT_EQ(WebImports(), imports + 1);
}

TEST_F(RecordsTest, GetsOneRecord) {
  int64_t id = IdOf("household", "户编号", "H005");
  auto r = GetRecord(*db_, Admin(), L("household"), id, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->id, id);
  EXPECT_EQ(r->cells[static_cast<size_t>(L("household").ColumnIndex("户主身份证号"))],
            "36090219751130052X");
  r = GetRecord(*db_, Admin(), L("household"), id, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cells[static_cast<size_t>(L("household").ColumnIndex("户主身份证号"))],
            "360902********052X");
  EXPECT_EQ(GetRecord(*db_, Admin(), L("household"), 999999, false).status().code(), StatusCode::kNotFound);
  // An id of another ledger's row is not this ledger's.
  EXPECT_EQ(GetRecord(*db_, Admin(), L("grid"), id, false).status().code(), StatusCode::kNotFound);
}

TEST_F(RecordsTest, BoundsUnknownColumns) {
  Cells c;
  for (int i = 0; i < 1000; ++i) c["列" + std::to_string(i)] = "x";
  auto w = CreateRecord(*db_, Admin(), L("household"), c);
  ASSERT_TRUE(w.ok());
  EXPECT_LT(w->errors.size(), 20u);
  EXPECT_EQ(Rows("household"), 8);
}

TEST_F(RecordsTest, UpdatesAWholeRow) {
  int64_t id = IdOf("household", "户编号", "H001");
  Cells c = {{"户编号", "H001"},
             {"户主姓名", "罗大明"},
             {"户主身份证号", "360902196503120110"},
             {"所属村", "西坑村"},
             {"家庭人口数", "5"}};
  auto w = UpdateRecord(*db_, Admin(), L("household"), id, c);  // its own key is no duplicate
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w->ok()) << w->errors[0].message;
  EXPECT_EQ(w->id, id);
  EXPECT_EQ(Rows("household"), 8);
  RecordQuery q;
  q.filters["户编号"] = "H001";
  q.unmasked = true;
  RecordPage p = List("household", q);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].id, id);
  EXPECT_EQ(Col("household", p, "家庭人口数"), (Strings{"5"}));
  EXPECT_EQ(Col("household", p, "所属村"), (Strings{"西坑村"}));
  EXPECT_EQ(Col("household", p, "联系电话"), (Strings{""}));  // whole-row replace: cleared
  RecordQuery west;
  west.unit = "西坑村";
  EXPECT_EQ(List("household", west).total, 4);  // H003 H005 H008 and now H001

  c["户编号"] = "H002";  // another row's key
  w = UpdateRecord(*db_, Admin(), L("household"), id, c);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(HasError(*w, "户编号"));
  c["户编号"] = "H001";
  c["家庭人口数"] = "三";
  w = UpdateRecord(*db_, Admin(), L("household"), id, c);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(HasError(*w, "家庭人口数"));
  EXPECT_EQ(Col("household", List("household", q), "家庭人口数"), (Strings{"5"}));  // unchanged

  c["家庭人口数"] = "1";
  EXPECT_EQ(UpdateRecord(*db_, Admin(), L("household"), 999999, c).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(UpdateRecord(*db_, Admin(), L("household"), 0, c).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(UpdateRecord(*db_, Admin(), L("household"), -1, c).status().code(), StatusCode::kNotFound);
}

TEST_F(RecordsTest, AMaskedCellSentBackKeepsItsValue) {
  int64_t id = IdOf("household", "户编号", "H005");
  const size_t id_col = static_cast<size_t>(L("household").ColumnIndex("户主身份证号"));
  auto shown = GetRecord(*db_, Admin(), L("household"), id, false);
  ASSERT_TRUE(shown.ok());
  Cells c;
  for (size_t i = 0; i < shown->cells.size(); ++i) {
    c[L("household").columns[i].label] = shown->cells[i];
  }
  ASSERT_EQ(c["户主身份证号"], "360902********052X");
  c["家庭人口数"] = "6";
  auto w = UpdateRecord(*db_, Admin(), L("household"), id, c);
  ASSERT_TRUE(w.ok()) << w.status().message();
  ASSERT_TRUE(w->ok()) << w->errors[0].message;
  auto stored = GetRecord(*db_, Admin(), L("household"), id, true);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->cells[id_col], "36090219751130052X");  // kept, not refused, not masked
  EXPECT_EQ(stored->cells[static_cast<size_t>(L("household").ColumnIndex("家庭人口数"))], "6");
  // Another row's masked text is not "unchanged": it is refused like a masked import cell.
  c["户主身份证号"] = "360902********0110";
  w = UpdateRecord(*db_, Admin(), L("household"), id, c);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(HasError(*w, "户主身份证号"));
  // A create never has a stored value to keep.
  c["户编号"] = "H099";
  c["户主身份证号"] = "360902********052X";
  w = CreateRecord(*db_, Admin(), L("household"), c);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(HasError(*w, "户主身份证号"));
}

TEST_F(RecordsTest, Deletes) {
  int64_t id = IdOf("dispute", "编号", "MD03");
  ASSERT_TRUE(DeleteRecord(*db_, Admin(), L("dispute"), id).ok());
  EXPECT_EQ(Rows("dispute"), 6);
  RecordQuery q;
  q.filters["编号"] = "MD03";
  EXPECT_EQ(List("dispute", q).total, 0);
  EXPECT_EQ(DeleteRecord(*db_, Admin(), L("dispute"), id).code(), StatusCode::kNotFound);
  EXPECT_EQ(DeleteRecord(*db_, Admin(), L("dispute"), 999999).code(), StatusCode::kNotFound);
  EXPECT_EQ(Rows("dispute"), 6);
  // Written again, it is a new record.
  auto w = CreateRecord(*db_, Admin(), L("dispute"),
                        {{"编号", "MD03"},
                         {"摸排日期", "2022-03-01"},
                         {"所属村", "院前村"},
                         {"纠纷类型", "土地山林"},
                         {"当事人", "罗戊、罗己"},
                         {"调处状态", "调处中"}});
  ASSERT_TRUE(w.ok() && w->ok());
  EXPECT_GT(w->id, id);
}

}  // namespace
}  // namespace tz::service
