#include "io/xlsx_writer.h"

#include <dirent.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "io/sheet.h"

namespace tz::io {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

class XlsxWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/xlsx_writer_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// One part of the zip, read with libzip directly (not with the reader under test elsewhere).
std::string ReadPart(const std::string& file, const std::string& name) {
  int err = 0;
  zip_t* z = zip_open(file.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) {
    ADD_FAILURE() << "cannot open zip " << file << ": " << err;
    return {};
  }
  zip_stat_t st;
  zip_stat_init(&st);
  std::string out;
  if (zip_stat(z, name.c_str(), 0, &st) != 0) {
    ADD_FAILURE() << "no part " << name << " in " << file;
  } else if (zip_file_t* f = zip_fopen(z, name.c_str(), 0); f != nullptr) {
    out.resize(st.size);
    EXPECT_EQ(zip_fread(f, out.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
  }
  zip_close(z);
  return out;
}

// The <c> element of `ref` in a sheet's XML ("" when absent).
std::string CellXml(const std::string& sheet_xml, const std::string& ref) {
  std::regex re("<c r=\"" + ref + "\"[^>]*?(/>|>.*?</c>)");
  std::smatch m;
  return std::regex_search(sheet_xml, m, re) ? m.str(0) : std::string();
}

std::string Attr(const std::string& element, const std::string& name) {
  std::regex re(" " + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(element, m, re) ? m.str(1) : std::string();
}

// cellXfs of styles.xml, in order (the cell's s= indexes this list).
std::vector<std::string> CellXfs(const std::string& styles) {
  std::vector<std::string> out;
  size_t begin = styles.find("<cellXfs");
  size_t end = styles.find("</cellXfs>");
  if (begin == std::string::npos || end == std::string::npos) return out;
  std::string xfs = styles.substr(begin, end - begin);
  std::regex re("<xf [^>]*?(/>|>.*?</xf>)");
  for (auto it = std::sregex_iterator(xfs.begin(), xfs.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str(0));
  }
  return out;
}

// numFmtId of a custom number format code.
std::string NumFmtId(const std::string& styles, const std::string& code) {
  std::regex re("<numFmt numFmtId=\"(\\d+)\" formatCode=\"" + code + "\"/>");
  std::smatch m;
  return std::regex_search(styles, m, re) ? m.str(1) : std::string();
}

int CountOpenFds() {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
    (void)e;
    ++n;
  }
  return n;
}

std::string OpenFds() {
  std::string out;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    out += e.path().filename().string() + " -> " + fs::read_symlink(e.path(), ec).string() + "\n";
  }
  return out;
}

std::vector<std::string> LongList() {
  std::vector<std::string> values;
  for (int i = 1; i <= 40; ++i) values.push_back("第" + std::to_string(i) + "网格（院前村）");
  return values;
}

TEST_F(XlsxWriterTest, WritesATemplateWithEverything) {
  const std::string out = Path("ledger.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  XlsxWriter& x = **w;

  ASSERT_TRUE(x.AddSheet("低保台账").ok());
  ASSERT_TRUE(x.SetColumn(0, 12, XlsxStyle::kText).ok());
  ASSERT_TRUE(x.SetColumn(3, 12, XlsxStyle::kDate).ok());
  ASSERT_TRUE(x.WriteTitle(0, 0, 7, "院前村低保台账").ok());
  const std::vector<std::string> headers = {"户编号", "户主姓名", "人数",     "批准日期",
                                            "月份",   "供养方式", "所属网格", "错误说明"};
  for (int c = 0; c < 8; ++c) {
    XlsxStyle s = c < 2 ? XlsxStyle::kRequiredHeader : XlsxStyle::kHeader;
    ASSERT_TRUE(x.WriteText(1, c, headers[c], {s, false}).ok());
  }
  ASSERT_TRUE(x.FreezeRows(2).ok());
  ASSERT_TRUE(x.AddListValidation(2, 1001, 5, {"集中供养", "分散供养"}).ok());
  ASSERT_TRUE(x.AddListValidation(2, 1001, 6, LongList()).ok());

  // Row 3: text that must stay text, a number, a date, a month.
  ASSERT_TRUE(x.WriteText(2, 0, "=1+2", {XlsxStyle::kText, false}).ok());
  ASSERT_TRUE(x.WriteText(2, 1, "+86").ok());
  ASSERT_TRUE(x.WriteNumber(2, 2, 3).ok());
  ASSERT_TRUE(x.WriteDate(2, 3, 2022, 6, 30).ok());
  ASSERT_TRUE(x.WriteDate(2, 4, 2022, 6, 1, {XlsxStyle::kMonth, false}).ok());
  ASSERT_TRUE(x.WriteText(2, 5, "集中供养").ok());
  // Row 4: a bad row of an error report.
  ASSERT_TRUE(x.WriteText(3, 0, "-").ok());
  ASSERT_TRUE(x.WriteText(3, 1, "@x", {XlsxStyle::kGeneral, true}).ok());
  ASSERT_TRUE(x.WriteNumber(3, 2, 1.5, {XlsxStyle::kGeneral, true}).ok());
  ASSERT_TRUE(x.WriteDate(3, 3, 2022, 7, 1, {XlsxStyle::kDate, true}).ok());
  ASSERT_TRUE(x.WriteBlank(3, 4, {XlsxStyle::kGeneral, true}).ok());
  ASSERT_TRUE(x.WriteText(3, 5, "\tx").ok());
  ASSERT_TRUE(x.WriteText(3, 7, "批准日期晚于今天", {XlsxStyle::kNote, false}).ok());

  ASSERT_TRUE(x.AddSheet("填写说明").ok());
  ASSERT_TRUE(x.WriteText(0, 0, "请勿修改表头").ok());
  // The same long list again shares its column; another one takes the next.
  ASSERT_TRUE(x.AddListValidation(1, 100, 0, LongList()).ok());
  std::vector<std::string> with_comma = {"甲,乙", "丙"};
  ASSERT_TRUE(x.AddListValidation(1, 100, 1, with_comma).ok());
  Status closed = x.Close();
  ASSERT_TRUE(closed.ok()) << closed.ToString();

  const std::string workbook = ReadPart(out, "xl/workbook.xml");
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"低保台账\" sheetId=\"1\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"填写说明\" sheetId=\"2\""));
  EXPECT_TRUE(std::regex_search(
      workbook, std::regex("<sheet name=\"_lists\" sheetId=\"3\" state=\"hidden\"")))
      << workbook;

  const std::string sheet = ReadPart(out, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, HasSubstr("<pane ySplit=\"2\""));
  EXPECT_THAT(sheet, HasSubstr("state=\"frozen\""));
  EXPECT_THAT(sheet, HasSubstr("<mergeCell ref=\"A1:H1\"/>"));
  EXPECT_THAT(sheet, HasSubstr("<dataValidation type=\"list\""));
  EXPECT_THAT(sheet, HasSubstr("sqref=\"F3:F1002\"><formula1>\"集中供养,分散供养\"</formula1>"));
  EXPECT_THAT(sheet, HasSubstr("sqref=\"G3:G1002\"><formula1>_lists!$A$1:$A$40</formula1>"));
  EXPECT_THAT(sheet, Not(HasSubstr("<f>")));
  EXPECT_THAT(sheet, HasSubstr("<row r=\"1\" ht=\"24\""));  // room for the 16-point title

  // Text is a string cell, whatever it starts with.
  EXPECT_THAT(CellXml(sheet, "A3"), HasSubstr("t=\"inlineStr\"><is><t>=1+2</t></is>"));
  EXPECT_THAT(CellXml(sheet, "B3"), HasSubstr("t=\"inlineStr\"><is><t>+86</t></is>"));
  EXPECT_THAT(CellXml(sheet, "A4"), HasSubstr("t=\"inlineStr\"><is><t>-</t></is>"));
  EXPECT_THAT(CellXml(sheet, "B4"), HasSubstr("t=\"inlineStr\"><is><t>@x</t></is>"));
  EXPECT_THAT(CellXml(sheet, "F4"), HasSubstr("<t xml:space=\"preserve\">\tx</t>"));
  EXPECT_THAT(CellXml(sheet, "C3"), HasSubstr("<v>3</v>"));
  EXPECT_EQ(Attr(CellXml(sheet, "C3"), "t"), "");

  // Dates are numbers (serials) with a date format; a highlighted date keeps it.
  const std::string styles = ReadPart(out, "xl/styles.xml");
  const std::vector<std::string> xfs = CellXfs(styles);
  const std::string date_fmt = NumFmtId(styles, "yyyy-mm-dd");
  const std::string month_fmt = NumFmtId(styles, "yyyy-mm");
  ASSERT_FALSE(date_fmt.empty()) << styles;
  ASSERT_FALSE(month_fmt.empty()) << styles;
  auto xf_of = [&](const std::string& ref) -> std::string {
    std::string s = Attr(CellXml(sheet, ref), "s");
    if (s.empty()) return {};
    size_t i = std::stoul(s);
    return i < xfs.size() ? xfs[i] : std::string();
  };
  const std::string d3 = CellXml(sheet, "D3");
  EXPECT_THAT(d3, HasSubstr("<v>44742</v>"));
  EXPECT_EQ(Attr(d3, "t"), "");
  EXPECT_EQ(Attr(xf_of("D3"), "numFmtId"), date_fmt);
  EXPECT_THAT(CellXml(sheet, "E3"), HasSubstr("<v>44713</v>"));
  EXPECT_EQ(Attr(xf_of("E3"), "numFmtId"), month_fmt);
  EXPECT_THAT(CellXml(sheet, "D4"), HasSubstr("<v>44743</v>"));
  EXPECT_EQ(Attr(xf_of("D4"), "numFmtId"), date_fmt);
  EXPECT_NE(Attr(d3, "s"), Attr(CellXml(sheet, "D4"), "s"));
  EXPECT_EQ(Attr(xf_of("D4"), "applyFill"), "1");
  EXPECT_EQ(Attr(xf_of("D4"), "applyBorder"), "1");
  EXPECT_THAT(styles, HasSubstr("<fgColor rgb=\"FFFFFF00\"/>"));        // yellow highlight
  EXPECT_THAT(styles, HasSubstr("<fgColor rgb=\"FFD9D9D9\"/>"));        // grey header
  EXPECT_THAT(styles, HasSubstr("<color rgb=\"FFFF0000\"/>"));          // red border
  EXPECT_THAT(styles, HasSubstr("<color rgb=\"FFC00000\"/>"));          // red font
  EXPECT_THAT(styles, HasSubstr("<sz val=\"16\"/>"));                   // title
  EXPECT_THAT(styles, HasSubstr("formatCode=\"@\""));                   // text columns
  EXPECT_NE(Attr(xf_of("A2"), "applyAlignment"), "");                   // header wraps, centred
  EXPECT_NE(Attr(xf_of("A2"), "fontId"), Attr(xf_of("C2"), "fontId"));  // required: red
  // Highlighted blank cell is written (it carries the yellow fill).
  EXPECT_EQ(Attr(xf_of("E4"), "applyFill"), "1");
  // The column default formats.
  EXPECT_THAT(sheet, HasSubstr("<col min=\"1\" max=\"1\""));
  EXPECT_THAT(sheet, HasSubstr("<col min=\"4\" max=\"4\""));

  const std::string sheet2 = ReadPart(out, "xl/worksheets/sheet2.xml");
  EXPECT_THAT(sheet2, HasSubstr("sqref=\"A2:A101\"><formula1>_lists!$A$1:$A$40</formula1>"));
  EXPECT_THAT(sheet2, HasSubstr("sqref=\"B2:B101\"><formula1>_lists!$B$1:$B$2</formula1>"));
  EXPECT_THAT(sheet2, Not(HasSubstr("<pane")));

  const std::string lists = ReadPart(out, "xl/worksheets/sheet3.xml");
  EXPECT_THAT(CellXml(lists, "A1"), HasSubstr("<t>第1网格（院前村）</t>"));
  EXPECT_THAT(CellXml(lists, "A40"), HasSubstr("<t>第40网格（院前村）</t>"));
  EXPECT_THAT(CellXml(lists, "B1"), HasSubstr("<t>甲,乙</t>"));
  EXPECT_THAT(CellXml(lists, "B2"), HasSubstr("<t>丙</t>"));
  EXPECT_EQ(CellXml(lists, "B3"), "");
  EXPECT_EQ(CellXml(lists, "A41"), "");
}

TEST_F(XlsxWriterTest, TextIsNeverAFormula) {
  const std::string out = Path("text.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddSheet("s").ok());
  const std::vector<std::string> texts = {
      "=1+2", "=SUM(A1:A2)", "+86", "-", "@x", "\tx", "=HYPERLINK(\"http://x\")", "<&>"};
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_TRUE((*w)->WriteText(static_cast<int64_t>(i), 0, texts[i]).ok());
  }
  ASSERT_TRUE((*w)->WriteText(texts.size(), 0, "_x0041_").ok());
  ASSERT_TRUE((*w)->Close().ok());
  const std::string sheet = ReadPart(out, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, Not(HasSubstr("<f>")));
  EXPECT_THAT(CellXml(sheet, "A2"), HasSubstr("<t>=SUM(A1:A2)</t>"));
  EXPECT_THAT(CellXml(sheet, "A7"), HasSubstr("<t>=HYPERLINK(\"http://x\")</t>"));
  EXPECT_THAT(CellXml(sheet, "A8"), HasSubstr("<t>&lt;&amp;&gt;</t>"));
  // Excel would read "_x0041_" as "A": the underscore is escaped.
  EXPECT_THAT(CellXml(sheet, "A9"), HasSubstr("<t>_x005F_x0041_</t>"));
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(Attr(CellXml(sheet, "A" + std::to_string(i + 1)), "t"), "inlineStr") << i;
  }
}

TEST_F(XlsxWriterTest, RefusesBadText) {
  auto w = XlsxWriter::Create(Path("bad.xlsx"));
  ASSERT_TRUE(w.ok());
  XlsxWriter& x = **w;
  ASSERT_TRUE(x.AddSheet("s").ok());
  Status s = x.WriteText(0, 0, "ab\xff");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("单元格A1"));
  EXPECT_THAT(s.message(), HasSubstr("UTF-8"));
  EXPECT_EQ(x.WriteText(0, 1, "\xe4\xb8").code(), StatusCode::kInvalidArgument);  // cut short

  EXPECT_TRUE(x.WriteText(1, 0, std::string(32767, 'a')).ok());
  s = x.WriteText(2, 0, std::string(32768, 'a'));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("32767"));
  std::string cjk;
  for (int i = 0; i < 32767; ++i) cjk += "字";  // 98,301 bytes, 32,767 characters
  EXPECT_TRUE(x.WriteText(3, 0, cjk).ok());
  EXPECT_EQ(x.WriteText(4, 0, cjk + "字").code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(x.WriteNumber(5, 0, std::nan("")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.WriteNumber(5, 0, HUGE_VAL).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.WriteDate(5, 0, 2022, 2, 30).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.WriteDate(5, 0, 1899, 12, 31).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.WriteText(1048576, 0, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.WriteText(6, 16384, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.WriteText(6, -1, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.AddSheet("\xff").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(x.AddListValidation(0, 10, 0, {"ok", "\xff"}).code(), StatusCode::kInvalidArgument);
  // Nothing above broke the workbook.
  EXPECT_TRUE(x.WriteText(6, 0, "still fine").ok());
  Status c = x.Close();
  EXPECT_TRUE(c.ok()) << c.ToString();
}

TEST_F(XlsxWriterTest, RowsMustComeInOrder) {
  const std::string out = Path("order.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  XlsxWriter& x = **w;
  ASSERT_TRUE(x.AddSheet("s").ok());
  ASSERT_TRUE(x.WriteText(4, 2, "r5").ok());
  ASSERT_TRUE(x.WriteText(4, 0, "same row, any column").ok());
  Status s = x.WriteText(2, 0, "r3");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.log_message(), HasSubstr("increasing order"));
  EXPECT_FALSE(x.WriteTitle(3, 0, 3, "late title").ok());
  // Another sheet has its own rows; the first one keeps its place.
  ASSERT_TRUE(x.AddSheet("t").ok());
  EXPECT_TRUE(x.WriteText(0, 0, "t1").ok());
  ASSERT_TRUE(x.Close().ok());
  EXPECT_THAT(CellXml(ReadPart(out, "xl/worksheets/sheet1.xml"), "A5"),
              HasSubstr("same row, any column"));
}

TEST_F(XlsxWriterTest, SheetNamesAreMadeValidAndUnique) {
  const std::string out = Path("names.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  XlsxWriter& x = **w;
  std::string long_name;
  for (int i = 0; i < 40; ++i) long_name += "表";
  ASSERT_TRUE(x.AddSheet(long_name).ok());  // cut to 31 characters
  ASSERT_TRUE(x.AddSheet(long_name).ok());  // then made unique within 31
  ASSERT_TRUE(x.AddSheet("a[b]:c*d?e/f\\g").ok());
  ASSERT_TRUE(x.AddSheet("台账").ok());
  ASSERT_TRUE(x.AddSheet("台账").ok());
  ASSERT_TRUE(x.AddSheet("Data").ok());
  ASSERT_TRUE(x.AddSheet("DATA").ok());    // Excel compares without case
  ASSERT_TRUE(x.AddSheet("_lists").ok());  // reserved for the long lists
  ASSERT_TRUE(x.AddSheet("").ok());
  ASSERT_TRUE(x.AddSheet("'quoted'").ok());
  ASSERT_TRUE(x.AddListValidation(0, 5, 0, LongList()).ok());
  Status c = x.Close();
  ASSERT_TRUE(c.ok()) << c.ToString();

  std::string name31;
  for (int i = 0; i < 31; ++i) name31 += "表";
  std::string name28;
  for (int i = 0; i < 28; ++i) name28 += "表";
  const std::string workbook = ReadPart(out, "xl/workbook.xml");
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"" + name31 + "\" sheetId=\"1\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"" + name28 + "(2)\" sheetId=\"2\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"a_b__c_d_e_f_g\" sheetId=\"3\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"台账\" sheetId=\"4\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"台账(2)\" sheetId=\"5\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"Data\" sheetId=\"6\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"DATA(2)\" sheetId=\"7\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"_lists(2)\" sheetId=\"8\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"Sheet9\" sheetId=\"9\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"_quoted_\" sheetId=\"10\""));
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"_lists\" sheetId=\"11\" state=\"hidden\""));
}

TEST_F(XlsxWriterTest, HiddenFirstSheetLeavesAVisibleActiveOne) {
  const std::string out = Path("hidden.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddSheet("代码表").ok());
  ASSERT_TRUE((*w)->WriteText(0, 0, "x").ok());
  ASSERT_TRUE((*w)->HideSheet().ok());
  ASSERT_TRUE((*w)->AddSheet("台账").ok());
  ASSERT_TRUE((*w)->Close().ok());
  const std::string workbook = ReadPart(out, "xl/workbook.xml");
  EXPECT_THAT(workbook, HasSubstr("<sheet name=\"代码表\" sheetId=\"1\" state=\"hidden\""));
  EXPECT_THAT(workbook, HasSubstr("activeTab=\"1\""));
}

TEST_F(XlsxWriterTest, AllSheetsHiddenIsRefused) {
  const std::string out = Path("allhidden.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddSheet("a").ok());
  ASSERT_TRUE((*w)->HideSheet().ok());
  EXPECT_EQ((*w)->Close().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(XlsxWriterTest, CreateInAMissingDirectoryIsAnIoError) {
  auto w = XlsxWriter::Create(Path("no/such/dir/out.xlsx"));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kIoError);
  EXPECT_THAT(w.status().message(), HasSubstr("无法创建文件"));
  EXPECT_THAT(w.status().message(), HasSubstr("目录不存在"));
  EXPECT_EQ(XlsxWriter::Create(dir_.string()).status().code(), StatusCode::kIoError);
}

TEST_F(XlsxWriterTest, LibraryErrorsBecomeStatuses) {
  fs::create_directory(dir_ / "gone");
  const std::string out = Path("gone/out.xlsx");
  const int fds = CountOpenFds();
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddSheet("s").ok());
  ASSERT_TRUE((*w)->WriteText(0, 0, "x").ok());
  fs::remove_all(dir_ / "gone");
  Status s = (*w)->Close();
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_THAT(s.message(), HasSubstr("无法写入文件 " + out + "："));
  EXPECT_THAT(s.log_message(), HasSubstr("Error creating output xlsx file"));
  EXPECT_EQ(CountOpenFds(), fds) << OpenFds();  // no sheet's temporary file left open
  // Closed: further calls are refused, not crashes.
  EXPECT_FALSE((*w)->WriteText(1, 0, "y").ok());
  EXPECT_FALSE((*w)->AddSheet("t").ok());
  EXPECT_FALSE((*w)->Close().ok());
}

TEST_F(XlsxWriterTest, CallsBeforeAnySheetAreRefused) {
  auto w = XlsxWriter::Create(Path("nosheet.xlsx"));
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->WriteText(0, 0, "x").code(), StatusCode::kInternal);
  EXPECT_EQ((*w)->FreezeRows(1).code(), StatusCode::kInternal);
  EXPECT_EQ((*w)->HideSheet().code(), StatusCode::kInternal);
  EXPECT_TRUE((*w)->Close().ok());  // an empty workbook gets libxlsxwriter's Sheet1
}

// libxlsxwriter closes a constant-memory sheet's temporary file only when it copies the sheet's
// cells: the writer closes those of empty sheets itself.
TEST_F(XlsxWriterTest, EmptySheetsLeaveNoOpenFiles) {
  const int fds = CountOpenFds();
  for (int round = 0; round < 3; ++round) {
    auto w = XlsxWriter::Create(Path("empty.xlsx"));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddSheet("empty").ok());
    ASSERT_TRUE((*w)->AddListValidation(1, 10, 0, {"a", "b"}).ok());
    ASSERT_TRUE((*w)->FreezeRows(1).ok());
    ASSERT_TRUE((*w)->AddSheet("full").ok());
    ASSERT_TRUE((*w)->WriteText(0, 0, "x").ok());
    ASSERT_TRUE((*w)->AddSheet("empty too").ok());
    if (round > 0) {
      ASSERT_TRUE((*w)->Close().ok());
    }
  }
  {
    auto w = XlsxWriter::Create(Path("abandoned.xlsx"));  // no sheet, no Close
    ASSERT_TRUE(w.ok());
  }
  {
    auto w = XlsxWriter::Create(Path("none.xlsx"));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Close().ok());  // an empty workbook: one empty Sheet1
    EXPECT_THAT(ReadPart(Path("none.xlsx"), "xl/workbook.xml"), HasSubstr("name=\"Sheet1\""));
  }
  EXPECT_EQ(CountOpenFds(), fds) << OpenFds();
}

// Restores an environment variable at the end of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    const char* old = getenv(name);
    if (old != nullptr) old_ = old;
    had_ = old != nullptr;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_, old_.c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST_F(XlsxWriterTest, UnusableTmpDirFallsBackToTheOutputDirectory) {
  ScopedEnv env("TMPDIR", (dir_ / "missing").string());
  const std::string out = Path("fallback.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->AddSheet("s").ok());
  for (int r = 0; r < 100; ++r) ASSERT_TRUE((*w)->WriteNumber(r, 0, r).ok());
  Status s = (*w)->Close();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_THAT(CellXml(ReadPart(out, "xl/worksheets/sheet1.xml"), "A100"), HasSubstr("<v>99</v>"));
  // Only the output is left in its directory: the temporary files were unlinked.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(XlsxWriterTest, DestructorWithoutCloseLeavesNoFiles) {
  fs::create_directory(dir_ / "tmp");
  const std::string tmp = (dir_ / "tmp").string();
  ScopedEnv env("TMPDIR", tmp);
  const int fds = CountOpenFds();
  const std::string out = Path("abandoned.xlsx");
  {
    auto w = XlsxWriter::Create(out);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddSheet("a").ok());
    ASSERT_TRUE((*w)->AddSheet("b").ok());
    for (int r = 0; r < 1000; ++r) ASSERT_TRUE((*w)->WriteNumber(r, 0, r).ok());
    ASSERT_TRUE((*w)->AddListValidation(0, 10, 1, LongList()).ok());
    EXPECT_GT(CountOpenFds(), fds);  // the sheets' temporary files
  }
  EXPECT_EQ(CountOpenFds(), fds) << OpenFds();
  EXPECT_FALSE(fs::exists(out));  // an unfinished export is not left behind
  EXPECT_TRUE(fs::is_empty(tmp));
}

TEST_F(XlsxWriterTest, SingleColumnTitleAndValidationLimits) {
  const std::string out = Path("single.xlsx");
  auto w = XlsxWriter::Create(out);
  ASSERT_TRUE(w.ok());
  XlsxWriter& x = **w;
  ASSERT_TRUE(x.AddSheet("s").ok());
  ASSERT_TRUE(x.WriteTitle(0, 0, 0, "标题").ok());
  EXPECT_FALSE(x.WriteTitle(1, 3, 2, "reversed").ok());
  EXPECT_FALSE(x.AddListValidation(5, 4, 0, {"a"}).ok());
  EXPECT_FALSE(x.AddListValidation(0, 4, 0, {}).ok());
  // Exactly 255 characters stays inline; 256 goes to _lists.
  std::vector<std::string> v255(51, "abcd");  // 51*4 + 50 commas = 254
  v255.back() = "abcde";
  ASSERT_TRUE(x.AddListValidation(1, 4, 1, v255).ok());
  std::vector<std::string> v256 = v255;
  v256.back() = "abcdef";
  ASSERT_TRUE(x.AddListValidation(1, 4, 2, v256).ok());
  ASSERT_TRUE(x.Close().ok());
  const std::string sheet = ReadPart(out, "xl/worksheets/sheet1.xml");
  EXPECT_THAT(sheet, Not(HasSubstr("<mergeCell")));
  EXPECT_THAT(CellXml(sheet, "A1"), HasSubstr("标题"));
  EXPECT_THAT(sheet, HasSubstr("sqref=\"B2:B5\"><formula1>\"abcd,"));
  EXPECT_THAT(sheet, HasSubstr("sqref=\"C2:C5\"><formula1>_lists!$A$1:$A$51</formula1>"));
}

// What the writer writes, the streaming reader (OpenXlsx) reads back as the same values.
TEST_F(XlsxWriterTest, RoundTripsThroughTheReader) {
  const std::string out = Path("roundtrip.xlsx");
  {
    auto w = XlsxWriter::Create(out);
    ASSERT_TRUE(w.ok());
    XlsxWriter& x = **w;
    ASSERT_TRUE(x.AddSheet("台账").ok());
    ASSERT_TRUE(x.WriteTitle(0, 0, 5, "标题").ok());
    ASSERT_TRUE(x.WriteText(1, 0, "户编号", {XlsxStyle::kHeader, false}).ok());
    ASSERT_TRUE(x.AddListValidation(2, 100, 4, LongList()).ok());
    ASSERT_TRUE(x.WriteText(2, 0, "=1+2").ok());
    ASSERT_TRUE(x.WriteText(2, 1, "0012", {XlsxStyle::kText, false}).ok());
    ASSERT_TRUE(x.WriteNumber(2, 2, 1234.5).ok());
    ASSERT_TRUE(x.WriteDate(2, 3, 2022, 6, 30).ok());
    ASSERT_TRUE(x.WriteDate(2, 4, 2022, 6, 1, {XlsxStyle::kMonth, false}).ok());
    ASSERT_TRUE(x.WriteDate(2, 5, 2022, 6, 30, {XlsxStyle::kDate, true}).ok());
    ASSERT_TRUE(x.WriteText(3, 0, "  含空格 ").ok());
    ASSERT_TRUE(x.WriteText(3, 1, "a<b>&\"c\"").ok());
    ASSERT_TRUE(x.WriteNumber(3, 2, 13800138000).ok());
    ASSERT_TRUE(x.WriteText(3, 3, "_x0041_").ok());
    ASSERT_TRUE(x.WriteText(3, 4, "\tx\ny").ok());
    ASSERT_TRUE(x.Close().ok());
  }
  auto r = OpenXlsx(out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)->sheet_names(), (std::vector<std::string>{"台账", "_lists"}));
  std::vector<SheetRow> rows;
  Status s = (*r)->ForEachRow(0, [&](const SheetRow& row) -> Result<bool> {
    rows.push_back(row);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].number, 1);
  ASSERT_GE(rows[0].cells.size(), 1u);
  EXPECT_EQ(rows[0].cells[0].kind, CellKind::kText);
  EXPECT_EQ(rows[0].cells[0].text, "标题");
  EXPECT_EQ(rows[1].cells[0].text, "户编号");

  const auto& c = rows[2].cells;
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0].kind, CellKind::kText);
  EXPECT_EQ(c[0].text, "=1+2");
  EXPECT_EQ(c[1].kind, CellKind::kText);
  EXPECT_EQ(c[1].text, "0012");
  EXPECT_EQ(c[2].kind, CellKind::kNumber);
  EXPECT_EQ(c[2].text, "1234.5");
  EXPECT_EQ(c[2].number, 1234.5);
  EXPECT_EQ(c[3].kind, CellKind::kDate);
  EXPECT_EQ(c[3].text, "2022-06-30");
  EXPECT_EQ(c[3].number, 44742);
  EXPECT_EQ(c[4].kind, CellKind::kDate);
  EXPECT_EQ(c[4].text, "2022-06-01");
  EXPECT_EQ(c[5].kind, CellKind::kDate);  // highlighted, still a date
  EXPECT_EQ(c[5].text, "2022-06-30");

  const auto& d = rows[3].cells;
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0].text, "  含空格 ");
  EXPECT_EQ(d[1].text, "a<b>&\"c\"");
  EXPECT_EQ(d[2].kind, CellKind::kNumber);
  EXPECT_EQ(d[2].text, "13800138000");
  EXPECT_EQ(d[3].text, "_x0041_");
  EXPECT_EQ(d[4].text, "\tx\ny");

  std::vector<std::string> lists;
  s = (*r)->ForEachRow(1, [&](const SheetRow& row) -> Result<bool> {
    lists.push_back(row.cells.at(0).text);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(lists, LongList());
}

}  // namespace
}  // namespace tz::io
