// Format checks for identifiers that ledgers carry: resident ID numbers (GB 11643-1999), unified
// social credit codes (GB 32100-2015) and phone numbers. Each check trims the cell, normalises it
// (upper case check characters) and explains in Chinese what is wrong, so a cadre can fix the cell.
#ifndef TAIZHANG_BASE_CHECKS_H_
#define TAIZHANG_BASE_CHECKS_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/result.h"

namespace tz {

struct ResidentIdInfo {
  std::string normalized;  // 18 characters, check character upper case
  Date birth;              // characters 7-14
  bool male = false;       // the 17th digit is odd
};

// An 18-character resident ID: 17 digits and the ISO 7064 MOD 11-2 check character ('0'-'9' or
// 'X'; 'x' is accepted and normalised). Surrounding spaces are trimmed. The birth date must be a
// real day, in 1900 or later and not after `today` (the system's local date when not given; tests
// pass a fixed day). The region code (first 6 digits) is not checked against a table.
// Errors are InvalidArgument with a specific Chinese message.
Result<ResidentIdInfo> CheckResidentId(std::string_view text,
                                       std::optional<Date> today = std::nullopt);
// The check character for the first 17 digits; 0 if `first17` is not exactly 17 digits.
char ResidentIdCheckChar(std::string_view first17);

// An 18-character unified social credit code over "0123456789ABCDEFGHJKLMNPQRTUWXY" whose last
// character is the GB 32100 check character. Lower case is normalised to upper case and
// surrounding spaces trimmed. Returns the normalised code.
Result<std::string> CheckCreditCode(std::string_view text);
// The check character for the first 17 characters (upper case); 0 if `first17` is not exactly 17
// characters of the code alphabet.
char CreditCodeCheckChar(std::string_view first17);

// An 11-digit mobile number starting with 1, or a landline written with its area code:
// "0" + 2-3 digits, '-', 7-8 digits (0795-1234567, 010-12345678). No extensions, no "+86", no
// inner spaces. Returns the trimmed number.
Result<std::string> CheckPhone(std::string_view text);

// Today's date on the system clock, in local time (the township's day, not UTC).
Date SystemToday();

}  // namespace tz

#endif  // TAIZHANG_BASE_CHECKS_H_
