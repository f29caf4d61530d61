// Report periods: P = [start, end] (both days included) and what the seed report derives from it.
#ifndef TAIZHANG_BASE_PERIOD_H_
#define TAIZHANG_BASE_PERIOD_H_

#include <string>
#include <string_view>

#include "base/date.h"
#include "base/result.h"

namespace tz {

struct Period {
  Date start;
  Date end;
  std::string name;  // as typed: "2022H1"

  Date AsOf() const { return end; }                                    // A
  Date YearStart() const { return *Date::FromYmd(end.year(), 1, 1); }  // Y.start
  int Year() const { return end.year(); }                              // y
  bool Contains(Date d) const { return start <= d && d <= end; }
  // The Chinese name of the span: 上半年, 下半年, 全年, 第二季度, 5月, or "2022年1月1日至6月30日".
  std::string ChineseSpan() const;
};

// Parses `2022H1`, `2022H2`, `2022`, `2022Q2`, `2022-05`, `2022-01-01..2022-06-30`.
Result<Period> ParsePeriod(std::string_view text);

}  // namespace tz

#endif  // TAIZHANG_BASE_PERIOD_H_
