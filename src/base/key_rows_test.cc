#include "base/key_rows.h"

#include <gtest/gtest.h>

#include <string>

namespace tz {
namespace {

TEST(KeyRows, FirstRowWinsAndEveryKeyIsKept) {
  KeyRows keys;
  EXPECT_FALSE(keys.Contains("H001"));
  EXPECT_EQ(keys.Insert("H001", 2), std::nullopt);
  EXPECT_EQ(keys.Insert("H002", 3), std::nullopt);
  EXPECT_EQ(keys.Insert("H001", 9), 2);
  EXPECT_EQ(keys.Insert("H001", 10), 2);
  EXPECT_EQ(keys.Insert("", 11), std::nullopt);  // the empty key is a key like any other
  EXPECT_EQ(keys.Insert("", 12), 11);
  EXPECT_EQ(keys.size(), 3u);
  // Through many growths: every key found, none invented, prefixes distinct.
  for (int i = 0; i < 50000; ++i) {
    ASSERT_EQ(keys.Insert("K" + std::to_string(i), i + 100), std::nullopt) << i;
  }
  for (int i = 0; i < 50000; ++i) {
    ASSERT_TRUE(keys.Contains("K" + std::to_string(i)));
    ASSERT_EQ(keys.Insert("K" + std::to_string(i), 1), i + 100);
  }
  EXPECT_FALSE(keys.Contains("K50000"));
  EXPECT_FALSE(keys.Contains("K"));
  EXPECT_EQ(keys.size(), 50003u);
}

}  // namespace
}  // namespace tz
