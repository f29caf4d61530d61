#include "base/checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tz {
namespace {

using ::testing::HasSubstr;

Date Day(int y, int m, int d) { return *Date::FromYmd(y, m, d); }
const Date kToday = Day(2022, 6, 30);

// Check characters below were worked out by hand: sum of digit × weight
// (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), mod 11, indexed into "10X98765432".
//   11010519491231002: 1·7+1·9+0+1·5+0+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0+0+2·2 = 167,
//                      167 mod 11 = 2 → 'X'  (the GB 11643-1999 example)
//   36090219850715123: 21+54+0+45+0+8+2+9+48+15+0+63+10+25+8+8+6 = 322, mod 11 = 3 → '9'
//   36090219900101001: 21+54+0+45+0+8+2+9+54+0+0+9+0+5+0+0+2 = 209, mod 11 = 0 → '1'
//   36090220000229004: 21+54+0+45+0+8+4+0+0+0+0+18+20+45+0+0+8 = 223, mod 11 = 3 → '9'
TEST(ResidentIdTest, CheckCharacters) {
  EXPECT_EQ(ResidentIdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(ResidentIdCheckChar("36090219850715123"), '9');
  EXPECT_EQ(ResidentIdCheckChar("36090219900101001"), '1');
  EXPECT_EQ(ResidentIdCheckChar("36090220000229004"), '9');
  EXPECT_EQ(ResidentIdCheckChar("3609022000022900"), 0);    // 16 digits
  EXPECT_EQ(ResidentIdCheckChar("360902200002290041"), 0);  // 18 digits
  EXPECT_EQ(ResidentIdCheckChar("3609022000022900A"), 0);
}

TEST(ResidentIdTest, AcceptsValidNumbers) {
  auto std_example = CheckResidentId("11010519491231002X", kToday);
  ASSERT_TRUE(std_example.ok()) << std_example.status().ToString();
  EXPECT_EQ(std_example->normalized, "11010519491231002X");
  EXPECT_EQ(std_example->birth, Day(1949, 12, 31));
  EXPECT_FALSE(std_example->male);  // 17th digit 2

  auto man = CheckResidentId("360902198507151239", kToday);
  ASSERT_TRUE(man.ok()) << man.status().ToString();
  EXPECT_EQ(man->birth, Day(1985, 7, 15));
  EXPECT_TRUE(man->male);  // 17th digit 3

  auto leap = CheckResidentId("360902200002290049", kToday);
  ASSERT_TRUE(leap.ok()) << leap.status().ToString();
  EXPECT_EQ(leap->birth, Day(2000, 2, 29));
  EXPECT_FALSE(leap->male);  // 17th digit 4
}

TEST(ResidentIdTest, NormalisesLowerXAndSpaces) {
  auto r = CheckResidentId("  11010519491231002x\t", kToday);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->normalized, "11010519491231002X");
  // Ideographic space from a Chinese input method.
  auto r2 = CheckResidentId(
      "\xE3\x80\x80"
      "360902199001010011",
      kToday);
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(r2->normalized, "360902199001010011");
}

TEST(ResidentIdTest, DefaultsToSystemDate) {
  EXPECT_TRUE(CheckResidentId("11010519491231002X").ok());
  // 2999-01-01: a valid date that is after any plausible system date.
  std::string future = "36090229990101001";
  future += ResidentIdCheckChar(future);
  EXPECT_FALSE(CheckResidentId(future).ok());
}

TEST(ResidentIdTest, WrongLength) {
  auto r = CheckResidentId("3609021985071512", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "身份证号应为18位，实际为16位");
  EXPECT_EQ(CheckResidentId("", kToday).status().message(), "身份证号应为18位，实际为0位");
  // A 15-digit first-generation number is not accepted.
  EXPECT_EQ(CheckResidentId("360902850715123", kToday).status().message(),
            "身份证号应为18位，实际为15位");
  // Counted in characters, not bytes.
  EXPECT_EQ(CheckResidentId("张三", kToday).status().message(), "身份证号应为18位，实际为2位");
}

TEST(ResidentIdTest, NonDigits) {
  auto r = CheckResidentId("36090219850715A239", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("身份证号前17位应为数字"));
  EXPECT_THAT(r.status().message(), HasSubstr("第15位是“A”"));
  // Full-width digit: still 18 characters, reported as a wrong character.
  auto fw = CheckResidentId("３60902198507151239", kToday);
  ASSERT_FALSE(fw.ok());
  EXPECT_THAT(fw.status().message(), HasSubstr("第1位是“３”"));
  // An 'X' only belongs at the end.
  EXPECT_THAT(CheckResidentId("3609021985071512X9", kToday).status().message(),
              HasSubstr("身份证号前17位应为数字"));
  auto last = CheckResidentId("36090219850715123Y", kToday);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.status().message(), "身份证号最后一位应为数字或X，实际为“Y”");
}

TEST(ResidentIdTest, WrongCheckCharacter) {
  auto r = CheckResidentId("360902198507151238", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "身份证号校验位错误：应为9，实际为8");
  EXPECT_EQ(CheckResidentId("110105194912310021", kToday).status().message(),
            "身份证号校验位错误：应为X，实际为1");
  EXPECT_EQ(CheckResidentId("36090219900101001x", kToday).status().message(),
            "身份证号校验位错误：应为1，实际为X");
}

TEST(ResidentIdTest, BadBirthDates) {
  // Impossible day: reported even though the check character is right for these digits.
  std::string feb30 = "36090219900230001";
  feb30 += ResidentIdCheckChar(feb30);
  EXPECT_EQ(CheckResidentId(feb30, kToday).status().message(),
            "身份证号中的出生日期19900230不是有效日期");
  EXPECT_EQ(CheckResidentId("360902199013010011", kToday).status().message(),
            "身份证号中的出生日期19901301不是有效日期");
  EXPECT_EQ(CheckResidentId("360902200102290011", kToday).status().message(),
            "身份证号中的出生日期20010229不是有效日期");

  std::string old = "36090218991231001";
  old += ResidentIdCheckChar(old);
  EXPECT_EQ(CheckResidentId(old, kToday).status().message(),
            "身份证号中的出生日期18991231早于1900年");

  std::string tomorrow = "36090220220701001";
  tomorrow += ResidentIdCheckChar(tomorrow);
  EXPECT_THAT(CheckResidentId(tomorrow, kToday).status().message(),
              HasSubstr("身份证号中的出生日期20220701晚于今天"));
  EXPECT_TRUE(CheckResidentId(tomorrow, Day(2022, 7, 1)).ok());
}

// GB 32100 check: sum of value × weight (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) over the
// first 17 characters, check = 31 − sum mod 31 (31 → 0), letters valued A=10 … Y=30 skipping I O Z
// S V. For 91350100M000100Y4: 9·1+1·3+3·9+5·27+0+1·26+0+0+M(21)·20+0+0+0+1·8+0+0+Y(30)·30+4·28
// = 9+3+27+135+26+420+8+900+112 = 1640, 1640 mod 31 = 28, 31−28 = 3 → '3'.
TEST(CreditCodeTest, CheckCharacters) {
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y4"), '3');
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y"), 0);
  EXPECT_EQ(CreditCodeCheckChar("91350100I000100Y4"), 0);  // I is not in the alphabet
  EXPECT_EQ(CreditCodeCheckChar("91350100m000100Y4"), 0);  // only upper case here
}

TEST(CreditCodeTest, AcceptsAndNormalises) {
  auto r = CheckCreditCode("91350100M000100Y43");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "91350100M000100Y43");
  auto lower = CheckCreditCode(" 91350100m000100y43 ");
  ASSERT_TRUE(lower.ok()) << lower.status().ToString();
  EXPECT_EQ(*lower, "91350100M000100Y43");
  // A code whose check character is a letter.
  std::string first17 = "91360902MA35ABCDE";
  char check = CreditCodeCheckChar(first17);
  ASSERT_NE(check, 0);
  EXPECT_TRUE(CheckCreditCode(first17 + check).ok());
}

TEST(CreditCodeTest, Errors) {
  EXPECT_EQ(CheckCreditCode("91350100M000100Y4").status().message(),
            "统一社会信用代码应为18位，实际为17位");
  auto bad_char = CheckCreditCode("91350100O000100Y43");
  ASSERT_FALSE(bad_char.ok());
  EXPECT_EQ(bad_char.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_char.status().message(), HasSubstr("第9位“O”不是有效字符"));
  EXPECT_THAT(CheckCreditCode("91350100M000100Y4中").status().message(),
              HasSubstr("第18位“中”不是有效字符"));
  EXPECT_EQ(CheckCreditCode("91350100M000100Y44").status().message(),
            "统一社会信用代码校验位错误：应为3，实际为4");
}

TEST(PhoneTest, Accepts) {
  EXPECT_EQ(*CheckPhone("13800138000"), "13800138000");
  EXPECT_EQ(*CheckPhone(" 19179512345 "), "19179512345");
  EXPECT_EQ(*CheckPhone("0795-1234567"), "0795-1234567");
  EXPECT_EQ(*CheckPhone("0795-12345678"), "0795-12345678");
  EXPECT_EQ(*CheckPhone("010-12345678"), "010-12345678");
}

TEST(PhoneTest, Rejects) {
  for (const char* bad :
       {"", "1380013800", "138001380001", "23800138000", "1380013800a", "0795 1234567",
        "07951234567x", "795-1234567", "07951-1234567", "0795-123456", "0795-123456789",
        "0795-1234567-8", "+8613800138000", "0795-", "-1234567"}) {
    auto r = CheckPhone(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("联系电话格式不正确：")) << bad;
  }
  EXPECT_THAT(CheckPhone(" 12345 ").status().message(), HasSubstr("“12345”"));
}

}  // namespace
}  // namespace tz
