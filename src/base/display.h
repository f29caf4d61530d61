// How report figures are written in Chinese prose (spec/seed-report.md, "Display" and "Figures the
// seed writes out in words").
#ifndef TAIZHANG_BASE_DISPLAY_H_
#define TAIZHANG_BASE_DISPLAY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tz {

// "30余次", "2400多处": n < 10 is written as is. Otherwise n is rounded down to tens (n < 100) or
// to two significant digits (n >= 100) and `word` is appended, unless rounding changed nothing:
//   37 → "30余", 30 → "30", 137 → "130余", 2468 → "2400多",
//   8 → "8", 100 → "100", 1050 → "1000余".
// Negative n is written as plain digits (a count is never negative; no rounding invents one).
std::string FormatApprox(int64_t n, std::string_view word);

// Chinese numerals for 0 … 99999999: 零 一 二 … 十 十一 二十 一百 一百零一 一百一十 一千零一 一万
// 十万 一千万零一. Ten to nineteen at the front drop the 一 (十一, 十一万) but keep it inside
// (一百一十). When `liang` is true and n is exactly 2 the result is 两 (两个项目); 2 as a digit of
// a larger number stays 二 (二十, 二百, 二万): 两百/两万 are also correct Chinese, and the report
// only needs 两 for the bare count before a measure word. Negative numbers and numbers of
// 100000000 or more are written as digits.
std::string ChineseNumeral(int64_t n, bool liang);

// A list in running text: "", "甲", "甲和乙", "甲、乙和丙".
std::string JoinChineseList(const std::vector<std::string>& items);

}  // namespace tz

#endif  // TAIZHANG_BASE_DISPLAY_H_
