// Workbooks written by other programs (LibreOffice, openpyxl, libxlsxwriter), read back through
// the readers. tests/fixtures/excel/README.md documents every cell asserted here; the files are
// made by tests/fixtures/excel/make_fixtures.sh.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "base/checks.h"
#include "io/sheet.h"

namespace tz::io {
namespace {

using ::testing::ElementsAre;

constexpr char kDir[] = "tests/fixtures/excel/";

struct Workbook {
  std::unique_ptr<SheetReader> reader;
  // sheet index -> row number -> row
  std::map<size_t, std::map<int64_t, SheetRow>> sheets;
};

Workbook Load(const std::string& name, bool xls = false) {
  Workbook wb;
  const std::string path = kDir + name;
  auto reader = xls ? OpenXls(path) : OpenXlsx(path);
  EXPECT_TRUE(reader.ok()) << name << ": " << reader.status().ToString();
  if (!reader.ok()) return wb;
  wb.reader = std::move(reader).value();
  for (size_t i = 0; i < wb.reader->sheet_names().size(); ++i) {
    auto& rows = wb.sheets[i];
    Status st = wb.reader->ForEachRow(i, [&](const SheetRow& row) -> Result<bool> {
      rows[row.number] = row;
      return true;
    });
    EXPECT_TRUE(st.ok()) << name << " sheet " << i << ": " << st.ToString();
  }
  return wb;
}

// The cell at sheet/row/column ("A" = 0), empty when the row or cell is absent.
Cell Get(const Workbook& wb, size_t sheet, int64_t row, size_t col) {
  auto s = wb.sheets.find(sheet);
  if (s == wb.sheets.end()) return {};
  auto r = s->second.find(row);
  if (r == s->second.end() || col >= r->second.cells.size()) return {};
  return r->second.cells[col];
}

std::vector<int64_t> RowNumbers(const Workbook& wb, size_t sheet) {
  std::vector<int64_t> out;
  auto s = wb.sheets.find(sheet);
  if (s == wb.sheets.end()) return out;
  for (const auto& [number, row] : s->second) out.push_back(number);
  return out;
}

std::vector<std::string> Texts(const Workbook& wb, size_t sheet, int64_t row) {
  std::vector<std::string> out;
  auto s = wb.sheets.find(sheet);
  if (s == wb.sheets.end()) return out;
  auto r = s->second.find(row);
  if (r == s->second.end()) return out;
  for (const Cell& c : r->second.cells) out.push_back(c.text);
  return out;
}

#define EXPECT_CELL(wb, sheet, row, col, kind_, text_)                                  \
  do {                                                                                  \
    Cell c_ = Get(wb, sheet, row, col);                                                 \
    EXPECT_EQ(c_.kind, kind_) << "sheet " << sheet << " row " << row << " col " << col; \
    EXPECT_EQ(c_.text, text_) << "sheet " << sheet << " row " << row << " col " << col; \
  } while (0)

bool ValidResidentId(const std::string& id) {
  return id.size() == 18 && ResidentIdCheckChar(id.substr(0, 17)) == id[17];
}

// ----- libreoffice_tekun.xlsx ---------------------------------------------------------------

TEST(ExcelFixturesTest, LibreOfficeXlsxSheetsAndHeader) {
  Workbook wb = Load("libreoffice_tekun.xlsx");
  ASSERT_NE(wb.reader, nullptr);
  EXPECT_EQ(wb.reader->format(), WorkbookFormat::kXlsx);
  EXPECT_THAT(wb.reader->sheet_names(), ElementsAre("特困人员", "低保"));
  EXPECT_FALSE(wb.reader->date1904());
  // Row 7 is empty.
  EXPECT_THAT(RowNumbers(wb, 0), ElementsAre(1, 2, 3, 4, 5, 6, 8, 9, 10));

  // Title and unit line merged across A:I: the value in A, the covered cells empty.
  EXPECT_CELL(wb, 0, 1, 0, CellKind::kText, "辽市镇特困人员台账");
  for (size_t col = 1; col < 9; ++col) EXPECT_CELL(wb, 0, 1, col, CellKind::kEmpty, "");
  EXPECT_CELL(wb, 0, 2, 0, CellKind::kText, "填报单位：辽市镇民政所　　单位：人");
  // Two-row header: 基本信息 over A3:B3, C3..I3 merged down into row 4.
  EXPECT_CELL(wb, 0, 3, 0, CellKind::kText, "基本信息");
  EXPECT_CELL(wb, 0, 3, 1, CellKind::kEmpty, "");
  const char* row3[] = {"户编号",   "所属村",       "供养方式", "认定日期",
                        "终止日期", "是否建档立卡", "核实"};
  for (size_t col = 2; col < 9; ++col) EXPECT_CELL(wb, 0, 3, col, CellKind::kText, row3[col - 2]);
  EXPECT_CELL(wb, 0, 4, 0, CellKind::kText, "身份证号");
  EXPECT_CELL(wb, 0, 4, 1, CellKind::kText, "姓名");
  for (size_t col = 2; col < 9; ++col) EXPECT_CELL(wb, 0, 4, col, CellKind::kEmpty, "");
}

TEST(ExcelFixturesTest, LibreOfficeXlsxData) {
  Workbook wb = Load("libreoffice_tekun.xlsx");
  ASSERT_NE(wb.reader, nullptr);
  // Row 5; I5 is the formula =TRUE(), a boolean by its cached value.
  EXPECT_THAT(Texts(wb, 0, 5), ElementsAre("360902194503120023", "罗桂英", "H001", "院前村",
                                           "集中供养", "2020-01-01", "", "是", "TRUE"));
  EXPECT_CELL(wb, 0, 5, 0, CellKind::kText, "360902194503120023");
  EXPECT_CELL(wb, 0, 5, 5, CellKind::kDate, "2020-01-01");  // format yyyy\-mm\-dd
  EXPECT_EQ(Get(wb, 0, 5, 5).number, 43831);
  EXPECT_CELL(wb, 0, 5, 8, CellKind::kBool, "TRUE");
  EXPECT_EQ(Get(wb, 0, 5, 8).number, 1);
  // Row 6: the name is rich text (bold 胡); I6 is the constant FALSE.
  EXPECT_CELL(wb, 0, 6, 1, CellKind::kText, "胡春生");
  EXPECT_CELL(wb, 0, 6, 5, CellKind::kDate, "2022-06-30");
  EXPECT_CELL(wb, 0, 6, 8, CellKind::kBool, "FALSE");
  EXPECT_EQ(Get(wb, 0, 6, 8).number, 0);
  // Row 8.
  EXPECT_THAT(Texts(wb, 0, 8), ElementsAre("36090219480115001X", "罗德明", "H003", "院前村",
                                           "分散供养", "2021-03-15", "2022-12-31", "是"));
  EXPECT_CELL(wb, 0, 8, 6, CellKind::kDate, "2022-12-31");
  EXPECT_EQ(Get(wb, 0, 8, 6).number, 44926);
  // Row 9 is sparse: A, B, D, H.
  EXPECT_THAT(Texts(wb, 0, 9),
              ElementsAre("360902193912240021", "黄秀兰", "", "肯塘村", "", "", "", "是"));
  EXPECT_CELL(wb, 0, 9, 2, CellKind::kEmpty, "");
  EXPECT_CELL(wb, 0, 9, 5, CellKind::kEmpty, "");
  EXPECT_THAT(Texts(wb, 0, 10), ElementsAre("360902195609300019", "李水根", "H005", "上陈村",
                                            "集中供养", "2019-11-20", "", "否"));
  for (int64_t row : {5, 6, 8, 9, 10}) {
    EXPECT_TRUE(ValidResidentId(Get(wb, 0, row, 0).text)) << row;
  }
}

TEST(ExcelFixturesTest, LibreOfficeXlsxNumbersFormulasAndErrors) {
  Workbook wb = Load("libreoffice_tekun.xlsx");
  ASSERT_NE(wb.reader, nullptr);
  EXPECT_THAT(RowNumbers(wb, 1), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(Texts(wb, 1, 1), ElementsAre("户编号", "户主姓名", "户主身份证号", "所属村",
                                           "保障人数", "批准日期", "月保障金额", "人均金额"));
  EXPECT_CELL(wb, 1, 2, 2, CellKind::kText, "360902196503120110");
  EXPECT_CELL(wb, 1, 2, 4, CellKind::kNumber, "3");
  EXPECT_CELL(wb, 1, 2, 5, CellKind::kDate, "2020-05-01");
  EXPECT_CELL(wb, 1, 2, 6, CellKind::kNumber, "1234.5");  // shown 1234.50 (format 0.00)
  EXPECT_EQ(Get(wb, 1, 2, 6).number, 1234.5);
  EXPECT_CELL(wb, 1, 2, 7, CellKind::kNumber, "411.5");  // =G2/E2, cached
  EXPECT_CELL(wb, 1, 3, 6, CellKind::kNumber, "1000.25");
  EXPECT_CELL(wb, 1, 3, 7, CellKind::kNumber, "500.125");
  EXPECT_CELL(wb, 1, 4, 2, CellKind::kText, "36090219580811004X");
  EXPECT_CELL(wb, 1, 4, 4, CellKind::kEmpty, "");
  EXPECT_CELL(wb, 1, 4, 6, CellKind::kNumber, "800");
  EXPECT_CELL(wb, 1, 4, 7, CellKind::kError, "#DIV/0!");  // =G4/E4 with E4 empty
  for (int64_t row : {2, 3, 4}) EXPECT_TRUE(ValidResidentId(Get(wb, 1, row, 2).text)) << row;
}

// The same workbook saved as .xls reads the same, except what freexl cannot see: formula cells
// (empty) and booleans (the numbers 0 and 1).
TEST(ExcelFixturesTest, LibreOfficeXlsAgreesWithXlsx) {
  Workbook xlsx = Load("libreoffice_tekun.xlsx");
  Workbook xls = Load("libreoffice_tekun.xls", /*xls=*/true);
  ASSERT_NE(xlsx.reader, nullptr);
  ASSERT_NE(xls.reader, nullptr);
  EXPECT_EQ(xls.reader->sheet_names(), xlsx.reader->sheet_names());
  for (size_t sheet : {0u, 1u}) {
    ASSERT_EQ(RowNumbers(xls, sheet), RowNumbers(xlsx, sheet)) << sheet;
    for (int64_t row : RowNumbers(xlsx, sheet)) {
      for (size_t col = 0; col < 9; ++col) {
        Cell a = Get(xlsx, sheet, row, col), b = Get(xls, sheet, row, col);
        const bool formula =
            (sheet == 0 && row == 5 && col == 8) || (sheet == 1 && col == 7 && row > 1);
        if (formula) {
          EXPECT_EQ(b.kind, CellKind::kEmpty) << sheet << " " << row << " " << col;
        } else if (a.kind == CellKind::kBool) {
          EXPECT_EQ(b.kind, CellKind::kNumber);
          EXPECT_EQ(b.number, a.number);
        } else {
          EXPECT_EQ(b.kind, a.kind) << sheet << " " << row << " " << col;
          EXPECT_EQ(b.text, a.text) << sheet << " " << row << " " << col;
          EXPECT_EQ(b.number, a.number) << sheet << " " << row << " " << col;
        }
      }
    }
  }
}

// ----- openpyxl_tekun_1904.xlsx -------------------------------------------------------------

TEST(ExcelFixturesTest, Openpyxl1904) {
  Workbook wb = Load("openpyxl_tekun_1904.xlsx");
  ASSERT_NE(wb.reader, nullptr);
  EXPECT_THAT(wb.reader->sheet_names(), ElementsAre("特困人员", "填表说明"));
  EXPECT_TRUE(wb.reader->date1904());
  EXPECT_THAT(RowNumbers(wb, 0), ElementsAre(1, 2, 3, 4));
  // Inline strings written as character references (&#22995;&#21517;).
  EXPECT_THAT(Texts(wb, 0, 1), ElementsAre("姓名", "身份证号", "所属村", "供养方式", "是否建档立卡",
                                           "认定日期", "终止日期", "户编号", "备注"));
  EXPECT_THAT(Texts(wb, 0, 2), ElementsAre("罗桂英", "360902194503120023", "院前村", "集中供养",
                                           "是", "2020-01-01", "", "H001"));
  EXPECT_CELL(wb, 0, 2, 5, CellKind::kDate, "2020-01-01");
  EXPECT_EQ(Get(wb, 0, 2, 5).number, 42369);  // 1904 serial: 43831 - 1462
  // Row 3: the ID stored as a number.
  EXPECT_CELL(wb, 0, 3, 1, CellKind::kNumber, "3.60902E+17");
  EXPECT_GT(Get(wb, 0, 3, 1).number, 3.6e17);
  EXPECT_CELL(wb, 0, 3, 5, CellKind::kDate, "2019-11-20");
  EXPECT_CELL(wb, 0, 3, 8, CellKind::kText, "身份证号存成了数字");
  // Row 4: a real boolean, a date with a time, a date in the format yyyy"年"m"月"d"日".
  EXPECT_CELL(wb, 0, 4, 1, CellKind::kText, "36090219480115001X");
  EXPECT_CELL(wb, 0, 4, 4, CellKind::kBool, "TRUE");
  EXPECT_CELL(wb, 0, 4, 5, CellKind::kDate, "2021-03-15 08:30:00");
  EXPECT_CELL(wb, 0, 4, 6, CellKind::kDate, "2022-12-31");
  EXPECT_EQ(Get(wb, 0, 4, 6).number, 43464);

  EXPECT_THAT(RowNumbers(wb, 1), ElementsAre(1, 2));
  EXPECT_CELL(wb, 1, 1, 0, CellKind::kText, "身份证号请设置为文本格式后再填写");
  EXPECT_CELL(wb, 1, 2, 0, CellKind::kText, "共计");
  EXPECT_CELL(wb, 1, 2, 1, CellKind::kNumber, "3");
}

// The same people's dates read the same from the 1904 workbook as from the 1900 ones.
TEST(ExcelFixturesTest, DateSystemsGiveTheSameDays) {
  Workbook lo = Load("libreoffice_tekun.xlsx");    // 1900: 认定日期 in F, 终止日期 in G
  Workbook py = Load("openpyxl_tekun_1904.xlsx");  // 1904: 认定日期 in F, 终止日期 in G
  Workbook lx = Load("libxlsxwriter_tekun.xlsx");  // 1900, sheet 1
  ASSERT_NE(lo.reader, nullptr);
  ASSERT_NE(py.reader, nullptr);
  ASSERT_NE(lx.reader, nullptr);
  EXPECT_EQ(Get(py, 0, 2, 5).text, Get(lo, 0, 5, 5).text);   // 罗桂英 2020-01-01
  EXPECT_EQ(Get(py, 0, 3, 5).text, Get(lo, 0, 10, 5).text);  // 李水根 2019-11-20
  EXPECT_EQ(Get(py, 0, 4, 6).text, Get(lo, 0, 8, 6).text);   // 罗德明 2022-12-31
  EXPECT_EQ(Get(py, 0, 2, 5).number + 1462, Get(lo, 0, 5, 5).number);
  EXPECT_EQ(Get(lx, 1, 2, 5).text, Get(lo, 0, 5, 5).text);
  EXPECT_EQ(Get(lx, 1, 2, 5).number, Get(lo, 0, 5, 5).number);
}

// ----- libxlsxwriter_tekun.xlsx -------------------------------------------------------------

TEST(ExcelFixturesTest, Libxlsxwriter) {
  Workbook wb = Load("libxlsxwriter_tekun.xlsx");
  ASSERT_NE(wb.reader, nullptr);
  EXPECT_THAT(wb.reader->sheet_names(), ElementsAre("说明", "特困人员"));
  EXPECT_FALSE(wb.reader->date1904());

  // 说明: free text, no ledger header.
  EXPECT_THAT(RowNumbers(wb, 0), ElementsAre(1, 3, 4, 5));
  EXPECT_CELL(wb, 0, 1, 0, CellKind::kText, "特困人员台账导入说明");
  EXPECT_CELL(wb, 0, 3, 0, CellKind::kText, "1. 身份证号一列请先设置为文本格式");
  EXPECT_CELL(wb, 0, 4, 0, CellKind::kText, "2. 日期填写为 2022/6/30 的形式");
  EXPECT_CELL(wb, 0, 5, 0, CellKind::kText, "版本");
  EXPECT_CELL(wb, 0, 5, 1, CellKind::kNumber, "2.1");

  EXPECT_THAT(RowNumbers(wb, 1), ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(Texts(wb, 1, 1), ElementsAre("身份证号", "姓名", "户编号", "所属村", "供养方式",
                                           "认定日期", "终止日期", "是否建档立卡"));
  EXPECT_THAT(Texts(wb, 1, 2), ElementsAre("360902194503120023", "罗桂英", "H001", "院前村",
                                           "集中供养", "2020-01-01", "", "是"));
  EXPECT_CELL(wb, 1, 2, 5, CellKind::kDate, "2020-01-01");  // format yyyy/m/d
  EXPECT_EQ(Get(wb, 1, 2, 5).number, 43831);
  // Row 3: 户编号 typed as the number 1024.
  EXPECT_CELL(wb, 1, 3, 2, CellKind::kNumber, "1024");
  EXPECT_CELL(wb, 1, 3, 5, CellKind::kDate, "2022-06-30");
  EXPECT_CELL(wb, 1, 3, 6, CellKind::kDate, "2022-12-31");
  // Row 4: the ID written as a number, shown 3.60902E+17.
  EXPECT_CELL(wb, 1, 4, 0, CellKind::kNumber, "3.60902E+17");
  EXPECT_CELL(wb, 1, 4, 1, CellKind::kText, "李水根");
  EXPECT_CELL(wb, 1, 4, 5, CellKind::kDate, "2019-11-20");
  for (int64_t row : {2, 3}) EXPECT_TRUE(ValidResidentId(Get(wb, 1, row, 0).text)) << row;
}

// OpenSheetFile tells the formats apart by content.
TEST(ExcelFixturesTest, OpenSheetFileByContent) {
  for (const char* name :
       {"libreoffice_tekun.xlsx", "openpyxl_tekun_1904.xlsx", "libxlsxwriter_tekun.xlsx"}) {
    auto r = OpenSheetFile(kDir + std::string(name));
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    EXPECT_EQ((*r)->format(), WorkbookFormat::kXlsx) << name;
  }
  for (const char* name : {"libreoffice_tekun.xls", "libreoffice_1904.xls"}) {
    auto r = OpenSheetFile(kDir + std::string(name));
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    EXPECT_EQ((*r)->format(), WorkbookFormat::kXls) << name;
  }
  auto r = OpenSheetFile(kDir + std::string("password_tekun.xls"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "文件设置了密码，请先在 Excel 中取消密码再导入");
}

}  // namespace
}  // namespace tz::io
