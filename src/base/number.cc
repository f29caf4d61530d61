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

Number Number::Overflowed() {
  Number n;
  n.overflow_ = true;
  return n;
}

namespace {

// a*b + c*d and a*b, each checked against the 128-bit range.
bool MulAdd(__int128 a, __int128 b, __int128 c, __int128 d, __int128* out) {
  __int128 x, y;
  return !__builtin_mul_overflow(a, b, &x) && !__builtin_mul_overflow(c, d, &y) &&
         !__builtin_add_overflow(x, y, out);
}
bool Mul(__int128 a, __int128 b, __int128* out) { return !__builtin_mul_overflow(a, b, out); }

}  // namespace

Number operator+(const Number& a, const Number& b) {
  __int128 num, den;
  if (a.overflow_ || b.overflow_ || !MulAdd(a.num_, b.den_, b.num_, a.den_, &num) ||
      !Mul(a.den_, b.den_, &den)) {
    return Number::Overflowed();
  }
  return Number::FromRatio(num, den);
}
Number operator-(const Number& a, const Number& b) { return a + (-b); }
Number operator*(const Number& a, const Number& b) {
  // Cross-reduce first so that products of ratios stay small.
  __int128 g1 = Gcd(a.num_, b.den_), g2 = Gcd(b.num_, a.den_);
  __int128 num, den;
  if (a.overflow_ || b.overflow_ || !Mul(a.num_ / g1, b.num_ / g2, &num) ||
      !Mul(a.den_ / g2, b.den_ / g1, &den)) {
    return Number::Overflowed();
  }
  return Number::FromRatio(num, den);
}
Number operator/(const Number& a, const Number& b) {
  if (b.num_ == 0) return Number::Overflowed();  // callers check; never a silent value
  Number inv = Number::FromRatio(b.den_, b.num_);
  inv.overflow_ = b.overflow_;
  return a * inv;
}

int Compare(const Number& a, const Number& b) {
  __int128 l, r;
  if (!Mul(a.num_, b.den_, &l) || !Mul(b.num_, a.den_, &r)) {
    // Out of range for exact comparison: the quotients decide (their sizes differ hugely).
    double x = a.ToDouble(), y = b.ToDouble();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  return l < r ? -1 : (l > r ? 1 : 0);
}

int64_t Number::Floor() const {
  __int128 q = num_ / den_;
  if (num_ % den_ != 0 && num_ < 0) --q;
  return static_cast<int64_t>(q);
}

namespace {

// floor(|num| * 10^digits / den) by long division (no product of num with 10^digits), plus the
// remainder, so that formatting never overflows.
__int128 ScaledQuotient(__int128 mag, __int128 den, int digits, __int128* rem) {
  __int128 q = mag / den;
  __int128 r = mag % den;
  for (int i = 0; i < digits; ++i) {
    // r < den; den stays far below 2^127 / 10 for any value that was not flagged as overflowed.
    r *= 10;
    q = q * 10 + r / den;
    r %= den;
  }
  *rem = r;
  return q;
}

}  // namespace

std::string Number::ToString(int digits) const {
  __int128 rem;
  __int128 q = ScaledQuotient(Abs(num_), den_, digits, &rem);
  if (rem >= den_ - rem) ++q;  // half away from zero
  return FormatScaled(num_ < 0 ? -q : q, digits);
}

std::string Number::ToStringFloor(int digits) const {
  __int128 rem;
  __int128 q = ScaledQuotient(Abs(num_), den_, digits, &rem);
  if (num_ < 0 && rem != 0) ++q;  // floor of a negative goes away from zero
  return FormatScaled(num_ < 0 ? -q : q, digits);
}

int64_t Number::RoundToInt() const {
  __int128 rem;
  __int128 q = ScaledQuotient(Abs(num_), den_, 0, &rem);
  if (rem >= den_ - rem) ++q;
  return static_cast<int64_t>(num_ < 0 ? -q : q);
}

double Number::ToDouble() const { return static_cast<double>(num_) / static_cast<double>(den_); }

Decimal Number::ToDecimal() const {
  __int128 rem;
  __int128 q = ScaledQuotient(Abs(num_), den_, Decimal::kScaleDigits, &rem);
  if (rem >= den_ - rem) ++q;
  return Decimal::FromScaled(static_cast<int64_t>(num_ < 0 ? -q : q));
}

}  // namespace tz
