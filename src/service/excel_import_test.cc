// Excel in and out at the service level: sheets laid out as cadres keep them, import modes, the
// marked-up error workbook, templates, exports and their round trip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "io/sheet.h"
#include "io/xlsx_writer.h"
#include "io/zip_archive.h"
#include "service/database.h"
#include "service/export_service.h"
#include "service/import_service.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::service {
namespace {

using io::XlsxStyle;

class ExcelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_excel_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;  // workbooks and CSV files; the databases are test_dbs_
    test_dbs_.push_back(std::make_unique<store::testing::TestDatabase>("excel"));
    TZ_REQUIRE_TEST_DATABASE(*test_dbs_.back());
    db_ = NewDb("excel");
  }
  void TearDown() override {
    db_.reset();
    test_dbs_.clear();
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(system(cmd.c_str()), 0);
  }

  // A new initialised database on the store under test (SQLite, or PostgreSQL in the "pg." run):
  // the one SetUp made for the first call, a further one for each later call.
  std::unique_ptr<Database> NewDb(const std::string& name) {
    if (db_) test_dbs_.push_back(std::make_unique<store::testing::TestDatabase>(name));
    const store::testing::TestDatabase& test_db = *test_dbs_.back();
    EXPECT_TRUE(test_db.error().empty()) << test_db.error();
    auto db = Database::Init(test_db.location(), "packs/township");
    EXPECT_TRUE(db.ok()) << db.status().message();
    return std::move(db).value();
  }

  std::string Path(const std::string& name) { return dir_ + "/" + name; }

  ImportReport Import(Database& db, const std::string& ledger, const std::string& path,
                      ImportOptions options = {}) {
    const pack::Ledger* l = db.catalog().FindLedger(ledger);
    EXPECT_NE(l, nullptr);
    auto report = ImportFile(db.store(), db.catalog(), *l, path, options);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : ImportReport{};
  }
  ImportReport Import(const std::string& ledger, const std::string& path, ImportOptions o = {}) {
    return Import(*db_, ledger, path, std::move(o));
  }

  int64_t Rows(Database& db, const std::string& ledger) {
    return *store::CountRows(db.store(), *db.catalog().FindLedger(ledger));
  }

  std::string WriteCsv(const std::string& name, const std::string& text) {
    std::ofstream(Path(name), std::ios::binary) << text;
    return Path(name);
  }

  // Every row of the first sheet of a workbook, as "A|B|C" texts (empty cells as "").
  std::vector<std::string> ReadBack(const std::string& path, bool* date1904 = nullptr) {
    auto reader = io::OpenSheetFile(path);
    EXPECT_TRUE(reader.ok()) << reader.status().message();
    std::vector<std::string> out;
    if (!reader.ok()) return out;
    Status st = (*reader)->ForEachRow(0, [&](const io::SheetRow& row) -> Result<bool> {
      std::string line;
      for (size_t i = 0; i < row.cells.size(); ++i) line += (i ? "|" : "") + row.cells[i].text;
      out.push_back(line);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return out;
  }

  // The text of one part of an xlsx (its XML), for assertions on formats and validations.
  std::string Part(const std::string& path, const std::string& name) {
    auto zip = io::ZipArchive::Open(path, {});
    EXPECT_TRUE(zip.ok());
    auto index = (*zip)->Find(name);
    EXPECT_TRUE(index.has_value()) << name;
    std::string xml;
    Status st = (*zip)->ReadEntry(*index, name, [&](std::string_view chunk) -> Result<bool> {
      xml.append(chunk);
      return true;
    });
    EXPECT_TRUE(st.ok());
    return xml;
  }

  std::string dir_;
  std::vector<std::unique_ptr<store::testing::TestDatabase>> test_dbs_;
  std::unique_ptr<Database> db_;
};

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

// A 特困人员台账 as a township keeps it: title, unit line, a two-row header with a merged group
// cell, columns in its own order plus 序号 and 备注, dates as date cells, a blank row and a 合计
// line at the bottom.
std::string WriteCadreSheet(const std::string& path) {
  auto w = io::XlsxWriter::Create(path);
  EXPECT_TRUE(w.ok());
  auto& x = **w;
  EXPECT_TRUE(x.AddSheet("说明").ok());
  EXPECT_TRUE(x.WriteText(0, 0, "本表按季度报送").ok());
  EXPECT_TRUE(x.AddSheet("特困").ok());
  EXPECT_TRUE(x.WriteTitle(0, 0, 8, "辽市镇特困人员台账").ok());
  EXPECT_TRUE(x.WriteText(1, 0, "填报单位：辽市镇民政所").ok());
  EXPECT_TRUE(x.WriteText(1, 7, "单位：人").ok());
  const char* top[] = {"序号",     "基本信息",     "",    "所属村", "供养方式", "认定日期",
                       "终止日期", "是否建档立卡", "备注"};
  for (int c = 0; c < 9; ++c) {
    if (*top[c]) {
      EXPECT_TRUE(x.WriteText(2, c, top[c], {XlsxStyle::kHeader, false}).ok());
    }
  }
  EXPECT_TRUE(x.WriteText(3, 1, "姓名", {XlsxStyle::kHeader, false}).ok());
  EXPECT_TRUE(x.WriteText(3, 2, "身份证号", {XlsxStyle::kHeader, false}).ok());
  EXPECT_TRUE(x.WriteNumber(4, 0, 1).ok());
  EXPECT_TRUE(x.WriteText(4, 1, "罗特一").ok());
  EXPECT_TRUE(x.WriteText(4, 2, "360902194001013113").ok());
  EXPECT_TRUE(x.WriteText(4, 3, "院前村委会").ok());
  EXPECT_TRUE(x.WriteText(4, 4, "集中供养").ok());
  EXPECT_TRUE(x.WriteDate(4, 5, 2020, 1, 1).ok());
  EXPECT_TRUE(x.WriteText(4, 7, "是").ok());
  EXPECT_TRUE(x.WriteNumber(6, 0, 2).ok());  // row 6 (Excel 6) left blank above
  EXPECT_TRUE(x.WriteText(6, 1, "胡特四").ok());
  EXPECT_TRUE(x.WriteText(6, 2, "360902194304043416").ok());
  EXPECT_TRUE(x.WriteText(6, 3, "西坑村").ok());
  EXPECT_TRUE(x.WriteText(6, 4, "集中供养").ok());
  EXPECT_TRUE(x.WriteDate(6, 5, 2021, 1, 1).ok());
  EXPECT_TRUE(x.WriteText(6, 6, "2022/6/30").ok());
  EXPECT_TRUE(x.WriteText(6, 7, "是").ok());
  EXPECT_TRUE(x.WriteText(6, 8, "已复核").ok());
  EXPECT_TRUE(x.WriteText(7, 0, "合计").ok());
  EXPECT_TRUE(x.WriteText(7, 1, "2人").ok());
  EXPECT_TRUE(x.Close().ok());
  return path;
}

TEST_F(ExcelTest, CadreSheetImportsAsItIs) {
  ImportReport r = Import("tekun", WriteCadreSheet(Path("cadre.xlsx")));
  ASSERT_TRUE(r.ok()) << r.errors[0].message;
  EXPECT_EQ(r.imported, 2);
  EXPECT_EQ(r.sheet, "特困");  // the first sheet has no such header
  EXPECT_EQ(r.header_row, 4);
  bool footer = false, extra = false;
  for (const ImportIssue& w : r.warnings) {
    footer = footer || (w.row == 8 && w.message.find("合计") != std::string::npos);
    extra = extra || w.column == "备注";
  }
  EXPECT_TRUE(footer);
  EXPECT_TRUE(extra);
  ExportOptions all;
  all.unmasked = true;
  ASSERT_TRUE(ExportLedger(db_->store(), db_->catalog(), *db_->catalog().FindLedger("tekun"), all,
                           Path("out.csv"))
                  .ok());
  std::vector<std::string> back = ReadBack(Path("out.csv"));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1], "360902194001013113|罗特一||院前村|集中供养|2020-01-01||是");
  EXPECT_EQ(back[2], "360902194304043416|胡特四||西坑村|集中供养|2021-01-01|2022-06-30|是");
}

TEST_F(ExcelTest, SheetChosenByNameAndMissingRequiredColumnsNamed) {
  std::string path = WriteCadreSheet(Path("cadre.xlsx"));
  ImportOptions o;
  o.sheet = "说明";
  ImportReport r = Import("tekun", path, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].message.find("没有找到“特困人员台账”的表头"), std::string::npos);
  o.sheet = "没有这张表";
  const pack::Ledger* l = db_->catalog().FindLedger("tekun");
  auto bad = ImportFile(db_->store(), db_->catalog(), *l, path, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("说明、特困"), std::string::npos);

  ImportReport missing = Import("tekun", WriteCsv("m.csv", "姓名,所属村,备注\n罗特一,院前村,\n"));
  std::vector<std::string> msgs;
  for (const ImportIssue& e : missing.errors) msgs.push_back(e.message);
  EXPECT_NE(std::find(msgs.begin(), msgs.end(), "缺少必填列“身份证号”"), msgs.end());
  EXPECT_NE(std::find(msgs.begin(), msgs.end(), "缺少必填列“供养方式”"), msgs.end());
  EXPECT_EQ(Rows(*db_, "tekun"), 0);
}

TEST_F(ExcelTest, IdStoredAsNumberIsRefusedWithAHint) {
  auto w = io::XlsxWriter::Create(Path("num.xlsx"));
  ASSERT_TRUE(w.ok());
  const char* header[] = {"身份证号", "姓名", "所属村", "供养方式", "认定日期", "是否建档立卡"};
  ASSERT_TRUE((*w)->AddSheet("Sheet1").ok());
  for (int c = 0; c < 6; ++c) ASSERT_TRUE((*w)->WriteText(0, c, header[c]).ok());
  ASSERT_TRUE((*w)->WriteNumber(1, 0, 360902194001013113.0).ok());
  ASSERT_TRUE((*w)->WriteText(1, 1, "罗特一").ok());
  ASSERT_TRUE((*w)->WriteText(1, 2, "院前村").ok());
  ASSERT_TRUE((*w)->WriteText(1, 3, "集中供养").ok());
  ASSERT_TRUE((*w)->WriteNumber(1, 4, 43831).ok());  // a bare serial in a date column: 2020-01-01
  ASSERT_TRUE((*w)->WriteText(1, 5, "是").ok());
  ASSERT_TRUE((*w)->Close().ok());
  ImportReport r = Import("tekun", Path("num.xlsx"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 2);
  EXPECT_EQ(r.errors[0].column, "身份证号");
  EXPECT_NE(r.errors[0].message.find("3.60902E+17"), std::string::npos) << r.errors[0].message;
  EXPECT_NE(r.errors[0].message.find("设置为“文本”格式"), std::string::npos);
}

std::string ErrorLinesOf(const ImportReport& r) {
  std::string out;
  for (const ImportIssue& e : r.errors) {
    out += (out.empty() ? "" : "\n") + std::to_string(e.row) + " " + e.column + "：" + e.message;
  }
  return out;
}

const char kHouseholds[] =
    "户编号,户主姓名,户主身份证号,所属村,家庭人口数\n"
    "H001,罗大明,360902196503120110,院前村,3\n"
    "H002,罗小华,360902197005200235,院前村,3\n"
    "H003,胡建国,360902195801010353,西坑村,3\n";

TEST_F(ExcelTest, AppendUpsertAndReplace) {
  ASSERT_TRUE(Import("household", WriteCsv("a.csv", kHouseholds)).ok());
  EXPECT_EQ(Rows(*db_, "household"), 3);

  // Append: a key already there is an error that points at upsert; a key twice in the file too.
  std::string again = WriteCsv(
      "b.csv", std::string("户编号,户主姓名,户主身份证号,所属村,家庭人口数\n") +
                   "H002,罗小华,360902197005200235,院前村,4\nH009,罗新,360902196503120110,院前村,"
                   "2\nH009,罗新,360902196503120110,院前村,2\n");
  ImportReport append = Import("household", again);
  ASSERT_EQ(append.errors.size(), 2u);
  EXPECT_EQ(append.errors[0].row, 2);
  EXPECT_NE(append.errors[0].message.find("已在“农户信息台账”中登记过"), std::string::npos);
  EXPECT_EQ(append.errors[1].row, 4);
  EXPECT_EQ(append.errors[1].message, "“H009”与第3行重复");
  EXPECT_EQ(Rows(*db_, "household"), 3);

  // Upsert: H002 is replaced (4 people now), H010 added.
  ImportOptions upsert;
  upsert.mode = ImportMode::kUpsert;
  ImportReport up =
      Import("household",
             WriteCsv("c.csv", std::string("户编号,户主姓名,户主身份证号,所属村,家庭人口数\n") +
                                   "H002,罗小华,360902197005200235,院前村,4\n"
                                   "H010,罗新,360902196503120110,院前村,2\n"),
             upsert);
  ASSERT_TRUE(up.ok()) << up.errors[0].message;
  EXPECT_EQ(up.imported, 2);
  EXPECT_EQ(up.updated, 1);
  EXPECT_EQ(Rows(*db_, "household"), 4);
  int64_t people = 0;
  ASSERT_TRUE(db_->store()
                  .Query({"SELECT \"家庭人口数\" FROM l_household WHERE \"户编号\" = ?", {"H002"}},
                         [&](const std::vector<store::SqlValue>& row) {
                           people = std::get<int64_t>(row[0]);
                           return Status::Ok();
                         })
                  .ok());
  EXPECT_EQ(people, 4);

  // Replace one village: only 院前村's three rows go; a 西坑村 row in the file is an error.
  ImportOptions village;
  village.mode = ImportMode::kReplace;
  village.unit = "院前村";
  std::string yq =
      WriteCsv("d.csv", std::string("户编号,户主姓名,户主身份证号,所属村,家庭人口数\n") +
                            "H020,罗一,360902196503120110,院前村,1\n");
  ImportReport rep = Import("household", yq, village);
  ASSERT_TRUE(rep.ok()) << rep.errors[0].message;
  EXPECT_EQ(rep.deleted, 3);
  EXPECT_EQ(Rows(*db_, "household"), 2);  // H003 (西坑村) and H020
  ImportReport wrong =
      Import("household",
             WriteCsv("e.csv", std::string("户编号,户主姓名,户主身份证号,所属村,家庭人口数\n") +
                                   "H021,胡二,360902195801010353,西坑村,1\n"),
             village);
  ASSERT_EQ(wrong.errors.size(), 1u);
  EXPECT_EQ(wrong.errors[0].message, "属于西坑村，不是本次导入的院前村的数据");
  EXPECT_EQ(Rows(*db_, "household"), 2);  // nothing deleted either

  // Replace the whole ledger.
  ImportOptions all;
  all.mode = ImportMode::kReplace;
  ImportReport whole = Import("household", WriteCsv("f.csv", kHouseholds), all);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole.deleted, 2);
  EXPECT_EQ(Rows(*db_, "household"), 3);
  // A file with a header and no rows is an error, so it cannot empty a ledger by accident.
  ImportReport empty = Import(
      "household", WriteCsv("g.csv", "户编号,户主姓名,户主身份证号,所属村,家庭人口数\n"), all);
  EXPECT_EQ(ErrorLinesOf(empty), "0 ：文件中没有数据行");
  EXPECT_EQ(Rows(*db_, "household"), 3);

  // Upsert needs a key; 特困人员台账 has none.
  const pack::Ledger* tekun = db_->catalog().FindLedger("tekun");
  auto no_key = ImportFile(db_->store(), db_->catalog(), *tekun, Path("f.csv"), upsert);
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("没有唯一标识列"), std::string::npos);
}

TEST_F(ExcelTest, ErrorWorkbookMarksEveryBadCell) {
  // Break the first data row: an unknown village and a bad 建档立卡 value.
  {
    auto w = io::XlsxWriter::Create(Path("bad.xlsx"));
    ASSERT_TRUE(w.ok());
    auto& x = **w;
    const char* header[] = {"身份证号", "姓名", "所属村", "供养方式", "认定日期", "是否建档立卡"};
    ASSERT_TRUE(x.AddSheet("特困").ok());
    ASSERT_TRUE(x.WriteTitle(0, 0, 5, "辽市镇特困人员台账").ok());
    for (int c = 0; c < 6; ++c) ASSERT_TRUE(x.WriteText(1, c, header[c]).ok());
    const char* good[] = {"360902194001013113", "罗特一", "院前村", "集中供养", "2020-01-01", "是"};
    const char* bad[] = {"360902194001013114", "罗特二", "火星村", "集中供养", "2020-02-30", "对"};
    for (int c = 0; c < 6; ++c) ASSERT_TRUE(x.WriteText(2, c, good[c]).ok());
    for (int c = 0; c < 6; ++c) ASSERT_TRUE(x.WriteText(3, c, bad[c]).ok());
    ASSERT_TRUE(x.WriteText(4, 1, "罗特三").ok());  // every other required cell empty
    ASSERT_TRUE(x.Close().ok());
  }
  ImportOptions o;
  o.errors_xlsx = Path("bad.xlsx");  // never over the user's own file
  const pack::Ledger& tekun = *db_->catalog().FindLedger("tekun");
  EXPECT_FALSE(ImportFile(db_->store(), db_->catalog(), tekun, Path("bad.xlsx"), o).ok());
  o.errors_xlsx = Path("marked.xlsx");
  ImportReport r = Import("tekun", Path("bad.xlsx"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors_file, o.errors_xlsx);
  EXPECT_EQ(Rows(*db_, "tekun"), 0);
  std::vector<std::string> back = ReadBack(o.errors_xlsx);
  ASSERT_EQ(back.size(), 5u);
  EXPECT_EQ(back[0], "辽市镇特困人员台账");
  EXPECT_EQ(back[1], "身份证号|姓名|所属村|供养方式|认定日期|是否建档立卡|错误说明");
  EXPECT_EQ(back[2], "360902194001013113|罗特一|院前村|集中供养|2020-01-01|是");  // no note
  EXPECT_NE(back[3].find("|罗特二|火星村|"), std::string::npos);
  EXPECT_NE(back[3].find("身份证号："), std::string::npos) << back[3];
  EXPECT_NE(back[3].find("所属村：“火星村”不是辽市镇的村"), std::string::npos);
  EXPECT_NE(back[3].find("认定日期：“2020-02-30”不是有效日期"), std::string::npos);
  EXPECT_NE(back[3].find("是否建档立卡：“对”应为“是”或“否”"), std::string::npos);
  EXPECT_NE(back[4].find("身份证号：必填项为空"), std::string::npos) << back[4];
  // Highlighted cells: 4 bad cells in row 4 and 5 empty required ones in row 5, each with the
  // highlight style, which no cell of the good row has.
  std::string sheet = Part(o.errors_xlsx, "xl/worksheets/sheet1.xml");
  std::string styles = Part(o.errors_xlsx, "xl/styles.xml");
  EXPECT_NE(styles.find("FFFFFF00"), std::string::npos);  // the yellow fill
  size_t row4 = sheet.find("<row r=\"4\""), row5 = sheet.find("<row r=\"5\"");
  ASSERT_NE(row4, std::string::npos);
  ASSERT_NE(row5, std::string::npos);
  std::string r3 = sheet.substr(sheet.find("<row r=\"3\""), row4 - sheet.find("<row r=\"3\""));
  std::string r4 = sheet.substr(row4, row5 - row4);
  // The style index of the first bad cell (A4) marks exactly the bad cells of row 4.
  size_t s = r4.find(" s=\"");
  ASSERT_NE(s, std::string::npos);
  std::string bad_style = r4.substr(s, r4.find('"', s + 4) - s + 1);
  EXPECT_EQ(Count(r4, bad_style), 4u) << r4;
  EXPECT_EQ(Count(r3, bad_style), 0u) << r3;
}

TEST_F(ExcelTest, TemplateHasTitleMarkedHeaderListsAndImportsBack) {
  const pack::Ledger& tekun = *db_->catalog().FindLedger("tekun");
  ASSERT_TRUE(WriteLedgerTemplate(db_->catalog(), tekun, Path("t.xlsx")).ok());
  std::vector<std::string> back = ReadBack(Path("t.xlsx"));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0], "辽市镇特困人员台账");
  EXPECT_EQ(back[1], "身份证号*|姓名*|户编号|所属村*|供养方式*|认定日期*|终止日期|是否建档立卡*");
  std::string sheet = Part(Path("t.xlsx"), "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("ySplit=\"2\""), std::string::npos);
  EXPECT_NE(sheet.find("<mergeCell ref=\"A1:H1\"/>"), std::string::npos);
  EXPECT_NE(sheet.find("sqref=\"E3:E5002\"><formula1>\"集中供养,分散供养\"</formula1>"),
            std::string::npos)
      << sheet;
  EXPECT_NE(sheet.find("<formula1>\"是,否\"</formula1>"), std::string::npos);
  EXPECT_NE(sheet.find("辽市村,院前村,西坑村"), std::string::npos);
  // Required columns are marked in red; dates and IDs formatted as dates and text.
  std::string styles = Part(Path("t.xlsx"), "xl/styles.xml");
  EXPECT_NE(styles.find("FFC00000"), std::string::npos);
  EXPECT_NE(styles.find("yyyy-mm-dd"), std::string::npos);
  // An unfilled template is recognised: its header is found, it only has no rows.
  ImportReport r = Import("tekun", Path("t.xlsx"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "文件中没有数据行");
  EXPECT_EQ(r.header_row, 2);
  EXPECT_FALSE(WriteLedgerTemplate(db_->catalog(), tekun, Path("t.csv")).ok());
}

TEST_F(ExcelTest, ExportRoundTripMaskingAndFormulaGuard) {
  ASSERT_TRUE(Import("household", "tests/fixtures/township/household.csv").ok());
  ASSERT_TRUE(Import("tekun", "tests/fixtures/township/tekun.csv").ok());
  // A name that Excel would run as a formula if it were a CSV cell.
  ASSERT_TRUE(Import("household", WriteCsv("evil.csv",
                                           "户编号,户主姓名,户主身份证号,所属村,家庭人口数\n"
                                           "H099,=HYPERLINK(\"http://x\"),360902196503120110,"
                                           "院前村,1\nH098,@SUM(1),360902196503120110,院前村,1\n"))
                  .ok());
  const pack::Catalog& cat = db_->catalog();
  ExportOptions unmasked;
  unmasked.unmasked = true;
  for (const char* ledger : {"household", "tekun"}) {
    const pack::Ledger& l = *cat.FindLedger(ledger);
    ASSERT_TRUE(
        ExportLedger(db_->store(), cat, l, unmasked, Path(std::string(ledger) + ".xlsx")).ok());
    ASSERT_TRUE(
        ExportLedger(db_->store(), cat, l, unmasked, Path(std::string(ledger) + ".csv")).ok());
  }
  // The CSV keeps the formula-looking names as text behind a '.
  std::ifstream csv(Path("household.csv"));
  std::stringstream text;
  text << csv.rdbuf();
  EXPECT_NE(text.str().find(",\"'=HYPERLINK(\"\"http://x\"\")\","), std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find(",'@SUM(1),"), std::string::npos);
  // In the xlsx they are plain strings, never formulas.
  EXPECT_EQ(Part(Path("household.xlsx"), "xl/worksheets/sheet1.xml").find("<f>"),
            std::string::npos);

  // Round trip: both exports import into a fresh database and export the same again.
  for (const char* ext : {".xlsx", ".csv"}) {
    auto fresh = NewDb(std::string("fresh") + (ext + 1));
    for (const char* ledger : {"household", "tekun"}) {
      ImportReport r = Import(*fresh, ledger, Path(std::string(ledger) + ext));
      ASSERT_TRUE(r.ok()) << ext << " " << ledger << ": " << r.errors[0].message;
      const pack::Ledger& l = *fresh->catalog().FindLedger(ledger);
      std::string again = Path(std::string(ledger) + ext + ".again.csv");
      ASSERT_TRUE(ExportLedger(fresh->store(), fresh->catalog(), l, unmasked, again).ok());
      EXPECT_EQ(ReadBack(again), ReadBack(Path(std::string(ledger) + ".csv"))) << ext << ledger;
    }
  }

  // Masked by default, as 360902********1234.
  const pack::Ledger& tekun = *cat.FindLedger("tekun");
  ASSERT_TRUE(ExportLedger(db_->store(), cat, tekun, {}, Path("masked.xlsx")).ok());
  std::vector<std::string> masked = ReadBack(Path("masked.xlsx"));
  ASSERT_EQ(masked.size(), 9u);  // title, header, 7 rows
  EXPECT_EQ(masked[2].substr(0, masked[2].find('|')), "360902********3113");
  ImportReport again = Import("tekun", Path("masked.xlsx"));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.errors[0].message.find("遮盖"), std::string::npos);
}

TEST_F(ExcelTest, ExportByPeriodAndVillage) {
  ASSERT_TRUE(Import("tekun", "tests/fixtures/township/tekun.csv").ok());
  const pack::Ledger& tekun = *db_->catalog().FindLedger("tekun");
  auto rows = [&](const std::string& period, const std::string& unit) {
    ExportOptions o;
    o.period = period;
    o.unit = unit;
    auto r = ExportLedger(db_->store(), db_->catalog(), tekun, o, Path("p.csv"));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->rows : -1;
  };
  // In force some time in 2022H1 (认定 ≤ 06-30, 终止 empty or > 01-01): rows 1-5 of the fixture;
  // row 6 (认定 07-01) and row 7 (12-31) begin later.
  EXPECT_EQ(rows("2022H1", ""), 5);
  // 2022H2: row 4 ended 06-30 and row 5 on 07-01 (not after H2's first day): 1, 2, 3, 6, 7.
  EXPECT_EQ(rows("2022H2", ""), 5);
  EXPECT_EQ(rows("2022H1", "院前村"), 3);
  EXPECT_EQ(rows("", "西坑村"), 2);
  EXPECT_EQ(rows("", ""), 7);

  // An event ledger: rows dated in the period.
  Table meetings;
  meetings.header = {"日期", "会议类型", "议题类别", "主题"};
  meetings.rows = {{"2022-01-05", "班子会议", "安全生产", "一"},
                   {"2022-06-30", "班子会议", "党建", "二"},
                   {"2022-07-01", "村级会议", "其他", "三"}};
  const pack::Ledger& meeting = *db_->catalog().FindLedger("meeting");
  ASSERT_TRUE(ImportTable(db_->store(), db_->catalog(), meeting, meetings, "t")->ok());
  ExportOptions h1;
  h1.period = "2022H1";
  EXPECT_EQ(ExportLedger(db_->store(), db_->catalog(), meeting, h1, Path("m.xlsx"))->rows, 2);

  // A ledger without dates exports whole, and says so.
  const pack::Ledger& household = *db_->catalog().FindLedger("household");
  auto whole = ExportLedger(db_->store(), db_->catalog(), household, h1, Path("h.xlsx"));
  ASSERT_TRUE(whole.ok());
  EXPECT_NE(whole->note.find("没有日期列"), std::string::npos);
  ExportOptions mars;
  mars.unit = "火星村";
  EXPECT_FALSE(ExportLedger(db_->store(), db_->catalog(), tekun, mars, Path("x.csv")).ok());
  EXPECT_FALSE(ExportLedger(db_->store(), db_->catalog(), tekun, {}, Path("x.txt")).ok());
}

// A reader that hides some rows of another, to import the good rows of a fixture whose other rows
// are there to be refused.
class SkipRows final : public io::SheetReader {
 public:
  SkipRows(std::unique_ptr<io::SheetReader> inner, std::vector<int64_t> skip)
      : inner_(std::move(inner)), skip_(std::move(skip)) {}
  io::WorkbookFormat format() const override { return inner_->format(); }
  const std::vector<std::string>& sheet_names() const override { return inner_->sheet_names(); }
  bool date1904() const override { return inner_->date1904(); }
  Status ForEachRow(size_t sheet, const io::SheetRowFn& on_row) override {
    return inner_->ForEachRow(sheet, [&](const io::SheetRow& row) -> Result<bool> {
      if (std::find(skip_.begin(), skip_.end(), row.number) != skip_.end()) return true;
      return on_row(row);
    });
  }

 private:
  std::unique_ptr<io::SheetReader> inner_;
  std::vector<int64_t> skip_;
};

// Errors as "row column: message" lines.
std::vector<std::string> ErrorLines(const ImportReport& r) {
  std::vector<std::string> out;
  for (const ImportIssue& e : r.errors) {
    out.push_back(std::to_string(e.row) + " " + e.column + "：" + e.message);
  }
  return out;
}

const char kFixtures[] = "tests/fixtures/excel/";

// The workbooks of tests/fixtures/excel (see its README): what each program wrote imports, and
// what must be refused is refused with the row, column and a message a cadre can act on.
TEST_F(ExcelTest, LibreOfficeWorkbooksXlsxAndXls) {
  for (const char* name : {"libreoffice_tekun.xlsx", "libreoffice_tekun.xls"}) {
    SCOPED_TRACE(name);
    std::string path = std::string(kFixtures) + name;
    // Title, unit line, a two-row merged header, a rich-text name, a blank row; 黄秀兰's sparse
    // row 9 lacks the required 供养方式 and 认定日期.
    ImportReport r = Import("tekun", path);
    EXPECT_EQ(r.sheet, "特困人员");
    EXPECT_EQ(r.header_row, 4);
    EXPECT_EQ(ErrorLines(r),
              (std::vector<std::string>{"9 供养方式：必填项为空", "9 认定日期：必填项为空"}));
    EXPECT_EQ(Rows(*db_, "tekun"), 0);

    auto reader = io::OpenSheetFile(path);
    ASSERT_TRUE(reader.ok());
    SkipRows good(std::move(*reader), {9});
    const pack::Ledger& tekun = *db_->catalog().FindLedger("tekun");
    auto ok = ImportSheet(db_->store(), db_->catalog(), tekun, good, path);
    ASSERT_TRUE(ok.ok());
    ASSERT_TRUE(ok->ok()) << ErrorLines(*ok)[0];
    EXPECT_EQ(ok->imported, 4);
    ExportOptions unmasked;
    unmasked.unmasked = true;
    ASSERT_TRUE(ExportLedger(db_->store(), db_->catalog(), tekun, unmasked, Path("lo.csv")).ok());
    EXPECT_EQ(ReadBack(Path("lo.csv")),
              (std::vector<std::string>{
                  "身份证号|姓名|户编号|所属村|供养方式|认定日期|终止日期|是否建档立卡",
                  "360902194503120023|罗桂英|H001|院前村|集中供养|2020-01-01||是",
                  "360902195207080017|胡春生|H002|西坑村|分散供养|2022-06-30||否",
                  "36090219480115001X|罗德明|H003|院前村|分散供养|2021-03-15|2022-12-31|是",
                  "360902195609300019|李水根|H005|上陈村|集中供养|2019-11-20||否"}));
    ASSERT_TRUE(store::DeleteRows(db_->store(), tekun, -1, {}).ok());  // for the next file
  }
}

TEST_F(ExcelTest, OpenpyxlWorkbookIn1904SystemWithAnIdStoredAsANumber) {
  std::string path = std::string(kFixtures) + "openpyxl_tekun_1904.xlsx";
  ImportReport r = Import("tekun", path);
  std::vector<std::string> errors = ErrorLines(r);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].substr(0, errors[0].find("（")), "3 身份证号：“身份证号”被存成了数字");
  EXPECT_NE(errors[0].find("3.60902E+17"), std::string::npos);
  EXPECT_NE(errors[0].find("请把这一列设置为“文本”格式"), std::string::npos);

  auto reader = io::OpenSheetFile(path);
  ASSERT_TRUE(reader.ok());
  SkipRows good(std::move(*reader), {3});
  const pack::Ledger& tekun = *db_->catalog().FindLedger("tekun");
  auto ok = ImportSheet(db_->store(), db_->catalog(), tekun, good, path);
  ASSERT_TRUE(ok.ok() && ok->ok());
  EXPECT_EQ(ok->imported, 2);
  ExportOptions unmasked;
  unmasked.unmasked = true;
  ASSERT_TRUE(ExportLedger(db_->store(), db_->catalog(), tekun, unmasked, Path("o.csv")).ok());
  // The same days as the 1900-system files; a time of day dropped; TRUE taken as 是.
  EXPECT_EQ(ReadBack(Path("o.csv")),
            (std::vector<std::string>{
                "身份证号|姓名|户编号|所属村|供养方式|认定日期|终止日期|是否建档立卡",
                "360902194503120023|罗桂英|H001|院前村|集中供养|2020-01-01||是",
                "36090219480115001X|罗德明|H003|院前村|分散供养|2021-03-15|2022-12-31|是"}));
}

TEST_F(ExcelTest, LibxlsxwriterWorkbookWithANoteSheetFirst) {
  std::string path = std::string(kFixtures) + "libxlsxwriter_tekun.xlsx";
  ImportReport r = Import("tekun", path);
  EXPECT_EQ(r.sheet, "特困人员");
  std::vector<std::string> errors = ErrorLines(r);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].substr(0, errors[0].find("（")), "4 身份证号：“身份证号”被存成了数字");

  auto reader = io::OpenSheetFile(path);
  ASSERT_TRUE(reader.ok());
  SkipRows good(std::move(*reader), {4});
  const pack::Ledger& tekun = *db_->catalog().FindLedger("tekun");
  auto ok = ImportSheet(db_->store(), db_->catalog(), tekun, good, path);
  ASSERT_TRUE(ok.ok() && ok->ok());
  ExportOptions unmasked;
  unmasked.unmasked = true;
  ASSERT_TRUE(ExportLedger(db_->store(), db_->catalog(), tekun, unmasked, Path("x.csv")).ok());
  EXPECT_EQ(ReadBack(Path("x.csv")),
            (std::vector<std::string>{
                "身份证号|姓名|户编号|所属村|供养方式|认定日期|终止日期|是否建档立卡",
                "360902194503120023|罗桂英|H001|院前村|集中供养|2020-01-01||是",
                "360902195207080017|胡春生|1024|西坑村|分散供养|2022-06-30|2022-12-31|否"}));
}

TEST_F(ExcelTest, PasswordProtectedXlsIsRefused) {
  ImportReport r = Import("tekun", std::string(kFixtures) + "password_tekun.xls");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("密码"), std::string::npos);
}

// A file that is good for 40 rows and then breaks (a cell over the reader's size limit) must
// change nothing, even in replace mode: the whole import is one transaction.
TEST_F(ExcelTest, AFileThatBreaksHalfWayChangesNothing) {
  ASSERT_TRUE(Import("household", WriteCsv("a.csv", kHouseholds)).ok());
  auto w = io::XlsxWriter::Create(Path("broken.xlsx"));
  ASSERT_TRUE(w.ok());
  const char* header[] = {"户编号", "户主姓名", "户主身份证号", "所属村", "家庭人口数"};
  ASSERT_TRUE((*w)->AddSheet("农户").ok());
  for (int c = 0; c < 5; ++c) ASSERT_TRUE((*w)->WriteText(0, c, header[c]).ok());
  for (int r = 1; r <= 40; ++r) {
    ASSERT_TRUE((*w)->WriteText(r, 0, "H" + std::to_string(100 + r)).ok());
    ASSERT_TRUE((*w)->WriteText(r, 1, "罗新").ok());
    ASSERT_TRUE((*w)->WriteText(r, 2, "360902196503120110").ok());
    ASSERT_TRUE((*w)->WriteText(r, 3, "院前村").ok());
    ASSERT_TRUE((*w)->WriteNumber(r, 4, 2).ok());
  }
  std::string essay;
  for (int i = 0; i < 12000; ++i) essay += "长";  // 36,000 bytes: over the 32 KB cell limit
  ASSERT_TRUE((*w)->WriteText(41, 1, essay).ok());
  ASSERT_TRUE((*w)->Close().ok());

  ImportOptions replace;
  replace.mode = ImportMode::kReplace;
  ImportReport r = Import("household", Path("broken.xlsx"), replace);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.imported, 0);
  EXPECT_EQ(r.deleted, 0);
  EXPECT_EQ(r.error_count, 1);
  EXPECT_NE(r.errors.back().message.find("B42"), std::string::npos) << r.errors.back().message;
  EXPECT_EQ(Rows(*db_, "household"), 3);  // the three rows before, not the 40 of the file

  // The same from CSV: a row of too many fields after 40 good ones.
  std::string csv = "户编号,户主姓名,户主身份证号,所属村,家庭人口数\n";
  for (int i = 1; i <= 40; ++i) {
    csv += "H" + std::to_string(200 + i) + ",罗新,360902196503120110,院前村,2\n";
  }
  csv += std::string(1200, ',') + "\n";
  ImportReport c = Import("household", WriteCsv("broken.csv", csv), replace);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(Rows(*db_, "household"), 3);
  int64_t imports = 0;
  ASSERT_TRUE(db_->store()
                  .Query({"SELECT COUNT(*) FROM _imports", {}},
                         [&](const std::vector<store::SqlValue>& row) {
                           imports = std::get<int64_t>(row[0]);
                           return Status::Ok();
                         })
                  .ok());
  EXPECT_EQ(imports, 1);  // only the first, good import is on record
}

TEST_F(ExcelTest, ProgressIsReportedEveryFiftyThousandRows) {
  Table meetings;
  meetings.header = {"日期", "会议类型", "议题类别", "主题"};
  for (int i = 0; i < 100001; ++i) {
    meetings.rows.push_back(
        {"2022-01-05", "班子会议", "安全生产", "第" + std::to_string(i) + "次"});
  }
  ImportOptions o;
  std::vector<int64_t> progress;
  o.on_progress = [&](int64_t rows) { progress.push_back(rows); };
  const pack::Ledger& meeting = *db_->catalog().FindLedger("meeting");
  auto r = ImportTable(db_->store(), db_->catalog(), meeting, meetings, "t", o);
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_EQ(r->imported, 100001);
  EXPECT_EQ(progress, (std::vector<int64_t>{50000, 100000}));
}

TEST_F(ExcelTest, AVillageFileCannotTouchAnotherVillagesRows) {
  ASSERT_TRUE(Import("household", WriteCsv("a.csv", kHouseholds)).ok());  // H003 is 西坑村's
  ImportOptions upsert;
  upsert.mode = ImportMode::kUpsert;
  upsert.unit = "院前村";
  ImportReport r =
      Import("household",
             WriteCsv("b.csv", std::string("户编号,户主姓名,户主身份证号,所属村,家庭人口数\n") +
                                   "H001,罗大明,360902196503120110,院前村,5\n"
                                   "H003,胡建国,360902195801010353,院前村,1\n"),
             upsert);
  EXPECT_EQ(ErrorLinesOf(r), "3 户编号：“H003”已登记在其他村（社区），不能用院前村的文件更改");
  int64_t xikeng = 0;
  ASSERT_TRUE(db_->store()
                  .Query({"SELECT COUNT(*) FROM l_household WHERE \"所属村\" = ?",
                          {std::string("360902117202")}},
                         [&](const std::vector<store::SqlValue>& row) {
                           xikeng = std::get<int64_t>(row[0]);
                           return Status::Ok();
                         })
                  .ok());
  EXPECT_EQ(xikeng, 1);
}

TEST_F(ExcelTest, AnErrorsWorkbookThatCannotBeWrittenDoesNotHideTheErrors) {
  ImportOptions o;
  o.errors_xlsx = Path("no/such/dir/marked.xlsx");
  ImportReport r = Import("household",
                          WriteCsv("bad.csv",
                                   "户编号,户主姓名,户主身份证号,所属村,家庭人口数\n"
                                   "H001,罗大明,360902196503120111,院前村,3\n"),
                          o);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].column, "户主身份证号");
  EXPECT_NE(r.errors[1].message.find("未能写出标出错误的表格"), std::string::npos);
  EXPECT_EQ(r.error_count, 2);
  EXPECT_TRUE(r.errors_file.empty());
}

TEST_F(ExcelTest, FilesThatAreNotWhatTheySayAreRefused) {
  ImportReport renamed = Import("tekun", WriteCsv("fake.xlsx", "身份证号,姓名\n1,2\n"));
  ASSERT_EQ(renamed.errors.size(), 1u);
  EXPECT_NE(renamed.errors[0].message.find("不是 Excel 工作簿"), std::string::npos);
  // A workbook cut in half.
  std::string whole = WriteCadreSheet(Path("whole.xlsx"));
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(Path("half.xlsx"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  ImportReport half = Import("tekun", Path("half.xlsx"));
  ASSERT_EQ(half.errors.size(), 1u);
  EXPECT_NE(half.errors[0].message.find("损坏"), std::string::npos) << half.errors[0].message;
}

}  // namespace
}  // namespace tz::service
