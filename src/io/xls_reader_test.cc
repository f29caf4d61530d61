// The .xls reader on workbooks LibreOffice wrote (tests/fixtures/excel/, see its README.md for
// what every cell holds) and on files that must be refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>

#include "io/sheet.h"
#include "io/xls_prescan.h"

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

  // Whatever the general cap, an .xls over 16 MB is refused before freexl reads it.
  std::string big = ::testing::TempDir() + "/big.xls";
  {
    std::ofstream out(big, std::ios::binary);
    out << "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  }
  std::filesystem::resize_file(big, kMaxXlsBytes + 1);
  auto huge = OpenXls(big);  // default limits: 64 MB
  ASSERT_FALSE(huge.ok());
  EXPECT_THAT(huge.status().message(), HasSubstr("另存为 .xlsx"));
  std::filesystem::remove(big);

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

// ---------------------------------------------------------------------------------------------
// The pre-scan (xls_prescan.h): crafted files are refused before freexl sees them.

std::string Le16(uint16_t v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }
std::string Le32(uint32_t v) { return Le16(v & 0xFFFF) + Le16(v >> 16); }
std::string LeF64(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return Le32(static_cast<uint32_t>(bits)) + Le32(static_cast<uint32_t>(bits >> 32));
}
// An RK value holding the integer v (bit 1: integer; bit 0: not divided by 100).
uint32_t RkInt(int32_t v) { return (static_cast<uint32_t>(v) << 2) | 0x02; }

// A fixture's bytes with its workbook stream located, for patching records in place.
class XlsFile {
 public:
  struct Record {
    uint16_t type;
    size_t offset;  // of the record header in the stream
    size_t size;
  };

  explicit XlsFile(const std::string& path) : bytes_(ReadFile(path)) {
    Result<XlsStream> stream = ReadXlsStreamFromBytes(bytes_);
    EXPECT_TRUE(stream.ok()) << stream.status().ToString();
    if (!stream.ok()) return;
    stream_ = std::move(stream).value();
    Status st = ForEachBiffRecord(stream_.bytes, stream_.mini, [&](const BiffRecord& r) {
      records_.push_back({r.type, r.offset, r.data.size()});
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  }

  const std::string& bytes() const { return bytes_; }
  std::string& mutable_bytes() { return bytes_; }
  const XlsStream& stream() const { return stream_; }

  // The n-th record of `type` (0-based) in the stream.
  Record Find(uint16_t type, int n = 0) const {
    for (const Record& r : records_) {
      if (r.type == type && n-- == 0) return r;
    }
    ADD_FAILURE() << "no record 0x" << std::hex << type;
    return {};
  }

  // Overwrites the data of `r` from byte `field` on, in the file (wherever its sectors lie).
  void PatchRecord(const Record& r, size_t field, std::string_view data) {
    ASSERT_LE(field + data.size(), r.size);
    for (size_t i = 0; i < data.size(); ++i) {
      const size_t at = r.offset + 4 + field + i;
      bytes_[stream_.sector_offsets[at / stream_.sector_size] + at % stream_.sector_size] = data[i];
    }
  }
  // Gives `r` another record type.
  void Retype(const Record& r, uint16_t type) {
    const std::string le = Le16(type);
    for (size_t i = 0; i < 2; ++i) {
      const size_t at = r.offset + i;
      bytes_[stream_.sector_offsets[at / stream_.sector_size] + at % stream_.sector_size] = le[i];
    }
  }
  const std::vector<Record>& records() const { return records_; }

 private:
  std::string bytes_;
  XlsStream stream_;
  std::vector<Record> records_;
};

constexpr uint16_t kBofType = 0x0809, kSheetType = 0x0085, kDimensionType = 0x0200,
                   kRkType = 0x027E, kMulrkType = 0x00BD, kNumberType = 0x0203, kXfType = 0x00E0,
                   kFormatType = 0x041E, kEofType = 0x000A;

// OpenXls on `bytes` written to a file; prints how long it took (not asserted: a budget is for
// benchmarks) and returns the status.
Status OpenBytes(const std::string& name, const std::string& bytes,
                 const SheetLimits& limits = {}) {
  TempFile file(name, bytes);
  auto start = std::chrono::steady_clock::now();
  auto r = OpenXls(file.path(), limits);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ timing   ] " << name << ": " << ms
            << " ms: " << (r.ok() ? std::string("opened") : r.status().ToString()) << "\n";
  return r.ok() ? Status::Ok() : r.status();
}

constexpr char kDamaged[] = "文件不是有效的 xls 工作簿";
constexpr char kTooManyCells[] = "文件中的工作表声明了过多的单元格，可能是恶意文件，已拒绝";
constexpr char kDateOutOfRange[] = "单元格中的日期超出范围";

TEST(XlsPrescanTest, ReadsTheFixturesAsFreexlDoes) {
  // libreoffice_tekun.xls: a 4629-byte Workbook stream in sectors 2, 3, … of the file.
  XlsFile tekun(kTekun);
  EXPECT_TRUE(tekun.stream().found);
  EXPECT_FALSE(tekun.stream().mini);
  EXPECT_EQ(tekun.stream().bytes.size(), 4629u);
  EXPECT_EQ(tekun.stream().sector_offsets.front(), 3u * 512);
  // libreoffice_1904.xls: a 2217-byte Workbook stream, so LibreOffice put it in the mini stream.
  XlsFile y1904(kTekun1904);
  EXPECT_TRUE(y1904.stream().found);
  EXPECT_TRUE(y1904.stream().mini);
  EXPECT_EQ(y1904.stream().bytes.size(), 2217u);

  for (const char* path : {kTekun, kTekun1904}) {
    XlsFile file(path);
    auto scan = ScanBiff(file.stream().bytes, file.stream().mini, SheetLimits{});
    ASSERT_TRUE(scan.ok()) << path << ": " << scan.status().ToString();
    EXPECT_FALSE(scan->encrypted);
    // The days counted are exactly those of the cells freexl gives as dates (amounts like 1234.5
    // and counts like 3 are not dates; a time of day alone counts no days).
    auto reader = Open(path);
    ASSERT_NE(reader, nullptr);
    uint64_t days = 0;
    for (size_t i = 0; i < reader->sheet_names().size(); ++i) {
      for (const SheetRow& row : ReadSheet(*reader, i)) {
        for (const Cell& c : row.cells) {
          if (c.kind == CellKind::kDate) days += static_cast<uint64_t>(std::floor(c.number));
        }
      }
    }
    EXPECT_GT(days, 0u) << path;
    EXPECT_EQ(scan->date_days, days) << path;
  }
  // 特困人员 declares 10 rows x 9 columns, 低保 4 x 8.
  EXPECT_EQ(ScanBiff(tekun.stream().bytes, false, SheetLimits{})->cells, 10u * 9 + 4 * 8);

  auto scan = ScanBiff(XlsFile(kPassword).stream().bytes, false, SheetLimits{});
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_TRUE(scan->encrypted);
}

TEST(XlsPrescanTest, RefusesSheetsDeclaringTooManyCells) {
  // Both sheets declaring 65536 x 256: freexl would allocate 512 MB (measured: 526 MB, 2.7 s).
  XlsFile both(kTekun);
  for (int sheet : {0, 1}) {
    both.PatchRecord(both.Find(kDimensionType, sheet), 0,
                     Le32(0) + Le32(65536) + Le16(0) + Le16(256));
  }
  Status st = OpenBytes("two_full_sheets.xls", both.bytes());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), kTooManyCells);
  EXPECT_THAT(st.log_message(), HasSubstr("65536 rows x 256 columns"));

  // More rows or columns than an xls sheet can have.
  for (auto [rows, cols] : {std::pair<uint32_t, uint16_t>{65537, 9}, {10, 257}, {0xFFFFFFFF, 9}}) {
    XlsFile file(kTekun);
    file.PatchRecord(file.Find(kDimensionType), 4, Le32(rows));
    file.PatchRecord(file.Find(kDimensionType), 10, Le16(cols));
    st = OpenBytes("huge_dimension.xls", file.bytes());
    EXPECT_EQ(st.message(), kTooManyCells) << rows << " x " << cols;
  }

  // The cap follows max_rows: with 5 rows allowed, the sheets may declare 5 x 256 cells in all.
  XlsFile wide(kTekun);
  wide.PatchRecord(wide.Find(kDimensionType), 10, Le16(200));  // 10 x 200
  SheetLimits few_rows;
  few_rows.max_rows = 5;
  st = OpenBytes("wide_small_limit.xls", wide.bytes(), few_rows);
  EXPECT_EQ(st.message(), kTooManyCells);
  EXPECT_THAT(st.log_message(), HasSubstr("above 1280"));

  // A larger but reasonable declaration opens, and reads the same rows.
  XlsFile larger(kTekun);
  larger.PatchRecord(larger.Find(kDimensionType), 0, Le32(0) + Le32(5000) + Le16(0) + Le16(100));
  EXPECT_TRUE(OpenBytes("larger_dimension.xls", larger.bytes()).ok());
  TempFile file("larger_dimension.xls", larger.bytes());
  auto reader = Open(file.path());
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadSheet(*reader, 0).size(), 9u);
}

TEST(XlsPrescanTest, CountsTheCellsFreexlAllocatesForSheetsWithoutDimension) {
  // freexl allocates, for every sheet that got no DIMENSION, the cells of the sheet selected last.
  // Here sheet 1's SHEET record points at sheet 2's BOF, so sheet 2's substream (declaring
  // 65536 x 255, under the cap by itself) is taken for sheet 1 and sheet 2 gets no DIMENSION:
  // freexl would allocate 65536 x 255 twice (with 65536 x 256, measured: 526 MB), and as many
  // times again as there are more SHEET records. Sheet 1's own cells are renamed to a record
  // type freexl skips, so that nothing stops it before.
  XlsFile file(kTekun);
  const XlsFile::Record sheet1_bof = file.Find(kBofType, 1), sheet2_bof = file.Find(kBofType, 2);
  for (const XlsFile::Record& r : file.records()) {
    if (r.offset > sheet1_bof.offset && r.offset < sheet2_bof.offset &&
        (r.type == 0x00FD || r.type == kRkType || r.type == kMulrkType || r.type == 0x0205 ||
         r.type == kNumberType || r.type == 0x0204)) {
      file.Retype(r, 0x0001);
    }
  }
  file.PatchRecord(file.Find(kSheetType, 0), 0, Le32(static_cast<uint32_t>(sheet2_bof.offset)));
  file.PatchRecord(file.Find(kDimensionType, 1), 0, Le32(0) + Le32(65536) + Le16(0) + Le16(255));
  auto scan = ScanBiff(ReadXlsStreamFromBytes(file.bytes())->bytes, false, SheetLimits{});
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().message(), kTooManyCells);
  EXPECT_THAT(scan.status().log_message(), HasSubstr("a sheet without DIMENSION"));
  EXPECT_EQ(OpenBytes("undimensioned_sheet.xls", file.bytes()).message(), kTooManyCells);
}

TEST(XlsPrescanTest, RefusesDatesFreexlWouldCountForLong) {
  // F5 of 特困人员 is the RK record of 2020-01-01 (43831) with the date format yyyy\-mm\-dd.
  XlsFile original(kTekun);
  const XlsFile::Record f5 = original.Find(kRkType, 0);
  for (int32_t serial : {200000000, 2958466, -1}) {
    XlsFile file(kTekun);
    file.PatchRecord(f5, 6, Le32(RkInt(serial)));
    Status st = OpenBytes("date_" + std::to_string(serial) + ".xls", file.bytes());
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << serial;
    EXPECT_EQ(st.message(), "单元格中的日期超出范围（工作表「特困人员」第5行 F 列），已拒绝");
    EXPECT_THAT(st.log_message(), HasSubstr("serial " + std::to_string(serial))) << serial;
  }
  // The last day Excel knows (9999-12-31) is allowed.
  XlsFile last_day(kTekun);
  last_day.PatchRecord(f5, 6, Le32(RkInt(2958465)));
  EXPECT_TRUE(OpenBytes("date_9999-12-31.xls", last_day.bytes()).ok());

  // A date in a MULRK record (row 8 of 特困人员: F8 2021-03-15 and G8 2022-12-31), as a float RK.
  XlsFile mulrk(kTekun);
  const XlsFile::Record r8 = mulrk.Find(kMulrkType, 0);
  mulrk.PatchRecord(r8, 4 + 6 + 2, Le32(0x41E00000));  // G8: the double 2^31
  Status st = OpenBytes("mulrk_date.xls", mulrk.bytes());
  EXPECT_EQ(st.message(), "单元格中的日期超出范围（工作表「特困人员」第8行 G 列），已拒绝");

  // A large number in a cell that is not a date is an amount, and reads as one: 月保障金额 of
  // 低保's row 2 (a MULRK entry in the format 0.00) set to 2^32.
  XlsFile amount(kTekun);
  const XlsFile::Record row2 = amount.Find(kMulrkType, 1);
  amount.PatchRecord(row2, 4 + 6 * 2 + 2, Le32(0x41F00000));  // the 3rd entry: G2
  TempFile file("large_amount.xls", amount.bytes());
  auto reader = Open(file.path());
  ASSERT_NE(reader, nullptr);
  std::vector<SheetRow> rows = ReadSheet(*reader, 1);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(At(rows[1], 6).kind, CellKind::kNumber);
  EXPECT_EQ(At(rows[1], 6).number, 4294967296.0);
  EXPECT_EQ(At(rows[1], 5).kind, CellKind::kDate);  // F2 stays the date it was
}

// A BIFF8 workbook stream: the globals (BOF, `globals`, one SHEET, EOF) and one sheet (BOF,
// DIMENSION of rows x cols, `cells`, EOF). XF 0 has format 0 (General) unless `globals` adds more.
std::string Rec(uint16_t type, const std::string& data) {
  return Le16(type) + Le16(static_cast<uint16_t>(data.size())) + data;
}
std::string Bof(uint16_t kind) {
  return Rec(kBofType, Le16(0x0600) + Le16(kind) + std::string(12, '\0'));
}
std::string Xf(uint16_t format) {
  return Rec(kXfType, Le16(0) + Le16(format) + std::string(16, '\0'));
}
std::string Format(uint16_t index, const std::string& code) {
  return Rec(kFormatType, Le16(index) + Le16(static_cast<uint16_t>(code.size())) + '\0' + code);
}
std::string Number(uint16_t row, uint16_t col, uint16_t xf, double v) {
  return Rec(kNumberType, Le16(row) + Le16(col) + Le16(xf) + LeF64(v));
}
std::string BiffWorkbook(const std::string& globals, const std::string& cells, uint32_t rows = 10,
                         uint16_t cols = 10) {
  std::string g = Bof(0x0005) + globals;
  const size_t sheet_at = g.size();
  g += Rec(kSheetType, Le32(0) + '\0' + '\0' + '\x01' + '\0' + "S") + Rec(kEofType, "");
  const std::string offset = Le32(static_cast<uint32_t>(g.size()));
  g.replace(sheet_at + 4, 4, offset);
  return g + Bof(0x0010) +
         Rec(kDimensionType, Le32(0) + Le32(rows) + Le16(0) + Le16(cols) + Le16(0)) + cells +
         Rec(kEofType, "");
}

TEST(XlsPrescanTest, TakesDatesAsFreexlDoes) {
  auto refused = [](const std::string& globals, uint16_t xf, double v) {
    auto scan = ScanBiff(BiffWorkbook(globals, Number(2, 3, xf, v)), false, SheetLimits{});
    if (scan.ok()) return false;
    EXPECT_EQ(scan.status().message(), "单元格中的日期超出范围（工作表「S」第3行 D 列），已拒绝");
    return true;
  };
  const double huge = 2e9;
  // Built-in formats: 14-17 dates and 22 a date-time count days; 18-21, 45-47 (times) do not;
  // neither does 27-36 or 50-58 (freexl knows no East Asian formats without a FORMAT record).
  for (uint16_t f : {14, 15, 16, 17, 22}) EXPECT_TRUE(refused(Xf(f), 0, huge)) << f;
  for (uint16_t f : {0, 2, 4, 18, 21, 45, 47, 31, 57}) EXPECT_FALSE(refused(Xf(f), 0, huge)) << f;
  // Custom codes by freexl's rule: y and m, or m and d, anywhere in the code, even quoted.
  for (const char* code : {"yyyy-mm-dd", "m/d", "yyyy\"年\"m\"月\"", "0\"天\";\"mdy\"",
                           "yyyy-mm-dd hh:mm", "[$-804]yyyy\"年\"m\"月\"d\"日\""}) {
    EXPECT_TRUE(refused(Format(200, code) + Xf(200), 0, huge)) << code;
  }
  for (const char* code : {"0.00", "#,##0\"元\"", "h:mm:ss", "mm:ss", "d", "yyyy", "@", "[Red]0"}) {
    EXPECT_FALSE(refused(Format(200, code) + Xf(200), 0, huge)) << code;
  }
  // An XF index with no XF record is not a date to freexl.
  EXPECT_FALSE(refused(Xf(14), 1, huge));
  // The value: inside 0..2958465 is fine; negative, NaN and beyond are not.
  EXPECT_FALSE(refused(Xf(14), 0, 0));
  EXPECT_FALSE(refused(Xf(14), 0, 44742.5));
  EXPECT_FALSE(refused(Xf(14), 0, 2958465.99));  // 9999-12-31 23:45
  EXPECT_TRUE(refused(Xf(14), 0, 2958466));
  EXPECT_TRUE(refused(Xf(14), 0, -0.5));
  EXPECT_TRUE(refused(Xf(14), 0, std::nan("")));
  EXPECT_TRUE(refused(Xf(14), 0, 1e300));
  EXPECT_EQ(ScanBiff(BiffWorkbook(Xf(14), Number(2, 3, 0, 44742)), false, SheetLimits{})->date_days,
            44742u);
}

TEST(XlsPrescanTest, RefusesTooManyDateDays) {
  // freexl counts the days of every date cell, even when a file repeats one cell: 7000 MULRK
  // entries on row 1, each 9999-12-31, would cost freexl about 30 s.
  std::string cells;
  for (int r = 0; r < 7; ++r) {
    std::string data = Le16(0) + Le16(0);
    for (int i = 0; i < 1000; ++i) data += Le16(0) + Le32(RkInt(2958465));
    cells += Rec(kMulrkType, data + Le16(999));
  }
  auto start = std::chrono::steady_clock::now();
  auto scan = ScanBiff(BiffWorkbook(Xf(14), cells, 1, 256), false, SheetLimits{});
  std::cout
      << "[ timing   ] 7000 dates: "
      << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()
      << " ms\n";
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().message(), "文件中的日期单元格过多，可能是恶意文件，已拒绝");
  // 6000 of them are allowed.
  EXPECT_TRUE(ScanBiff(BiffWorkbook(Xf(14), cells.substr(0, cells.size() / 7 * 6), 1, 256), false,
                       SheetLimits{})
                  .ok());
}

TEST(XlsPrescanTest, RefusesTooManySheets) {
  // freexl finds each substream's sheet by walking a list of all sheets: N sheets and N
  // substreams cost N^2.
  const std::string sheet = Rec(kSheetType, Le32(0) + '\0' + '\0' + '\x01' + '\0' + "S");
  std::string sheets, substreams;
  for (size_t i = 0; i < kXlsMaxSheets; ++i) {
    sheets += sheet;
    substreams += Bof(0x0010) + Rec(kEofType, "");
  }
  EXPECT_TRUE(
      ScanBiff(Bof(5) + sheets + Rec(kEofType, "") + substreams, false, SheetLimits{}).ok());
  for (const std::string& stream :
       {Bof(5) + sheets + sheet + Rec(kEofType, ""),
        Bof(5) + Rec(kEofType, "") + substreams + Bof(0x0010) + Rec(kEofType, "")}) {
    auto scan = ScanBiff(stream, false, SheetLimits{});
    ASSERT_FALSE(scan.ok());
    EXPECT_EQ(scan.status().message(), "文件中的工作表过多，可能是恶意文件，已拒绝");
  }
}

TEST(XlsPrescanTest, RefusesRecordsFreexlWouldMisread) {
  auto damaged = [](const std::string& stream) {
    auto scan = ScanBiff(stream, false, SheetLimits{});
    return !scan.ok() && scan.status().message().find(kDamaged) != std::string::npos;
  };
  const std::string ok = BiffWorkbook(Xf(14), Number(0, 0, 0, 1));
  EXPECT_FALSE(damaged(ok));
  EXPECT_TRUE(damaged(Rec(0x0042, Le16(936)) + ok));  // not starting with a BOF
  EXPECT_TRUE(damaged(ok + Rec(0x0042, Le16(936))));  // a record after the last EOF
  EXPECT_TRUE(damaged(ok.substr(0, ok.size() - 6)));  // a record cut short
  EXPECT_TRUE(damaged(BiffWorkbook(Xf(14), Rec(kNumberType, Le16(0) + Le16(0) + Le16(0)))));
  EXPECT_TRUE(damaged(BiffWorkbook(Rec(kXfType, "\x01"), "")));  // an XF of 1 byte
  EXPECT_TRUE(damaged(Bof(5) + Rec(kDimensionType, std::string(8, '\0'))));
  EXPECT_TRUE(damaged(Bof(5) + Le16(0x0042) + Le16(9000) + std::string(9000, '\0')));
  std::string xfs;
  for (size_t i = 0; i <= kXlsMaxXfs; ++i) xfs += Xf(0);
  EXPECT_TRUE(damaged(BiffWorkbook(xfs, "")));
  // A record of type and length 0 ends the stream for freexl, and for us, except in the mini
  // stream, where freexl reads on: what follows is looked at there.
  EXPECT_FALSE(damaged(ok + std::string(4, '\0') + "garbage"));
  const std::string hidden =
      Rec(kDimensionType, Le32(0) + Le32(65536) + Le16(0) + Le16(256) + Le16(0));
  const std::string after_zero = BiffWorkbook(Xf(14), std::string(4, '\0') + hidden + hidden);
  EXPECT_TRUE(ScanBiff(after_zero, false, SheetLimits{}).ok());
  auto mini = ScanBiff(after_zero, true, SheetLimits{});
  ASSERT_FALSE(mini.ok());
  EXPECT_EQ(mini.status().message(), kTooManyCells);
}

TEST(XlsPrescanTest, RefusesDamagedContainers) {
  auto refused = [](const std::string& name, const std::string& bytes, const char* log) {
    Status st = OpenBytes(name, bytes);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(st.message(), HasSubstr(kDamaged)) << name;
    EXPECT_THAT(st.log_message(), HasSubstr(log)) << name;
  };
  const std::string tekun = ReadFile(kTekun);
  auto put32 = [](std::string bytes, size_t at, uint32_t v) {
    bytes.replace(at, 4, Le32(v));
    return bytes;
  };
  // The Workbook stream is sectors 2, 3, 4, … (FAT in sector 0, at file offset 512): sector 4
  // pointing back to 3 is a loop.
  refused("fat_loop.xls", put32(tekun, 512 + 4 * 4, 3), "loop in the FAT chain");
  // A chain that ends early, or points past the end of the file.
  refused("fat_short.xls", put32(tekun, 512 + 4 * 4, 0xFFFFFFFE), "truncated");
  refused("fat_past_end.xls", put32(tekun, 512 + 4 * 4, 5000), "past the end");
  // A DIFAT sector listing itself as the next one, for 4 billion sectors: freexl reads it forever.
  std::string difat = put32(put32(tekun, 68, 15), 72, 0xFFFFFFFF);
  difat.replace(16 * 512, 512, std::string(512, '\xFF'));
  difat.replace(16 * 512 + 508, 4, Le32(15));
  refused("difat_loop.xls", difat, "DIFAT sectors in a file of 16");
  refused("difat_self.xls", put32(difat, 72, 2), "loop in the DIFAT chain");
  // The same FAT sector listed twice (freexl would allocate the FAT twice).
  refused("fat_twice.xls", put32(tekun, 80, 0), "listed twice");
  // The directory past the end of the file.
  refused("directory_past_end.xls", put32(tekun, 48, 1000), "directory sector 1000");
  // The Workbook entry (directory sector 14, entry 1) declaring a stream larger than its chain.
  refused("stream_too_long.xls", put32(tekun, 15 * 512 + 128 + 120, 100000), "sectors in a file");
  refused("stream_longer_chain.xls", put32(tekun, 15 * 512 + 128 + 120, 4100),
          "goes on past its 9 sectors");
  refused("mini_fat_huge.xls", put32(tekun, 64, 0x10000000), "mini FAT sectors");

  // libreoffice_1904.xls keeps its workbook in the mini stream, the root entry's stream
  // (directory sector 9, entry 0: 2752 bytes from sector 3).
  const std::string y1904 = ReadFile(kTekun1904);
  refused("mini_stream_4gb.xls", put32(y1904, 10 * 512 + 120, 0xFFFFFFF0), "mini stream of");
  refused("mini_stream_loop.xls", put32(y1904, 512 + 4 * 4, 3), "loop in the FAT chain");
  refused("mini_workbook_too_long.xls", put32(y1904, 10 * 512 + 128 + 120, 4000),
          "in a mini stream of 2752");
}

TEST(XlsPrescanTest, SurvivesTruncationAndRandomDamage) {
  // The record walker on damaged streams: every byte of tekun's workbook stream may change.
  {
    const std::string stream = XlsFile(kTekun).stream().bytes;
    std::mt19937 rng(54321);
    for (int round = 0; round < 2000; ++round) {
      std::string damaged = stream;
      for (int k = 0; k < 1 + round % 8; ++k)
        damaged[rng() % damaged.size()] = static_cast<char>(rng());
      (void)ScanBiff(damaged, round % 2 == 0, SheetLimits{});
    }
  }
  // Never a crash, whatever the bytes (run under valgrind too); only the pre-scan, since freexl
  // itself reads out of bounds on some damaged files.
  for (const char* path : {kTekun, kTekun1904, kPassword}) {
    const std::string bytes = ReadFile(path);
    for (size_t size = 0; size < bytes.size(); size += 97) {
      auto stream = ReadXlsStreamFromBytes(std::string_view(bytes).substr(0, size));
      if (stream.ok() && stream->found) (void)ScanBiff(stream->bytes, stream->mini, SheetLimits{});
    }
    std::mt19937 rng(12345);
    for (int round = 0; round < 300; ++round) {
      std::string damaged = bytes;
      for (int k = 0; k < 4; ++k) {
        // Damage the header, FAT and directory sectors as often as the rest.
        size_t at = rng() % 2 ? rng() % 1024 : rng() % damaged.size();
        damaged[at] = static_cast<char>(rng());
      }
      auto stream = ReadXlsStreamFromBytes(damaged);
      if (stream.ok() && stream->found) (void)ScanBiff(stream->bytes, stream->mini, SheetLimits{});
    }
  }
}

}  // namespace
}  // namespace tz::io
