#include "base/period.h"

#include <charconv>

#include "base/strings.h"

namespace tz {
namespace {

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

Period Make(int y1, int m1, int d1, int y2, int m2, int d2, std::string_view name) {
  return Period{*Date::FromYmd(y1, m1, d1), *Date::FromYmd(y2, m2, d2), std::string(name)};
}

Status Bad(std::string_view text) {
  return Status::InvalidArgument(
      "无法识别的期间“" + std::string(text) +
          "”：可用 2022H1、2022H2、2022、2022Q2、2022-05 或 2022-01-01..2022-06-30",
      "unrecognised period '" + std::string(text) + "'");
}

}  // namespace

std::string Period::ChineseSpan() const {
  int y1 = start.year(), m1 = start.month(), d1 = start.day();
  int y2 = end.year(), m2 = end.month(), d2 = end.day();
  bool whole_months = d1 == 1 && end == end.LastOfMonth() && y1 == y2;
  if (whole_months) {
    if (m1 == 1 && m2 == 6) return "上半年";
    if (m1 == 7 && m2 == 12) return "下半年";
    if (m1 == 1 && m2 == 12) return "全年";
    static const char* kQuarters[] = {"第一季度", "第二季度", "第三季度", "第四季度"};
    if ((m1 - 1) % 3 == 0 && m2 == m1 + 2) return kQuarters[(m1 - 1) / 3];
    if (m1 == m2) return std::to_string(m1) + "月";
    return std::to_string(m1) + "月至" + std::to_string(m2) + "月";
  }
  std::string s =
      std::to_string(y1) + "年" + std::to_string(m1) + "月" + std::to_string(d1) + "日至";
  if (y2 != y1) s += std::to_string(y2) + "年";
  return s + std::to_string(m2) + "月" + std::to_string(d2) + "日";
}

Result<Period> ParsePeriod(std::string_view raw) {
  std::string_view text = TrimSpace(raw);
  if (size_t dots = text.find(".."); dots != std::string_view::npos) {
    auto a = Date::Parse(text.substr(0, dots), false);
    auto b = Date::Parse(text.substr(dots + 2), false);
    if (!a || !b) return Bad(text);
    if (*b < *a) {
      return Status::InvalidArgument("期间的结束日期早于开始日期：" + std::string(text),
                                     "period end before start");
    }
    return Period{*a, *b, std::string(text)};
  }
  int year = 0;
  if (text.size() == 4 && ParseInt(text, &year) && year >= 1900) {
    return Make(year, 1, 1, year, 12, 31, text);
  }
  if (text.size() == 6 && ParseInt(text.substr(0, 4), &year) && year >= 1900) {
    char kind = text[4];
    int n = text[5] - '0';
    if ((kind == 'H' || kind == 'h') && (n == 1 || n == 2)) {
      return n == 1 ? Make(year, 1, 1, year, 6, 30, text) : Make(year, 7, 1, year, 12, 31, text);
    }
    if ((kind == 'Q' || kind == 'q') && n >= 1 && n <= 4) {
      int m1 = (n - 1) * 3 + 1;
      return Make(year, m1, 1, year, m1 + 2, DaysInMonth(year, m1 + 2), text);
    }
  }
  if (text.size() == 7 && text[4] == '-') {
    int month = 0;
    if (ParseInt(text.substr(0, 4), &year) && ParseInt(text.substr(5), &month) && month >= 1 &&
        month <= 12 && year >= 1900) {
      return Make(year, month, 1, year, month, DaysInMonth(year, month), text);
    }
  }
  return Bad(text);
}

}  // namespace tz
