#include "base/number.h"

namespace tz {
namespace {

__int128 Abs(__int128 v) { return v < 0 ? -v : v; }

__int128 Gcd(__int128 a, __int128 b) {
  a = Abs(a);
  b = Abs(b);
  while (b != 0) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  return a == 0 ? 1 : a;
}

std::string ToDecimalString(__int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  v = Abs(v);
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

__int128 Pow10(int n) {
  __int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// Formats scaled/10^digits with trailing zeros dropped.
std::string FormatScaled(__int128 scaled, int digits) {
  bool neg = scaled < 0;
  __int128 mag = Abs(scaled);
  __int128 unit = Pow10(digits);
  std::string s = ToDecimalString(mag / unit);
  __int128 frac = mag % unit;
  if (digits > 0 && frac != 0) {
    std::string f = ToDecimalString(frac);
    f.insert(0, static_cast<size_t>(digits) - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return neg ? "-" + s : s;
}

}  // namespace

Number Number::FromRatio(__int128 num, __int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  __int128 g = Gcd(num, den);
  return Number(num / g, den / g);
}

Number operator+(const Number& a, const Number& b) {
  return Number::FromRatio(a.num_ * b.den_ + b.num_ * a.den_, a.den_ * b.den_);
}
Number operator-(const Number& a, const Number& b) {
  return Number::FromRatio(a.num_ * b.den_ - b.num_ * a.den_, a.den_ * b.den_);
}
Number operator*(const Number& a, const Number& b) {
  return Number::FromRatio(a.num_ * b.num_, a.den_ * b.den_);
}
Number operator/(const Number& a, const Number& b) {
  return Number::FromRatio(a.num_ * b.den_, a.den_ * b.num_);
}

int Compare(const Number& a, const Number& b) {
  __int128 l = a.num_ * b.den_, r = b.num_ * a.den_;
  return l < r ? -1 : (l > r ? 1 : 0);
}

int64_t Number::Floor() const {
  __int128 q = num_ / den_;
  if (num_ % den_ != 0 && num_ < 0) --q;
  return static_cast<int64_t>(q);
}

int64_t Number::RoundToInt() const {
  __int128 mag = (Abs(num_) * 2 + den_) / (den_ * 2);
  return static_cast<int64_t>(num_ < 0 ? -mag : mag);
}

std::string Number::ToString(int digits) const {
  __int128 unit = Pow10(digits);
  __int128 mag = (Abs(num_) * unit * 2 + den_) / (den_ * 2);
  return FormatScaled(num_ < 0 ? -mag : mag, digits);
}

std::string Number::ToStringFloor(int digits) const {
  __int128 unit = Pow10(digits);
  __int128 scaled = num_ * unit;
  __int128 q = scaled / den_;
  if (scaled % den_ != 0 && scaled < 0) --q;
  return FormatScaled(q, digits);
}

double Number::ToDouble() const {
  return static_cast<double>(num_) / static_cast<double>(den_);
}

Decimal Number::ToDecimal() const {
  __int128 mag = (Abs(num_) * Decimal::kScale * 2 + den_) / (den_ * 2);
  return Decimal::FromScaled(static_cast<int64_t>(num_ < 0 ? -mag : mag));
}

}  // namespace tz
