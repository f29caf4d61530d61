#include "base/date.h"

#include <charconv>
#include <cstdio>

#include "base/strings.h"

namespace tz {
namespace {

constexpr int64_t kMinLedgerSerial = 18264;  // 1950-01-01
constexpr int64_t kMaxLedgerSerial = 73050;  // 2099-12-31

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole int32 range we use.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int yy = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
  const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (mm <= 2);
  *m = static_cast<int>(mm);
  *d = static_cast<int>(dd);
}

// Reads 1..max_digits ASCII digits at text[*pos]; advances *pos.
bool ReadNumber(std::string_view text, size_t* pos, int max_digits, int* out) {
  size_t start = *pos;
  int value = 0;
  while (*pos < text.size() && *pos - start < static_cast<size_t>(max_digits) &&
         text[*pos] >= '0' && text[*pos] <= '9') {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return false;
  *out = value;
  return true;
}

bool ConsumeLiteral(std::string_view text, size_t* pos, std::string_view lit) {
  if (text.substr(*pos, lit.size()) != lit) return false;
  *pos += lit.size();
  return true;
}

// Parses "Y<sep>M[<sep>D]" with separators '-', '/', '.', or 年/月/日. want_day selects the form.
// Returns false when the text does not have that shape.
bool ParseYmdParts(std::string_view t, bool want_day, int* y, int* m, int* d) {
  size_t pos = 0;
  if (!ReadNumber(t, &pos, 4, y) || pos != 4) return false;
  bool chinese = false;
  char sep = 0;
  if (ConsumeLiteral(t, &pos, "年")) {
    chinese = true;
  } else if (pos < t.size() && (t[pos] == '-' || t[pos] == '/' || t[pos] == '.')) {
    sep = t[pos++];
  } else if (t.size() == (want_day ? 8u : 6u)) {
    // Compact 20220630 / 202206.
    pos = 4;
    if (!ReadNumber(t, &pos, 2, m) || pos != 6) return false;
    if (!want_day) return pos == t.size();
    if (!ReadNumber(t, &pos, 2, d) || pos != 8) return false;
    return true;
  } else {
    return false;
  }
  if (!ReadNumber(t, &pos, 2, m)) return false;
  if (chinese) {
    if (!ConsumeLiteral(t, &pos, "月")) return false;
  } else if (want_day) {
    if (pos >= t.size() || t[pos] != sep) return false;
    ++pos;
  }
  if (!want_day) return pos == t.size();
  if (!ReadNumber(t, &pos, 2, d)) return false;
  if (chinese) ConsumeLiteral(t, &pos, "日");  // 日 is optional
  return pos == t.size();
}

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

std::optional<Date> Date::FromYmd(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return Date(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

std::optional<Date> Date::FromExcelSerial(int64_t serial) {
  // Excel treats 1900 as a leap year: serial 60 is the non-existent 1900-02-29. Serials from 61 on
  // are one day ahead of the real count, so the epoch for them is 1899-12-30.
  if (serial < 1 || serial > 2958465) return std::nullopt;  // 9999-12-31
  if (serial == 60) return std::nullopt;
  const int32_t epoch = DaysFromCivil(1899, 12, 31);
  return Date(epoch + static_cast<int32_t>(serial) - (serial > 60 ? 1 : 0));
}

std::optional<Date> Date::ParseIso(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int y, m, d;
  if (!ParseYmdParts(t, true, &y, &m, &d)) return std::nullopt;
  return FromYmd(y, m, d);
}

std::optional<Date> Date::Parse(std::string_view text, bool allow_serial) {
  std::string_view t = TrimSpace(text);
  if (t.empty()) return std::nullopt;
  int y, m, d;
  if (ParseYmdParts(t, true, &y, &m, &d)) return FromYmd(y, m, d);
  // Dates exported with a time part ("2022-06-30 00:00:00") keep their day.
  size_t space = t.find(' ');
  if (space != std::string_view::npos && ParseYmdParts(t.substr(0, space), true, &y, &m, &d)) {
    std::string_view rest = TrimSpace(t.substr(space));
    if (rest == "00:00:00" || rest == "0:00:00" || rest == "00:00") return FromYmd(y, m, d);
  }
  if (allow_serial) {
    // A plain serial, possibly with a zero fraction ("44742" or "44742.0").
    size_t dot = t.find('.');
    std::string_view whole = dot == std::string_view::npos ? t : t.substr(0, dot);
    if (dot != std::string_view::npos &&
        t.substr(dot + 1).find_first_not_of('0') != std::string_view::npos) {
      return std::nullopt;
    }
    // Only five-digit serials of plausible ledger dates (1950-01-01 = 18264 to 2099-12-31 =
    // 73050): a year or a month typed into a date cell ("2022", "202206") must be an error, not
    // a day in 1905 or 2453.
    int64_t serial = 0;
    auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), serial);
    if (ec == std::errc() && p == whole.data() + whole.size() && whole.size() == 5 &&
        serial >= kMinLedgerSerial && serial <= kMaxLedgerSerial) {
      return FromExcelSerial(serial);
    }
  }
  return std::nullopt;
}

std::optional<Date> ParseMonth(std::string_view text, bool allow_serial) {
  std::string_view t = TrimSpace(text);
  int y, m, d;
  if (ParseYmdParts(t, false, &y, &m, &d)) return Date::FromYmd(y, m, 1);
  std::optional<Date> day = Date::Parse(t, allow_serial);
  if (!day) return std::nullopt;
  return day->FirstOfMonth();
}

int Date::year() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  return y;
}
int Date::month() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  return m;
}
int Date::day() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  return d;
}
void Date::ToYmd(int* y, int* m, int* d) const { CivilFromDays(days_, y, m, d); }

std::string Date::ToIso() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

std::string Date::ToMonthIso() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

Date Date::FirstOfMonth() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  return Date(DaysFromCivil(y, static_cast<unsigned>(m), 1));
}

Date Date::LastOfMonth() const {
  int y, m, d;
  ToYmd(&y, &m, &d);
  return Date(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(DaysInMonth(y, m))));
}

}  // namespace tz
