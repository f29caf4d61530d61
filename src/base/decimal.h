// Fixed-point decimal with four fractional digits: amounts (元/万元/亿元) and areas (亩) are never
// doubles. Stored in the database as the scaled integer, so SUM in SQL is exact.
#ifndef TAIZHANG_BASE_DECIMAL_H_
#define TAIZHANG_BASE_DECIMAL_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tz {

class Decimal {
 public:
  static constexpr int kScaleDigits = 4;
  static constexpr int64_t kScale = 10000;

  constexpr Decimal() = default;
  static constexpr Decimal FromScaled(int64_t scaled) { return Decimal(scaled); }
  static constexpr Decimal FromInt(int64_t v) { return Decimal(v * kScale); }
  // Accepts `12`, `-3.5`, `1,234.56`, `+7`, `.5`; at most four decimals (more is an error, not a
  // silent rounding). nullopt when not a number or out of range.
  static std::optional<Decimal> Parse(std::string_view text);

  int64_t scaled() const { return scaled_; }
  bool IsInteger() const { return scaled_ % kScale == 0; }
  int64_t IntegerPart() const { return scaled_ / kScale; }  // truncates toward zero
  int64_t Floor() const;
  // Rounds half away from zero to `digits` decimals (0..4).
  Decimal Round(int digits) const;
  // Plain form with trailing zeros dropped: 12.5, 3, -0.25.
  std::string ToString() const;
  // At most `digits` decimals after rounding, trailing zeros dropped.
  std::string ToString(int digits) const;

  friend Decimal operator+(Decimal a, Decimal b) { return Decimal(a.scaled_ + b.scaled_); }
  friend Decimal operator-(Decimal a, Decimal b) { return Decimal(a.scaled_ - b.scaled_); }
  friend constexpr bool operator==(Decimal a, Decimal b) { return a.scaled_ == b.scaled_; }
  friend constexpr auto operator<=>(Decimal a, Decimal b) { return a.scaled_ <=> b.scaled_; }

 private:
  constexpr explicit Decimal(int64_t scaled) : scaled_(scaled) {}
  int64_t scaled_ = 0;
};

}  // namespace tz

#endif  // TAIZHANG_BASE_DECIMAL_H_
