// The planner: every aggregate over one ledger becomes part of ONE SQL statement (conditional
// aggregates, CASE WHEN … THEN … END), filtered to the org unit; and the decoding of that
// statement's single result row back into values. Also the cell formatting shared with explain.
#ifndef TAIZHANG_FIGURES_PLANNER_H_
#define TAIZHANG_FIGURES_PLANNER_H_

#include <string>
#include <vector>

#include "base/period.h"
#include "figures/bound.h"
#include "figures/scope.h"
#include "figures/value.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::figures {

struct LedgerStatement {
  int ledger = -1;
  std::vector<int> aggregates;  // indexes into BoundCatalog::aggregates, in SELECT order
  std::vector<int> widths;      // result columns each aggregate uses
  SqlFragment sql;
};

// The statement for one ledger's aggregates at `scope` (the ledger must apply at that level).
LedgerStatement PlanLedger(const pack::Catalog& catalog, const std::vector<BoundAggregate>& all,
                           int ledger, const std::vector<int>& aggregates, const Scope& scope,
                           const store::Dialect& dialect);

// The plain statement for one aggregate alone: its condition in the WHERE clause rather than in a
// CASE (`SELECT SUM(c) FROM t WHERE scope AND cond`). What one would write by hand, one query per
// figure: the baseline the batched plan is measured against (bench/) and checked equal to (tests).
LedgerStatement PlanAggregateAlone(const pack::Catalog& catalog,
                                   const std::vector<BoundAggregate>& all, int aggregate,
                                   const Scope& scope, const store::Dialect& dialect);

// The rows behind an aggregate at `scope` (its condition, the unit filter, and for list/groups
// a non-empty value): the WHERE of explain's record query. Empty when every row counts.
SqlFragment RecordCondition(const pack::Ledger& ledger, const BoundAggregate& agg,
                            const Scope& scope, const store::Dialect& dialect);

// The value of one aggregate from its statement's row, starting at result column `pos`.
FigureValue DecodeAggregate(const pack::Catalog& catalog, const pack::Ledger& ledger,
                            const BoundAggregate& agg, const std::vector<store::SqlValue>& row,
                            size_t pos, const Period& period);

// Why a ledger has no value at this level: "不适用：<ledger title>不按村登记".
std::string NotApplicableNote(const pack::Ledger& ledger, const Scope& scope);

// A stored cell as a person reads it (decimals unscaled, bools 是/否, village codes as names).
std::string CellText(const pack::Catalog& catalog, const pack::Column& col,
                     const store::SqlValue& v);
// The same masked when the column is sensitive (pack::Column::sensitive: always ID numbers and
// phones, and the columns a pack marks): 360902********7732, 138****5678, and for any other type
// the first character kept and each further character one * (张三丰 → 张**). Empty cells and
// NULL stay empty; an ID number not 18 characters long or a phone shorter than 7 is left as is.
std::string MaskedCellText(const pack::Catalog& catalog, const pack::Column& col,
                           const store::SqlValue& v);

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_PLANNER_H_
