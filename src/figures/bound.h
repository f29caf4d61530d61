// The bound tree: names resolved against the Catalog, types checked. Conditions are already SQL
// text with `?` placeholders; the values behind the placeholders may depend on the period (A, P,
// Y, y) and are resolved per computation from ParamSource, so a figure is bound once and
// computed for any period and org unit.
#ifndef TAIZHANG_FIGURES_BOUND_H_
#define TAIZHANG_FIGURES_BOUND_H_

#include <memory>
#include <string>
#include <vector>

#include "base/period.h"
#include "figures/value.h"
#include "store/store.h"

namespace tz::figures {

// Where a SQL parameter's value comes from.
struct ParamSource {
  enum class Kind {
    kLiteral,       // `literal`
    kAsOf,          // A
    kPeriodStart,   // P.start
    kPeriodEnd,     // P.end
    kYearStart,     // 1 January of A's year
    kYear,          // y, an integer
    kYearTemplate,  // `text` with {y} replaced by the year
  };
  Kind kind = Kind::kLiteral;
  store::SqlValue literal;
  std::string text;
  bool as_month = false;  // dates compared with a month column are written YYYY-MM

  store::SqlValue Resolve(const Period& p) const;
};

// SQL text with `?` placeholders and where each value comes from.
struct SqlFragment {
  std::string sql;
  std::vector<ParamSource> params;

  void Append(const std::string& s) { sql += s; }
  void Append(const SqlFragment& f) {
    sql += f.sql;
    params.insert(params.end(), f.params.begin(), f.params.end());
  }
  void AppendParam(ParamSource p) {
    sql += "?";
    params.push_back(std::move(p));
  }
  std::vector<store::SqlValue> ResolveParams(const Period& p) const;
};

enum class AggKind { kCount, kSum, kMin, kMax, kDistinct, kSingle, kList, kGroups };

struct BoundAggregate {
  AggKind kind = AggKind::kCount;
  int ledger = -1;        // index in Catalog::ledgers
  int column = -1;        // value column (all but count)
  int column2 = -1;       // groups(L.a, L.b): the member column
  int order_column = -1;  // list(… by col)
  bool has_condition = false;
  SqlFragment condition;       // a boolean SQL expression over the ledger's columns
  std::string source;          // the figure-language text (Unparse), for explain
  std::string condition_text;  // the condition alone, for notes ("没有符合条件（…）的记录")
};

// Replaces the period symbols marked by Unparse with this period's values: A → 2022-06-30,
// P → 2022-01-01..2022-06-30, y → 2022.
std::string ResolveSymbols(const std::string& text, const Period& p);

struct BoundExpr {
  enum class Kind { kConst, kFigure, kAggregate, kSymbol, kUnary, kBinary, kCall };
  Kind kind = Kind::kConst;
  ValueType type = ValueType::kNumber;
  FigureValue constant;  // kConst
  int index = -1;        // kFigure: figure index; kAggregate: aggregate index
  std::string op;        // kUnary/kBinary operator, kCall function, kSymbol name
  std::vector<std::unique_ptr<BoundExpr>> children;
};

struct BoundFigure {
  std::unique_ptr<BoundExpr> expr;
  ValueType type = ValueType::kNumber;
  std::vector<int> aggregates;  // aggregate indexes used directly
  std::vector<int> figures;     // figure indexes used directly
  bool is_parameter = false;    // a plain constant
};

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_BOUND_H_
