// The evaluator of derived expressions: figures combined with arithmetic, comparisons, logic and
// the period functions, over values already computed. No value propagates with its note.
#ifndef TAIZHANG_FIGURES_EVALUATOR_H_
#define TAIZHANG_FIGURES_EVALUATOR_H_

#include <functional>

#include "base/period.h"
#include "figures/bound.h"
#include "figures/scope.h"
#include "figures/value.h"

namespace tz::figures {

class Evaluator {
 public:
  // `figure(i)` and `aggregate(i)` give the values of figure i and aggregate i.
  Evaluator(const Period& period, const Scope& scope, const std::function<FigureValue(int)>& figure,
            const std::function<FigureValue(int)>& aggregate)
      : period_(period), scope_(scope), figure_(figure), aggregate_(aggregate) {}

  FigureValue Eval(const BoundExpr& e) const;

 private:
  FigureValue EvalBinary(const BoundExpr& e) const;
  FigureValue EvalCall(const BoundExpr& e) const;

  const Period& period_;
  const Scope& scope_;
  const std::function<FigureValue(int)>& figure_;
  const std::function<FigureValue(int)>& aggregate_;
};

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_EVALUATOR_H_
