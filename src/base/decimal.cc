#include "base/decimal.h"

#include <limits>

#include "base/strings.h"

namespace tz {

std::optional<Decimal> Decimal::Parse(std::string_view raw) {
  std::string_view t = TrimSpace(raw);
  if (t.empty()) return std::nullopt;
  bool neg = false;
  size_t i = 0;
  if (t[0] == '-' || t[0] == '+') {
    neg = t[0] == '-';
    ++i;
  }
  // The whole part times kScale plus four decimals must fit in int64.
  constexpr int64_t kMaxWhole = (std::numeric_limits<int64_t>::max() - (kScale - 1)) / kScale;
  int64_t whole = 0;
  int digits = 0;
  for (; i < t.size() && t[i] != '.'; ++i) {
    char c = t[i];
    if (c == ',') continue;  // thousands separators as Excel writes them
    if (c < '0' || c > '9') return std::nullopt;
    if (whole > (kMaxWhole - (c - '0')) / 10) return std::nullopt;
    whole = whole * 10 + (c - '0');
    ++digits;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < t.size()) {  // at '.'
    ++i;
    for (; i < t.size(); ++i) {
      char c = t[i];
      if (c < '0' || c > '9') return std::nullopt;
      if (frac_digits == kScaleDigits) {
        if (c != '0') return std::nullopt;  // more precision than we keep
        continue;
      }
      frac = frac * 10 + (c - '0');
      ++frac_digits;
    }
  }
  if (digits == 0 && frac_digits == 0) return std::nullopt;
  for (int k = frac_digits; k < kScaleDigits; ++k) frac *= 10;
  int64_t scaled = whole * kScale + frac;
  return Decimal(neg ? -scaled : scaled);
}

int64_t Decimal::Floor() const {
  int64_t q = scaled_ / kScale;
  if (scaled_ % kScale != 0 && scaled_ < 0) --q;
  return q;
}

Decimal Decimal::Round(int digits) const {
  if (digits >= kScaleDigits) return *this;
  if (digits < 0) digits = 0;
  int64_t unit = 1;
  for (int k = digits; k < kScaleDigits; ++k) unit *= 10;
  int64_t mag = scaled_ < 0 ? -scaled_ : scaled_;
  int64_t r = (mag + unit / 2) / unit * unit;
  return Decimal(scaled_ < 0 ? -r : r);
}

std::string Decimal::ToString() const { return ToString(kScaleDigits); }

std::string Decimal::ToString(int digits) const {
  Decimal r = Round(digits);
  int64_t mag = r.scaled_ < 0 ? -r.scaled_ : r.scaled_;
  std::string s = (r.scaled_ < 0 ? "-" : "") + std::to_string(mag / kScale);
  int64_t frac = mag % kScale;
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, kScaleDigits - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

}  // namespace tz
