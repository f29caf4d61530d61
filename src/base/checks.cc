#include "base/checks.h"

#include <ctime>
#include <vector>

#include "base/strings.h"

namespace tz {
namespace {

constexpr int kResidentIdWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kResidentIdCheckChars[] = "10X98765432";

// GB 32100 leaves out I, O, Z, S and V so a code can't be misread as 1, 0, 2, 5 and U.
constexpr std::string_view kCreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kCreditCodeWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                        29, 25, 13, 8,  24, 10, 30, 28};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// The characters of a cell as the user sees them: code points when the text is UTF-8, bytes
// otherwise. Messages then count positions the way a person counts them, and a full-width digit is
// one wrong character rather than a wrong length.
std::vector<std::string_view> SplitChars(std::string_view s) {
  std::vector<std::string_view> out;
  bool utf8 = IsValidUtf8(s);
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (utf8 && c >= 0xF0) {
      len = 4;
    } else if (utf8 && c >= 0xE0) {
      len = 3;
    } else if (utf8 && c >= 0xC0) {
      len = 2;
    }
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

// Value of a run of ASCII digits (already checked).
int DigitsValue(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Date SystemToday() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  // localtime_r always yields a real day.
  return *Date::FromYmd(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

char ResidentIdCheckChar(std::string_view first17) {
  if (first17.size() != 17 || !AllDigits(first17)) return 0;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kResidentIdWeights[i];
  return kResidentIdCheckChars[sum % 11];
}

Result<ResidentIdInfo> CheckResidentId(std::string_view text, std::optional<Date> today) {
  std::string_view trimmed = TrimSpace(text);
  std::vector<std::string_view> chars = SplitChars(trimmed);
  if (chars.size() != 18) {
    return Status::InvalidArgument(
        "身份证号应为18位，实际为" + std::to_string(chars.size()) + "位",
        "resident id must have 18 characters, got " + std::to_string(chars.size()));
  }
  for (size_t i = 0; i < 17; ++i) {
    if (chars[i].size() != 1 || !IsDigit(chars[i][0])) {
      return Status::InvalidArgument(
          "身份证号前17位应为数字（第" + std::to_string(i + 1) + "位是" + Quoted(chars[i]) + "）",
          "resident id: non-digit in the first 17 characters at " + std::to_string(i + 1));
    }
  }
  std::string id(trimmed.substr(0, 17));
  char last = chars[17].size() == 1 ? chars[17][0] : 0;
  if (last == 'x') last = 'X';
  if (!IsDigit(last) && last != 'X') {
    return Status::InvalidArgument("身份证号最后一位应为数字或X，实际为" + Quoted(chars[17]),
                                   "resident id: last character is neither a digit nor X");
  }
  id += last;
  std::string_view first17 = std::string_view(id).substr(0, 17);
  // The birth date goes before the check character: when the date is impossible, "fix the last
  // character" would be the wrong advice.
  std::string_view ymd = first17.substr(6, 8);
  int year = DigitsValue(ymd.substr(0, 4));
  int month = DigitsValue(ymd.substr(4, 2));
  int day = DigitsValue(ymd.substr(6, 2));
  std::optional<Date> birth = Date::FromYmd(year, month, day);
  if (!birth) {
    return Status::InvalidArgument(
        "身份证号中的出生日期" + std::string(ymd) + "不是有效日期",
        "resident id: birth date " + std::string(ymd) + " is not a real day");
  }
  if (year < 1900) {
    return Status::InvalidArgument("身份证号中的出生日期" + std::string(ymd) + "早于1900年",
                                   "resident id: birth year before 1900");
  }
  Date now = today ? *today : SystemToday();
  if (*birth > now) {
    return Status::InvalidArgument(
        "身份证号中的出生日期" + std::string(ymd) + "晚于今天（" + now.ToIso() + "）",
        "resident id: birth date " + std::string(ymd) + " is after " + now.ToIso());
  }
  char expected = ResidentIdCheckChar(first17);
  if (id[17] != expected) {
    return Status::InvalidArgument(
        std::string("身份证号校验位错误：应为") + expected + "，实际为" + id[17],
        std::string("resident id: check character should be ") + expected + ", got " + id[17]);
  }
  ResidentIdInfo info;
  info.normalized = std::move(id);
  info.birth = *birth;
  info.male = (info.normalized[16] - '0') % 2 == 1;
  return info;
}

char CreditCodeCheckChar(std::string_view first17) {
  if (first17.size() != 17) return 0;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t v = kCreditCodeAlphabet.find(first17[i]);
    if (v == std::string_view::npos) return 0;
    sum += static_cast<int>(v) * kCreditCodeWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kCreditCodeAlphabet[check];
}

Result<std::string> CheckCreditCode(std::string_view text) {
  std::string_view trimmed = TrimSpace(text);
  std::vector<std::string_view> chars = SplitChars(trimmed);
  if (chars.size() != 18) {
    return Status::InvalidArgument(
        "统一社会信用代码应为18位，实际为" + std::to_string(chars.size()) + "位",
        "credit code must have 18 characters, got " + std::to_string(chars.size()));
  }
  std::string code;
  for (size_t i = 0; i < chars.size(); ++i) {
    char c = chars[i].size() == 1 ? chars[i][0] : 0;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 0 || kCreditCodeAlphabet.find(c) == std::string_view::npos) {
      return Status::InvalidArgument(
          "统一社会信用代码第" + std::to_string(i + 1) + "位" + Quoted(chars[i]) +
              "不是有效字符（只能是数字和除I、O、Z、S、V以外的大写字母）",
          "credit code: invalid character at " + std::to_string(i + 1));
    }
    code += c;
  }
  char expected = CreditCodeCheckChar(std::string_view(code).substr(0, 17));
  if (code[17] != expected) {
    return Status::InvalidArgument(
        std::string("统一社会信用代码校验位错误：应为") + expected + "，实际为" + code[17],
        std::string("credit code: check character should be ") + expected + ", got " + code[17]);
  }
  return code;
}

Result<std::string> CheckPhone(std::string_view text) {
  std::string_view p = TrimSpace(text);
  bool ok = false;
  if (p.size() == 11 && p[0] == '1' && AllDigits(p)) {
    ok = true;
  } else {
    size_t dash = p.find('-');
    if (dash != std::string_view::npos) {
      std::string_view area = p.substr(0, dash);
      std::string_view local = p.substr(dash + 1);
      ok = area.size() >= 3 && area.size() <= 4 && area[0] == '0' && AllDigits(area) &&
           local.size() >= 7 && local.size() <= 8 && AllDigits(local);
    }
  }
  if (!ok) {
    return Status::InvalidArgument(
        "联系电话格式不正确：" + Quoted(p) +
            "（应为11位手机号，或带区号的固定电话，如0795-1234567）",
        "phone number is neither an 11-digit mobile nor AREA-LOCAL landline");
  }
  return std::string(p);
}

}  // namespace tz
