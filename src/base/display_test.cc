#include "base/display.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace tz {
namespace {

TEST(FormatApproxTest, SpecExamples) {
  EXPECT_EQ(FormatApprox(37, "余"), "30余");
  EXPECT_EQ(FormatApprox(30, "余"), "30");
  EXPECT_EQ(FormatApprox(137, "余"), "130余");
  EXPECT_EQ(FormatApprox(2468, "多"), "2400多");
  EXPECT_EQ(FormatApprox(8, "余"), "8");
  EXPECT_EQ(FormatApprox(100, "余"), "100");
  EXPECT_EQ(FormatApprox(1000, "余"), "1000");
  EXPECT_EQ(FormatApprox(1050, "余"), "1000余");
}

TEST(FormatApproxTest, Edges) {
  EXPECT_EQ(FormatApprox(0, "余"), "0");
  EXPECT_EQ(FormatApprox(9, "余"), "9");
  EXPECT_EQ(FormatApprox(10, "余"), "10");
  EXPECT_EQ(FormatApprox(11, "余"), "10余");
  EXPECT_EQ(FormatApprox(99, "多"), "90多");
  EXPECT_EQ(FormatApprox(101, "余"), "100余");
  EXPECT_EQ(FormatApprox(110, "余"), "110");
  EXPECT_EQ(FormatApprox(999, "余"), "990余");
  EXPECT_EQ(FormatApprox(1099, "余"), "1000余");
  EXPECT_EQ(FormatApprox(1100, "余"), "1100");
  EXPECT_EQ(FormatApprox(12345, "多"), "12000多");
  EXPECT_EQ(FormatApprox(-37, "余"), "-37");
  EXPECT_EQ(FormatApprox(INT64_MAX, "余"), "9200000000000000000余");
}

TEST(ChineseNumeralTest, Small) {
  const char* expected[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  for (int i = 0; i <= 10; ++i) EXPECT_EQ(ChineseNumeral(i, false), expected[i]) << i;
  EXPECT_EQ(ChineseNumeral(11, false), "十一");
  EXPECT_EQ(ChineseNumeral(19, false), "十九");
  EXPECT_EQ(ChineseNumeral(20, false), "二十");
  EXPECT_EQ(ChineseNumeral(21, false), "二十一");
  EXPECT_EQ(ChineseNumeral(99, false), "九十九");
}

TEST(ChineseNumeralTest, Liang) {
  EXPECT_EQ(ChineseNumeral(2, true), "两");
  EXPECT_EQ(ChineseNumeral(2, false), "二");
  EXPECT_EQ(ChineseNumeral(1, true), "一");
  EXPECT_EQ(ChineseNumeral(3, true), "三");
  EXPECT_EQ(ChineseNumeral(12, true), "十二");
  EXPECT_EQ(ChineseNumeral(22, true), "二十二");
  EXPECT_EQ(ChineseNumeral(200, true), "二百");
  EXPECT_EQ(ChineseNumeral(0, true), "零");
}

TEST(ChineseNumeralTest, Hundreds) {
  EXPECT_EQ(ChineseNumeral(100, false), "一百");
  EXPECT_EQ(ChineseNumeral(101, false), "一百零一");
  EXPECT_EQ(ChineseNumeral(110, false), "一百一十");
  EXPECT_EQ(ChineseNumeral(111, false), "一百一十一");
  EXPECT_EQ(ChineseNumeral(250, false), "二百五十");
  EXPECT_EQ(ChineseNumeral(999, false), "九百九十九");
}

TEST(ChineseNumeralTest, Thousands) {
  EXPECT_EQ(ChineseNumeral(1000, false), "一千");
  EXPECT_EQ(ChineseNumeral(1001, false), "一千零一");
  EXPECT_EQ(ChineseNumeral(1010, false), "一千零一十");
  EXPECT_EQ(ChineseNumeral(1100, false), "一千一百");
  EXPECT_EQ(ChineseNumeral(2022, false), "二千零二十二");
  EXPECT_EQ(ChineseNumeral(9999, false), "九千九百九十九");
}

TEST(ChineseNumeralTest, TenThousands) {
  EXPECT_EQ(ChineseNumeral(10000, false), "一万");
  EXPECT_EQ(ChineseNumeral(10001, false), "一万零一");
  EXPECT_EQ(ChineseNumeral(10010, false), "一万零一十");
  EXPECT_EQ(ChineseNumeral(10100, false), "一万零一百");
  EXPECT_EQ(ChineseNumeral(11000, false), "一万一千");
  EXPECT_EQ(ChineseNumeral(12345, false), "一万二千三百四十五");
  EXPECT_EQ(ChineseNumeral(100000, false), "十万");
  EXPECT_EQ(ChineseNumeral(110000, false), "十一万");
  EXPECT_EQ(ChineseNumeral(100500, false), "十万零五百");
  EXPECT_EQ(ChineseNumeral(1000000, false), "一百万");
  EXPECT_EQ(ChineseNumeral(1010000, false), "一百零一万");
  EXPECT_EQ(ChineseNumeral(10000000, false), "一千万");
  EXPECT_EQ(ChineseNumeral(10000001, false), "一千万零一");
  EXPECT_EQ(ChineseNumeral(10001000, false), "一千万一千");
  EXPECT_EQ(ChineseNumeral(10010000, false), "一千零一万");
  EXPECT_EQ(ChineseNumeral(99999999, false), "九千九百九十九万九千九百九十九");
}

TEST(ChineseNumeralTest, OutOfRangeIsDigits) {
  EXPECT_EQ(ChineseNumeral(100000000, false), "100000000");
  EXPECT_EQ(ChineseNumeral(-3, false), "-3");
}

TEST(JoinChineseListTest, Forms) {
  EXPECT_EQ(JoinChineseList({}), "");
  EXPECT_EQ(JoinChineseList({"甲"}), "甲");
  EXPECT_EQ(JoinChineseList({"甲", "乙"}), "甲和乙");
  EXPECT_EQ(JoinChineseList({"甲", "乙", "丙"}), "甲、乙和丙");
  EXPECT_EQ(JoinChineseList({"甲", "乙", "丙", "丁"}), "甲、乙、丙和丁");
  EXPECT_EQ(JoinChineseList({"宜春中晶高科股份有限公司", "东莞晨蓝实业有限公司"}),
            "宜春中晶高科股份有限公司和东莞晨蓝实业有限公司");
}

}  // namespace
}  // namespace tz
