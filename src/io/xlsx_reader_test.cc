// The xlsx reader on crafted parts (each feature as writers really spell it) and on a file
// written by libxlsxwriter.
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <string>
#include <vector>

#include "io/sheet.h"
#include "io/test_xlsx_builder.h"

namespace tz::io {
namespace {

using testing::SharedStringsXml;
using testing::SheetXml;
using testing::TempXlsxPath;
using testing::WorkbookParts;
using testing::WriteZip;
using testing::XlsxParts;

// "2: T张三 _ N12 D2022-06-30": the row number, then each cell as kind letter + text.
std::string Render(const SheetRow& row) {
  std::string out = std::to_string(row.number) + ":";
  for (const Cell& cell : row.cells) {
    out += " ";
    switch (cell.kind) {
      case CellKind::kEmpty:
        out += "_";
        continue;
      case CellKind::kText:
        out += "T";
        break;
      case CellKind::kNumber:
        out += "N";
        break;
      case CellKind::kDate:
        out += "D";
        break;
      case CellKind::kBool:
        out += "B";
        break;
      case CellKind::kError:
        out += "E";
        break;
    }
    out += cell.text;
  }
  return out;
}

std::vector<std::string> ReadRows(SheetReader& reader, size_t sheet = 0) {
  std::vector<std::string> rows;
  Status status = reader.ForEachRow(sheet, [&](const SheetRow& row) -> Result<bool> {
    rows.push_back(Render(row));
    return true;
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  return rows;
}

std::unique_ptr<SheetReader> Open(const std::string& path, const SheetLimits& limits = {}) {
  auto reader = OpenXlsx(path, limits);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

// A workbook of one sheet with the given rows, shared strings and styles.
std::string WriteBook(const std::string& file, const std::string& rows,
                      const std::vector<std::string>& strings = {}, const std::string& styles = "",
                      const std::string& workbook_pr = "") {
  XlsxParts parts = WorkbookParts({{"Sheet1", SheetXml(rows)}}, workbook_pr);
  if (!strings.empty()) parts["xl/sharedStrings.xml"] = SharedStringsXml(strings);
  if (!styles.empty()) parts["xl/styles.xml"] = styles;
  std::string path = TempXlsxPath(file);
  WriteZip(path, parts);
  return path;
}

// cellXfs: 0 General, 1 built-in 14 (m/d/yyyy), 2 custom 年月日, 3 custom "0.00", 4 built-in 22
// (date and time), 5 built-in 31 (a Chinese date form), 6 built-in 2 (0.00).
const char kStyles[] =
    "<?xml version=\"1.0\"?><styleSheet "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\">"
    "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"177\" formatCode=\"0.00\"/></numFmts>"
    // cellStyleXfs must not be mistaken for cellXfs.
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"176\"/><xf numFmtId=\"177\"/><xf numFmtId=\"22\"/><xf numFmtId=\"31\"/>"
    "<xf numFmtId=\"2\"/></cellXfs></styleSheet>";

TEST(XlsxReaderTest, StringsOfEveryKind) {
  XlsxParts parts = WorkbookParts(
      {{"名单",
        SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                 "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
                 "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>院前村</t></is></c>"
                 "<c r=\"B2\" t=\"inlineStr\"><is><r><t>富</t></r><r><rPr><b/></rPr><t "
                 "xml:space=\"preserve\"> 文本</t></r>"
                 "<rPh sb=\"0\" eb=\"1\"><t>fu</t></rPh></is></c>"
                 "<c r=\"C2\" t=\"str\"><f>A2&amp;\"委会\"</f><v>院前村委会</v></c>"
                 "<c r=\"D2\" t=\"inlineStr\"><is><t>a &lt;b&gt; &amp; &#x4E2D;</t></is></c></row>"
                 "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c><c r=\"B3\" "
                 "t=\"s\"><v>4</v></c></row>")}});
  parts["xl/sharedStrings.xml"] =
      "<?xml version=\"1.0\"?><sst "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<si><t>张三</t></si>"
      "<si><r><t>重点</t></r><r><rPr><b/></rPr><t>人群</t></r></si>"
      "<si><t>行政村</t><rPh sb=\"0\" eb=\"3\"><t>xingzhengcun</t></rPh><phoneticPr "
      "fontId=\"1\"/></si>"
      "<si><t xml:space=\"preserve\">  前后有空格  </t></si>"
      "<si><t>第一行_x000D_\n第二行 _x005F_x0041_</t></si>"
      "</sst>";
  std::string path = TempXlsxPath("strings.xlsx");
  WriteZip(path, parts);
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->format(), WorkbookFormat::kXlsx);
  EXPECT_EQ(reader->sheet_names(), std::vector<std::string>{"名单"});
  EXPECT_FALSE(reader->date1904());
  EXPECT_EQ(ReadRows(*reader),
            (std::vector<std::string>{"1: T张三 T重点人群 T行政村",
                                      "2: T院前村 T富 文本 T院前村委会 Ta <b> & 中",
                                      "3: T  前后有空格   T第一行\r\n第二行 _x0041_"}));
}

TEST(XlsxReaderTest, NumbersBooleansErrorsAndFormulas) {
  std::string path = WriteBook(
      "numbers.xlsx",
      "<row r=\"1\"><c r=\"A1\"><v>360902</v></c><c r=\"B1\" t=\"n\"><v>13800138000</v></c>"
      "<c r=\"C1\"><v>0.30000000000000004</v></c><c r=\"D1\"><v>1234.5</v></c>"
      "<c r=\"E1\"><v>3.6090219900101101E+17</v></c><c r=\"F1\"><v>-2.5</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"b\"><v>1</v></c><c r=\"B2\" t=\"b\"><v>0</v></c>"
      // LibreOffice writes TRUE() and FALSE() as boolean formulas with a cached value.
      "<c r=\"C2\" t=\"b\"><f>TRUE()</f><v>1</v></c><c r=\"D2\" "
      "t=\"b\"><f>FALSE()</f><v>0</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"e\"><v>#N/A</v></c><c r=\"B3\" "
      "t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
      "<c r=\"C3\"><f>SUM(A1:B1)</f><v>13800498902</v></c>"
      // A formula never calculated has no cached value: empty.
      "<c r=\"D3\"><f>A1*2</f></c><c r=\"E3\" t=\"str\"><f>\"\"</f><v></v></c>"
      "<c r=\"F3\" t=\"b\"><v></v></c><c r=\"G3\" t=\"s\"><v/></c></row>");
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(
      ReadRows(*reader),
      (std::vector<std::string>{"1: N360902 N13800138000 N0.3 N1234.5 N3.60902E+17 N-2.5",
                                "2: BTRUE BFALSE BTRUE BFALSE", "3: E#N/A E#DIV/0! N13800498902"}));
  std::vector<double> numbers;
  ASSERT_TRUE(reader
                  ->ForEachRow(0,
                               [&](const SheetRow& row) -> Result<bool> {
                                 for (const Cell& c : row.cells) numbers.push_back(c.number);
                                 return false;  // the first row is enough
                               })
                  .ok());
  EXPECT_EQ(numbers, (std::vector<double>{360902, 13800138000, 0.30000000000000004, 1234.5,
                                          3.6090219900101101E+17, -2.5}));
}

TEST(XlsxReaderTest, SparseRowsAndCellsAndMissingReferences) {
  std::string path =
      WriteBook("sparse.xlsx",
                // Row 1 has cells without r: A, B, C in order.
                "<row r=\"1\"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>"
                // Row 2 skips A and C; row 3 has only styled blanks and is skipped.
                "<row r=\"2\"><c r=\"B2\"><v>4</v></c><c r=\"D2\"><v>5</v></c></row>"
                "<row r=\"3\"><c r=\"A3\" s=\"1\"/><c r=\"B3\" s=\"1\"/></row>"
                // Row 4 has no r: it follows row 3. An r-less cell follows the last cell.
                "<row><c r=\"C4\"><v>6</v></c><c><v>7</v></c></row>"
                // A row number jump, a cell far right, a trailing styled blank not counted.
                "<row r=\"10\"><c r=\"A10\"><v>8</v></c><c r=\"AB10\"><v>9</v></c><c r=\"AC10\" "
                "s=\"1\"/></row>"
                "<row r=\"11\"><c r=\"A11\" t=\"inlineStr\"><is><t></t></is></c></row>"
                "<row r=\"12\" spans=\"1:3\"><c r=\"b12\"><v>10</v></c></row>");
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  std::vector<std::string> rows = ReadRows(*reader);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], "1: N1 N2 N3");
  EXPECT_EQ(rows[1], "2: _ N4 _ N5");
  EXPECT_EQ(rows[2], "4: _ _ N6 N7");
  std::string blanks;  // B10 … AA10
  for (int i = 0; i < 26; ++i) blanks += " _";
  EXPECT_EQ(rows[3], "10: N8" + blanks + " N9");
  EXPECT_EQ(rows[4], "12: _ N10");
}

TEST(XlsxReaderTest, DatesByCellStyle) {
  std::string path = WriteBook(
      "dates.xlsx",
      "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44742</v></c><c r=\"B1\" s=\"2\"><v>44742</v></c>"
      "<c r=\"C1\" s=\"3\"><v>44742</v></c><c r=\"D1\" s=\"4\"><v>44742.354166666664</v></c>"
      "<c r=\"E1\" s=\"5\"><v>44562</v></c><c r=\"F1\" s=\"6\"><v>1.5</v></c>"
      "<c r=\"G1\" s=\"0\"><v>44742</v></c><c r=\"H1\"><v>44742</v></c></row>"
      // Out of range for a date: stays a number. A style index past cellXfs: not a date.
      "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>-1</v></c><c r=\"B2\" s=\"1\"><v>60</v></c>"
      "<c r=\"C2\" s=\"99\"><v>44742</v></c><c r=\"D2\" s=\"1\" t=\"s\"><v>0</v></c></row>",
      {"2022-06-30"}, kStyles);
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(
      ReadRows(*reader),
      (std::vector<std::string>{
          "1: D2022-06-30 D2022-06-30 N44742 D2022-06-30 08:30:00 D2022-01-01 N1.5 N44742 N44742",
          "2: N-1 N60 N44742 T2022-06-30"}));
  double serial = 0;
  ASSERT_TRUE(reader
                  ->ForEachRow(0,
                               [&](const SheetRow& row) -> Result<bool> {
                                 serial = row.cells[0].number;
                                 return false;
                               })
                  .ok());
  EXPECT_EQ(serial, 44742);
}

TEST(XlsxReaderTest, Date1904System) {
  for (const char* value : {"1", "true"}) {
    std::string path =
        WriteBook("date1904.xlsx", "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>43280</v></c></row>", {},
                  kStyles, std::string("<workbookPr date1904=\"") + value + "\"/>");
    auto reader = Open(path);
    ASSERT_TRUE(reader);
    EXPECT_TRUE(reader->date1904());
    EXPECT_EQ(ReadRows(*reader), std::vector<std::string>{"1: D2022-06-30"});
  }
  std::string path =
      WriteBook("date1900.xlsx", "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>44742</v></c></row>", {},
                kStyles, "<workbookPr date1904=\"0\" defaultThemeVersion=\"1\"/>");
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_FALSE(reader->date1904());
  EXPECT_EQ(ReadRows(*reader), std::vector<std::string>{"1: D2022-06-30"});
}

// t="d": ISO 8601 text some writers store dates as. Dates Excel can hold become kDate cells
// with the serial of the workbook's date system; anything else stays text for validation.
TEST(XlsxReaderTest, IsoDateCellsInBothDateSystems) {
  const std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"d\"><v>2020-01-01T00:00:00</v></c>"
      "<c r=\"B1\" t=\"d\"><v>2022-06-30</v></c>"
      "<c r=\"C1\" t=\"d\"><v>2022-06-30T08:30:00Z</v></c>"
      "<c r=\"D1\" t=\"d\"><v>2022-06-30T08:30</v></c>"
      "<c r=\"E1\" t=\"d\" s=\"0\"><v>2022-06-30T08:30:15.250</v></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"d\"><v>2022-02-30</v></c>"
      "<c r=\"B2\" t=\"d\"><v>2022-06-30T24:00:00</v></c>"
      "<c r=\"C2\" t=\"d\"><v>30/06/2022</v></c>"
      "<c r=\"D2\" t=\"d\"><v>2022-06-30T08:30:00+08:00</v></c>"
      "<c r=\"E2\" t=\"d\"><v>2022-06-30T</v></c>"
      "<c r=\"F2\" t=\"d\"><v>1899-12-31</v></c></row>"
      // Around the 1900 system's phantom 1900-02-29 and the start of the 1904 system.
      "<row r=\"3\"><c r=\"A3\" t=\"d\"><v>1900-01-01</v></c>"
      "<c r=\"B3\" t=\"d\"><v>1900-02-28</v></c><c r=\"C3\" t=\"d\"><v>1900-03-01</v></c>"
      "<c r=\"D3\" t=\"d\"><v>1904-01-01</v></c><c r=\"E3\" t=\"d\"><v>1900-02-29</v></c></row>";
  const std::vector<std::string> common = {
      "1: D2020-01-01 D2022-06-30 D2022-06-30 08:30:00 D2022-06-30 08:30:00 D2022-06-30 08:30:15",
      "2: T2022-02-30 T2022-06-30T24:00:00 T30/06/2022 T2022-06-30T08:30:00+08:00 T2022-06-30T "
      "T1899-12-31"};
  struct System {
    const char* workbook_pr;
    double jan1_2020, jun30_2022;
    std::string row3;
    std::vector<double> row3_numbers;
  };
  for (const System& system : {
           System{"",
                  43831,
                  44742,
                  "3: D1900-01-01 D1900-02-28 D1900-03-01 D1904-01-01 T1900-02-29",
                  {1, 59, 61, 1462}},
           System{"<workbookPr date1904=\"1\"/>",
                  42369,
                  43280,
                  "3: T1900-01-01 T1900-02-28 T1900-03-01 D1904-01-01 T1900-02-29",
                  {0, 0, 0, 0}},
       }) {
    SCOPED_TRACE(system.workbook_pr);
    std::string path = WriteBook("iso_dates.xlsx", rows, {}, kStyles, system.workbook_pr);
    auto reader = Open(path);
    ASSERT_TRUE(reader);
    std::vector<std::string> expected = common;
    expected.push_back(system.row3);
    EXPECT_EQ(ReadRows(*reader), expected);

    std::vector<std::vector<double>> numbers;
    ASSERT_TRUE(reader
                    ->ForEachRow(0,
                                 [&](const SheetRow& row) -> Result<bool> {
                                   numbers.emplace_back();
                                   for (const Cell& c : row.cells)
                                     numbers.back().push_back(c.number);
                                   return true;
                                 })
                    .ok());
    ASSERT_EQ(numbers.size(), 3u);
    ASSERT_EQ(numbers[0].size(), 5u);
    EXPECT_EQ(numbers[0][0], system.jan1_2020);
    EXPECT_EQ(numbers[0][1], system.jun30_2022);
    EXPECT_EQ(numbers[0][2], system.jun30_2022 + 30600.0 / 86400.0);
    EXPECT_EQ(numbers[0][3], system.jun30_2022 + 30600.0 / 86400.0);
    EXPECT_NEAR(numbers[0][4], system.jun30_2022 + 30615.25 / 86400.0, 1e-9);
    ASSERT_EQ(numbers[2].size(), 5u);
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(numbers[2][i], system.row3_numbers[i]) << i;
  }
}

TEST(XlsxReaderTest, SeveralSheetsInWorkbookOrderWithAbsoluteTargets) {
  XlsxParts parts = WorkbookParts({});
  // Sheet order comes from workbook.xml, not from part names or relationship ids.
  parts["xl/workbook.xml"] =
      "<?xml version=\"1.0\"?><workbook "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets><sheet name=\"说明\" sheetId=\"3\" r:id=\"rId3\"/>"
      "<sheet name=\"数据 &amp; 汇总\" sheetId=\"1\" r:id=\"rId1\" state=\"hidden\"/>"
      "<sheet name=\"第三\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
  parts["xl/_rels/workbook.xml.rels"] =
      "<?xml version=\"1.0\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"/xl/worksheets/data.xml\"/>"
      "<Relationship Id=\"rId2\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"./worksheets/../worksheets/third.xml\"/>"
      "<Relationship Id=\"rId3\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"worksheets/Readme.xml\"/>"
      "<Relationship Id=\"rId9\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
      "Target=\"/xl/strings.xml\"/>"
      "</Relationships>";
  parts["xl/worksheets/data.xml"] = SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
  parts["xl/worksheets/third.xml"] = SheetXml("<row r=\"5\"><c r=\"A5\"><v>3</v></c></row>");
  // Part names differing in case from the relationship's target are still found.
  parts["xl/worksheets/readme.xml"] =
      SheetXml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>读我</t></is></c></row>");
  parts["xl/strings.xml"] = SharedStringsXml({"数据"});
  std::string path = TempXlsxPath("sheets.xlsx");
  WriteZip(path, parts);
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->sheet_names(), (std::vector<std::string>{"说明", "数据 & 汇总", "第三"}));
  EXPECT_EQ(ReadRows(*reader, 0), std::vector<std::string>{"1: T读我"});
  EXPECT_EQ(ReadRows(*reader, 1), std::vector<std::string>{"1: T数据"});
  EXPECT_EQ(ReadRows(*reader, 2), std::vector<std::string>{"5: N3"});
  EXPECT_EQ(ReadRows(*reader, 1), std::vector<std::string>{"1: T数据"});  // again, from the start

  Status missing = reader->ForEachRow(3, [](const SheetRow&) -> Result<bool> { return true; });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "工作簿中没有第 4 个工作表（共 3 个）");
}

TEST(XlsxReaderTest, MissingSheetPartIsReportedWhenRead) {
  XlsxParts parts = WorkbookParts({{"甲", SheetXml("")}, {"乙", SheetXml("")}});
  parts.erase("xl/worksheets/sheet2.xml");
  std::string path = TempXlsxPath("missing_part.xlsx");
  WriteZip(path, parts);
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_TRUE(ReadRows(*reader, 0).empty());
  Status status = reader->ForEachRow(1, [](const SheetRow&) -> Result<bool> { return true; });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("工作表“乙”的内容缺失"), std::string::npos) << status.message();
}

TEST(XlsxReaderTest, NamespacePrefixesAndNoRootRels) {
  // Some .NET writers prefix every element (x:row, x:c); some packages lack _rels/.rels.
  XlsxParts parts = WorkbookParts({{"S", ""}});
  parts.erase("_rels/.rels");
  parts["xl/worksheets/sheet1.xml"] =
      "<?xml version=\"1.0\"?><x:worksheet "
      "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>甲</x:t></x:is></x:c>"
      "<x:c r=\"B1\"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>";
  std::string path = TempXlsxPath("prefixed.xlsx");
  WriteZip(path, parts);
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(ReadRows(*reader), std::vector<std::string>{"1: T甲 N2"});
}

TEST(XlsxReaderTest, CallbackStopsEarlyOrFails) {
  std::string rows;
  for (int r = 1; r <= 100; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>" +
            std::to_string(r) + "</v></c></row>";
  }
  std::string path = WriteBook("early_stop.xlsx", rows);
  auto reader = Open(path);
  ASSERT_TRUE(reader);

  int seen = 0;
  Status status = reader->ForEachRow(0, [&](const SheetRow& row) -> Result<bool> {
    ++seen;
    return row.number < 3;
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(seen, 3);

  seen = 0;
  status = reader->ForEachRow(0, [&](const SheetRow& row) -> Result<bool> {
    ++seen;
    if (row.number == 5) return Status::InvalidArgument("第5行：错误", "row 5 bad");
    return true;
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "第5行：错误");
  EXPECT_EQ(seen, 5);

  // And once more in full: each call starts from the beginning.
  EXPECT_EQ(ReadRows(*reader).size(), 100u);
  EXPECT_EQ(ReadRows(*reader).back(), "100: N100");
}

TEST(XlsxReaderTest, RowsReuseCellsWithoutLeakingOldValues) {
  std::string path =
      WriteBook("reuse.xlsx",
                "<row r=\"1\"><c r=\"A1\" "
                "t=\"inlineStr\"><is><t>一个很长的文本，长到超出短字符串优化</t></is></c>"
                "<c r=\"B1\"><v>1</v></c><c r=\"C1\"><v>2</v></c></row>"
                "<row r=\"2\"><c r=\"B2\"><v>3</v></c></row>"
                "<row r=\"3\"><c r=\"C3\"><v>4</v></c></row>"
                "<row r=\"4\"><c r=\"A4\" t=\"b\"><v>1</v></c></row>");
  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(ReadRows(*reader),
            (std::vector<std::string>{"1: T一个很长的文本，长到超出短字符串优化 N1 N2", "2: _ N3",
                                      "3: _ _ N4", "4: BTRUE"}));
}

// A real writer: libxlsxwriter in its default (shared strings) mode.
TEST(XlsxReaderTest, ReadsWhatLibxlsxwriterWrites) {
  std::string path = TempXlsxPath("libxlsxwriter.xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* first = workbook_add_worksheet(workbook, "低保");
  lxw_worksheet* second = workbook_add_worksheet(workbook, "其他");
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
  lxw_format* money = workbook_add_format(workbook);
  format_set_num_format(money, "#,##0.00");
  worksheet_write_string(first, 0, 0, "姓名", nullptr);
  worksheet_write_string(first, 0, 1, "日期", nullptr);
  worksheet_write_string(first, 0, 2, "金额", nullptr);
  worksheet_write_string(first, 1, 0, "张三", nullptr);
  lxw_datetime when = {2022, 6, 30, 0, 0, 0};
  worksheet_write_datetime(first, 1, 1, &when, date);
  worksheet_write_number(first, 1, 2, 1234.5, money);
  worksheet_write_boolean(first, 1, 3, 1, nullptr);
  worksheet_write_formula_num(first, 1, 4, "=C2*2", nullptr, 2469);
  worksheet_write_string(first, 3, 1, "张三", nullptr);
  worksheet_write_number(second, 0, 0, 7, nullptr);
  ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);

  auto reader = Open(path);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->sheet_names(), (std::vector<std::string>{"低保", "其他"}));
  EXPECT_EQ(ReadRows(*reader, 0),
            (std::vector<std::string>{"1: T姓名 T日期 T金额",
                                      "2: T张三 D2022-06-30 N1234.5 BTRUE N2469", "4: _ T张三"}));
  EXPECT_EQ(ReadRows(*reader, 1), std::vector<std::string>{"1: N7"});
}

}  // namespace
}  // namespace tz::io
