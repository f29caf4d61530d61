#include "figures/evaluator.h"

#include <optional>

#include "base/strings.h"

namespace tz::figures {
namespace {

std::optional<Date> DateOfText(const std::string& s) {
  if (s.size() == 7) return ParseMonth(s, false);
  return Date::ParseIso(s);
}

}  // namespace

FigureValue Evaluator::Eval(const BoundExpr& e) const {
  switch (e.kind) {
    case BoundExpr::Kind::kConst:
      return e.constant;
    case BoundExpr::Kind::kFigure:
      return figure_(e.index);
    case BoundExpr::Kind::kAggregate:
      return aggregate_(e.index);
    case BoundExpr::Kind::kSymbol:
      if (e.op == "A" || e.op == "P.end") return FigureValue::Text(period_.end.ToIso());
      if (e.op == "P.start") return FigureValue::Text(period_.start.ToIso());
      return FigureValue::Int(period_.Year());
    case BoundExpr::Kind::kUnary: {
      FigureValue v = Eval(*e.children[0]);
      if (!v.has_value()) return v;
      if (e.op == "-") return FigureValue::Num(-v.number());
      return FigureValue::Bool(!v.boolean());
    }
    case BoundExpr::Kind::kBinary:
      return EvalBinary(e);
    case BoundExpr::Kind::kCall:
      return EvalCall(e);
  }
  return FigureValue::None("内部错误");
}

FigureValue Evaluator::EvalBinary(const BoundExpr& e) const {
  FigureValue a = Eval(*e.children[0]);
  if (e.op == "and" || e.op == "or") {
    // A decided left side settles it even if the right side has no value.
    if (a.has_value() && a.boolean() == (e.op == "or")) return a;
    FigureValue b = Eval(*e.children[1]);
    if (!a.has_value()) return a;
    return b;
  }
  FigureValue b = Eval(*e.children[1]);
  if (!a.has_value()) return a;
  if (!b.has_value()) return b;
  const std::string& op = e.op;
  if (op == "+" || op == "-" || op == "*" || op == "/") {
    if (op == "/" && b.number().IsZero()) return FigureValue::None("分母为0");
    Number r = op == "+"   ? a.number() + b.number()
               : op == "-" ? a.number() - b.number()
               : op == "*" ? a.number() * b.number()
                           : a.number() / b.number();
    if (r.overflow()) return FigureValue::None("数值超出计算范围");
    return FigureValue::Num(r);
  }
  int cmp = 0;
  if (a.kind() == FigureValue::Kind::kNumber && b.kind() == FigureValue::Kind::kNumber) {
    cmp = Compare(a.number(), b.number());
  } else if (a.kind() == FigureValue::Kind::kBool && b.kind() == FigureValue::Kind::kBool) {
    cmp = static_cast<int>(a.boolean()) - static_cast<int>(b.boolean());
  } else {
    cmp = a.text() < b.text() ? -1 : (a.text() > b.text() ? 1 : 0);
  }
  if (op == "=") return FigureValue::Bool(cmp == 0);
  if (op == "!=") return FigureValue::Bool(cmp != 0);
  if (op == "<") return FigureValue::Bool(cmp < 0);
  if (op == "<=") return FigureValue::Bool(cmp <= 0);
  if (op == ">") return FigureValue::Bool(cmp > 0);
  return FigureValue::Bool(cmp >= 0);
}

FigureValue Evaluator::EvalCall(const BoundExpr& e) const {
  if (e.op == "period_name") return FigureValue::Text(period_.ChineseSpan());
  if (e.op == "unit_name") return FigureValue::Text(scope_.name);
  FigureValue arg = Eval(*e.children[0]);
  if (e.op == "given") return FigureValue::Bool(arg.has_value());
  if (e.op == "empty") return FigureValue::Bool(!arg.has_value());
  if (!arg.has_value()) return arg;
  std::optional<Date> d = DateOfText(arg.text());
  if (!d) return FigureValue::None(Quoted(arg.text()) + "不是日期或月份");
  return FigureValue::Int(e.op == "month" ? d->month() : d->year());
}

}  // namespace tz::figures
