#include "figures/bound.h"

#include "base/strings.h"

namespace tz::figures {

store::SqlValue ParamSource::Resolve(const Period& p) const {
  auto date = [&](Date d) -> store::SqlValue { return as_month ? d.ToMonthIso() : d.ToIso(); };
  switch (kind) {
    case Kind::kLiteral: return literal;
    case Kind::kAsOf: return date(p.AsOf());
    case Kind::kPeriodStart: return date(p.start);
    case Kind::kPeriodEnd: return date(p.end);
    case Kind::kYearStart: return date(p.YearStart());
    case Kind::kYear: return static_cast<int64_t>(p.Year());
    case Kind::kYearTemplate: return ReplaceAll(text, "{y}", std::to_string(p.Year()));
  }
  return literal;
}

std::vector<store::SqlValue> SqlFragment::ResolveParams(const Period& p) const {
  std::vector<store::SqlValue> out;
  out.reserve(params.size());
  for (const ParamSource& s : params) out.push_back(s.Resolve(p));
  return out;
}

}  // namespace tz::figures
