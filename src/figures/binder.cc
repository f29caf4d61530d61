#include "figures/binder.h"

#include <functional>
#include <map>
#include <set>

#include "base/date.h"
#include "base/decimal.h"
#include "base/strings.h"
#include "figures/parser.h"

namespace tz::figures {
namespace {

using pack::Column;
using pack::ColumnType;
using pack::Ledger;

Status NodeError(const Node& n, const std::string& msg) {
  return Status::InvalidArgument("第" + std::to_string(n.pos) + "列：" + msg,
                                 "column " + std::to_string(n.pos) + ": " + msg);
}

bool IsNumericColumn(const Column& c) {
  return c.type == ColumnType::kInt || c.type == ColumnType::kDecimal;
}

ValueType ColumnValueType(const Column& c) {
  switch (c.type) {
    case ColumnType::kInt:
    case ColumnType::kDecimal:
      return ValueType::kNumber;
    case ColumnType::kBool:
      return ValueType::kBool;
    case ColumnType::kDate:
      return ValueType::kDate;
    case ColumnType::kMonth:
      return ValueType::kMonth;
    default:
      return ValueType::kText;
  }
}

// Columns whose values compare as the same kind of thing (for column-vs-column comparisons).
int ComparableClass(const Column& c) {
  switch (c.type) {
    case ColumnType::kInt:
      return 1;
    case ColumnType::kDecimal:
      return 2;
    case ColumnType::kDate:
      return 3;
    case ColumnType::kMonth:
      return 4;
    case ColumnType::kBool:
      return 5;
    default:
      return 6;
  }
}

bool IsComparison(std::string_view op) {
  return op == "=" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

class Binder {
 public:
  // With `bound`, figure references use those already bound figures instead of binding them
  // again (for standalone expressions such as template conditions).
  Binder(const pack::Catalog& catalog, BoundCatalog& out, const BoundCatalog* bound = nullptr)
      : catalog_(catalog), out_(out), bound_(bound) {
    for (size_t i = 0; i < catalog.figures.size(); ++i) {
      figure_index_[catalog.figures[i].id] = static_cast<int>(i);
    }
    state_.assign(catalog.figures.size(), State::kUnbound);
    error_.assign(catalog.figures.size(), std::string());
    out_.figures.resize(catalog.figures.size());
  }

  Status BindAll() {
    std::vector<std::string> errors;
    for (size_t i = 0; i < catalog_.figures.size(); ++i) (void)BindFigure(static_cast<int>(i));
    for (const std::string& e : error_) {
      if (!e.empty()) errors.push_back(e);
    }
    if (errors.empty()) return Status::Ok();
    return Status::InvalidArgument(Join(errors, "\n"),
                                   std::to_string(errors.size()) + " figure(s) failed to bind");
  }

  Result<std::unique_ptr<BoundExpr>> BindText(std::string_view text, std::vector<int>* figs,
                                              std::vector<int>* aggs) {
    TZ_ASSIGN_OR_RETURN(NodePtr node, ParseExpression(text));
    Context ctx;
    TZ_ASSIGN_OR_RETURN(auto expr, BindDerived(*node, ctx));
    if (figs) *figs = ctx.figures;
    if (aggs) *aggs = ctx.aggregates;
    return expr;
  }

 private:
  enum class State { kUnbound, kBinding, kBound, kFailed };

  struct Context {
    std::vector<int> figures;
    std::vector<int> aggregates;
  };

  Status FigureError(int i, const Status& inner) const {
    const pack::FigureDef& f = catalog_.figures[static_cast<size_t>(i)];
    std::string where = f.file.empty() ? "" : f.file + ":" + std::to_string(f.line) + ": ";
    return Status::InvalidArgument(where + "指标 " + f.id + "，" + inner.message(),
                                   where + "figure " + f.id + ", " + inner.log_message());
  }

  // Records a figure's binding error (reported once, for that figure) and returns it.
  Status Failed(int i, const Status& inner) {
    Status s = FigureError(i, inner);
    error_[static_cast<size_t>(i)] = s.message();
    return s;
  }

  Status BindFigure(int i) {
    State& st = state_[static_cast<size_t>(i)];
    if (st == State::kBound) return Status::Ok();
    const pack::FigureDef& def = catalog_.figures[static_cast<size_t>(i)];
    if (st == State::kBinding) {
      return Status::InvalidArgument("指标 " + def.id + " 循环引用了自身",
                                     "figure " + def.id + " refers to itself through a cycle");
    }
    if (st == State::kFailed) {
      return Status::InvalidArgument("依赖的指标 " + def.id + " 有错误",
                                     "depends on failing figure " + def.id);
    }
    st = State::kBinding;
    auto parsed = ParseExpression(def.expr);
    if (!parsed.ok()) {
      st = State::kFailed;
      return Failed(i, parsed.status());
    }
    Context ctx;
    auto bound = BindDerived(**parsed, ctx);
    if (!bound.ok()) {
      state_[static_cast<size_t>(i)] = State::kFailed;
      return Failed(i, bound.status());
    }
    BoundFigure& bf = out_.figures[static_cast<size_t>(i)];
    bf.type = (*bound)->type;
    bf.is_parameter =
        (*bound)->kind == BoundExpr::Kind::kConst && (*bound)->type == ValueType::kNumber;
    bf.expr = std::move(bound).value();
    bf.figures = ctx.figures;
    bf.aggregates = ctx.aggregates;
    state_[static_cast<size_t>(i)] = State::kBound;
    return Status::Ok();
  }

  static std::unique_ptr<BoundExpr> Make(BoundExpr::Kind kind, ValueType type) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = kind;
    e->type = type;
    return e;
  }

  // When `other` is a text constant and `date_side` is a date or month, rewrite the constant in
  // ISO form (YYYY-MM-DD or YYYY-MM) and give it that type; an unreadable date is an error.
  static Status NormaliseDateConstant(const Node& n, const BoundExpr& date_side, BoundExpr* other) {
    if ((date_side.type != ValueType::kDate && date_side.type != ValueType::kMonth) ||
        other->kind != BoundExpr::Kind::kConst || other->type != ValueType::kText) {
      return Status::Ok();
    }
    const std::string& text = other->constant.text();
    if (date_side.type == ValueType::kDate) {
      auto d = Date::Parse(text, false);
      if (!d) return NodeError(n, Quoted(text) + "不是有效日期");
      other->constant = FigureValue::Text(d->ToIso());
    } else {
      auto m = ParseMonth(text, false);
      if (!m) return NodeError(n, Quoted(text) + "不是有效月份");
      other->constant = FigureValue::Text(m->ToMonthIso());
    }
    other->type = date_side.type;
    return Status::Ok();
  }

  Result<std::unique_ptr<BoundExpr>> BindDerived(const Node& n, Context& ctx) {
    switch (n.kind) {
      case NodeKind::kNumber: {
        auto d = Decimal::Parse(n.text);
        if (!d) return NodeError(n, "无法识别的数字" + Quoted(n.text));
        auto e = Make(BoundExpr::Kind::kConst, ValueType::kNumber);
        e->constant = FigureValue::Num(Number::FromDecimal(*d));
        return e;
      }
      case NodeKind::kString: {
        auto e = Make(BoundExpr::Kind::kConst, ValueType::kText);
        e->constant = FigureValue::Text(n.text);
        return e;
      }
      case NodeKind::kName: {
        if (n.text == "A" || n.text == "P.start" || n.text == "P.end") {
          auto e = Make(BoundExpr::Kind::kSymbol, ValueType::kDate);
          e->op = n.text;
          return e;
        }
        if (n.text == "y") {
          auto e = Make(BoundExpr::Kind::kSymbol, ValueType::kNumber);
          e->op = n.text;
          return e;
        }
        if (n.text == "P" || n.text == "Y") {
          return NodeError(n, n.text + " 表示期间，只能用在“列 in " + n.text + "”中");
        }
        auto it = figure_index_.find(n.text);
        if (it == figure_index_.end()) return NodeError(n, "未知的指标" + Quoted(n.text));
        if (bound_) {
          auto e =
              Make(BoundExpr::Kind::kFigure, bound_->figures[static_cast<size_t>(it->second)].type);
          e->index = it->second;
          ctx.figures.push_back(it->second);
          return e;
        }
        bool cycle = state_[static_cast<size_t>(it->second)] == State::kBinding;
        Status s = BindFigure(it->second);
        // The referenced figure's own error is reported for it; here just say which one.
        if (!s.ok()) {
          return NodeError(n, "引用的指标 " + n.text + (cycle ? " 构成循环引用" : " 有错误"));
        }
        auto e = Make(BoundExpr::Kind::kFigure, out_.figures[static_cast<size_t>(it->second)].type);
        e->index = it->second;
        ctx.figures.push_back(it->second);
        return e;
      }
      case NodeKind::kUnary: {
        TZ_ASSIGN_OR_RETURN(auto inner, BindDerived(*n.children[0], ctx));
        ValueType want = n.op == "-" ? ValueType::kNumber : ValueType::kBool;
        if (inner->type != want) {
          return NodeError(n, std::string(n.op == "-" ? "负号" : "not") + " 需要" +
                                  ValueTypeName(want) + "，实际为" + ValueTypeName(inner->type));
        }
        if (n.op == "-" && inner->kind == BoundExpr::Kind::kConst) {
          inner->constant = FigureValue::Num(-inner->constant.number());
          return inner;
        }
        auto e = Make(BoundExpr::Kind::kUnary, want);
        e->op = n.op;
        e->children.push_back(std::move(inner));
        return e;
      }
      case NodeKind::kBinary: {
        TZ_ASSIGN_OR_RETURN(auto a, BindDerived(*n.children[0], ctx));
        TZ_ASSIGN_OR_RETURN(auto b, BindDerived(*n.children[1], ctx));
        ValueType result;
        if (n.op == "and" || n.op == "or") {
          if (a->type != ValueType::kBool || b->type != ValueType::kBool) {
            return NodeError(n, n.op + " 两边应为是/否（条件），实际为" + ValueTypeName(a->type) +
                                    "和" + ValueTypeName(b->type));
          }
          result = ValueType::kBool;
        } else if (IsComparison(n.op)) {
          // A text constant compared with a date or month is read as one ('2022/1/1' →
          // 2022-01-01), so the comparison is by date, not by the characters typed.
          TZ_RETURN_IF_ERROR(NormaliseDateConstant(n, *a, b.get()));
          TZ_RETURN_IF_ERROR(NormaliseDateConstant(n, *b, a.get()));
          bool same = a->type == b->type ||
                      (a->type == ValueType::kText &&
                       (b->type == ValueType::kDate || b->type == ValueType::kMonth)) ||
                      (b->type == ValueType::kText &&
                       (a->type == ValueType::kDate || a->type == ValueType::kMonth));
          if (!same || a->type == ValueType::kList || a->type == ValueType::kGroups) {
            return NodeError(n, "不能比较" + std::string(ValueTypeName(a->type)) + "和" +
                                    ValueTypeName(b->type));
          }
          result = ValueType::kBool;
        } else {
          if (a->type != ValueType::kNumber || b->type != ValueType::kNumber) {
            return NodeError(n, "运算“" + n.op + "”需要数值，实际为" + ValueTypeName(a->type) +
                                    "和" + ValueTypeName(b->type));
          }
          result = ValueType::kNumber;
        }
        auto e = Make(BoundExpr::Kind::kBinary, result);
        e->op = n.op;
        e->children.push_back(std::move(a));
        e->children.push_back(std::move(b));
        return e;
      }
      case NodeKind::kGiven: {
        TZ_ASSIGN_OR_RETURN(auto inner, BindDerived(*n.children[0], ctx));
        auto e = Make(BoundExpr::Kind::kCall, ValueType::kBool);
        e->op = n.op;  // given / empty: whether the figure has a value
        e->children.push_back(std::move(inner));
        return e;
      }
      case NodeKind::kCall: {
        if (n.text == "month" || n.text == "year") {
          if (n.children.size() != 1) return NodeError(n, n.text + "() 需要一个参数");
          TZ_ASSIGN_OR_RETURN(auto arg, BindDerived(*n.children[0], ctx));
          if (arg->type != ValueType::kDate && arg->type != ValueType::kMonth &&
              arg->type != ValueType::kText) {
            return NodeError(n,
                             n.text + "() 的参数应为日期或月份，实际为" + ValueTypeName(arg->type));
          }
          auto e = Make(BoundExpr::Kind::kCall, ValueType::kNumber);
          e->op = n.text;
          e->children.push_back(std::move(arg));
          return e;
        }
        if (n.text == "period_name" || n.text == "unit_name") {
          if (!n.children.empty()) return NodeError(n, n.text + "() 不需要参数");
          auto e = Make(BoundExpr::Kind::kCall, ValueType::kText);
          e->op = n.text;
          return e;
        }
        return NodeError(n, "未知的函数" + Quoted(n.text));
      }
      case NodeKind::kAggregate:
        return BindAggregate(n, ctx);
      case NodeKind::kSet:
        return NodeError(n, "集合 {…} 只能用在台账条件的 in 之后");
      case NodeKind::kIn:
        return NodeError(n, "in 只能用在台账条件中（聚合函数的 | 之后）");
      case NodeKind::kActive:
        return NodeError(n, "active(…) 只能用在台账条件中（聚合函数的 | 之后）");
    }
    return NodeError(n, "无法识别的表达式");
  }

  Result<int> ResolveColumn(const Node& n, const Ledger& ledger, const std::string& label) {
    int idx = ledger.ColumnIndex(label);
    if (idx < 0) {
      return NodeError(n, "台账" + Quoted(ledger.title) + "没有列" + Quoted(label));
    }
    return idx;
  }

  Result<std::unique_ptr<BoundExpr>> BindAggregate(const Node& n, Context& ctx) {
    const Ledger* ledger = catalog_.FindLedger(n.ledger);
    if (!ledger) return NodeError(n, "未知的台账" + Quoted(n.ledger));
    BoundAggregate agg;
    agg.ledger = static_cast<int>(ledger - catalog_.ledgers.data());
    static const std::map<std::string, AggKind> kKinds = {
        {"count", AggKind::kCount}, {"sum", AggKind::kSum},           {"min", AggKind::kMin},
        {"max", AggKind::kMax},     {"distinct", AggKind::kDistinct}, {"single", AggKind::kSingle},
        {"list", AggKind::kList},   {"groups", AggKind::kGroups}};
    agg.kind = kKinds.at(n.text);
    size_t want_min = agg.kind == AggKind::kCount ? 0 : 1;
    size_t want_max = agg.kind == AggKind::kCount ? 0 : (agg.kind == AggKind::kGroups ? 2 : 1);
    if (n.columns.size() < want_min || n.columns.size() > want_max) {
      if (agg.kind == AggKind::kCount) {
        return NodeError(n, "count 只写台账名，如 count(" + ledger->id + " | 条件)");
      }
      return NodeError(n,
                       n.text + " 需要写明列，如 " + n.text + "(" + ledger->id + ".列名 | 条件)");
    }
    ValueType type = ValueType::kNumber;
    if (!n.columns.empty()) {
      TZ_ASSIGN_OR_RETURN(agg.column, ResolveColumn(n, *ledger, n.columns[0]));
      const Column& col = ledger->columns[static_cast<size_t>(agg.column)];
      switch (agg.kind) {
        case AggKind::kSum:
          if (!IsNumericColumn(col)) {
            return NodeError(n, "sum 需要数值列，列" + Quoted(col.label) + "的类型是" +
                                    pack::ColumnTypeName(col.type));
          }
          break;
        case AggKind::kMin:
        case AggKind::kMax:
        case AggKind::kSingle:
          type = ColumnValueType(col);
          break;
        case AggKind::kList:
          type = ValueType::kList;
          break;
        case AggKind::kGroups:
          type = ValueType::kGroups;
          break;
        default:
          break;
      }
    }
    if (n.columns.size() == 2) {
      TZ_ASSIGN_OR_RETURN(agg.column2, ResolveColumn(n, *ledger, n.columns[1]));
    }
    if (!n.order_by.empty()) {
      if (agg.kind != AggKind::kList) return NodeError(n, "只有 list 可以用 by 排序");
      TZ_ASSIGN_OR_RETURN(agg.order_column, ResolveColumn(n, *ledger, n.order_by));
    }
    if (n.has_condition) {
      TZ_ASSIGN_OR_RETURN(agg.condition, BindCondition(*n.children[0], *ledger));
      agg.has_condition = true;
    }
    agg.source = Unparse(n);
    if (n.has_condition) agg.condition_text = Unparse(*n.children[0]);
    out_.aggregates.push_back(std::move(agg));
    int index = static_cast<int>(out_.aggregates.size()) - 1;
    ctx.aggregates.push_back(index);
    auto e = Make(BoundExpr::Kind::kAggregate, type);
    e->index = index;
    return e;
  }

  std::string Col(const Column& c) const {
    std::string out = "\"";
    for (char ch : c.label) {
      if (ch == '"') out += '"';
      out += ch;
    }
    return out + "\"";
  }

  // A condition over one ledger → boolean SQL. Every atom is two-valued (an empty cell makes a
  // comparison false, not NULL) so that `not` means what a cadre expects.
  Result<SqlFragment> BindCondition(const Node& n, const Ledger& ledger) {
    SqlFragment f;
    switch (n.kind) {
      case NodeKind::kBinary: {
        if (n.op == "and" || n.op == "or") {
          TZ_ASSIGN_OR_RETURN(SqlFragment a, BindCondition(*n.children[0], ledger));
          TZ_ASSIGN_OR_RETURN(SqlFragment b, BindCondition(*n.children[1], ledger));
          f.Append("(");
          f.Append(a);
          f.Append(n.op == "and" ? " AND " : " OR ");
          f.Append(b);
          f.Append(")");
          return f;
        }
        if (!IsComparison(n.op)) {
          return NodeError(n, "条件中不能使用运算“" + n.op + "”");
        }
        const Node* left = n.children[0].get();
        const Node* right = n.children[1].get();
        std::string op = n.op == "!=" ? "<>" : n.op;
        int lcol = AsColumn(*left, ledger);
        if (lcol < 0) {
          // `value op column`: flip so the column is on the left.
          int rcol = AsColumn(*right, ledger);
          if (rcol < 0) {
            if (left->kind == NodeKind::kName) {
              return NodeError(*left,
                               "台账" + Quoted(ledger.title) + "没有列" + Quoted(left->text));
            }
            return NodeError(n, "比较的一边应为台账" + Quoted(ledger.title) + "的列");
          }
          std::swap(left, right);
          lcol = rcol;
          if (op == "<")
            op = ">";
          else if (op == ">")
            op = "<";
          else if (op == "<=")
            op = ">=";
          else if (op == ">=")
            op = "<=";
        }
        const Column& col = ledger.columns[static_cast<size_t>(lcol)];
        int rcol = AsColumn(*right, ledger);
        if (rcol >= 0) {
          const Column& other = ledger.columns[static_cast<size_t>(rcol)];
          if (ComparableClass(col) != ComparableClass(other)) {
            return NodeError(
                n, "列" + Quoted(col.label) + "和列" + Quoted(other.label) + "类型不同，不能比较");
          }
          f.Append("(" + Col(col) + " IS NOT NULL AND " + Col(other) + " IS NOT NULL AND " +
                   Col(col) + " " + op + " " + Col(other) + ")");
          return f;
        }
        if (col.type == ColumnType::kEnum && op != "=" && op != "<>") {
          return NodeError(n, "枚举列" + Quoted(col.label) + "只能用 = 或 != 比较");
        }
        TZ_ASSIGN_OR_RETURN(SqlFragment value, BindOperand(*right, col, ledger));
        f.Append("(" + Col(col) + " IS NOT NULL AND " + Col(col) + " " + op + " ");
        f.Append(value);
        f.Append(")");
        return f;
      }
      case NodeKind::kUnary: {
        if (n.op != "not") return NodeError(n, "条件中不能使用负号");
        TZ_ASSIGN_OR_RETURN(SqlFragment inner, BindCondition(*n.children[0], ledger));
        f.Append("(NOT ");
        f.Append(inner);
        f.Append(")");
        return f;
      }
      case NodeKind::kIn: {
        int c = AsColumn(*n.children[0], ledger);
        if (c < 0) return NodeError(n, "in 的左边应为台账" + Quoted(ledger.title) + "的列");
        const Column& col = ledger.columns[static_cast<size_t>(c)];
        const Node& right = *n.children[1];
        if (right.kind == NodeKind::kName && (right.text == "P" || right.text == "Y")) {
          if (col.type != ColumnType::kDate && col.type != ColumnType::kMonth) {
            return NodeError(n,
                             "列" + Quoted(col.label) + "不是日期或月份，不能用 in " + right.text);
          }
          bool month = col.type == ColumnType::kMonth;
          ParamSource lo, hi;
          lo.kind =
              right.text == "P" ? ParamSource::Kind::kPeriodStart : ParamSource::Kind::kYearStart;
          hi.kind = right.text == "P" ? ParamSource::Kind::kPeriodEnd : ParamSource::Kind::kAsOf;
          lo.as_month = hi.as_month = month;
          f.Append("(" + Col(col) + " IS NOT NULL AND " + Col(col) + " >= ");
          f.AppendParam(lo);
          f.Append(" AND " + Col(col) + " <= ");
          f.AppendParam(hi);
          f.Append(")");
          return f;
        }
        if (right.kind != NodeKind::kSet) {
          return NodeError(right, "in 之后应为 P、Y 或集合 {…}");
        }
        f.Append("(" + Col(col) + " IS NOT NULL AND " + Col(col) + " IN (");
        for (size_t i = 0; i < right.children.size(); ++i) {
          if (i) f.Append(", ");
          TZ_ASSIGN_OR_RETURN(SqlFragment v, BindOperand(*right.children[i], col, ledger));
          f.Append(v);
        }
        f.Append("))");
        return f;
      }
      case NodeKind::kGiven: {
        int c = AsColumn(*n.children[0], ledger);
        if (c < 0) return NodeError(n, n.op + " 的左边应为台账" + Quoted(ledger.title) + "的列");
        f.Append("(" + Col(ledger.columns[static_cast<size_t>(c)]) +
                 (n.op == "given" ? " IS NOT NULL)" : " IS NULL)"));
        return f;
      }
      case NodeKind::kActive: {
        int a = AsColumn(*n.children[0], ledger);
        int b = AsColumn(*n.children[1], ledger);
        if (a < 0 || b < 0) {
          return NodeError(n,
                           "active(开始列, 结束列) 的参数应为台账" + Quoted(ledger.title) + "的列");
        }
        const Column& start = ledger.columns[static_cast<size_t>(a)];
        const Column& end = ledger.columns[static_cast<size_t>(b)];
        if (start.type != ColumnType::kDate || end.type != ColumnType::kDate) {
          return NodeError(n, "active(…) 的两列应为日期列");
        }
        SqlFragment at;
        if (n.children.size() > 2) {
          TZ_ASSIGN_OR_RETURN(at, BindOperand(*n.children[2], start, ledger));
        } else {
          ParamSource asof;
          asof.kind = ParamSource::Kind::kAsOf;
          at.AppendParam(asof);
        }
        f.Append("(" + Col(start) + " IS NOT NULL AND " + Col(start) + " <= ");
        f.Append(at);
        f.Append(" AND (" + Col(end) + " IS NULL OR " + Col(end) + " > ");
        f.Append(at);
        f.Append("))");
        return f;
      }
      case NodeKind::kName: {
        int c = AsColumn(n, ledger);
        if (c >= 0 && ledger.columns[static_cast<size_t>(c)].type == ColumnType::kBool) {
          const std::string col = Col(ledger.columns[static_cast<size_t>(c)]);
          f.Append("(" + col + " IS NOT NULL AND " + col + " = 1)");
          return f;
        }
        if (c >= 0) return NodeError(n, "列" + Quoted(n.text) + "不是是/否列，不能单独作条件");
        return NodeError(n, "台账" + Quoted(ledger.title) + "没有列" + Quoted(n.text));
      }
      default:
        return NodeError(n, "此处应为条件（如 列 = 值、列 in P）");
    }
  }

  int AsColumn(const Node& n, const Ledger& ledger) const {
    if (n.kind != NodeKind::kName) return -1;
    std::string label = n.text;
    if (StartsWith(label, ledger.id + ".")) label = label.substr(ledger.id.size() + 1);
    return ledger.ColumnIndex(label);
  }

  // A value compared with column `col`, converted to the column's stored form.
  Result<SqlFragment> BindOperand(const Node& n, const Column& col, const Ledger& ledger) {
    SqlFragment f;
    ParamSource p;
    switch (n.kind) {
      case NodeKind::kString: {
        TZ_ASSIGN_OR_RETURN(p.literal, ConvertString(n, col, ledger));
        if (n.text.find("{y}") != std::string::npos) {
          p.kind = ParamSource::Kind::kYearTemplate;
          p.text = n.text;
        }
        f.AppendParam(p);
        return f;
      }
      case NodeKind::kNumber: {
        TZ_ASSIGN_OR_RETURN(p.literal, ConvertNumber(n, n.text, col, ledger));
        f.AppendParam(p);
        return f;
      }
      case NodeKind::kUnary: {
        if (n.op == "-" && n.children[0]->kind == NodeKind::kNumber) {
          TZ_ASSIGN_OR_RETURN(p.literal, ConvertNumber(n, "-" + n.children[0]->text, col, ledger));
          f.AppendParam(p);
          return f;
        }
        break;
      }
      case NodeKind::kName: {
        if (n.text == "A" || n.text == "P.start" || n.text == "P.end") {
          if (col.type != ColumnType::kDate && col.type != ColumnType::kMonth) {
            return NodeError(
                n, "列" + Quoted(col.label) + "不是日期或月份，不能与 " + n.text + " 比较");
          }
          p.kind = n.text == "A"         ? ParamSource::Kind::kAsOf
                   : n.text == "P.start" ? ParamSource::Kind::kPeriodStart
                                         : ParamSource::Kind::kPeriodEnd;
          p.as_month = col.type == ColumnType::kMonth;
          f.AppendParam(p);
          return f;
        }
        if (n.text == "y") {
          if (col.type != ColumnType::kInt) {
            return NodeError(n, "y（年份）只能与整数列比较，列" + Quoted(col.label) + "的类型是" +
                                    pack::ColumnTypeName(col.type));
          }
          p.kind = ParamSource::Kind::kYear;
          f.AppendParam(p);
          return f;
        }
        auto it = figure_index_.find(n.text);
        if (it != figure_index_.end()) {
          Status s = BindFigure(it->second);
          if (!s.ok()) return NodeError(n, "引用的指标 " + n.text + " 有错误");
          const BoundFigure& bf = out_.figures[static_cast<size_t>(it->second)];
          if (!bf.is_parameter) {
            return NodeError(n, "条件中只能引用参数（值为常数的指标），" + n.text + " 不是参数");
          }
          // Parameters are exact decimals; write them in the column's form.
          std::string text = bf.expr->constant.number().ToString(4);
          TZ_ASSIGN_OR_RETURN(p.literal, ConvertNumber(n, text, col, ledger));
          f.AppendParam(p);
          return f;
        }
        return NodeError(
            n, "台账" + Quoted(ledger.title) + "没有列" + Quoted(n.text) + "，也没有这个参数");
      }
      default:
        break;
    }
    return NodeError(n, "此处应为一个值（文字、数字、A、P.start、P.end、y 或参数）");
  }

  Result<store::SqlValue> ConvertNumber(const Node& n, const std::string& text, const Column& col,
                                        const Ledger& ledger) {
    auto d = Decimal::Parse(text);
    if (!d) return NodeError(n, "无法识别的数字" + Quoted(text));
    if (col.type == ColumnType::kInt) {
      if (!d->IsInteger())
        return NodeError(n, "列" + Quoted(col.label) + "是整数列，" + text + " 不是整数");
      return store::SqlValue(d->IntegerPart());
    }
    if (col.type == ColumnType::kDecimal) return store::SqlValue(d->scaled());
    return NodeError(n, "列" + Quoted(col.label) + "的类型是" + pack::ColumnTypeName(col.type) +
                            "，不能与数字比较");
  }

  Result<store::SqlValue> ConvertString(const Node& n, const Column& col, const Ledger& ledger) {
    const std::string& s = n.text;
    switch (col.type) {
      case ColumnType::kEnum: {
        if (s.find("{y}") != std::string::npos) {
          return NodeError(n, "枚举列" + Quoted(col.label) + "不能与含 {y} 的文字比较");
        }
        if (!col.HasEnumValue(s)) {
          std::vector<std::string> values(col.enum_values.begin(), col.enum_values.end());
          return NodeError(n, "台账" + Quoted(ledger.title) + "的列" + Quoted(col.label) +
                                  "没有取值" + Quoted(s) + "（可选：" + Join(values, "、") + "）");
        }
        return store::SqlValue(s);
      }
      case ColumnType::kBool:
        if (s == "是") return store::SqlValue(int64_t{1});
        if (s == "否") return store::SqlValue(int64_t{0});
        return NodeError(n, "是/否列" + Quoted(col.label) + "只能与 '是' 或 '否' 比较");
      case ColumnType::kDate: {
        auto d = Date::Parse(s, false);
        if (!d) return NodeError(n, Quoted(s) + "不是有效日期");
        return store::SqlValue(d->ToIso());
      }
      case ColumnType::kMonth: {
        auto d = ParseMonth(s, false);
        if (!d) return NodeError(n, Quoted(s) + "不是有效月份");
        return store::SqlValue(d->ToMonthIso());
      }
      case ColumnType::kUnit: {
        const pack::OrgUnit* v = catalog_.org.FindVillage(s);
        if (!v) return NodeError(n, Quoted(s) + "不是本镇的村（社区）");
        return store::SqlValue(v->code);
      }
      case ColumnType::kInt:
      case ColumnType::kDecimal:
        return NodeError(n, "列" + Quoted(col.label) + "是数值列，请直接写数字，不要加引号");
      default:
        return store::SqlValue(s);
    }
  }

  const pack::Catalog& catalog_;
  BoundCatalog& out_;
  std::map<std::string, int> figure_index_;
  std::vector<State> state_;
  std::vector<std::string> error_;  // per figure, empty when it bound
  const BoundCatalog* bound_;
};

}  // namespace

const char* ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kNumber:
      return "数值";
    case ValueType::kBool:
      return "是/否";
    case ValueType::kText:
      return "文字";
    case ValueType::kDate:
      return "日期";
    case ValueType::kMonth:
      return "月份";
    case ValueType::kList:
      return "名单";
    case ValueType::kGroups:
      return "分组";
  }
  return "?";
}

Result<BoundCatalog> BindCatalog(const pack::Catalog& catalog) {
  BoundCatalog out;
  Binder binder(catalog, out);
  TZ_RETURN_IF_ERROR(binder.BindAll());
  return out;
}

Result<std::unique_ptr<BoundExpr>> BindStandalone(const pack::Catalog& catalog,
                                                  const BoundCatalog& bound, std::string_view text,
                                                  std::vector<int>* figures_used) {
  BoundCatalog scratch;
  Binder binder(catalog, scratch, &bound);
  std::vector<int> aggregates;
  TZ_ASSIGN_OR_RETURN(auto expr, binder.BindText(text, figures_used, &aggregates));
  if (!aggregates.empty()) {
    return Status::InvalidArgument(
        "条件中不能直接使用台账聚合，请先把它定义为指标：" + std::string(text),
        "standalone expressions may only refer to figures");
  }
  return expr;
}

}  // namespace tz::figures
