#include <gtest/gtest.h>

#include <limits>

#include "io/sheet.h"
#include "io/xlsx_reader.h"

namespace tz::io {
namespace {

std::string Date1900(double serial) {
  auto d = SerialToDate(serial, false);
  return d ? FormatSerialDate(*d) : "none";
}

std::string Date1904(double serial) {
  auto d = SerialToDate(serial, true);
  return d ? FormatSerialDate(*d) : "none";
}

TEST(SerialToDateTest, Excel1900SystemWithItsLeapYearBug) {
  EXPECT_EQ(Date1900(1), "1900-01-01");
  EXPECT_EQ(Date1900(59), "1900-02-28");
  EXPECT_EQ(Date1900(60), "none");  // Excel's 1900-02-29 never existed
  EXPECT_EQ(Date1900(61), "1900-03-01");
  EXPECT_EQ(Date1900(0), "none");
  EXPECT_EQ(Date1900(25569), "1970-01-01");
  EXPECT_EQ(Date1900(44742), "2022-06-30");
  EXPECT_EQ(Date1900(44562), "2022-01-01");
  EXPECT_EQ(Date1900(2958465), "9999-12-31");
  EXPECT_EQ(Date1900(2958466), "none");
  EXPECT_EQ(Date1900(-1), "none");
  EXPECT_EQ(Date1900(std::numeric_limits<double>::quiet_NaN()), "none");
  EXPECT_EQ(Date1900(std::numeric_limits<double>::infinity()), "none");
}

TEST(SerialToDateTest, Excel1904System) {
  EXPECT_EQ(Date1904(0), "1904-01-01");
  EXPECT_EQ(Date1904(43280), "2022-06-30");
  EXPECT_EQ(Date1904(2957003), "9999-12-31");
  EXPECT_EQ(Date1904(2957004), "none");
  EXPECT_EQ(Date1904(-0.5), "none");
}

TEST(SerialToDateTest, TimeOfDayRoundedToTheSecond) {
  EXPECT_EQ(Date1900(44742.354166666664), "2022-06-30 08:30:00");
  EXPECT_EQ(Date1900(44742.5), "2022-06-30 12:00:00");
  auto d = SerialToDate(44742.5 + 1.0 / 86400, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->seconds, 12 * 3600 + 1);
  // 23:59:59.8 rounds to midnight of the next day.
  EXPECT_EQ(Date1900(44742 + (86399.8 / 86400)), "2022-07-01");
  EXPECT_EQ(Date1900(44742 + (86399.2 / 86400)), "2022-06-30 23:59:59");
  // Only the time part: serial 0 is not a day in the 1900 system.
  EXPECT_EQ(Date1900(0.25), "none");
  EXPECT_EQ(Date1904(0.25), "1904-01-01 06:00:00");
}

TEST(FormatSerialDateTest, Forms) {
  EXPECT_EQ(FormatSerialDate({2022, 6, 30, 0}), "2022-06-30");
  EXPECT_EQ(FormatSerialDate({2022, 6, 30, 8 * 3600 + 30 * 60 + 5}), "2022-06-30 08:30:05");
  EXPECT_EQ(FormatSerialDate({1900, 1, 1, 0}), "1900-01-01");
}

TEST(FormatGeneralNumberTest, IntegersWithoutDecimalsOrExponent) {
  EXPECT_EQ(FormatGeneralNumber(0), "0");
  EXPECT_EQ(FormatGeneralNumber(-0.0), "0");
  EXPECT_EQ(FormatGeneralNumber(1), "1");
  EXPECT_EQ(FormatGeneralNumber(360902), "360902");
  EXPECT_EQ(FormatGeneralNumber(13800138000), "13800138000");
  EXPECT_EQ(FormatGeneralNumber(-42), "-42");
  EXPECT_EQ(FormatGeneralNumber(999999999999999), "999999999999999");
  EXPECT_EQ(FormatGeneralNumber(100000000000000), "100000000000000");
}

TEST(FormatGeneralNumberTest, FractionsToFifteenSignificantDigits) {
  EXPECT_EQ(FormatGeneralNumber(0.1 + 0.2), "0.3");
  EXPECT_EQ(FormatGeneralNumber(1234.5), "1234.5");
  EXPECT_EQ(FormatGeneralNumber(-1234.5), "-1234.5");
  EXPECT_EQ(FormatGeneralNumber(0.5), "0.5");
  EXPECT_EQ(FormatGeneralNumber(0.001), "0.001");
  EXPECT_EQ(FormatGeneralNumber(0.000001), "0.000001");  // never in exponent form below 1e15
  EXPECT_EQ(FormatGeneralNumber(3.14159265358979), "3.14159265358979");
  EXPECT_EQ(FormatGeneralNumber(1.0 / 3), "0.333333333333333");
  EXPECT_EQ(FormatGeneralNumber(2.0 / 3), "0.666666666666667");
  EXPECT_EQ(FormatGeneralNumber(123456789012.345), "123456789012.345");
  EXPECT_EQ(FormatGeneralNumber(1.1 * 3), "3.3");  // 3.3000000000000003
  // Rounding to 15 digits can make a whole number.
  EXPECT_EQ(FormatGeneralNumber(99.99999999999999), "100");
  EXPECT_EQ(FormatGeneralNumber(999999999999999.9), "1E+15");
}

TEST(FormatGeneralNumberTest, FromOneE15InExcelsExponentForm) {
  EXPECT_EQ(FormatGeneralNumber(360902199001011234.0), "3.60902E+17");
  EXPECT_EQ(FormatGeneralNumber(-360902199001011234.0), "-3.60902E+17");
  EXPECT_EQ(FormatGeneralNumber(1e15), "1E+15");
  EXPECT_EQ(FormatGeneralNumber(1.5e20), "1.5E+20");
  EXPECT_EQ(FormatGeneralNumber(1234567890123456789.0), "1.23457E+18");
  EXPECT_EQ(FormatGeneralNumber(1e100), "1E+100");
}

TEST(DateFormatTest, BuiltinIds) {
  for (int id : {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 31, 36, 45, 46, 47, 50, 55, 58}) {
    EXPECT_TRUE(IsBuiltinDateFormat(id)) << id;
  }
  for (int id : {0, 1, 2, 9, 10, 11, 12, 13, 23, 26, 37, 44, 48, 49, 59, 164}) {
    EXPECT_FALSE(IsBuiltinDateFormat(id)) << id;
  }
}

TEST(DateFormatTest, CustomCodes) {
  EXPECT_TRUE(IsDateFormatCode("yyyy-mm-dd"));
  EXPECT_TRUE(IsDateFormatCode("yyyy\"年\"m\"月\"d\"日\""));
  EXPECT_TRUE(IsDateFormatCode("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"));
  EXPECT_TRUE(IsDateFormatCode("[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\";@"));
  EXPECT_TRUE(IsDateFormatCode("h:mm AM/PM"));
  EXPECT_TRUE(IsDateFormatCode("[h]:mm:ss"));
  EXPECT_TRUE(IsDateFormatCode("[mm]:ss"));
  EXPECT_TRUE(IsDateFormatCode("YYYY/MM/DD"));
  EXPECT_FALSE(IsDateFormatCode("0.00"));
  EXPECT_FALSE(IsDateFormatCode("@"));
  EXPECT_FALSE(IsDateFormatCode("General"));
  EXPECT_FALSE(IsDateFormatCode("#,##0.00_);[Red]\\(#,##0.00\\)"));
  EXPECT_FALSE(IsDateFormatCode("#,##0\"元\""));
  EXPECT_FALSE(IsDateFormatCode("0\"天\";\"mdy\""));
  EXPECT_FALSE(IsDateFormatCode("[$¥-804]#,##0.00"));
  EXPECT_FALSE(IsDateFormatCode("0.00E+00"));
  EXPECT_FALSE(IsDateFormatCode("\\d0"));
  EXPECT_FALSE(IsDateFormatCode("[Red]0;[Blue]-0"));
  EXPECT_FALSE(IsDateFormatCode("0_s"));
}

}  // namespace
}  // namespace tz::io
