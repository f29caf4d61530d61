// Civil dates (no time zone) and months, as ledgers record them.
#ifndef TAIZHANG_BASE_DATE_H_
#define TAIZHANG_BASE_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tz {

// A proleptic-Gregorian calendar day, stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static std::optional<Date> FromYmd(int year, int month, int day);  // nullopt if not a real day
  static constexpr Date FromDays(int32_t days) { return Date(days); }

  // Parses the forms a ledger accepts: `2022-06-30`, `2022/6/30`, `2022年6月30日`, `2022.6.30`,
  // `20220630`, and (when allow_serial) an Excel date serial such as `44742` (five digits, a day
  // from 1950 to 2099: a typed year like `2022` is not a serial). Leading/trailing
  // spaces are ignored. nullopt when the text is not one of those forms or not a real day.
  static std::optional<Date> Parse(std::string_view text, bool allow_serial = true);
  // Only `YYYY-MM-DD`.
  static std::optional<Date> ParseIso(std::string_view text);
  // Excel's 1900 date system (serial 1 = 1900-01-01, with Excel's phantom 1900-02-29).
  static std::optional<Date> FromExcelSerial(int64_t serial);

  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  void ToYmd(int* y, int* m, int* d) const;

  std::string ToIso() const;       // 2022-06-30
  std::string ToMonthIso() const;  // 2022-06
  Date AddDays(int32_t n) const { return Date(days_ + n); }
  Date FirstOfMonth() const;
  Date LastOfMonth() const;

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr auto operator<=>(Date a, Date b) { return a.days_ <=> b.days_; }

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// Parses a `month` value: `2022-06`, `2022/6`, `2022年6月`, `202206`, or any date form (its month).
// Returns the first day of the month.
std::optional<Date> ParseMonth(std::string_view text, bool allow_serial = true);

}  // namespace tz

#endif  // TAIZHANG_BASE_DATE_H_
