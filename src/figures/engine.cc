#include "figures/engine.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <set>

#include "base/display.h"
#include "base/strings.h"
#include "figures/parser.h"
#include "store/ledger_tables.h"

namespace tz::figures {
namespace {

using pack::Column;
using pack::ColumnType;
using pack::Ledger;
using store::SqlValue;

// Separators inside string aggregates (list, groups). Imports strip control characters from
// text cells, so these never occur in data.
const std::string kFieldSep = "\x1f";
const std::string kRecordSep = "\x1e";


// Personal identifiers are shown masked (360902********7732, 138****5678): explain output is read
// on screens and pasted into chats. Full values need the access control of a later change.
std::string Masked(const Column& col, const std::string& s) {
  if (col.type == ColumnType::kId18 && s.size() == 18) return s.substr(0, 6) + "********" + s.substr(14);
  if (col.type == ColumnType::kPhone && s.size() >= 7) {
    return s.substr(0, 3) + std::string(s.size() - 7, '*') + s.substr(s.size() - 4);
  }
  return s;
}

// A stored cell as a person reads it.
std::string CellText(const pack::Catalog& catalog, const Column& col, const SqlValue& v) {
  if (store::IsNull(v)) return "";
  if (const auto* n = std::get_if<int64_t>(&v)) {
    switch (col.type) {
      case ColumnType::kDecimal: return Decimal::FromScaled(*n).ToString();
      case ColumnType::kBool: return *n ? "是" : "否";
      default: return std::to_string(*n);
    }
  }
  const std::string& s = std::get<std::string>(v);
  if (col.type == ColumnType::kUnit) {
    if (const pack::OrgUnit* u = catalog.org.FindVillage(s)) return u->name;
  }
  return s;
}

// Text from a string aggregate back to a cell value (numbers arrive as their integer text).
std::string AggText(const pack::Catalog& catalog, const Column& col, const std::string& s) {
  if (col.type == ColumnType::kInt || col.type == ColumnType::kDecimal ||
      col.type == ColumnType::kBool) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return s;
    return CellText(catalog, col, SqlValue(n));
  }
  return CellText(catalog, col, SqlValue(s));
}

std::string ColSql(const store::Dialect& d, const Column& c) { return d.Quote(c.label); }

// `CASE WHEN cond THEN expr END`, or expr when there is no condition.
void AppendConditional(SqlFragment& out, const BoundAggregate& agg, const std::string& expr) {
  if (!agg.has_condition) {
    out.Append(expr);
    return;
  }
  out.Append("CASE WHEN ");
  out.Append(agg.condition);
  out.Append(" THEN " + expr + " END");
}

ParamSource Literal(SqlValue v) {
  ParamSource p;
  p.literal = std::move(v);
  return p;
}

// Text form of a column for string aggregation.
std::string AsText(const store::Dialect& d, const Column& c) {
  std::string q = ColSql(d, c);
  if (c.type == ColumnType::kInt || c.type == ColumnType::kDecimal || c.type == ColumnType::kBool) {
    q = d.IntToText(q);
  }
  return "COALESCE(" + q + ", '')";
}

// Appends the SELECT-list items of one aggregate; returns how many result columns it uses.
int AppendAggregateSql(SqlFragment& sql, const store::Dialect& d, const Ledger& ledger,
                       const BoundAggregate& agg) {
  auto col = [&](int i) { return ColSql(d, ledger.columns[static_cast<size_t>(i)]); };
  switch (agg.kind) {
    case AggKind::kCount:
      if (!agg.has_condition) {
        sql.Append("COUNT(*)");
      } else {
        sql.Append("COUNT(");
        AppendConditional(sql, agg, "1");
        sql.Append(")");
      }
      return 1;
    case AggKind::kSum:
    case AggKind::kMin:
    case AggKind::kMax:
      sql.Append(agg.kind == AggKind::kSum ? "SUM(" : agg.kind == AggKind::kMin ? "MIN(" : "MAX(");
      AppendConditional(sql, agg, col(agg.column));
      sql.Append(")");
      return 1;
    case AggKind::kDistinct:
      sql.Append("COUNT(DISTINCT ");
      AppendConditional(sql, agg, col(agg.column));
      sql.Append(")");
      return 1;
    case AggKind::kSingle:
      sql.Append("COUNT(");
      AppendConditional(sql, agg, "1");
      sql.Append("), MIN(");
      AppendConditional(sql, agg, col(agg.column));
      sql.Append(")");
      return 2;
    case AggKind::kList:
    case AggKind::kGroups: {
      // key <FS> _id <FS> value, one per matching row, joined by <RS>; sorted and grouped in C++
      // because string aggregation order is not portable.
      const Column& value = ledger.columns[static_cast<size_t>(agg.column)];
      int key_col = agg.kind == AggKind::kList ? agg.order_column : agg.column;
      int member_col = agg.kind == AggKind::kList ? agg.column : agg.column2;
      SqlFragment inner;
      inner.Append(key_col >= 0 ? AsText(d, ledger.columns[static_cast<size_t>(key_col)]) : "''");
      inner.Append(" || ");
      inner.AppendParam(Literal(kFieldSep));
      inner.Append(" || " + d.IntToText("_id") + " || ");
      inner.AppendParam(Literal(kFieldSep));
      inner.Append(" || ");
      inner.Append(member_col >= 0 ? AsText(d, ledger.columns[static_cast<size_t>(member_col)])
                                   : "''");
      // Rows whose value (list) or group key (groups) is empty take no part.
      SqlFragment cond;
      cond.Append("(" + ColSql(d, value) + " IS NOT NULL)");
      if (agg.has_condition) {
        cond.Append(" AND ");
        cond.Append(agg.condition);
      }
      SqlFragment expr;
      expr.Append("CASE WHEN ");
      expr.Append(cond);
      expr.Append(" THEN ");
      expr.Append(inner);
      expr.Append(" END");
      // StringAgg wraps text; splice the fragment through a marker to keep params in order.
      std::string wrapped = d.StringAgg("\x01", "?");
      size_t mark = wrapped.find('\x01');
      sql.Append(wrapped.substr(0, mark));
      sql.Append(expr);
      std::string tail = wrapped.substr(mark + 1);
      size_t q = tail.find('?');
      sql.Append(tail.substr(0, q));
      sql.AppendParam(Literal(kRecordSep));
      sql.Append(tail.substr(q + 1));
      return 1;
    }
  }
  return 1;
}

// "（年度 = 2022, 指标名称 = '地区生产总值'）", or nothing without a condition.
std::string ConditionWords(const BoundAggregate& agg, const Period& period) {
  if (!agg.has_condition) return "";
  return "（" + ResolveSymbols(agg.condition_text, period) + "）";
}

std::string NoRecordNote(const Ledger& ledger, const BoundAggregate& agg, const Period& period) {
  return ledger.title + "中没有符合条件" + ConditionWords(agg, period) + "的记录";
}

struct Entry {
  std::string key;
  int64_t id = 0;
  std::string value;
};

std::vector<Entry> SplitEntries(const SqlValue& v) {
  std::vector<Entry> out;
  if (store::IsNull(v)) return out;
  const std::string& s = std::get<std::string>(v);
  for (std::string_view rec : Split(s, kRecordSep[0])) {
    auto parts = Split(rec, kFieldSep[0]);
    if (parts.size() != 3) continue;
    Entry e;
    e.key = std::string(parts[0]);
    e.id = std::strtoll(std::string(parts[1]).c_str(), nullptr, 10);
    e.value = std::string(parts[2]);
    out.push_back(std::move(e));
  }
  return out;
}

bool KeyLess(const Column* key_col, const Entry& a, const Entry& b) {
  if (a.key != b.key) {
    if (key_col && (key_col->type == ColumnType::kInt || key_col->type == ColumnType::kDecimal)) {
      return std::strtoll(a.key.c_str(), nullptr, 10) < std::strtoll(b.key.c_str(), nullptr, 10);
    }
    return a.key < b.key;
  }
  return a.id < b.id;
}

FigureValue NumberFromColumn(const Column& col, int64_t v) {
  if (col.type == ColumnType::kDecimal) return FigureValue::Num(Number::FromDecimal(Decimal::FromScaled(v)));
  if (col.type == ColumnType::kBool) return FigureValue::Bool(v != 0);
  return FigureValue::Int(v);
}

FigureValue ValueFromColumn(const Column& col, const SqlValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return NumberFromColumn(col, *n);
  return FigureValue::Text(std::get<std::string>(v));
}

std::optional<Date> DateOfText(const std::string& s) {
  if (s.size() == 7) return ParseMonth(s, false);
  return Date::ParseIso(s);
}

}  // namespace

struct Engine::AggregateValues {
  std::map<int, FigureValue> values;
};

const FigureResult* ComputeResult::Find(std::string_view id) const {
  for (const FigureResult& f : figures) {
    if (f.def->id == id) return &f;
  }
  return nullptr;
}

Result<std::unique_ptr<Engine>> Engine::Create(const pack::Catalog& catalog) {
  TZ_ASSIGN_OR_RETURN(BoundCatalog bound, BindCatalog(catalog));
  return std::unique_ptr<Engine>(new Engine(catalog, std::move(bound)));
}

Result<Scope> Engine::ResolveScope(store::Store& store, std::string_view unit) const {
  std::string_view u = TrimSpace(unit);
  Scope scope;
  if (u.empty() || u == catalog_.org.town.code || u == catalog_.org.town.name) {
    scope.level = pack::OrgLevel::kTown;
    scope.code = catalog_.org.town.code;
    scope.name = catalog_.org.town.name;
    return scope;
  }
  if (const pack::OrgUnit* v = catalog_.org.FindVillage(u)) {
    scope.level = pack::OrgLevel::kVillage;
    scope.code = v->code;
    scope.name = v->name;
    return scope;
  }
  if (catalog_.org.grids) {
    const pack::GridSource& g = *catalog_.org.grids;
    const Ledger* ledger = catalog_.FindLedger(g.ledger);
    if (ledger) {
      const store::Dialect& d = store.dialect();
      std::string code_col = d.Quote(g.code_column), name_col = d.Quote(g.name_column);
      bool found = false, ambiguous = false;
      TZ_RETURN_IF_ERROR(store.Query(
          {"SELECT " + code_col + ", " + name_col + " FROM " + d.Quote(store::LedgerTable(*ledger)) +
               " WHERE " + code_col + " = ? OR " + name_col + " = ? ORDER BY " + code_col +
               " = ? DESC, _id LIMIT 2",
           {std::string(u), std::string(u), std::string(u)}},
          [&](const std::vector<SqlValue>& row) {
            // A grid's key wins over another grid's name; two grids of that name are ambiguous.
            if (found) {
              if (scope.code != std::string(u)) ambiguous = true;
              return Status::Ok();
            }
            found = true;
            scope.level = pack::OrgLevel::kGrid;
            scope.code = CellText(catalog_, *ledger->FindColumn(g.code_column), row[0]);
            scope.name = store::IsNull(row[1])
                             ? scope.code
                             : CellText(catalog_, *ledger->FindColumn(g.name_column), row[1]);
            return Status::Ok();
          }));
      if (ambiguous) {
        return Status::InvalidArgument("有多个网格名为" + Quoted(u) + "，请改用网格编号",
                                       "ambiguous grid name '" + std::string(u) + "'");
      }
      if (found) return scope;
    }
  }
  std::vector<std::string> names;
  for (const pack::OrgUnit& v : catalog_.org.villages) names.push_back(v.name);
  return Status::NotFound("找不到单位" + Quoted(u) + "：请用村名、村代码或网格编号（本镇的村：" +
                              Join(names, "、") + "）",
                          "unknown org unit '" + std::string(u) + "'");
}

Status Engine::RunAggregates(store::Store& store, const Period& period, const Scope& scope,
                             const std::vector<int>& aggregates, AggregateValues* out,
                             ComputeStats* stats, std::map<int, std::string>* sql_by_ledger) const {
  const store::Dialect& d = store.dialect();
  std::map<int, std::vector<int>> by_ledger;
  for (int a : aggregates) by_ledger[bound_.aggregates[static_cast<size_t>(a)].ledger].push_back(a);

  for (const auto& [li, aggs] : by_ledger) {
    const Ledger& ledger = catalog_.ledgers[static_cast<size_t>(li)];
    int scope_col = scope.level == pack::OrgLevel::kVillage ? ledger.village_column
                    : scope.level == pack::OrgLevel::kGrid  ? ledger.grid_column
                                                            : -2;
    if (scope_col == -1) {
      std::string level = scope.level == pack::OrgLevel::kVillage ? "村" : "网格";
      for (int a : aggs) {
        out->values[a] = FigureValue::None("不适用：" + ledger.title + "不按" + level + "登记");
      }
      continue;
    }
    SqlFragment sql;
    sql.Append("SELECT ");
    std::vector<int> widths;
    for (size_t i = 0; i < aggs.size(); ++i) {
      if (i) sql.Append(", ");
      widths.push_back(AppendAggregateSql(sql, d, ledger, bound_.aggregates[static_cast<size_t>(aggs[i])]));
    }
    sql.Append(" FROM " + d.Quote(store::LedgerTable(ledger)));
    if (scope_col >= 0) {
      sql.Append(" WHERE " + ColSql(d, ledger.columns[static_cast<size_t>(scope_col)]) + " = ");
      sql.AppendParam(Literal(scope.code));
    }
    store::SqlStatement stmt{sql.sql, sql.ResolveParams(period)};
    if (sql_by_ledger) (*sql_by_ledger)[li] = sql.sql;
    std::vector<SqlValue> row;
    TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>& r) {
      row = r;
      return Status::Ok();
    }));
    ++stats->queries;
    size_t pos = 0;
    for (size_t i = 0; i < aggs.size(); ++i) {
      const BoundAggregate& agg = bound_.aggregates[static_cast<size_t>(aggs[i])];
      const SqlValue v = pos < row.size() ? row[pos] : SqlValue();
      const Column* col =
          agg.column >= 0 ? &ledger.columns[static_cast<size_t>(agg.column)] : nullptr;
      FigureValue fv;
      switch (agg.kind) {
        case AggKind::kCount:
        case AggKind::kDistinct:
          fv = FigureValue::Int(store::IsNull(v) ? 0 : std::get<int64_t>(v));
          break;
        case AggKind::kSum:
          fv = store::IsNull(v) ? FigureValue::Int(0) : ValueFromColumn(*col, v);
          break;
        case AggKind::kMin:
        case AggKind::kMax:
          fv = store::IsNull(v) ? FigureValue::None(NoRecordNote(ledger, agg, period))
                                : ValueFromColumn(*col, v);
          break;
        case AggKind::kSingle: {
          int64_t n = store::IsNull(v) ? 0 : std::get<int64_t>(v);
          const SqlValue& value = pos + 1 < row.size() ? row[pos + 1] : v;
          if (n == 0) {
            fv = FigureValue::None(NoRecordNote(ledger, agg, period));
          } else if (n > 1) {
            fv = FigureValue::None(ledger.title + "中符合条件" + ConditionWords(agg, period) +
                                   "的记录有" + std::to_string(n) + "条，应只有1条");
          } else if (store::IsNull(value)) {
            fv = FigureValue::None(ledger.title + "中该记录的" + Quoted(col->label) + "为空");
          } else {
            fv = ValueFromColumn(*col, value);
          }
          break;
        }
        case AggKind::kList: {
          std::vector<Entry> entries = SplitEntries(v);
          const Column* key_col = agg.order_column >= 0
                                      ? &ledger.columns[static_cast<size_t>(agg.order_column)]
                                      : nullptr;
          std::sort(entries.begin(), entries.end(),
                    [&](const Entry& a, const Entry& b) { return KeyLess(key_col, a, b); });
          std::vector<std::string> items;
          for (const Entry& e : entries) items.push_back(AggText(catalog_, *col, e.value));
          fv = FigureValue::List(std::move(items));
          break;
        }
        case AggKind::kGroups: {
          std::vector<Entry> entries = SplitEntries(v);
          std::sort(entries.begin(), entries.end(),
                    [](const Entry& a, const Entry& b) { return a.id < b.id; });
          std::vector<Group> groups;
          std::map<std::string, size_t> index;
          const Column* member_col =
              agg.column2 >= 0 ? &ledger.columns[static_cast<size_t>(agg.column2)] : nullptr;
          for (const Entry& e : entries) {
            std::string key = AggText(catalog_, *col, e.key);
            auto [it, inserted] = index.emplace(key, groups.size());
            if (inserted) groups.push_back(Group{key, 0, {}});
            Group& g = groups[it->second];
            ++g.count;
            if (member_col && !e.value.empty()) {
              g.members.push_back(AggText(catalog_, *member_col, e.value));
            }
          }
          std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
            return a.count != b.count ? a.count > b.count : a.key < b.key;
          });
          fv = FigureValue::Groups(std::move(groups));
          break;
        }
      }
      out->values[aggs[i]] = std::move(fv);
      pos += static_cast<size_t>(widths[i]);
    }
  }
  return Status::Ok();
}

namespace {

// Evaluates a bound derived expression.
class Evaluator {
 public:
  Evaluator(const Period& period, const Scope& scope,
            const std::function<FigureValue(int)>& figure,
            const std::function<FigureValue(int)>& aggregate)
      : period_(period), scope_(scope), figure_(figure), aggregate_(aggregate) {}

  FigureValue Eval(const BoundExpr& e) const {
    switch (e.kind) {
      case BoundExpr::Kind::kConst: return e.constant;
      case BoundExpr::Kind::kFigure: return figure_(e.index);
      case BoundExpr::Kind::kAggregate: return aggregate_(e.index);
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
      case BoundExpr::Kind::kBinary: return EvalBinary(e);
      case BoundExpr::Kind::kCall: return EvalCall(e);
    }
    return FigureValue::None("内部错误");
  }

 private:
  FigureValue EvalBinary(const BoundExpr& e) const {
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

  FigureValue EvalCall(const BoundExpr& e) const {
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

  const Period& period_;
  const Scope& scope_;
  const std::function<FigureValue(int)>& figure_;
  const std::function<FigureValue(int)>& aggregate_;
};

}  // namespace

Result<ComputeResult> Engine::Compute(store::Store& store, const Period& period,
                                      const Scope& scope,
                                      const std::vector<std::string>& ids) const {
  auto t0 = std::chrono::steady_clock::now();
  const size_t n = catalog_.figures.size();
  std::vector<bool> wanted(n, ids.empty());
  for (const std::string& id : ids) {
    const pack::FigureDef* def = catalog_.FindFigure(id);
    if (!def) return Status::NotFound("未知的指标" + Quoted(id), "unknown figure " + id);
    wanted[static_cast<size_t>(def - catalog_.figures.data())] = true;
  }
  // Close over dependencies.
  std::vector<int> stack;
  for (size_t i = 0; i < n; ++i) if (wanted[i]) stack.push_back(static_cast<int>(i));
  while (!stack.empty()) {
    int f = stack.back();
    stack.pop_back();
    for (int dep : bound_.figures[static_cast<size_t>(f)].figures) {
      if (!wanted[static_cast<size_t>(dep)]) {
        wanted[static_cast<size_t>(dep)] = true;
        stack.push_back(dep);
      }
    }
  }
  std::set<int> agg_set;
  for (size_t i = 0; i < n; ++i) {
    if (wanted[i]) agg_set.insert(bound_.figures[i].aggregates.begin(), bound_.figures[i].aggregates.end());
  }
  ComputeResult result;
  result.period = period;
  result.scope = scope;
  AggregateValues aggs;
  TZ_RETURN_IF_ERROR(RunAggregates(store, period, scope, {agg_set.begin(), agg_set.end()}, &aggs,
                                   &result.stats, nullptr));

  std::vector<std::optional<FigureValue>> memo(n);
  std::function<FigureValue(int)> figure_value;
  std::function<FigureValue(int)> agg_value = [&](int a) { return aggs.values.at(a); };
  Evaluator eval(period, scope, figure_value, agg_value);
  figure_value = [&](int f) -> FigureValue {
    auto& m = memo[static_cast<size_t>(f)];
    if (!m) m = eval.Eval(*bound_.figures[static_cast<size_t>(f)].expr);
    return *m;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!wanted[i]) continue;
    FigureResult r;
    r.def = &catalog_.figures[i];
    r.value = figure_value(static_cast<int>(i));
    r.display = Display(r.value, r.def->display, r.def->display_arg);
    result.figures.push_back(std::move(r));
  }
  result.stats.ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

Result<FigureValue> Engine::Evaluate(std::string_view expr, const ComputeResult& computed) const {
  std::vector<int> figs;
  TZ_ASSIGN_OR_RETURN(auto bound, BindStandalone(catalog_, bound_, expr, &figs));
  std::function<FigureValue(int)> figure_value = [&](int f) -> FigureValue {
    const FigureResult* r = computed.Find(catalog_.figures[static_cast<size_t>(f)].id);
    if (!r) return FigureValue::None("指标 " + catalog_.figures[static_cast<size_t>(f)].id + " 未计算");
    return r->value;
  };
  std::function<FigureValue(int)> agg_value = [](int) { return FigureValue::None("内部错误"); };
  Evaluator eval(computed.period, computed.scope, figure_value, agg_value);
  return eval.Eval(*bound);
}

Result<Explanation> Engine::Explain(store::Store& store, std::string_view id, const Period& period,
                                    const Scope& scope, int max_records) const {
  const pack::FigureDef* def = catalog_.FindFigure(id);
  if (!def) return Status::NotFound("未知的指标" + Quoted(id), "unknown figure " + std::string(id));
  const int fi = static_cast<int>(def - catalog_.figures.data());
  TZ_ASSIGN_OR_RETURN(ComputeResult computed, Compute(store, period, scope, {std::string(id)}));
  Explanation ex;
  ex.def = def;
  ex.result = *computed.Find(id);
  const BoundFigure& bf = bound_.figures[static_cast<size_t>(fi)];
  for (int dep : bf.figures) ex.depends_on.push_back(catalog_.figures[static_cast<size_t>(dep)].id);

  AggregateValues scratch;
  ComputeStats stats;
  std::map<int, std::string> sql_by_ledger;
  TZ_RETURN_IF_ERROR(RunAggregates(store, period, scope, bf.aggregates, &scratch, &stats, &sql_by_ledger));
  for (const auto& [li, sql] : sql_by_ledger) {
    if (!ex.statement_sql.empty()) ex.statement_sql += ";\n";
    ex.statement_sql += sql;
  }

  const store::Dialect& d = store.dialect();
  for (int a : bf.aggregates) {
    const BoundAggregate& agg = bound_.aggregates[static_cast<size_t>(a)];
    const Ledger& ledger = catalog_.ledgers[static_cast<size_t>(agg.ledger)];
    AggregateExplanation ae;
    ae.ledger_id = ledger.id;
    ae.ledger_title = ledger.title;
    ae.source = ResolveSymbols(agg.source, period);
    int scope_col = scope.level == pack::OrgLevel::kVillage ? ledger.village_column
                    : scope.level == pack::OrgLevel::kGrid  ? ledger.grid_column
                                                            : -2;
    if (scope_col == -1) {
      ae.applicable = false;
      ex.aggregates.push_back(std::move(ae));
      continue;
    }
    SqlFragment where;
    std::vector<std::string> parts;
    if (scope_col >= 0) {
      where.Append(ColSql(d, ledger.columns[static_cast<size_t>(scope_col)]) + " = ");
      where.AppendParam(Literal(scope.code));
    }
    if (agg.has_condition) {
      if (!where.sql.empty()) where.Append(" AND ");
      where.Append(agg.condition);
    }
    if (agg.kind == AggKind::kList || agg.kind == AggKind::kGroups) {
      if (!where.sql.empty()) where.Append(" AND ");
      where.Append(ColSql(d, ledger.columns[static_cast<size_t>(agg.column)]) + " IS NOT NULL");
    }
    std::string table = d.Quote(store::LedgerTable(ledger));
    std::string where_sql = where.sql.empty() ? "" : " WHERE " + where.sql;
    std::vector<SqlValue> params = where.ResolveParams(period);
    ae.columns.push_back("行号");
    std::string select = "SELECT _row";
    for (const Column& c : ledger.columns) {
      select += ", " + ColSql(d, c);
      ae.columns.push_back(c.label);
    }
    ae.sql = select + " FROM " + table + where_sql + " ORDER BY _id";
    for (const SqlValue& p : params) ae.params.push_back(store::SqlValueToString(p));
    TZ_RETURN_IF_ERROR(store.Query({"SELECT COUNT(*) FROM " + table + where_sql, params},
                                   [&](const std::vector<SqlValue>& row) {
                                     ae.total_records = std::get<int64_t>(row[0]);
                                     return Status::Ok();
                                   }));
    std::vector<SqlValue> limited = params;
    limited.push_back(static_cast<int64_t>(max_records));
    TZ_RETURN_IF_ERROR(store.Query(
        {ae.sql + " LIMIT ?", limited}, [&](const std::vector<SqlValue>& row) {
          std::vector<std::string> cells;
          cells.push_back(store::IsNull(row[0]) ? "" : std::to_string(std::get<int64_t>(row[0])));
          for (size_t c = 0; c < ledger.columns.size(); ++c) {
            cells.push_back(Masked(ledger.columns[c], CellText(catalog_, ledger.columns[c], row[c + 1])));
          }
          ae.records.push_back(std::move(cells));
          return Status::Ok();
        }));
    ex.aggregates.push_back(std::move(ae));
  }
  return ex;
}

std::string Display(const FigureValue& v, pack::DisplayRule rule, std::string_view measure) {
  using pack::DisplayRule;
  if (!v.has_value()) return "—";
  switch (v.kind()) {
    case FigureValue::Kind::kBool:
      return v.boolean() ? "是" : "否";
    case FigureValue::Kind::kText:
      return v.text();
    case FigureValue::Kind::kList:
      // An empty list is a value (nobody qualifies), written as a word rather than nothing.
      return v.list().empty() ? "无" : JoinChineseList(v.list());
    case FigureValue::Kind::kGroups: {
      if (v.groups().empty()) return "无";
      std::string m = measure.empty() ? "个" : std::string(measure);
      std::vector<std::string> parts;
      for (const Group& g : v.groups()) {
        std::string s = ChineseNumeral(g.count, true) + m + g.key;
        if (rule == DisplayRule::kGroupsNamed) s += "：" + JoinChineseList(g.members);
        parts.push_back(std::move(s));
      }
      return Join(parts, rule == DisplayRule::kGroupsNamed ? "，" : "、");
    }
    case FigureValue::Kind::kNumber:
    case FigureValue::Kind::kNone:
      break;
  }
  const Number& n = v.number();
  switch (rule) {
    case DisplayRule::kInt:
    case DisplayRule::kYuan: return n.ToString(0);
    case DisplayRule::kWan:
    case DisplayRule::kDecimal: return n.ToString(2);
    case DisplayRule::kPercent: return n.ToString(1);
    case DisplayRule::kPercentFloor: return n.ToStringFloor(0);
    case DisplayRule::kApproxYu: return FormatApprox(n.Floor(), "余");
    case DisplayRule::kApproxDuo: return FormatApprox(n.Floor(), "多");
    case DisplayRule::kCnCount: return ChineseNumeral(n.RoundToInt(), true);
    case DisplayRule::kBool: return n.IsZero() ? "否" : "是";
    default: return n.ToString(4);
  }
}

}  // namespace tz::figures
