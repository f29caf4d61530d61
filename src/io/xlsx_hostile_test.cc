// Hostile and broken files: each is refused quickly, with a Chinese message a cadre can act on,
// without the reader's memory growing with what the file claims or contains.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "io/sheet.h"
#include "io/test_xlsx_builder.h"
#include "io/xml_stream.h"

namespace tz::io {
namespace {

using testing::GeneratedPart;
using testing::SharedStringsXml;
using testing::SheetXml;
using testing::TempXlsxPath;
using testing::WorkbookParts;
using testing::WriteZip;
using testing::XlsxParts;

constexpr char kDtdRefused[] = "文件包含 DTD/实体声明，出于安全原因拒绝读取";

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Opens `path` and reads every row of sheet 0; the first error, or OK. *rows counts rows seen.
Status OpenAndRead(const std::string& path, const SheetLimits& limits = {},
                   int64_t* rows = nullptr) {
  auto reader = OpenXlsx(path, limits);
  if (!reader.ok()) return reader.status();
  int64_t count = 0;
  Status status = (*reader)->ForEachRow(0, [&](const SheetRow&) -> Result<bool> {
    ++count;
    return true;
  });
  if (rows) *rows = count;
  return status;
}

std::string SmallBook(const std::string& file) {
  std::string rows;
  for (int r = 1; r <= 2000; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) +
            "\" t=\"inlineStr\"><is><t>第" + std::to_string(r) +
            "行的一些文字</t></is></c><c r=\"B" + std::to_string(r) + "\"><v>" +
            std::to_string(r * 7919 % 10007) + "</v></c></row>";
  }
  std::string path = TempXlsxPath(file);
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml(rows)}}));
  return path;
}

// `head`, then rows "<row r=N><c r=AN><v>N</v></c></row>" for N = 1..rows, then `tail`.
testing::PartGenerator RowGenerator(int64_t rows, const std::string& head,
                                    const std::string& tail) {
  struct State {
    int64_t next = 0;
    bool head_done = false, tail_done = false;
  };
  auto state = std::make_shared<State>();
  return [=](std::string* out) {
    if (!state->head_done) {
      *out = head;
      state->head_done = true;
      return true;
    }
    if (state->next >= rows) {
      if (state->tail_done) return false;
      *out = tail;
      state->tail_done = true;
      return true;
    }
    for (int i = 0; i < 4096 && state->next < rows; ++i) {
      std::string n = std::to_string(++state->next);
      *out += "<row r=\"" + n + "\"><c r=\"A" + n + "\"><v>" + n + "</v></c></row>";
    }
    return true;
  };
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ------------------------------------------------------------------------------------------
// Not an xlsx at all.

TEST(XlsxHostileTest, MissingFile) {
  Status status = OpenAndRead(TempXlsxPath("does_not_exist.xlsx"));
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
}

TEST(XlsxHostileTest, RenamedTextFile) {
  std::string path = TempXlsxPath("renamed.xlsx");
  WriteFile(path, "姓名,身份证号\n张三,360902199001011234\n");
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "不是有效的 xlsx 文件")) << status.message();
}

TEST(XlsxHostileTest, EmptyFile) {
  std::string path = TempXlsxPath("empty.xlsx");
  WriteFile(path, "");
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
}

TEST(XlsxHostileTest, TruncatedZip) {
  std::string path = SmallBook("truncated.xlsx");
  std::string bytes = ReadFile(path);
  ASSERT_GT(bytes.size(), 1000u);
  WriteFile(path, bytes.substr(0, bytes.size() / 2));
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "文件不完整或已损坏（无法作为 xlsx 打开），请重新保存后再导入");
}

TEST(XlsxHostileTest, DamagedCompressedData) {
  std::string path = SmallBook("damaged.xlsx");
  std::string bytes = ReadFile(path);
  // Scribble over the middle of the sheet's compressed bytes (the directory stays intact).
  size_t sheet = bytes.find("xl/worksheets/sheet1.xml");
  ASSERT_NE(sheet, std::string::npos);
  for (size_t i = sheet + 200; i < sheet + 400 && i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(i * 31);
  WriteFile(path, bytes);
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
}

TEST(XlsxHostileTest, ZipWithoutWorkbook) {
  std::string path = TempXlsxPath("not_a_workbook.xlsx");
  WriteZip(path, {{"word/document.xml", "<w:document/>"}, {"[Content_Types].xml", "<Types/>"}});
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "不是 Excel 工作簿")) << status.message();
}

TEST(XlsxHostileTest, FileLargerThanTheLimit) {
  std::string path = SmallBook("too_big.xlsx");
  SheetLimits limits;
  limits.max_file_bytes = 1000;
  Status status = OpenAndRead(path, limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "文件过大")) << status.message();
}

// ------------------------------------------------------------------------------------------
// Zip bombs.

TEST(XlsxHostileTest, TooManyEntries) {
  XlsxParts parts = WorkbookParts({{"Sheet1", SheetXml("")}});
  for (int i = 0; i < 10001; ++i) parts["xl/media/junk" + std::to_string(i) + ".bin"] = "x";
  std::string path = TempXlsxPath("many_entries.xlsx");
  WriteZip(path, parts);
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "文件包含的部件过多")) << status.message();
}

TEST(XlsxHostileTest, DeclaredSizeAboveTheLimit) {
  std::string path = SmallBook("declared_big.xlsx");
  SheetLimits limits;
  limits.max_entry_bytes = 10000;  // the sheet is ~150 KB
  Status status = OpenAndRead(path, limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "文件内容过大（xl/worksheets/sheet1.xml 解压后有"))
      << status.message();
}

// 300 MB of the same row, deflated to about 300 KB: refused by its ratio without inflating.
TEST(XlsxHostileTest, RealZipBombRefusedByItsRatio) {
  const std::string row = "<row><c><v>1</v></c></row>";
  const size_t kTotal = 300u << 20;
  auto emitted = std::make_shared<size_t>(0);
  std::string piece;
  while (piece.size() < (64u << 10)) piece += row;
  std::string head = std::string(testing::kXmlHeader) + "<worksheet xmlns=\"" + testing::kMainNs +
                     "\"><sheetData>";
  auto generate = [=](std::string* out) {
    if (*emitted == 0) {
      *out = head;
    } else if (*emitted >= kTotal) {
      return false;
    } else {
      *out = piece;
    }
    *emitted += out->size();
    return true;
  };
  XlsxParts parts = WorkbookParts({{"Sheet1", ""}});
  parts.erase("xl/worksheets/sheet1.xml");
  std::string path = TempXlsxPath("bomb.xlsx");
  auto start = std::chrono::steady_clock::now();
  WriteZip(path, parts, {GeneratedPart{"xl/worksheets/sheet1.xml", generate, 9}});
  std::printf("bomb: %zu MB deflated to %zu KB, built in %.2f s\n", *emitted >> 20,
              static_cast<size_t>(std::filesystem::file_size(path) >> 10), SecondsSince(start));

  start = std::chrono::steady_clock::now();
  int64_t rows = 0;
  Status status = OpenAndRead(path, {}, &rows);
  std::printf("bomb refused in %.4f s\n", SecondsSince(start));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "压缩比异常")) << status.message();
  EXPECT_EQ(rows, 0);
}

// Finds the central directory record of `name` and rewrites its uncompressed size (and the local
// header's), as an attacker would to slip past a check of declared sizes.
void PatchDeclaredSize(std::string* zip, const std::string& name, uint32_t size) {
  auto put32 = [&](size_t at) {
    for (int i = 0; i < 4; ++i) (*zip)[at + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  };
  for (const char* sig : {"PK\x01\x02", "PK\x03\x04"}) {
    bool central = sig[2] == '\x01';
    size_t name_at = central ? 46 : 30, size_at = central ? 24 : 22;
    size_t found = 0;
    for (size_t pos = zip->find(sig); pos != std::string::npos; pos = zip->find(sig, pos + 4)) {
      if (zip->compare(pos + name_at, name.size(), name) == 0) {
        put32(pos + size_at);
        ++found;
      }
    }
    ASSERT_EQ(found, 1u) << (central ? "central" : "local");
  }
}

TEST(XlsxHostileTest, InflatedBytesAreCountedWhateverTheSizeDeclared) {
  // A 3 MB sheet that declares 1000 bytes: the cap on inflated bytes stops it at 1 MB.
  std::string rows;
  for (int r = 1; r <= 60000; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c><v>" + std::to_string(r) + "</v></c></row>";
  }
  std::string path = TempXlsxPath("lying_size.xlsx");
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml(rows)}}));
  std::string bytes = ReadFile(path);
  PatchDeclaredSize(&bytes, "xl/worksheets/sheet1.xml", 1000);
  WriteFile(path, bytes);

  SheetLimits limits;
  limits.max_entry_bytes = 1u << 20;
  int64_t seen = 0;
  Status status = OpenAndRead(path, limits, &seen);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "解压后超过 1.0 MB") ||
              Contains(status.message(), "解压后超过 1 MB"))
      << status.message() << " / " << status.log_message();
  EXPECT_GT(seen, 0);
  EXPECT_LT(seen, 60000);
}

// A part that declares 1000 bytes (so no declared ratio is checked) but inflates to 100 MB, well
// under max_entry_bytes (1 GB): refused once what came out passes max_compression_ratio times
// its compressed size.
TEST(XlsxHostileTest, LyingSizeRefusedByTheRatioOfWhatInflates) {
  // Rows of a 1,000-character cell: a few hundred KB deflated, ~100,000 rows (under the row
  // limit), each of a known size so that the rows delivered tell how much was inflated.
  const std::string row =
      "<row><c t=\"inlineStr\"><is><t>" + std::string(1000, 'x') + "</t></is></c></row>";
  const size_t kTotal = 100u << 20;
  auto emitted = std::make_shared<size_t>(0);
  std::string piece;
  while (piece.size() < (64u << 10)) piece += row;
  const std::string head = std::string(testing::kXmlHeader) + "<worksheet xmlns=\"" +
                           testing::kMainNs + "\"><sheetData>";
  const std::string tail = "</sheetData></worksheet>";
  auto generate = [=](std::string* out) {  // well-formed: without the cap it would all import
    if (*emitted > kTotal) return false;
    *out = *emitted == 0 ? head : *emitted < kTotal ? piece : tail;
    *emitted = *emitted < kTotal ? *emitted + out->size() : kTotal + 1;
    return true;
  };
  XlsxParts parts = WorkbookParts({{"Sheet1", ""}});
  parts.erase("xl/worksheets/sheet1.xml");
  std::string path = TempXlsxPath("lying_bomb.xlsx");
  WriteZip(path, parts, {GeneratedPart{"xl/worksheets/sheet1.xml", generate, 9}});
  std::string bytes = ReadFile(path);
  PatchDeclaredSize(&bytes, "xl/worksheets/sheet1.xml", 1000);
  WriteFile(path, bytes);

  // The compressed size, as the reader sees it in the central directory.
  uint64_t compressed = 0;
  {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
    ASSERT_NE(zip, nullptr);
    zip_stat_t st;
    ASSERT_EQ(zip_stat(zip, "xl/worksheets/sheet1.xml", 0, &st), 0);
    EXPECT_EQ(st.size, 1000u);
    compressed = st.comp_size;
    zip_discard(zip);
  }
  const double cap = SheetLimits().max_compression_ratio * static_cast<double>(compressed);
  ASSERT_LT(cap, kTotal / 2.0) << "the part compresses too poorly to show the cap";

  auto start = std::chrono::steady_clock::now();
  int64_t rows = 0;
  Status status = OpenAndRead(path, {}, &rows);
  double seconds = SecondsSince(start);
  const double inflated = static_cast<double>(head.size() + rows * row.size());
  std::printf(
      "lying bomb: %zu MB in %llu KB compressed, declared 1000 bytes; stopped after "
      "~%.1f MB (cap %.1f MB) in %.3f s\n",
      *emitted >> 20, static_cast<unsigned long long>(compressed >> 10), inflated / (1 << 20),
      cap / (1 << 20), seconds);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "压缩比异常")) << status.message();
  EXPECT_TRUE(Contains(status.log_message(), "above the ratio limit")) << status.log_message();
  // Stopped at the cap: what was delivered is within two 64 KB chunks (and a row) below it.
  EXPECT_LE(inflated, cap);
  EXPECT_GE(inflated, cap - 2 * 65536.0 - static_cast<double>(row.size()));
  EXPECT_LT(seconds, 5.0);
}

// ------------------------------------------------------------------------------------------
// XML attacks, in every part the reader parses.

const char kBillionLaughs[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n]>\n";

const char kExternalEntity[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n";

const char kBareDoctype[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE worksheet>\n";

// The XML of `part` in a normal one-sheet book, with `prolog` put in front and, where the part
// has text, `&lol9;` / `&xxe;` used in it.
std::string BookWithHostilePart(const std::string& part, const std::string& prolog,
                                const std::string& entity) {
  XlsxParts parts = WorkbookParts({{"Sheet1", ""}});
  std::string use = entity.empty() ? "x" : "&" + entity + ";";
  auto strip_decl = [](const std::string& xml) { return xml.substr(xml.find("?>") + 2); };
  parts["xl/worksheets/sheet1.xml"] = SheetXml(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>" +
      (part == "xl/worksheets/sheet1.xml" ? use : std::string("x")) + "</t></is></c></row>");
  parts["xl/sharedStrings.xml"] =
      SharedStringsXml({part == "xl/sharedStrings.xml" ? use : std::string("y")});
  parts["xl/styles.xml"] =
      "<?xml version=\"1.0\"?><styleSheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<cellXfs count=\"1\"><xf numFmtId=\"0\"/></cellXfs></styleSheet>";
  parts[part] = prolog + strip_decl(parts[part]);
  std::string path = TempXlsxPath("hostile_xml.xlsx");
  WriteZip(path, parts);
  return path;
}

TEST(XlsxHostileTest, DoctypeAndEntitiesRefusedInEveryPart) {
  for (const char* part : {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"}) {
    struct Case {
      const char* prolog;
      const char* entity;
    };
    for (Case c :
         {Case{kBillionLaughs, "lol9"}, Case{kExternalEntity, "xxe"}, Case{kBareDoctype, ""}}) {
      std::string path = BookWithHostilePart(part, c.prolog, c.entity);
      Status status = OpenAndRead(path);
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << part;
      EXPECT_EQ(status.message(), kDtdRefused)
          << part << " " << c.entity << ": " << status.log_message();
      EXPECT_TRUE(Contains(status.log_message(), part)) << status.log_message();
      EXPECT_FALSE(Contains(status.message() + status.log_message(), "root:"))
          << "leaked /etc/passwd";
    }
  }
}

TEST(XlsxHostileTest, UndeclaredEntityIsMalformed) {
  XlsxParts parts = WorkbookParts(
      {{"Sheet1", SheetXml("<row r=\"1\"><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>")}});
  std::string path = TempXlsxPath("undeclared_entity.xlsx");
  WriteZip(path, parts);
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "XML 格式错误")) << status.message();
}

TEST(XlsxHostileTest, MalformedXmlNamesPartAndLine) {
  XlsxParts parts = WorkbookParts(
      {{"Sheet1",
        "<?xml version=\"1.0\"?>\n<worksheet>\n<sheetData>\n<row r=\"1\"><c><v>1</v></c></row>\n"
        "<row r=\"2\"><c><v>2</v></row>\n</sheetData></worksheet>"}});
  std::string path = TempXlsxPath("malformed.xlsx");
  WriteZip(path, parts);
  int64_t rows = 0;
  Status status = OpenAndRead(path, {}, &rows);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "文件内容损坏（xl/worksheets/sheet1.xml 第 5 行 XML 格式错误），请重新保存后再导入");
  EXPECT_TRUE(Contains(status.log_message(), "xl/worksheets/sheet1.xml at line 5"))
      << status.log_message();
  EXPECT_EQ(rows, 1);  // the row before the damage was delivered; the caller decides what it means

  // Truncated XML (a part that ends mid-element) is malformed too.
  parts["xl/worksheets/sheet1.xml"] = SheetXml("<row r=\"1\"><c><v>1</v></c></row>").substr(0, 150);
  WriteZip(path, parts);
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "xl/worksheets/sheet1.xml 第 2 行 XML 格式错误"))
      << status.message();

  parts = WorkbookParts({{"Sheet1", SheetXml("")}});
  parts["xl/workbook.xml"] = "<workbook><sheets><sheet name=\"a\" r:id=\"rId1\"></sheets>";
  WriteZip(path, parts);
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "xl/workbook.xml 第 1 行 XML 格式错误"))
      << status.message();
}

// ------------------------------------------------------------------------------------------
// Sheets too big in rows, columns, cells, strings.

TEST(XlsxHostileTest, DeclaredDimensionAboveTheRowLimitRefusedBeforeAnyRow) {
  std::string path = TempXlsxPath("dimension.xlsx");
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
                                                    "A1:L1048576")}}));
  int64_t rows = 0;
  Status status = OpenAndRead(path, {}, &rows);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "工作表有 1048576 行，超过了一次最多导入 1000000 行的限制，请分成几个文件导入");
  EXPECT_EQ(rows, 0);

  // A dimension within the limit is fine.
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
                                                    "A1:L1000000")}}));
  EXPECT_TRUE(OpenAndRead(path, {}, &rows).ok());
  EXPECT_EQ(rows, 1);
}

TEST(XlsxHostileTest, MillionRowsWithoutDimensionStopAtTheLimit) {
  const int64_t kRows = 1048576;
  std::string head = std::string(testing::kXmlHeader) + "<worksheet xmlns=\"" + testing::kMainNs +
                     "\"><sheetData>";
  XlsxParts parts = WorkbookParts({{"Sheet1", ""}});
  parts.erase("xl/worksheets/sheet1.xml");
  std::string path = TempXlsxPath("million_rows.xlsx");
  auto start = std::chrono::steady_clock::now();
  WriteZip(path, parts,
           {GeneratedPart{"xl/worksheets/sheet1.xml",
                          RowGenerator(kRows, head, "</sheetData></worksheet>"), 1}});
  std::printf("1,048,576 rows: %zu KB, built in %.2f s\n",
              static_cast<size_t>(std::filesystem::file_size(path) >> 10), SecondsSince(start));

  start = std::chrono::steady_clock::now();
  int64_t rows = 0;
  Status status = OpenAndRead(path, {}, &rows);
  std::printf("refused after %lld rows in %.2f s\n", static_cast<long long>(rows),
              SecondsSince(start));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "超过了一次最多导入 1000000 行的限制"))
      << status.message();
  EXPECT_TRUE(Contains(status.message(), "第 1000001 行")) << status.message();
  EXPECT_EQ(rows, 1000000);
}

TEST(XlsxHostileTest, RowNumbersCountNotRows) {
  // Two rows, but the second is numbered past the limit.
  std::string path = TempXlsxPath("row_number.xlsx");
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c><v>1</v></c></row>"
                                                    "<row r=\"11\"><c><v>2</v></c></row>")}}));
  SheetLimits limits;
  limits.max_rows = 10;
  Status status = OpenAndRead(path, limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "第 11 行")) << status.message();

  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"0\"><c><v>1</v></c></row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "无效的行号")) << status.message();
}

TEST(XlsxHostileTest, RowNumbersMustIncrease) {
  std::string path = TempXlsxPath("row_order.xlsx");
  // Five rows all numbered 2: the first is delivered, the second refused.
  std::string rows;
  for (int i = 0; i < 5; ++i) rows += "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>";
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml(rows)}}));
  int64_t seen = 0;
  Status status = OpenAndRead(path, {}, &seen);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "文件内容损坏（xl/worksheets/sheet1.xml 第 2 行的行号不递增，上一行是第 2 "
            "行），请重新保存后再导入");
  EXPECT_EQ(seen, 1);

  // Decreasing.
  WriteZip(path,
           WorkbookParts({{"Sheet1", SheetXml("<row r=\"5\"><c r=\"A5\"><v>1</v></c></row>"
                                              "<row r=\"3\"><c r=\"A3\"><v>2</v></c></row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "第 3 行的行号不递增，上一行是第 5 行"))
      << status.message();

  // A row without a value still takes its number.
  WriteZip(path,
           WorkbookParts({{"Sheet1", SheetXml("<row r=\"4\"/><row r=\"4\"><c r=\"A4\"><v>1</v>"
                                              "</c></row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "第 4 行的行号不递增")) << status.message();

  // A row inside a row would be handed out twice.
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c>"
                                                    "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
                                                    "</row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "有嵌套的行")) << status.message();

  // Repeated numbers no longer slip past the row limit: 1..10 twice, with a limit of 10.
  rows.clear();
  for (int pass = 0; pass < 2; ++pass) {
    for (int r = 1; r <= 10; ++r) {
      rows += "<row r=\"" + std::to_string(r) + "\"><c><v>" + std::to_string(r) + "</v></c></row>";
    }
  }
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml(rows)}}));
  SheetLimits limits;
  limits.max_rows = 10;
  status = OpenAndRead(path, limits, &seen);
  EXPECT_TRUE(Contains(status.message(), "第 1 行的行号不递增，上一行是第 10 行"))
      << status.message();
  EXPECT_EQ(seen, 10);

  // Rows without numbers follow the previous row and are fine.
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"7\"><c><v>1</v></c></row>"
                                                    "<row><c><v>2</v></c></row>"
                                                    "<row r=\"9\"><c><v>3</v></c></row>")}}));
  EXPECT_TRUE(OpenAndRead(path, {}, &seen).ok());
  EXPECT_EQ(seen, 3);
}

TEST(XlsxHostileTest, CellColumnsMustIncrease) {
  std::string path = TempXlsxPath("column_order.xlsx");
  // The same column twice would silently overwrite the first value.
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                                    "<row r=\"2\"><c r=\"B2\"><v>1</v></c>"
                                                    "<c r=\"B2\"><v>2</v></c></row>")}}));
  int64_t seen = 0;
  Status status = OpenAndRead(path, {}, &seen);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "文件内容损坏（xl/worksheets/sheet1.xml 第 2 行的单元格 B2 "
            "位置不递增，前一个单元格是 B2），请重新保存后再导入");
  EXPECT_EQ(seen, 1);

  // An earlier column, also after cells without references (A1, B1, C1).
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"C1\"><v>1</v></c>"
                                                    "<c r=\"A1\"><v>2</v></c></row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "单元格 A1 位置不递增，前一个单元格是 C1"))
      << status.message();
  WriteZip(path,
           WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c><v>1</v></c><c><v>2</v></c>"
                                              "<c><v>3</v></c><c r=\"B1\"><v>4</v></c></row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "单元格 B1 位置不递增，前一个单元格是 C1"))
      << status.message();

  // Each row starts again from column A; styled blanks take their column too.
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"C1\"><v>1</v></c></row>"
                                                    "<row r=\"2\"><c r=\"A2\" s=\"1\"/>"
                                                    "<c r=\"B2\"><v>2</v></c></row>")}}));
  EXPECT_TRUE(OpenAndRead(path, {}, &seen).ok());
  EXPECT_EQ(seen, 2);
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"B1\" s=\"1\"/>"
                                                    "<c r=\"B1\"><v>2</v></c></row>")}}));
  EXPECT_TRUE(Contains(OpenAndRead(path).message(), "单元格 B1 位置不递增"));
}

TEST(XlsxHostileTest, TooManyColumns) {
  std::string path = TempXlsxPath("columns.xlsx");
  // ALL is column 1000 (index 999): fine, and so are styled blanks further right (a formatted
  // whole row), which carry no value.
  WriteZip(path,
           WorkbookParts(
               {{"Sheet1", SheetXml("<row r=\"1\"><c r=\"ALL1\"><v>1</v></c>"
                                    "<c r=\"ALM1\" s=\"1\"/><c r=\"XFD1\" s=\"1\"/></row>")}}));
  EXPECT_TRUE(OpenAndRead(path).ok());
  WriteZip(path,
           WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                              "<row r=\"2\"><c r=\"ALM2\"><v>1</v></c></row>")}}));
  int64_t rows = 0;
  Status status = OpenAndRead(path, {}, &rows);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "第 2 行的列数超过了 1000 列的限制（单元格 ALM2），请删除多余的列后再导入");
  EXPECT_EQ(rows, 1);

  // Cells without references count too.
  std::string cells;
  for (int i = 0; i < 11; ++i) cells += "<c><v>1</v></c>";
  WriteZip(path, WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\">" + cells + "</row>")}}));
  SheetLimits limits;
  limits.max_columns = 10;
  status = OpenAndRead(path, limits);
  EXPECT_TRUE(Contains(status.message(), "（单元格 K1）")) << status.message();

  // Past Excel's own last column: a corrupt reference.
  WriteZip(path,
           WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>")}}));
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "无效的单元格位置")) << status.message();
}

TEST(XlsxHostileTest, CellTooLong) {
  std::string long_text(40000, 'x');
  std::string path = TempXlsxPath("long_cell.xlsx");
  WriteZip(path,
           WorkbookParts({{"Sheet1", SheetXml("<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>" +
                                              long_text + "</t></is></c></row>")}}));
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "单元格 B3 的内容过长（超过 32 KB），请检查该单元格");

  // The same text as a shared string: refused where a cell uses it.
  XlsxParts parts =
      WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")}});
  parts["xl/sharedStrings.xml"] = SharedStringsXml({long_text});
  WriteZip(path, parts);
  status = OpenAndRead(path);
  EXPECT_EQ(status.message(), "单元格 A1 的内容过长（超过 32 KB），请检查该单元格");
}

// `xml` with `pad` bytes of white space inserted at `insert_at` so that `needle` starts at byte
// `offset` of the part: the sheet and shared strings parts are read in 64 KB chunks, and text
// starting a little before 64 KB is still unfinished at 128 KB, where the scanner hands the
// first 64 KB of it on.
std::string PlaceAt(const std::string& xml, size_t insert_at, const std::string& needle,
                    size_t offset) {
  size_t at = xml.find(needle);
  EXPECT_NE(at, std::string::npos);
  EXPECT_LE(at, offset);
  EXPECT_LE(insert_at, at);
  std::string out = xml;
  out.insert(insert_at, offset - at, ' ');
  EXPECT_EQ(out.find(needle), offset);
  return out;
}

std::string ChineseText(size_t characters) {
  const std::string hanzi[] = {"院", "前", "村", "委", "会", "张", "三", "李", "四", "户"};
  std::string out;
  for (size_t i = 0; i < characters; ++i) out += hanzi[i % 10];
  return out;
}

// A 25,000-character Chinese string (75,000 bytes) starting near 64 KB into the part, at each of
// the three byte alignments of a 3-byte character: it reads back exactly.
TEST(XlsxHostileTest, LongChineseSharedStringAtEveryAlignment) {
  const std::string big = ChineseText(25000);
  SheetLimits limits;
  limits.max_cell_bytes = 128u << 10;
  for (size_t align = 0; align < 3; ++align) {
    XlsxParts parts = WorkbookParts(
        {{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>")}});
    std::string sst = SharedStringsXml({"前", big});
    parts["xl/sharedStrings.xml"] = PlaceAt(sst, sst.find("<si>"), big, 60000 + align);
    std::string path = TempXlsxPath("long_shared.xlsx");
    WriteZip(path, parts);
    auto reader = OpenXlsx(path, limits);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::string text;
    Status status = (*reader)->ForEachRow(0, [&](const SheetRow& row) -> Result<bool> {
      text = row.cells.at(0).text;
      return true;
    });
    EXPECT_TRUE(status.ok()) << "alignment " << align << ": " << status.ToString();
    EXPECT_TRUE(text == big) << "alignment " << align << ": " << text.size() << " bytes";
  }
}

// The same text inline in a cell, where it is too long: the cell is refused as too long (not as
// damaged XML) whichever alignment it has.
TEST(XlsxHostileTest, LongChineseCellIsTooLongAtEveryAlignment) {
  const std::string big = ChineseText(25000);
  for (size_t align = 0; align < 3; ++align) {
    std::string sheet =
        SheetXml("<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>" + big + "</t></is></c></row>");
    std::string path = TempXlsxPath("long_chinese_cell.xlsx");
    WriteZip(path,
             WorkbookParts({{"Sheet1", PlaceAt(sheet, sheet.find("<row"), big, 60000 + align)}}));
    Status status = OpenAndRead(path);
    EXPECT_EQ(status.message(), "单元格 C2 的内容过长（超过 32 KB），请检查该单元格")
        << "alignment " << align << ": " << status.log_message();
  }
}

TEST(XlsxHostileTest, SharedStringsAboveTheirLimit) {
  std::vector<std::string> strings(2000, std::string(100, 'z'));
  XlsxParts parts =
      WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>")}});
  parts["xl/sharedStrings.xml"] = SharedStringsXml(strings);
  std::string path = TempXlsxPath("many_strings.xlsx");
  WriteZip(path, parts);
  SheetLimits limits;
  limits.max_shared_string_bytes = 100000;  // the strings hold 200,000 bytes
  Status status = OpenAndRead(path, limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "文件中的文字总量过大")) << status.message();
  EXPECT_TRUE(OpenAndRead(path).ok());

  // Empty strings are not free either: each costs its offset.
  parts["xl/sharedStrings.xml"] = SharedStringsXml(std::vector<std::string>(20000, ""));
  WriteZip(path, parts);
  status = OpenAndRead(path, limits);
  EXPECT_TRUE(Contains(status.message(), "文件中的文字总量过大")) << status.message();
}

TEST(XlsxHostileTest, SharedStringIndexOutOfRange) {
  XlsxParts parts =
      WorkbookParts({{"Sheet1", SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
                                         "t=\"s\"><v>1</v></c></row>")}});
  parts["xl/sharedStrings.xml"] = SharedStringsXml({"only"});
  std::string path = TempXlsxPath("bad_index.xlsx");
  WriteZip(path, parts);
  Status status = OpenAndRead(path);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "文件内容损坏（xl/worksheets/sheet1.xml 单元格 B1 "
            "引用了不存在的共享字符串），请重新保存后再导入");

  parts.erase("xl/sharedStrings.xml");  // no shared strings at all
  WriteZip(path, parts);
  status = OpenAndRead(path);
  EXPECT_TRUE(Contains(status.message(), "单元格 A1 引用了不存在的共享字符串")) << status.message();
}

// ------------------------------------------------------------------------------------------
// The two XML parsers (expat for small parts, our scanner for sheets and shared strings) must
// agree on every document: the same events, and the same verdict.

class Recorder : public XmlHandler {
 public:
  std::string log;
  void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) override {
    parser.WantText(true);
    log += "<" + std::string(name);
    for (const XmlAttr& a : attrs)
      log += " " + std::string(a.name) + "=[" + std::string(a.value) + "]";
    log += ">";
  }
  void OnEnd(XmlParser&, std::string_view name) override { log += "</" + std::string(name) + ">"; }
  void OnText(XmlParser&, std::string_view text) override { log += text; }  // pieces joined
};

// "ok", "dtd" or "malformed", then the events.
std::string Verdict(const Status& status) {
  if (status.ok()) return "ok";
  if (status.message() == kDtdRefused) return "dtd";
  if (Contains(status.message(), "XML 格式错误")) return "malformed";
  return "other: " + status.message();
}

std::string RunParser(bool fast, std::string_view doc, size_t chunk) {
  Recorder recorder;
  std::unique_ptr<XmlParser> parser =
      fast ? MakeFastParser("part.xml", &recorder) : MakeExpatParser("part.xml", &recorder);
  Status status;
  for (size_t at = 0; at < doc.size() && status.ok(); at += chunk) {
    status = parser->Feed(doc.substr(at, chunk));
  }
  if (status.ok()) status = parser->Finish();
  return Verdict(status) + " " + recorder.log;
}

void ExpectParsersAgree(const std::string& doc, const std::string& verdict) {
  std::string expat = RunParser(false, doc, doc.size() + 1);
  EXPECT_EQ(expat.substr(0, verdict.size()), verdict) << "expat on: " << doc.substr(0, 200);
  for (size_t chunk : {doc.size() + 1, size_t{1}, size_t{2}, size_t{7}, size_t{4096}}) {
    // Tiny pieces of a long document cost the scanner quadratic time (each piece rescans the
    // unfinished token); the reader always feeds 64 KB.
    if (chunk < 4096 && doc.size() > 10000) continue;
    std::string fast = RunParser(true, doc, chunk);
    if (verdict == "ok") {
      EXPECT_EQ(fast, expat) << "chunk " << chunk << " on: " << doc.substr(0, 200);
    } else {
      // Events up to the error may differ by where each parser notices it; verdicts may not.
      EXPECT_EQ(fast.substr(0, verdict.size()), verdict)
          << "chunk " << chunk << " on: " << doc.substr(0, 200);
    }
  }
}

TEST(XmlParsersTest, AgreeOnWellFormedDocuments) {
  for (const std::string& doc : {
           std::string("<a/>"),
           std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<a x=\"1\" "
                       "y='2'>t</a>"),
           std::string("\xEF\xBB\xBF<a>BOM</a>"),
           std::string("<!-- before --><?pi data?><a><!-- inside -->x<?pi?>y</a><!-- after -->\n"),
           std::string("<a><![CDATA[<b>&amp; ]] > ]]></a>"),
           std::string("<a "
                       "q=\"&lt;&gt;&amp;&quot;&apos;&#20013;&#x4E2D;&#x1F600;\">&lt;&gt;&amp;&"
                       "quot;&apos;&#20013;&#x4e2d;&#128512;</a>"),
           std::string("<a v=\"x\ty\nz\r\nw&#10;\">line1\r\nline2\rline3\n</a>"),
           std::string("<x:a xmlns:x=\"urn:x\" xmlns=\"urn:d\"><x:b r:id=\"rId1\" "
                       "xml:space=\"preserve\"/></x:a>"),
           std::string("<a\n  x = \"1\"\n  y\t=\t'2' ><b ></b\t><c/></a >"),
           std::string("<a x=\"\" y='>' z=\"'\" w='\"'/>"),
           std::string("<工作表 名称=\"院前村\">张三 李四</工作表>"),
           std::string("<a>") + std::string(200000, 'x') + "&amp;" + std::string(70000, 'y') +
               "</a>",
           std::string("<a x=\"") + std::string(100000, 'v') + "\"/>",
           std::string("<a>_x000D_ stays as it is: the reader decodes it, not the parser</a>"),
           std::string("  \n<a/>\n  "),
       }) {
    ExpectParsersAgree(doc, "ok");
  }
}

// Text longer than 64 KB is handed on in pieces; a piece must never end inside a UTF-8
// character, or valid text either side of the cut is refused as malformed. Characters of 2, 3
// and 4 bytes after 0..8 ASCII bytes put the cut at every offset within every character.
TEST(XmlParsersTest, LongMultiByteTextIsNeverSplitInsideACharacter) {
  const std::string unit = "\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80";  // é 中 😀
  std::string text;
  while (text.size() < 70000) text += unit;
  auto start = std::chrono::steady_clock::now();
  for (size_t pad = 0; pad < unit.size(); ++pad) {
    const std::string doc = "<a>" + std::string(pad, 'x') + text + "</a>";
    const std::string expected = "ok " + doc;  // the Recorder logs the document back
    std::string expat = RunParser(false, doc, doc.size());
    EXPECT_TRUE(expat == expected) << "expat, pad " << pad << ": " << expat.substr(0, 100);
    for (size_t chunk :
         {size_t{1}, size_t{2}, size_t{3}, size_t{4}, size_t{5}, size_t{6}, size_t{7}, size_t{8},
          size_t{65535}, size_t{65536}, size_t{65537}, size_t{65539}, size_t{65541}, doc.size()}) {
      std::string fast = RunParser(true, doc, chunk);
      EXPECT_TRUE(fast == expected)
          << "pad " << pad << ", chunk " << chunk << ": " << fast.substr(0, 100);
    }
  }
  std::printf("multi-byte text in every alignment and chunk size: %.2f s\n", SecondsSince(start));
}

TEST(XmlParsersTest, AgreeOnMalformedDocuments) {
  for (const std::string& doc : {
           std::string(""),
           std::string("   "),
           std::string("<a>"),
           std::string("<a></b>"),
           std::string("<a><b></a></b>"),
           std::string("</a>"),
           std::string("<a/><b/>"),
           std::string("text<a/>"),
           std::string("<a/>text"),
           std::string("<a x=1/>"),
           std::string("<a x=\"1\" x=\"2\"/>"),
           std::string("<a x=\"1\"y=\"2\"/>"),
           std::string("<a x=\"1/>"),
           std::string("<a>&foo;</a>"),
           std::string("<a>&amp</a>"),
           std::string("<a>&#0;</a>"),
           std::string("<a>&#xD800;</a>"),
           std::string("<a>&#x110000;</a>"),
           std::string("<a x=\"&bar;\"/>"),
           std::string("<a x=\"<\"/>"),
           std::string("<a>\xFF</a>"),
           std::string("<a>\xC0\x80</a>"),
           std::string("<a>\x01</a>"),
           std::string("<a x=\"\x02\"/>"),
           std::string("<a><!-- never closed</a>"),
           std::string("<a><![CDATA[never closed</a>"),
           std::string("<1a/>"),
           std::string("<a/ >"),
           std::string("<a b/>"),
           std::string("<a><!BOGUS></a>"),
           std::string("<a>") + std::string(300, '<'),
       }) {
    ExpectParsersAgree(doc, "malformed");
  }
  // Many attributes, two of them the same: the sorted duplicate check.
  std::string many = "<a";
  for (int i = 0; i < 5000; ++i) many += " n" + std::to_string(i) + "=\"\"";
  ExpectParsersAgree(many + "/>", "ok");
  ExpectParsersAgree(many + " n4321=\"x\"/>", "malformed");
  // Deep nesting is refused by the scanner past 256 levels; expat accepts it, so only the
  // scanner is asked.
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<a>";
  EXPECT_EQ(RunParser(true, deep, 64).substr(0, 9), "malformed");
}

TEST(XmlParsersTest, AgreeOnRefusingDtds) {
  for (const std::string& doc : {
           std::string("<!DOCTYPE a><a/>"),
           std::string(kBillionLaughs) + "<lolz>&lol9;</lolz>",
           std::string(kExternalEntity) + "<foo>&xxe;</foo>",
           std::string(
               "<?xml version=\"1.0\"?>\n<!DOCTYPE a SYSTEM \"http://example.com/a.dtd\"><a/>"),
       }) {
    ExpectParsersAgree(doc, "dtd");
  }
}

TEST(XmlParsersTest, EncodingDetection) {
  EXPECT_TRUE(IsUtf8Document("<a/>"));
  EXPECT_TRUE(IsUtf8Document("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><a/>"));
  EXPECT_TRUE(IsUtf8Document("<?xml version='1.0' encoding='utf-8'?><a/>"));
  EXPECT_TRUE(IsUtf8Document("<?xml version=\"1.0\"?><a/>"));
  EXPECT_TRUE(IsUtf8Document("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_FALSE(IsUtf8Document("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>"));
  EXPECT_FALSE(IsUtf8Document("<?xml version=\"1.0\" encoding=\"GB2312\"?><a/>"));
  EXPECT_FALSE(IsUtf8Document(std::string("\xFF\xFE<\0a\0/\0>\0", 10)));
  EXPECT_FALSE(IsUtf8Document(std::string("\0<\0a", 4)));
}

// A sheet in UTF-16 (allowed by XML, written by no spreadsheet we know) is read through expat.
TEST(XlsxHostileTest, Utf16SheetIsReadThroughExpat) {
  std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet><sheetData><row r=\"1\">"
      "<c r=\"A1\" t=\"inlineStr\"><is><t>AB</t></is></c></row></sheetData></worksheet>";
  std::string utf16 = "\xFF\xFE";
  for (char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  XlsxParts parts = WorkbookParts({{"Sheet1", utf16}});
  std::string path = TempXlsxPath("utf16.xlsx");
  WriteZip(path, parts);
  auto reader = OpenXlsx(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::string text;
  Status status = (*reader)->ForEachRow(0, [&](const SheetRow& row) -> Result<bool> {
    text = row.cells.at(0).text;
    return true;
  });
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(text, "AB");
}

}  // namespace
}  // namespace tz::io
