#include "base/encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tz {
namespace {

using ::testing::HasSubstr;

// "辽市镇" in GBK/GB18030, from the code chart: 辽 C1C9, 市 CAD0, 镇 D5F2.
constexpr std::string_view kLiaoshiGbk = "\xC1\xC9\xCA\xD0\xD5\xF2";
// "户主姓名,所属村" in GBK.
constexpr std::string_view kHeaderGbk = "\xBB\xA7\xD6\xF7\xD0\xD5\xC3\xFB,\xCB\xF9\xCA\xF4\xB4\xE5";

TEST(EncodingTest, Gb18030ToUtf8) {
  auto r = Gb18030ToUtf8(kLiaoshiGbk);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "辽市镇");
  EXPECT_EQ(*Gb18030ToUtf8(kHeaderGbk), "户主姓名,所属村");
  EXPECT_EQ(*Gb18030ToUtf8(""), "");
  EXPECT_EQ(*Gb18030ToUtf8("abc,123\r\n"), "abc,123\r\n");
  // Four-byte GB18030 sequence (outside GBK): U+1F600.
  EXPECT_EQ(*Gb18030ToUtf8("\x94\x39\xFC\x36"), "\xF0\x9F\x98\x80");
}

TEST(EncodingTest, Utf8ToGb18030) {
  auto r = Utf8ToGb18030("辽市镇");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, kLiaoshiGbk);
  EXPECT_EQ(*Utf8ToGb18030("\xF0\x9F\x98\x80"), "\x94\x39\xFC\x36");
  auto bad = Utf8ToGb18030("ab\xC3");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().log_message(), HasSubstr("offset 2"));
}

TEST(EncodingTest, RoundTrip) {
  const std::string text =
      "所属村,户主姓名,月保障金额\r\n辽市村,张三,580.5\n院前村,“李四”,€1\n𠀀生僻字\n";
  auto gb = Utf8ToGb18030(text);
  ASSERT_TRUE(gb.ok()) << gb.status().ToString();
  EXPECT_NE(*gb, text);
  auto back = Gb18030ToUtf8(*gb);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, text);
  auto decoded = DecodeToUtf8(*gb);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(decoded->utf8, text);
}

TEST(EncodingTest, DetectsUtf8) {
  auto r = DecodeToUtf8("辽市镇,1\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(r->utf8, "辽市镇,1\n");
  auto ascii = DecodeToUtf8("a,b\n");
  ASSERT_TRUE(ascii.ok());
  EXPECT_EQ(ascii->encoding, TextEncoding::kUtf8);
  auto empty = DecodeToUtf8("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->utf8, "");
}

TEST(EncodingTest, StripsUtf8Bom) {
  auto r = DecodeToUtf8("\xEF\xBB\xBF辽市镇");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(r->utf8, "辽市镇");
  auto only_bom = DecodeToUtf8("\xEF\xBB\xBF");
  ASSERT_TRUE(only_bom.ok());
  EXPECT_EQ(only_bom->utf8, "");
  // A BOM followed by GBK bytes is a damaged file, not GB18030.
  auto mixed = DecodeToUtf8(std::string("\xEF\xBB\xBF"
                                        "a\n") +
                            std::string(kLiaoshiGbk));
  ASSERT_FALSE(mixed.ok());
  EXPECT_THAT(mixed.status().message(), HasSubstr("第2行"));
  EXPECT_THAT(mixed.status().log_message(), HasSubstr("offset 5"));
}

TEST(EncodingTest, DetectsGb18030) {
  std::string file = std::string(kHeaderGbk) + "\r\n" + std::string(kLiaoshiGbk) + ",1\r\n";
  auto r = DecodeToUtf8(file);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(r->utf8, "户主姓名,所属村\r\n辽市镇,1\r\n");
  // GB18030's own byte order mark is dropped like UTF-8's.
  auto with_bom = DecodeToUtf8("\x84\x31\x95\x33" + std::string(kLiaoshiGbk));
  ASSERT_TRUE(with_bom.ok()) << with_bom.status().ToString();
  EXPECT_EQ(with_bom->utf8, "辽市镇");
}

TEST(EncodingTest, RejectsUtf16) {
  for (std::string_view bytes : {std::string_view("\xFF\xFE"
                                                  "a\0b\0",
                                                  6),
                                 std::string_view("\xFE\xFF\0a\0b", 6)}) {
    auto r = DecodeToUtf8(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("请另存为 CSV UTF-8 或 GB18030 编码"));
  }
}

TEST(EncodingTest, RejectsBytesInvalidInBoth) {
  // 0xFF is never a GB18030 lead byte nor a UTF-8 byte.
  std::string file = "a,b\n" + std::string(kLiaoshiGbk) + "\n\xFF\xFF\n";
  auto r = DecodeToUtf8(file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("文件编码无法识别：既不是UTF-8也不是GB18030"));
  EXPECT_THAT(r.status().message(), HasSubstr("第3行"));
  EXPECT_THAT(r.status().log_message(), HasSubstr("invalid GB18030 at byte offset 11"));
  EXPECT_THAT(r.status().log_message(), HasSubstr("invalid UTF-8 at byte offset 4"));

  // A lead byte followed by a byte that can't trail it.
  EXPECT_FALSE(DecodeToUtf8("\xC1\x20").ok());
  // Cut off in the middle of a two-byte character.
  auto truncated = Gb18030ToUtf8("\xC1\xC9\xCA");
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().log_message(),
              HasSubstr("truncated GB18030 sequence at byte offset 2"));
  EXPECT_THAT(truncated.status().message(), HasSubstr("第3个字节"));
}

TEST(EncodingTest, Names) {
  EXPECT_STREQ(TextEncodingName(TextEncoding::kUtf8), "UTF-8");
  EXPECT_STREQ(TextEncodingName(TextEncoding::kUtf8Bom), "UTF-8 (BOM)");
  EXPECT_STREQ(TextEncodingName(TextEncoding::kGb18030), "GB18030");
}

}  // namespace
}  // namespace tz
