// Cell values as Excel shows them: date serials as calendar days, numbers in the General format.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/date.h"
#include "io/sheet.h"

namespace tz::io {
namespace {

// Serials of 1970-01-01 (tz::Date's day 0) in each date system. The 1900 system counts Excel's
// phantom 1900-02-29 as day 60, so serials from 61 on are one day ahead of a true count.
constexpr int64_t kUnixEpoch1900 = 25569;
constexpr int64_t kUnixEpoch1904 = 24107;
constexpr int64_t kLastSerial1900 = 2958465;  // 9999-12-31
constexpr int64_t kLastSerial1904 = kLastSerial1900 - 1462;

// Appends `digits` (significant digits, no sign) with its decimal exponent `exp` (the value is
// 0.d1d2d3… × 10^(exp+1), i.e. d1 is at 10^exp) in positional form, trailing zeros after the
// point removed.
void AppendPositional(std::string_view digits, int exp, std::string* out) {
  while (digits.size() > 1 && digits.back() == '0') digits.remove_suffix(1);
  if (exp < 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-exp - 1), '0');
    out->append(digits);
    return;
  }
  size_t int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len) {
    out->append(digits);
    out->append(int_len - digits.size(), '0');
    return;
  }
  out->append(digits.substr(0, int_len));
  out->push_back('.');
  out->append(digits.substr(int_len));
}

// Splits the output of to_chars(scientific) "d.dddde±XX" into its digits and exponent.
void SplitScientific(std::string_view sci, std::string* digits, int* exp) {
  size_t e = sci.find('e');
  digits->clear();
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits->push_back(c);
  }
  std::string_view exp_text = sci.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  *exp = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), *exp);
}

}  // namespace

std::optional<SerialDate> SerialToDate(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0) return std::nullopt;
  if (serial > static_cast<double>((date1904 ? kLastSerial1904 : kLastSerial1900) + 1)) {
    return std::nullopt;
  }
  double whole = std::floor(serial);
  auto days = static_cast<int64_t>(whole);
  auto seconds = static_cast<int64_t>(std::llround((serial - whole) * 86400.0));
  if (seconds >= 86400) {  // 23:59:59.6 rounds into the next day
    ++days;
    seconds = 0;
  }
  int64_t unix_days;
  if (date1904) {
    if (days > kLastSerial1904) return std::nullopt;
    unix_days = days - kUnixEpoch1904;
  } else {
    if (days < 1 || days == 60 || days > kLastSerial1900) return std::nullopt;
    // Before the phantom day the count is one short of a true one.
    unix_days = days - kUnixEpoch1900 + (days < 60 ? 1 : 0);
  }
  SerialDate out;
  Date::FromDays(static_cast<int32_t>(unix_days)).ToYmd(&out.year, &out.month, &out.day);
  out.seconds = static_cast<int>(seconds);
  return out;
}

std::string FormatSerialDate(const SerialDate& d) {
  char buf[32];
  int n;
  if (d.seconds == 0) {
    n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  } else {
    n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day,
                      d.seconds / 3600, d.seconds / 60 % 60, d.seconds % 60);
  }
  return std::string(buf, static_cast<size_t>(n));
}

std::string FormatGeneralNumber(double value) {
  if (std::isnan(value)) return "#NUM!";
  if (std::isinf(value)) return value < 0 ? "-#NUM!" : "#NUM!";
  if (value == 0) return "0";  // also -0
  std::string out;
  if (value < 0) out.push_back('-');
  double magnitude = std::fabs(value);
  char buf[64];

  // The common case, whole numbers (IDs, phone numbers, counts): exact, no formatting work.
  if (magnitude < 1e15 && magnitude == std::floor(magnitude)) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(magnitude));
    out.append(buf, end);
    return out;
  }

  std::string digits;
  int exp = 0;
  if (magnitude >= 1e15) {
    // Excel's General: 6 significant digits, "E+17".
    auto [end, ec] =
        std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific, 5);
    SplitScientific(std::string_view(buf, static_cast<size_t>(end - buf)), &digits, &exp);
    std::string_view mantissa = digits;
    while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.remove_suffix(1);
    out.push_back(mantissa.front());
    if (mantissa.size() > 1) {
      out.push_back('.');
      out.append(mantissa.substr(1));
    }
    out.append("E+");
    if (exp < 10) out.push_back('0');
    out.append(std::to_string(exp));
    return out;
  }

  // 15 significant digits, so that binary noise (0.1 + 0.2) disappears as it does in Excel.
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, magnitude, std::chars_format::scientific, 14);
  SplitScientific(std::string_view(buf, static_cast<size_t>(end - buf)), &digits, &exp);
  if (exp >= 15) {  // rounding carried 999999999999999.9 up to 1e15
    return FormatGeneralNumber(value < 0 ? -1e15 : 1e15);
  }
  AppendPositional(digits, exp, &out);
  return out;
}

}  // namespace tz::io
