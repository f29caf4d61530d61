#include "figures/bound.h"

#include "base/strings.h"
#include "figures/parser.h"

namespace tz::figures {

store::SqlValue ParamSource::Resolve(const Period& p) const {
  auto date = [&](Date d) -> store::SqlValue { return as_month ? d.ToMonthIso() : d.ToIso(); };
  switch (kind) {
    case Kind::kLiteral:
      return literal;
    case Kind::kAsOf:
      return date(p.AsOf());
    case Kind::kPeriodStart:
      return date(p.start);
    case Kind::kPeriodEnd:
      return date(p.end);
    case Kind::kYearStart:
      return date(p.YearStart());
    case Kind::kYear:
      return static_cast<int64_t>(p.Year());
    case Kind::kYearTemplate:
      return ReplaceAll(text, "{y}", std::to_string(p.Year()));
  }
  return literal;
}

std::string ResolveSymbols(const std::string& text, const Period& p) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find(kSymbolOpen, i);
    if (open == std::string::npos) break;
    size_t close = text.find(kSymbolClose, open);
    if (close == std::string::npos) break;
    out.append(text, i, open - i);
    std::string sym = text.substr(open + 1, close - open - 1);
    if (sym == "A" || sym == "P.end")
      out += p.end.ToIso();
    else if (sym == "P.start")
      out += p.start.ToIso();
    else if (sym == "P")
      out += p.start.ToIso() + ".." + p.end.ToIso();
    else if (sym == "Y")
      out += p.YearStart().ToIso() + ".." + p.end.ToIso();
    else if (sym == "y")
      out += std::to_string(p.Year());
    else
      out += sym;
    i = close + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

std::vector<store::SqlValue> SqlFragment::ResolveParams(const Period& p) const {
  std::vector<store::SqlValue> out;
  out.reserve(params.size());
  for (const ParamSource& s : params) out.push_back(s.Resolve(p));
  return out;
}

}  // namespace tz::figures
