#include "auth/password.h"

#include <gtest/gtest.h>

#include <set>

namespace tz::auth {
namespace {

// Cheap parameters: the tests check behaviour, not cost.
constexpr Argon2Cost kCheap{256, 1, 1};

TEST(PasswordTest, HashesAreArgon2idSaltedAndVerify) {
  auto a = HashPassword("Liaoshi#2022town", kCheap);
  auto b = HashPassword("Liaoshi#2022town", kCheap);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->rfind("$argon2id$v=19$m=256,t=1,p=1$", 0), 0u) << *a;
  EXPECT_NE(*a, *b);  // a fresh salt each time
  EXPECT_TRUE(VerifyPassword(*a, "Liaoshi#2022town"));
  EXPECT_TRUE(VerifyPassword(*b, "Liaoshi#2022town"));
  EXPECT_FALSE(VerifyPassword(*a, "Liaoshi#2022Town"));
  EXPECT_FALSE(VerifyPassword(*a, ""));
  // Malformed or other-algorithm hashes never verify.
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  EXPECT_FALSE(VerifyPassword(a->substr(0, a->size() - 3), "Liaoshi#2022town"));
}

TEST(PasswordTest, DefaultCostIsOwaspMinimum) {
  auto h = HashPassword("Liaoshi#2022town");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "Liaoshi#2022town"));
}

TEST(PasswordTest, RefusesEmptyAndHugePasswords) {
  EXPECT_EQ(HashPassword("", kCheap).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HashPassword(std::string(257, 'a'), kCheap).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(HashPassword(std::string(256, 'a'), kCheap).ok());
}

TEST(PasswordTest, PolicyLengthClassesAndUserName) {
  PasswordPolicy p;  // 10 characters, 3 of 4 classes
  EXPECT_TRUE(CheckPassword(p, "Liaoshi2022", "wang").ok());
  EXPECT_TRUE(CheckPassword(p, "liaoshi#2022", "wang").ok());
  auto short_one = CheckPassword(p, "Ab1#Ab1#", "wang");
  EXPECT_EQ(short_one.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(short_one.message().find("至少需要 10 个字符"), std::string::npos);
  EXPECT_FALSE(CheckPassword(p, "liaoshizhen2022", "wang").ok());  // 2 classes
  EXPECT_FALSE(CheckPassword(p, "Wang#2022town", "wang").ok());    // holds the user name
  // Characters, not bytes: ten Chinese characters are ten.
  p.min_classes = 1;
  EXPECT_TRUE(CheckPassword(p, "辽市镇袁州区宜春市江西", "wang").ok());
  EXPECT_FALSE(CheckPassword(p, "辽市镇袁州区宜春", "wang").ok());
}

TEST(PasswordTest, GeneratedPasswordsPassThePolicyAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string pw = GeneratePassword();
    EXPECT_EQ(pw.size(), 16u);
    EXPECT_TRUE(CheckPassword(PasswordPolicy{}, pw, "admin").ok()) << pw;
    EXPECT_EQ(pw.find_first_of("0O1lI"), std::string::npos) << pw;
    seen.insert(pw);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(PasswordTest, RandomHexTokens) {
  std::string t = RandomHex(16);
  EXPECT_EQ(t.size(), 32u);
  EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(RandomHex(16), t);
}

}  // namespace
}  // namespace tz::auth
