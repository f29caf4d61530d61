#include "io/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace tz::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<CsvRecord> ParseAll(std::string_view text, CsvLimits limits = {}) {
  CsvReader reader(text, limits);
  std::vector<CsvRecord> out;
  while (true) {
    CsvRecord r;
    auto more = reader.Next(&r);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    out.push_back(std::move(r));
  }
  return out;
}

Status ParseError(std::string_view text, CsvLimits limits = {}) {
  CsvReader reader(text, limits);
  while (true) {
    CsvRecord r;
    auto more = reader.Next(&r);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
  }
}

TEST(CsvReaderTest, PlainRecords) {
  auto recs = ParseAll("户编号,户主姓名\nH001,张三\nH002,李四");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_THAT(recs[0].fields, ElementsAre("户编号", "户主姓名"));
  EXPECT_THAT(recs[1].fields, ElementsAre("H001", "张三"));
  EXPECT_THAT(recs[2].fields, ElementsAre("H002", "李四"));  // last line without newline
  EXPECT_EQ(recs[0].row, 1);
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(recs[2].line, 3);
}

TEST(CsvReaderTest, EmptyFieldsAndTrailingSeparator) {
  auto recs = ParseAll("a,,c,\n,,\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a", "", "c", ""));
  // A row of separators only is returned: it is not a blank line.
  EXPECT_THAT(recs[1].fields, ElementsAre("", "", ""));
}

TEST(CsvReaderTest, Quoting) {
  auto recs = ParseAll(
      "\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n"
      "\" 前后空格 \",x\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a,b", "say \"hi\"", "", "plain"));
  EXPECT_THAT(recs[1].fields, ElementsAre(" 前后空格 ", "x"));
}

TEST(CsvReaderTest, ExcelLeniencies) {
  // A quote inside an unquoted field is literal; text after a closing quote is appended.
  auto recs = ParseAll("5\"屏,a\"b\"\n\"ab\"c,\"x\" \n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].fields, ElementsAre("5\"屏", "a\"b\""));
  EXPECT_THAT(recs[1].fields, ElementsAre("abc", "x "));
}

TEST(CsvReaderTest, EmbeddedNewlines) {
  auto recs = ParseAll("名称,备注\n辽市村,\"第一行\n第二行\r\n第三行\"\n院前村,无\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_THAT(recs[1].fields, ElementsAre("辽市村", "第一行\n第二行\r\n第三行"));
  EXPECT_EQ(recs[1].row, 2);
  EXPECT_EQ(recs[1].line, 2);
  // One spreadsheet row further, three physical lines further.
  EXPECT_EQ(recs[2].row, 3);
  EXPECT_EQ(recs[2].line, 5);
  EXPECT_THAT(recs[2].fields, ElementsAre("院前村", "无"));
}

TEST(CsvReaderTest, LineEnds) {
  for (std::string_view text : {"a,b\r\nc,d\r\n", "a,b\nc,d\n", "a,b\rc,d\r", "a,b\r\nc,d"}) {
    auto recs = ParseAll(text);
    ASSERT_EQ(recs.size(), 2u) << text;
    EXPECT_THAT(recs[0].fields, ElementsAre("a", "b"));
    EXPECT_THAT(recs[1].fields, ElementsAre("c", "d"));
    EXPECT_EQ(recs[1].row, 2);
    EXPECT_EQ(recs[1].line, 2);
  }
  // A quoted field may end right at a CR.
  auto recs = ParseAll("\"a\r\"\rb");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[0].fields, ElementsAre("a\r"));
  EXPECT_EQ(recs[1].line, 3);
}

TEST(CsvReaderTest, BlankLinesCountAsRows) {
  auto recs = ParseAll("h1,h2\n\na,b\r\n\r\n\r\nc,d\n\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].row, 1);
  EXPECT_EQ(recs[1].row, 3);
  EXPECT_EQ(recs[2].row, 6);
  EXPECT_EQ(recs[2].line, 6);
  // Leading blank lines too: the header is where Excel shows it.
  auto lead = ParseAll("\n\nh\nv\n");
  ASSERT_EQ(lead.size(), 2u);
  EXPECT_EQ(lead[0].row, 3);
  EXPECT_EQ(lead[1].row, 4);
  // Rows and lines part ways after a multi-line cell.
  auto multi = ParseAll("h\n\"x\ny\"\n\nz\n");
  ASSERT_EQ(multi.size(), 3u);
  EXPECT_EQ(multi[2].row, 4);
  EXPECT_EQ(multi[2].line, 5);
}

TEST(CsvReaderTest, StripsLeadingBom) {
  auto recs = ParseAll("\xEF\xBB\xBF户编号,姓名\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields[0], "户编号");
}

TEST(CsvReaderTest, TabSeparatedWhenHeaderHasTabsOnly) {
  CsvReader tsv("\n户编号\t姓名\nH1\t张,三\n");
  EXPECT_EQ(tsv.separator(), '\t');
  auto recs = ParseAll("\n户编号\t姓名\nH1\t张,三\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_THAT(recs[1].fields, ElementsAre("H1", "张,三"));
  // A comma anywhere in the header keeps the comma.
  CsvReader csv("a\tb,c\n");
  EXPECT_EQ(csv.separator(), ',');
  EXPECT_THAT(ParseAll("a\tb,c\n")[0].fields, ElementsAre("a\tb", "c"));
}

TEST(CsvReaderTest, UnterminatedQuote) {
  Status s = ParseError("h1,h2\n\na,\"未闭合\nb,c\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("第3行：引号未闭合"));
  EXPECT_THAT(s.message(), HasSubstr("第2列"));
  EXPECT_THAT(s.log_message(), HasSubstr("line 3"));
  // The error sticks.
  CsvReader reader("\"x");
  CsvRecord r;
  EXPECT_FALSE(reader.Next(&r).ok());
  EXPECT_FALSE(reader.Next(&r).ok());
}

TEST(CsvReaderTest, Limits) {
  CsvLimits few_fields;
  few_fields.max_fields = 3;
  EXPECT_TRUE(ParseError("a,b,c\n", few_fields).ok());
  Status fields = ParseError("a,b,c\n1,2,3,4\n", few_fields);
  EXPECT_THAT(fields.message(), HasSubstr("第2行：列数超过上限（3 列）"));

  CsvLimits short_fields;
  short_fields.max_field_bytes = 4;
  EXPECT_TRUE(ParseError("abcd,\"ab\"\"c\"\n", short_fields).ok());
  EXPECT_THAT(ParseError("ok\nabcde\n", short_fields).message(), HasSubstr("第2行：第1列内容过长"));
  EXPECT_THAT(ParseError("a,\"abc\ndef\"\n", short_fields).message(),
              HasSubstr("第1行：第2列内容过长"));
  EXPECT_THAT(ParseError("\"ab\"\"\"\"\"\"\"\"\"\"\"\n", short_fields).message(),
              HasSubstr("内容过长"));

  CsvLimits tiny;
  tiny.max_bytes = 8;
  EXPECT_TRUE(ParseError("a,b\nc,d\n", tiny).ok());
  EXPECT_THAT(ParseError("a,b\nc,d\ne\n", tiny).message(),
              HasSubstr("文件过大（10 字节），上限为 8 字节"));
}

TEST(CsvEscapeTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape(""), "");
  EXPECT_EQ(CsvEscape("辽市村"), "辽市村");
  EXPECT_EQ(CsvEscape("a b"), "a b");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("x\ny"), "\"x\ny\"");
  EXPECT_EQ(CsvEscape("x\ry"), "\"x\ry\"");
  EXPECT_EQ(CsvEscape(" lead"), "\" lead\"");
  EXPECT_EQ(CsvEscape("trail "), "\"trail \"");
  EXPECT_EQ(CsvEscape("\ttab"), "\"\ttab\"");
}

TEST(CsvEscapeTest, RoundTripsThroughReader) {
  std::vector<std::string> fields = {"a,b",  "say \"hi\"", "多行\r\n文本", " 空格 ", "",
                                     "普通", "\""};
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += CsvEscape(fields[i]);
  }
  line += "\r\n";
  auto recs = ParseAll(line + line);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, fields);
  EXPECT_EQ(recs[1].fields, fields);
  EXPECT_EQ(recs[1].row, 2);
  EXPECT_EQ(recs[1].line, 3);
}

TEST(ParseCsvBytesTest, Encodings) {
  auto utf8 = ParseCsvBytes("户编号,姓名\nH1,张三\n");
  ASSERT_TRUE(utf8.ok()) << utf8.status().ToString();
  EXPECT_EQ(utf8->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(utf8->separator, ',');
  ASSERT_EQ(utf8->records.size(), 2u);

  auto bom = ParseCsvBytes("\xEF\xBB\xBF户编号,姓名\r\nH1,张三\r\n");
  ASSERT_TRUE(bom.ok()) << bom.status().ToString();
  EXPECT_EQ(bom->encoding, TextEncoding::kUtf8Bom);
  EXPECT_THAT(bom->records[0].fields, ElementsAre("户编号", "姓名"));

  // "姓名,身份证号\r\n辽市镇,\"a\r\nb\"\r\n" as Excel's default CSV (GBK) writes it.
  auto gbk = ParseCsvBytes(
      "\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5\r\n"
      "\xC1\xC9\xCA\xD0\xD5\xF2,\"a\r\nb\"\r\n");
  ASSERT_TRUE(gbk.ok()) << gbk.status().ToString();
  EXPECT_EQ(gbk->encoding, TextEncoding::kGb18030);
  ASSERT_EQ(gbk->records.size(), 2u);
  EXPECT_THAT(gbk->records[0].fields, ElementsAre("姓名", "身份证号"));
  EXPECT_THAT(gbk->records[1].fields, ElementsAre("辽市镇", "a\r\nb"));

  auto bad = ParseCsvBytes("a,b\n\xFF\xFE\xFF\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("文件编码无法识别"));
}

TEST(ParseCsvBytesTest, EmptyAndNonText) {
  for (std::string_view empty : {"", "   ", "\r\n\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF \n"}) {
    auto r = ParseCsvBytes(empty);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), "文件为空");
  }
  auto xlsx = ParseCsvBytes(std::string_view("PK\x03\x04\x14\x00\x06\x00", 8));
  ASSERT_FALSE(xlsx.ok());
  EXPECT_THAT(xlsx.status().message(), HasSubstr(".xlsx"));
  auto xls = ParseCsvBytes(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", 9));
  EXPECT_THAT(xls.status().message(), HasSubstr(".xls"));
  auto nul = ParseCsvBytes(std::string_view("a,b\nc\0,d\n", 9));
  ASSERT_FALSE(nul.ok());
  EXPECT_THAT(nul.status().message(), HasSubstr("第2行含有空字符"));
  auto utf16 =
      ParseCsvBytes(std::string_view("\xFF\xFE"
                                     "a\0",
                                     4));
  EXPECT_THAT(utf16.status().message(), HasSubstr("UTF-16"));
  auto unterminated = ParseCsvBytes("h\n\"x\n");
  EXPECT_THAT(unterminated.status().message(), HasSubstr("第2行：引号未闭合"));
}

class ReadCsvFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tz_csv_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, std::string_view bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ReadCsvFileTest, ReadsGbkFile) {
  std::string path = Write("dibao.csv", "\xD0\xD5\xC3\xFB\r\n\xC1\xC9\xCA\xD0\xD5\xF2\r\n");
  auto r = ReadCsvFile(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, TextEncoding::kGb18030);
  ASSERT_EQ(r->records.size(), 2u);
  EXPECT_THAT(r->records[1].fields, ElementsAre("辽市镇"));
}

TEST_F(ReadCsvFileTest, Errors) {
  auto missing = ReadCsvFile((dir_ / "nope.csv").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("文件不存在"));

  auto dir = ReadCsvFile(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);

  auto empty = ReadCsvFile(Write("empty.csv", ""));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "文件为空");

  auto blank = ReadCsvFile(Write("blank.csv", " \r\n \r\n"));
  EXPECT_EQ(blank.status().message(), "文件为空");

  CsvLimits tiny;
  tiny.max_bytes = 1000;
  auto big = ReadCsvFile(Write("big.csv", std::string(3000, 'a')), tiny);
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.status().message(), HasSubstr("文件过大（3 KB），上限为 1000 字节"));
}

}  // namespace
}  // namespace tz::io
