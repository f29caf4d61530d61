// Number: an exact rational used for figure values and derived arithmetic (rates, sums of
// figures). Counts and fixed-point decimals convert into it without loss; no doubles anywhere in a
// figure's computation. ToDouble exists only for JSON output.
#ifndef TAIZHANG_BASE_NUMBER_H_
#define TAIZHANG_BASE_NUMBER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/decimal.h"

namespace tz {

class Number {
 public:
  Number() = default;  // 0
  static Number FromInt(int64_t v) { return Number(v, 1); }
  static Number FromDecimal(Decimal d) { return FromRatio(d.scaled(), Decimal::kScale); }
  // num/den, den != 0 (normalised: den > 0, gcd 1).
  static Number FromRatio(__int128 num, __int128 den);

  // True when an operation on the way here left the 128-bit range. Such a number has no meaningful
  // value; figure evaluation turns it into "no value" with a note instead of printing nonsense.
  bool overflow() const { return overflow_; }
  bool IsZero() const { return num_ == 0; }
  bool IsInteger() const { return den_ == 1; }
  bool IsNegative() const { return num_ < 0; }
  // Floor / round-half-away-from-zero to an integer.
  int64_t Floor() const;
  int64_t RoundToInt() const;
  // Rounded (half away from zero) to `digits` decimals, as text with trailing zeros dropped.
  std::string ToString(int digits) const;
  // Floored to `digits` decimals, trailing zeros dropped.
  std::string ToStringFloor(int digits) const;
  double ToDouble() const;
  // Value as a fixed-point decimal (rounded to 4 decimals).
  Decimal ToDecimal() const;

  friend Number operator+(const Number& a, const Number& b);
  friend Number operator-(const Number& a, const Number& b);
  friend Number operator*(const Number& a, const Number& b);
  // b must not be zero; callers check and report "分母为0".
  friend Number operator/(const Number& a, const Number& b);
  friend Number operator-(const Number& a) {
    Number r(-a.num_, a.den_);
    r.overflow_ = a.overflow_;
    return r;
  }
  friend bool operator==(const Number& a, const Number& b) {
    return a.num_ == b.num_ && a.den_ == b.den_;
  }
  friend int Compare(const Number& a, const Number& b);  // -1, 0, 1
  friend bool operator<(const Number& a, const Number& b) { return Compare(a, b) < 0; }

 private:
  Number(__int128 num, __int128 den) : num_(num), den_(den) {}
  static Number Overflowed();

  __int128 num_ = 0;
  __int128 den_ = 1;
  bool overflow_ = false;
};

}  // namespace tz

#endif  // TAIZHANG_BASE_NUMBER_H_
