// The .xls reader on workbooks LibreOffice wrote (tests/fixtures/excel/, see its README.md for
// what every cell holds) and on files that must be refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/sheet.h"

namespace tz::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kTekun[] = "tests/fixtures/excel/libreoffice_tekun.xls";
constexpr char kTekun1904[] = "tests/fixtures/excel/libreoffice_1904.xls";
constexpr char kPassword[] = "tests/fixtures/excel/password_tekun.xls";
constexpr char kTekunXlsx[] = "tests/fixtures/excel/libreoffice_tekun.xlsx";

std::vector<SheetRow> ReadSheet(SheetReader& reader, size_t index) {
  std::vector<SheetRow> rows;
  Status st = reader.ForEachRow(index, [&](const SheetRow& row) -> Result<bool> {
    rows.push_back(row);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return rows;
}

std::unique_ptr<SheetReader> Open(const std::string& path, const SheetLimits& limits = {}) {
  auto reader = OpenXls(path, limits);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return nullptr;
  return std::move(reader).value();
}

const SheetRow* FindRow(const std::vector<SheetRow>& rows, int64_t number) {
  for (const SheetRow& r : rows) {
    if (r.number == number) return &r;
  }
  return nullptr;
}

// The cell, or an empty one past the end of the row.
Cell At(const SheetRow& row, size_t col) {
  return col < row.cells.size() ? row.cells[col] : Cell{};
}

std::vector<std::string> Texts(const SheetRow& row) {
  std::vector<std::string> out;
  for (const Cell& c : row.cells) out.push_back(c.text);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A file in the temporary directory, removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& bytes)
      : path_((std::filesystem::temp_directory_path() /
               ("tz_xls_" + std::to_string(getpid()) + "_" + name))
                  .string()) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A minimal OLE compound file (512-byte sectors: header, one FAT sector, one directory sector)
// whose only stream is named `stream`: what a Word document or an encrypted xlsx looks like to
// the reader.
std::string MinimalOleFile(const std::string& stream) {
  std::string f(512 * 3, '\0');
  auto put16 = [&](size_t at, uint16_t v) { std::memcpy(&f[at], &v, 2); };
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&f[at], &v, 4); };
  const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  std::memcpy(&f[0], magic, 8);
  put16(24, 0x3E);        // minor version
  put16(26, 3);           // major version
  put16(28, 0xFFFE);      // byte order
  put16(30, 9);           // sector shift: 512
  put16(32, 6);           // mini sector shift: 64
  put32(44, 1);           // FAT sectors
  put32(48, 1);           // first directory sector
  put32(56, 4096);        // mini stream cutoff
  put32(60, 0xFFFFFFFE);  // no mini FAT
  put32(68, 0xFFFFFFFE);  // no DIFAT sectors
  put32(76, 0);           // DIFAT[0]: the FAT is sector 0
  for (size_t i = 1; i < 109; ++i) put32(76 + 4 * i, 0xFFFFFFFF);
  const size_t fat = 512, dir = 1024;
  put32(fat, 0xFFFFFFFD);      // sector 0: FAT
  put32(fat + 4, 0xFFFFFFFE);  // sector 1: directory, end of chain
  for (size_t i = 2; i < 128; ++i) put32(fat + 4 * i, 0xFFFFFFFF);
  auto entry = [&](size_t at, const std::string& name, uint8_t type) {
    for (size_t i = 0; i < name.size(); ++i) f[at + 2 * i] = name[i];
    put16(at + 64, static_cast<uint16_t>(2 * (name.size() + 1)));
    f[at + 66] = static_cast<char>(type);
    put32(at + 68, 0xFFFFFFFF);
    put32(at + 72, 0xFFFFFFFF);
    put32(at + 76, type == 5 ? 1 : 0xFFFFFFFF);
    put32(at + 116, 0xFFFFFFFE);
  };
  entry(dir, "Root Entry", 5);
  entry(dir + 128, stream, 2);
  return f;
}

TEST(XlsReaderTest, SheetNamesAndDateSystem) {
  auto reader = Open(kTekun);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->format(), WorkbookFormat::kXls);
  EXPECT_THAT(reader->sheet_names(), ElementsAre("特困人员", "低保"));
  EXPECT_FALSE(reader->date1904());
}

TEST(XlsReaderTest, TitleUnitLineAndTwoRowHeader) {
  auto reader = Open(kTekun);
  ASSERT_NE(reader, nullptr);
  std::vector<SheetRow> rows = ReadSheet(*reader, 0);
  // Row 7 is empty and skipped.
  std::vector<int64_t> numbers;
  for (const SheetRow& r : rows) numbers.push_back(r.number);
  EXPECT_THAT(numbers, ElementsAre(1, 2, 3, 4, 5, 6, 8, 9, 10));

  // Merged cells: the value sits in the top-left cell, the covered cells are empty (and trailing
  // empty cells are left out).
  EXPECT_THAT(Texts(rows[0]), ElementsAre("辽市镇特困人员台账"));
  EXPECT_EQ(rows[0].cells[0].kind, CellKind::kText);
  EXPECT_THAT(Texts(rows[1]), ElementsAre("填报单位：辽市镇民政所　　单位：人"));
  EXPECT_THAT(Texts(rows[2]), ElementsAre("基本信息", "", "户编号", "所属村", "供养方式",
                                          "认定日期", "终止日期", "是否建档立卡", "核实"));
  EXPECT_EQ(rows[2].cells[1].kind, CellKind::kEmpty);
  EXPECT_THAT(Texts(rows[3]), ElementsAre("身份证号", "姓名"));
}

TEST(XlsReaderTest, DataRows) {
  auto reader = Open(kTekun);
  ASSERT_NE(reader, nullptr);
  std::vector<SheetRow> rows = ReadSheet(*reader, 0);

  const SheetRow* r5 = FindRow(rows, 5);
  ASSERT_NE(r5, nullptr);
  EXPECT_EQ(r5->cells[0].kind, CellKind::kText);
  EXPECT_EQ(r5->cells[0].text, "360902194503120023");
  EXPECT_EQ(r5->cells[1].text, "罗桂英");
  EXPECT_EQ(r5->cells[5].kind, CellKind::kDate);
  EXPECT_EQ(r5->cells[5].text, "2020-01-01");
  EXPECT_EQ(r5->cells[5].number, 43831);
  EXPECT_EQ(r5->cells[6].kind, CellKind::kEmpty);
  EXPECT_EQ(r5->cells[7].text, "是");
  // I5 is =TRUE(): freexl does not read formula cells, so it is empty (and left out).
  EXPECT_EQ(r5->cells.size(), 8u);

  const SheetRow* r6 = FindRow(rows, 6);
  ASSERT_NE(r6, nullptr);
  EXPECT_EQ(r6->cells[1].text, "胡春生");  // rich text: bold 胡 + 春生
  EXPECT_EQ(r6->cells[5].text, "2022-06-30");
  EXPECT_EQ(r6->cells[5].number, 44742);
  // I6 is the constant FALSE: freexl gives booleans as the integers 0 and 1.
  ASSERT_EQ(r6->cells.size(), 9u);
  EXPECT_EQ(r6->cells[8].kind, CellKind::kNumber);
  EXPECT_EQ(r6->cells[8].text, "0");

  const SheetRow* r8 = FindRow(rows, 8);
  ASSERT_NE(r8, nullptr);
  EXPECT_EQ(r8->cells[0].text, "36090219480115001X");
  EXPECT_EQ(r8->cells[5].text, "2021-03-15");
  EXPECT_EQ(r8->cells[6].kind, CellKind::kDate);
  EXPECT_EQ(r8->cells[6].text, "2022-12-31");
  EXPECT_EQ(r8->cells[6].number, 44926);

  // The sparse row: A, B, D and H only.
  const SheetRow* r9 = FindRow(rows, 9);
  ASSERT_NE(r9, nullptr);
  EXPECT_THAT(Texts(*r9),
              ElementsAre("360902193912240021", "黄秀兰", "", "肯塘村", "", "", "", "是"));
  EXPECT_EQ(r9->cells[2].kind, CellKind::kEmpty);
  EXPECT_EQ(r9->cells[5].kind, CellKind::kEmpty);

  const SheetRow* r10 = FindRow(rows, 10);
  ASSERT_NE(r10, nullptr);
  EXPECT_THAT(Texts(*r10), ElementsAre("360902195609300019", "李水根", "H005", "上陈村", "集中供养",
                                       "2019-11-20", "", "否"));
}

TEST(XlsReaderTest, NumbersAndFormulaCells) {
  auto reader = Open(kTekun);
  ASSERT_NE(reader, nullptr);
  std::vector<SheetRow> rows = ReadSheet(*reader, 1);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(Texts(rows[0]), ElementsAre("户编号", "户主姓名", "户主身份证号", "所属村",
                                          "保障人数", "批准日期", "月保障金额", "人均金额"));
  // Row 2: an integer, a date, a decimal shown 1234.50 (the format's decimals are not kept);
  // H2 is the formula =G2/E2, which freexl leaves empty.
  EXPECT_THAT(Texts(rows[1]), ElementsAre("H001", "罗大明", "360902196503120110", "院前村", "3",
                                          "2020-05-01", "1234.5"));
  EXPECT_EQ(rows[1].cells[4].kind, CellKind::kNumber);
  EXPECT_EQ(rows[1].cells[4].number, 3);
  EXPECT_EQ(rows[1].cells[5].kind, CellKind::kDate);
  EXPECT_EQ(rows[1].cells[5].number, 43952);
  EXPECT_EQ(rows[1].cells[6].kind, CellKind::kNumber);
  EXPECT_EQ(rows[1].cells[6].number, 1234.5);
  EXPECT_EQ(At(rows[2], 6).text, "1000.25");
  EXPECT_EQ(At(rows[2], 7).kind, CellKind::kEmpty);
  // Row 4: 保障人数 empty; H4 (#DIV/0! by formula) empty too.
  EXPECT_THAT(Texts(rows[3]), ElementsAre("H006", "胡建国", "36090219580811004X", "西坑村", "",
                                          "2021-09-15", "800"));
}

TEST(XlsReaderTest, DateSystem1904TimesAndFreexlCalendar) {
  auto reader = Open(kTekun1904);
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(reader->date1904());
  EXPECT_THAT(reader->sheet_names(), ElementsAre("特困人员"));
  std::vector<SheetRow> rows = ReadSheet(*reader, 0);
  ASSERT_EQ(rows.size(), 3u);
  const SheetRow& r2 = rows[1];
  EXPECT_EQ(r2.cells[2].kind, CellKind::kDate);
  EXPECT_EQ(r2.cells[2].text, "2020-01-01");
  EXPECT_EQ(r2.cells[2].number, 42369);  // 43831 - 1462
  EXPECT_EQ(r2.cells[3].text, "2022-06-30");
  EXPECT_EQ(r2.cells[3].number, 43280);
  EXPECT_EQ(r2.cells[4].kind, CellKind::kDate);
  EXPECT_EQ(r2.cells[4].text, "2022-06-30 08:30:00");
  EXPECT_DOUBLE_EQ(r2.cells[4].number, 43280 + 8.5 / 24);
  // A time of day alone: freexl drops the day; serial 0.354… is 1904-01-01 in this system.
  EXPECT_EQ(r2.cells[5].kind, CellKind::kDate);
  EXPECT_EQ(r2.cells[5].text, "1904-01-01 08:30:00");
  EXPECT_DOUBLE_EQ(r2.cells[5].number, 8.5 / 24);
  // freexl writes 2100-03-01 as "2100-02-29" (its calendar has every fourth year leap); the
  // reader counts back to the serial and shows the real day.
  EXPECT_EQ(rows[2].cells[3].kind, CellKind::kDate);
  EXPECT_EQ(rows[2].cells[3].text, "2100-03-01");
  EXPECT_EQ(rows[2].cells[3].number, 71648);
}

TEST(XlsReaderTest, ReadsAgainAndStopsEarly) {
  auto reader = Open(kTekun);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadSheet(*reader, 1).size(), 4u);
  EXPECT_EQ(ReadSheet(*reader, 0).size(), 9u);
  EXPECT_EQ(ReadSheet(*reader, 0).size(), 9u);

  int seen = 0;
  Status st = reader->ForEachRow(0, [&](const SheetRow&) -> Result<bool> {
    ++seen;
    return seen < 2;
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(seen, 2);

  st = reader->ForEachRow(
      0, [&](const SheetRow&) -> Result<bool> { return Status::InvalidArgument("停", "stop"); });
  EXPECT_EQ(st.message(), "停");

  st = reader->ForEachRow(2, [&](const SheetRow&) -> Result<bool> { return true; });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
}

TEST(XlsReaderTest, RefusesWhatIsNotAnXls) {
  TempFile csv("renamed.xls", "身份证号,姓名\n360902194503120023,罗桂英\n");
  auto r = OpenXls(csv.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("文件不是有效的 xls 工作簿"));

  r = OpenXls(kTekunXlsx);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("文件不是有效的 xls 工作簿"));

  TempFile empty("empty.xls", "");
  r = OpenXls(empty.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);

  r = OpenXls("tests/fixtures/excel/no_such_file.xls");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);

  TempFile word("word.xls", MinimalOleFile("WordDocument"));
  r = OpenXls(word.path());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("不是 Excel 工作簿"));
}

TEST(XlsReaderTest, RefusesTruncatedFile) {
  std::string bytes = ReadFile(kTekun);
  ASSERT_GT(bytes.size(), 8000u);
  for (size_t size : {600u, 4096u, 8000u}) {
    TempFile cut("truncated.xls", bytes.substr(0, size));
    auto r = OpenXls(cut.path());
    ASSERT_FALSE(r.ok()) << size;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << size;
    EXPECT_THAT(r.status().message(), HasSubstr("文件不是有效的 xls 工作簿")) << size;
  }
}

TEST(XlsReaderTest, RefusesPasswordProtectedFiles) {
  auto r = OpenXls(kPassword);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "文件设置了密码，请先在 Excel 中取消密码再导入");

  // A password-protected .xlsx is an OLE file holding an "EncryptedPackage" stream.
  TempFile xlsx("encrypted.xlsx", MinimalOleFile("EncryptedPackage"));
  r = OpenXls(xlsx.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "文件设置了密码，请先在 Excel 中取消密码再导入");
}

TEST(XlsReaderTest, Limits) {
  SheetLimits small_file;
  small_file.max_file_bytes = 8000;  // the fixture is 8704 bytes
  auto r = OpenXls(kTekun, small_file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("文件过大"));

  // Sheet 特困人员 declares 10 rows, 低保 4: the first is refused before any row is read.
  SheetLimits few_rows;
  few_rows.max_rows = 5;
  auto reader = Open(kTekun, few_rows);
  ASSERT_NE(reader, nullptr);
  int seen = 0;
  Status st = reader->ForEachRow(0, [&](const SheetRow&) -> Result<bool> {
    ++seen;
    return true;
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("超过上限 5 行"));
  EXPECT_EQ(seen, 0);
  EXPECT_EQ(ReadSheet(*reader, 1).size(), 4u);

  SheetLimits narrow;
  narrow.max_columns = 3;
  reader = Open(kTekun, narrow);
  ASSERT_NE(reader, nullptr);
  seen = 0;
  st = reader->ForEachRow(0, [&](const SheetRow&) -> Result<bool> {
    ++seen;
    return true;
  });
  EXPECT_THAT(st.message(), HasSubstr("第3行超过 3 列"));
  EXPECT_EQ(seen, 2);  // the title and the unit line have one cell each

  SheetLimits short_cells;
  short_cells.max_cell_bytes = 20;  // the title is 27 bytes of UTF-8
  reader = Open(kTekun, short_cells);
  ASSERT_NE(reader, nullptr);
  st = reader->ForEachRow(0, [&](const SheetRow&) -> Result<bool> { return true; });
  EXPECT_THAT(st.message(), HasSubstr("第1行 A 列的文字过长"));
}

}  // namespace
}  // namespace tz::io
