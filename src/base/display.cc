#include "base/display.h"

namespace tz {
namespace {

constexpr const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
constexpr const char* kUnits[] = {"", "十", "百", "千"};

// 1 … 9999. `leading`: this is the first section of the number, where 1x is written 十x.
std::string Section(int64_t s, bool leading) {
  int digits[4] = {static_cast<int>(s % 10), static_cast<int>(s / 10 % 10),
                   static_cast<int>(s / 100 % 10), static_cast<int>(s / 1000 % 10)};
  std::string out;
  bool zero_pending = false;
  for (int pos = 3; pos >= 0; --pos) {
    int d = digits[pos];
    if (d == 0) {
      // One 零 for any run of zeros between digits; none at the end (一百, not 一百零).
      if (!out.empty()) zero_pending = true;
      continue;
    }
    if (zero_pending) {
      out += kDigits[0];
      zero_pending = false;
    }
    bool bare_ten = leading && out.empty() && pos == 1 && d == 1;
    if (!bare_ten) out += kDigits[d];
    out += kUnits[pos];
  }
  return out;
}

}  // namespace

std::string FormatApprox(int64_t n, std::string_view word) {
  if (n < 10) return std::to_string(n);
  int64_t step = 10;
  if (n >= 100) {
    // Keep two significant digits: step is 10^(number of digits − 2).
    int64_t top = n;
    step = 1;
    while (top >= 100) {
      top /= 10;
      step *= 10;
    }
  }
  int64_t rounded = n / step * step;
  if (rounded == n) return std::to_string(n);
  return std::to_string(rounded) + std::string(word);
}

std::string ChineseNumeral(int64_t n, bool liang) {
  if (n < 0 || n > 99999999) return std::to_string(n);
  if (n == 0) return kDigits[0];
  if (n == 2 && liang) return "两";
  int64_t high = n / 10000;
  int64_t low = n % 10000;
  if (high == 0) return Section(low, true);
  std::string out = Section(high, true) + "万";
  if (low > 0) {
    // 一万零一, 十万零五百: a gap below the thousands of the low section is read as 零.
    if (low < 1000) out += kDigits[0];
    out += Section(low, false);
  }
  return out;
}

std::string JoinChineseList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? "和" : "、";
    out += items[i];
  }
  return out;
}

}  // namespace tz
