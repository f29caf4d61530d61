#include <gtest/gtest.h>

#include "base/date.h"
#include "base/decimal.h"
#include "base/number.h"
#include "base/period.h"
#include "base/strings.h"

namespace tz {
namespace {

TEST(DateTest, ParsesEveryLedgerForm) {
  EXPECT_EQ(Date::Parse("2022-06-30")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::Parse("2022/6/30")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::Parse("2022年6月30日")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::Parse("2022年6月3日")->ToIso(), "2022-06-03");
  EXPECT_EQ(Date::Parse(" 2022.6.30 ")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::Parse("20220630")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::Parse("2022-06-30 00:00:00")->ToIso(), "2022-06-30");
  // Excel serials: 44742 is 2022-06-30; 1 is 1900-01-01; 61 is 1900-03-01.
  EXPECT_EQ(Date::Parse("44742")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::Parse("44742.0")->ToIso(), "2022-06-30");
  EXPECT_EQ(Date::FromExcelSerial(1)->ToIso(), "1900-01-01");
  EXPECT_EQ(Date::FromExcelSerial(61)->ToIso(), "1900-03-01");
}

TEST(DateTest, RejectsImpossibleDays) {
  EXPECT_FALSE(Date::Parse("2022-02-30"));
  EXPECT_FALSE(Date::Parse("2022-13-01"));
  EXPECT_FALSE(Date::Parse("2021-02-29"));
  EXPECT_TRUE(Date::Parse("2020-02-29"));
  EXPECT_FALSE(Date::Parse("2022-6"));
  EXPECT_FALSE(Date::Parse("hello"));
  EXPECT_FALSE(Date::Parse("44742.5"));
  EXPECT_FALSE(Date::Parse("2022-06-30", false) == std::nullopt);
  EXPECT_FALSE(Date::Parse("44742", false));
  // A year or a month typed into a date cell is not an Excel serial.
  EXPECT_FALSE(Date::Parse("2022"));
  EXPECT_FALSE(Date::Parse("202206"));
  EXPECT_FALSE(Date::Parse("100000"));
  EXPECT_EQ(ParseMonth("202206")->ToMonthIso(), "2022-06");
  EXPECT_FALSE(ParseMonth("2022"));
}

TEST(DateTest, Months) {
  EXPECT_EQ(ParseMonth("2022-06")->ToMonthIso(), "2022-06");
  EXPECT_EQ(ParseMonth("2022/6")->ToMonthIso(), "2022-06");
  EXPECT_EQ(ParseMonth("2022年6月")->ToMonthIso(), "2022-06");
  EXPECT_EQ(ParseMonth("2022-06-15")->ToMonthIso(), "2022-06");
  EXPECT_FALSE(ParseMonth("2022-13"));
  EXPECT_EQ(Date::Parse("2024-02-10")->LastOfMonth().ToIso(), "2024-02-29");
}

TEST(PeriodTest, ParsesNamedPeriods) {
  auto h1 = ParsePeriod("2022H1");
  ASSERT_TRUE(h1.ok());
  EXPECT_EQ(h1->start.ToIso(), "2022-01-01");
  EXPECT_EQ(h1->end.ToIso(), "2022-06-30");
  EXPECT_EQ(h1->ChineseSpan(), "上半年");
  EXPECT_EQ(ParsePeriod("2022H2")->start.ToIso(), "2022-07-01");
  EXPECT_EQ(ParsePeriod("2022")->end.ToIso(), "2022-12-31");
  EXPECT_EQ(ParsePeriod("2022Q2")->start.ToIso(), "2022-04-01");
  EXPECT_EQ(ParsePeriod("2022Q2")->end.ToIso(), "2022-06-30");
  EXPECT_EQ(ParsePeriod("2024-02")->end.ToIso(), "2024-02-29");
  auto range = ParsePeriod("2022-01-01..2022-06-30");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->end.ToIso(), "2022-06-30");
  EXPECT_EQ(range->YearStart().ToIso(), "2022-01-01");
  EXPECT_EQ(range->Year(), 2022);
  EXPECT_FALSE(ParsePeriod("2022H3").ok());
  EXPECT_FALSE(ParsePeriod("2022-06-30..2022-01-01").ok());
  EXPECT_FALSE(ParsePeriod("上半年").ok());
}

TEST(DecimalTest, ParseAndFormat) {
  EXPECT_EQ(Decimal::Parse("12.5")->scaled(), 125000);
  EXPECT_EQ(Decimal::Parse("1,234.56")->ToString(), "1234.56");
  EXPECT_EQ(Decimal::Parse("-3")->ToString(), "-3");
  EXPECT_EQ(Decimal::Parse("0.00005"), std::nullopt);  // more than 4 decimals
  EXPECT_EQ(Decimal::Parse("1.23400")->ToString(), "1.234");
  EXPECT_FALSE(Decimal::Parse("abc"));
  EXPECT_FALSE(Decimal::Parse("."));
  EXPECT_EQ(Decimal::Parse("2.345")->ToString(2), "2.35");
  // Too large for the fixed-point range: refused, never wrapped around.
  EXPECT_FALSE(Decimal::Parse("922337203685478"));
  EXPECT_FALSE(Decimal::Parse("-922337203685479"));
  EXPECT_EQ(Decimal::Parse("922337203685476")->ToString(), "922337203685476");
  EXPECT_FALSE(Decimal::Parse("922337203685477"));
}

TEST(NumberTest, ExactArithmetic) {
  Number a = Number::FromInt(27), b = Number::FromInt(28);
  Number pct = Number::FromInt(100) * a / b;  // 96.428…
  EXPECT_EQ(pct.ToString(1), "96.4");
  EXPECT_EQ(pct.ToStringFloor(0), "96");
  EXPECT_EQ(pct.Floor(), 96);
  EXPECT_EQ((Number::FromInt(1) / Number::FromInt(3) * Number::FromInt(3)), Number::FromInt(1));
  EXPECT_EQ(Number::FromDecimal(*Decimal::Parse("0.1")).ToString(4), "0.1");
  EXPECT_EQ(Number::FromInt(100).ToString(1), "100");
  EXPECT_EQ(Number::FromRatio(5, 2).RoundToInt(), 3);
  EXPECT_EQ(Number::FromRatio(-5, 2).RoundToInt(), -3);
  EXPECT_EQ(Number::FromRatio(-7, 2).ToStringFloor(0), "-4");
  EXPECT_TRUE(Number::FromDecimal(*Decimal::Parse("15")).IsInteger());
}

TEST(NumberTest, OverflowIsFlaggedNeverWrapped) {
  // Ratios of amounts in the hundreds of millions with four decimals: denominators near 1e12.
  Number r1 = Number::FromDecimal(*Decimal::Parse("123456789.1237")) /
              Number::FromDecimal(*Decimal::Parse("987654321.4321"));
  Number r2 = Number::FromDecimal(*Decimal::Parse("223456789.1239")) /
              Number::FromDecimal(*Decimal::Parse("887654321.4323"));
  Number sum = r1 + r2;
  EXPECT_FALSE(sum.overflow());
  EXPECT_EQ(sum.ToString(4), "0.3767");  // 0.1249999… + 0.2517399…
  Number big = Number::FromInt(1);
  for (int i = 0; i < 12; ++i) big = big * Number::FromInt(1000000000);
  EXPECT_TRUE(big.overflow());
  EXPECT_TRUE((big + Number::FromInt(1)).overflow());
}

TEST(StringsTest, AsciiLowerLeavesOtherBytes) {
  EXPECT_EQ(AsciiLower(".XLSX"), ".xlsx");
  EXPECT_EQ(AsciiLower("台账.Xls"), "台账.xls");
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(StringsTest, DecodeAndAppendUtf8) {
  const std::string text = "a辽😀";
  size_t i = 0;
  uint32_t cp = 0;
  std::string again;
  ASSERT_TRUE(DecodeUtf8(text, &i, &cp));
  EXPECT_EQ(cp, 'a');
  AppendUtf8(cp, &again);
  ASSERT_TRUE(DecodeUtf8(text, &i, &cp));
  EXPECT_EQ(cp, 0x8FBDu);
  AppendUtf8(cp, &again);
  ASSERT_TRUE(DecodeUtf8(text, &i, &cp));
  EXPECT_EQ(cp, 0x1F600u);
  AppendUtf8(cp, &again);
  EXPECT_EQ(i, text.size());
  EXPECT_EQ(again, text);
  for (std::string bad : {std::string("\xC0\x80"), std::string("\xED\xA0\x80"),
                          std::string("\xE8\xBE"), std::string("\xF4\x90\x80\x80")}) {
    size_t j = 0;
    EXPECT_FALSE(DecodeUtf8(bad, &j, &cp));  // overlong, surrogate, cut off, past U+10FFFF
    EXPECT_EQ(j, 0u);
  }
}

TEST(StringsTest, TrimAndUtf8) {
  EXPECT_EQ(TrimSpace("\xE3\x80\x80 院前村 \t"), "院前村");
  EXPECT_TRUE(IsValidUtf8("辽市镇"));
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_EQ(Utf8Length("辽市镇a"), 4u);
}

}  // namespace
}  // namespace tz
