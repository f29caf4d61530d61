#include "figures/planner.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "base/strings.h"
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

// Sensitive columns are shown masked (360902********7732, 138****5678, 张**): explain output is
// read on screens and pasted into chats. Full values are for viewers who may unmask, and the
// callers decide that. The masks keep what a cadre needs to tell records apart (the area code and
// the last digits of an ID, a name's surname) and hide what identifies the person.
std::string Masked(const Column& col, const std::string& s) {
  if (!col.sensitive || s.empty()) return s;
  if (col.type == ColumnType::kId18) {
    return s.size() == 18 ? s.substr(0, 6) + "********" + s.substr(14) : s;
  }
  if (col.type == ColumnType::kPhone) {
    return s.size() >= 7 ? s.substr(0, 3) + std::string(s.size() - 7, '*') + s.substr(s.size() - 4)
                         : s;
  }
  // Anything else: the first character, then one * per further character (the length shows).
  size_t first = 0;
  uint32_t cp = 0;
  // Stored text is valid UTF-8; were it not, hide all of it rather than split a character.
  if (!DecodeUtf8(s, &first, &cp)) first = 0;
  return s.substr(0, first) + std::string(Utf8Length(std::string_view(s).substr(first)), '*');
}

}  // namespace

std::string CellText(const pack::Catalog& catalog, const Column& col, const SqlValue& v) {
  if (store::IsNull(v)) return "";
  if (const auto* n = std::get_if<int64_t>(&v)) {
    switch (col.type) {
      case ColumnType::kDecimal:
        return Decimal::FromScaled(*n).ToString();
      case ColumnType::kBool:
        return *n ? "是" : "否";
      default:
        return std::to_string(*n);
    }
  }
  const std::string& s = std::get<std::string>(v);
  if (col.type == ColumnType::kUnit) {
    if (const pack::OrgUnit* u = catalog.org.FindVillage(s)) return u->name;
  }
  return s;
}

std::string MaskedCellText(const pack::Catalog& catalog, const Column& col, const SqlValue& v) {
  return Masked(col, CellText(catalog, col, v));
}

namespace {

// Text from a string aggregate back to a cell value (numbers arrive as their integer text). A
// figure's value ends up in reports and API answers for anyone: sensitive columns masked.
std::string AggText(const pack::Catalog& catalog, const Column& col, const std::string& s) {
  if (col.type == ColumnType::kInt || col.type == ColumnType::kDecimal ||
      col.type == ColumnType::kBool) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return s;
    return CellText(catalog, col, SqlValue(n));
  }
  return MaskedCellText(catalog, col, SqlValue(s));
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
                       const BoundAggregate& agg, const Scope& scope) {
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
    case AggKind::kDistinct: {
      // Over several towns a value counts once per town: 户编号 0001 of two towns are two
      // households. ID numbers and credit codes are national: counted once wherever they are.
      // Town codes have 9 digits, so `_town || value` needs no separator.
      const Column& c = ledger.columns[static_cast<size_t>(agg.column)];
      std::string value = col(agg.column);
      if (scope.spans_towns && c.type != ColumnType::kId18 && c.type != ColumnType::kUscc) {
        const bool number = c.type == ColumnType::kInt || c.type == ColumnType::kDecimal ||
                            c.type == ColumnType::kBool;
        value = std::string(store::kTownColumn) + " || " + (number ? d.IntToText(value) : value);
      }
      sql.Append("COUNT(DISTINCT ");
      AppendConditional(sql, agg, value);
      sql.Append(")");
      return 1;
    }
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
    if (key_col && key_col->type == ColumnType::kEnum) {
      // Enum values sort in the pack's order (规划, 设计, 招投标, …), not by their characters.
      auto rank = [&](const std::string& v) {
        auto it = std::find(key_col->enum_values.begin(), key_col->enum_values.end(), v);
        return it - key_col->enum_values.begin();
      };
      return rank(a.key) < rank(b.key);
    }
    return a.key < b.key;
  }
  return a.id < b.id;
}

FigureValue NumberFromColumn(const Column& col, int64_t v) {
  if (col.type == ColumnType::kDecimal)
    return FigureValue::Num(Number::FromDecimal(Decimal::FromScaled(v)));
  if (col.type == ColumnType::kBool) return FigureValue::Bool(v != 0);
  return FigureValue::Int(v);
}

FigureValue ValueFromColumn(const Column& col, const SqlValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return NumberFromColumn(col, *n);
  return FigureValue::Text(std::get<std::string>(v));
}

}  // namespace

int ScopeColumn(const Ledger& ledger, const Scope& scope) {
  switch (scope.level) {
    case pack::OrgLevel::kCity:
    case pack::OrgLevel::kDistrict:
    case pack::OrgLevel::kTown:
      return kNoFilter;  // every ledger applies; in a multi-town database `towns` filters
    case pack::OrgLevel::kVillage:
      return ledger.village_column;  // -1 when it has none
    case pack::OrgLevel::kGrid:
      return ledger.grid_column;
  }
  return kNotApplicable;
}

std::string NotApplicableNote(const Ledger& ledger, const Scope& scope) {
  return "不适用：" + ledger.title + "不按" +
         (scope.level == pack::OrgLevel::kGrid ? "网格" : "村") + "登记";
}

// Appends the condition placing a row in `scope` ("col = ?"): nothing at town level. A grid lies
// in a village: where the ledger also has a village column, a row counts for the grid only when it
// is in the grid's village too (a row whose grid and village disagree is not the grid's — and a
// village cadre asking for a grid of their village never sees another village's row).
void AppendScopeCondition(SqlFragment& sql, const Ledger& ledger, const Scope& scope,
                          const store::Dialect& d) {
  if (!scope.towns.empty()) {
    sql.Append(std::string(store::kTownColumn) + (scope.towns.size() == 1 ? " = " : " IN ("));
    for (size_t i = 0; i < scope.towns.size(); ++i) {
      if (i) sql.Append(", ");
      sql.AppendParam(Literal(scope.towns[i]));
    }
    if (scope.towns.size() > 1) sql.Append(")");
  }
  int scope_col = ScopeColumn(ledger, scope);
  if (scope_col < 0) return;
  if (!scope.towns.empty()) sql.Append(" AND ");
  sql.Append(ColSql(d, ledger.columns[static_cast<size_t>(scope_col)]) + " = ");
  sql.AppendParam(Literal(scope.code));
  if (scope.level == pack::OrgLevel::kGrid && ledger.village_column >= 0 &&
      !scope.parent_code.empty()) {
    sql.Append(" AND " + ColSql(d, ledger.columns[static_cast<size_t>(ledger.village_column)]) +
               " = ");
    sql.AppendParam(Literal(scope.parent_code));
  }
}

LedgerStatement PlanLedger(const pack::Catalog& catalog, const std::vector<BoundAggregate>& all,
                           int ledger_index, const std::vector<int>& aggregates, const Scope& scope,
                           const store::Dialect& d) {
  const Ledger& ledger = catalog.ledgers[static_cast<size_t>(ledger_index)];
  LedgerStatement st;
  st.ledger = ledger_index;
  st.aggregates = aggregates;
  st.sql.Append("SELECT ");
  for (size_t i = 0; i < aggregates.size(); ++i) {
    if (i) st.sql.Append(", ");
    st.widths.push_back(
        AppendAggregateSql(st.sql, d, ledger, all[static_cast<size_t>(aggregates[i])], scope));
  }
  st.sql.Append(" FROM " + d.Quote(store::LedgerTable(ledger)));
  SqlFragment where;
  AppendScopeCondition(where, ledger, scope, d);
  if (!where.sql.empty()) {
    st.sql.Append(" WHERE ");
    st.sql.Append(where);
  }
  return st;
}

LedgerStatement PlanAggregateAlone(const pack::Catalog& catalog,
                                   const std::vector<BoundAggregate>& all, int aggregate,
                                   const Scope& scope, const store::Dialect& d) {
  const BoundAggregate& agg = all[static_cast<size_t>(aggregate)];
  const Ledger& ledger = catalog.ledgers[static_cast<size_t>(agg.ledger)];
  LedgerStatement st;
  st.ledger = agg.ledger;
  st.aggregates = {aggregate};
  BoundAggregate plain = agg;  // the condition moves to WHERE
  plain.has_condition = false;
  st.sql.Append("SELECT ");
  st.widths.push_back(AppendAggregateSql(st.sql, d, ledger, plain, scope));
  st.sql.Append(" FROM " + d.Quote(store::LedgerTable(ledger)));
  SqlFragment where = RecordCondition(ledger, agg, scope, d);
  if (!where.sql.empty()) {
    st.sql.Append(" WHERE ");
    st.sql.Append(where);
  }
  return st;
}

SqlFragment RecordCondition(const Ledger& ledger, const BoundAggregate& agg, const Scope& scope,
                            const store::Dialect& d) {
  SqlFragment where;
  auto and_then = [&] {
    if (!where.sql.empty()) where.Append(" AND ");
  };
  AppendScopeCondition(where, ledger, scope, d);
  if (agg.has_condition) {
    and_then();
    where.Append(agg.condition);
  }
  if (agg.kind == AggKind::kList || agg.kind == AggKind::kGroups) {
    and_then();
    where.Append(ColSql(d, ledger.columns[static_cast<size_t>(agg.column)]) + " IS NOT NULL");
  }
  return where;
}

FigureValue DecodeAggregate(const pack::Catalog& catalog, const Ledger& ledger,
                            const BoundAggregate& agg, const std::vector<SqlValue>& row, size_t pos,
                            const Period& period) {
  const SqlValue v = pos < row.size() ? row[pos] : SqlValue();
  const Column* col = agg.column >= 0 ? &ledger.columns[static_cast<size_t>(agg.column)] : nullptr;
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
      const Column* key_col =
          agg.order_column >= 0 ? &ledger.columns[static_cast<size_t>(agg.order_column)] : nullptr;
      std::sort(entries.begin(), entries.end(),
                [&](const Entry& a, const Entry& b) { return KeyLess(key_col, a, b); });
      std::vector<std::string> items;
      for (const Entry& e : entries) items.push_back(AggText(catalog, *col, e.value));
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
        std::string key = AggText(catalog, *col, e.key);
        auto [it, inserted] = index.emplace(key, groups.size());
        if (inserted) groups.push_back(Group{key, 0, {}});
        Group& g = groups[it->second];
        ++g.count;
        if (member_col && !e.value.empty()) {
          g.members.push_back(AggText(catalog, *member_col, e.value));
        }
      }
      std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        return a.count != b.count ? a.count > b.count : a.key < b.key;
      });
      fv = FigureValue::Groups(std::move(groups));
      break;
    }
  }
  return fv;
}

}  // namespace tz::figures
