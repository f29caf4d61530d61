#include "figures/engine.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <set>

#include "base/strings.h"
#include "figures/evaluator.h"
#include "figures/planner.h"
#include "store/ledger_tables.h"

namespace tz::figures {

using pack::Column;
using pack::Ledger;
using store::SqlValue;

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
  const pack::OrgTree& org = catalog_.org;
  Scope scope;
  if (u.empty() || u == org.town.code || u == org.town.name) {
    // The root: every row counts, no filter (a township's town, or a district's or city's whole).
    scope.level = org.town.level;
    scope.code = org.town.code;
    scope.name = org.town.name;
    scope.spans_towns = org.MultiTown();
    return scope;
  }
  if (org.MultiTown()) {
    if (const pack::OrgUnit* above = org.FindAbove(u)) {
      scope.level = above->level;
      scope.code = above->code;
      scope.name = above->name;
      scope.towns = org.TownCodesUnder(*above);
      scope.spans_towns = scope.towns.size() > 1;
      return scope;
    }
  }
  if (const pack::OrgUnit* v = org.FindVillage(u)) {
    scope.level = pack::OrgLevel::kVillage;
    scope.code = v->code;
    scope.name = v->name;
    return scope;
  }
  if (std::vector<const pack::OrgUnit*> same = org.VillagesNamed(u); same.size() > 1) {
    std::vector<std::string> which;
    for (const pack::OrgUnit* v : same) {
      const pack::OrgUnit* t = org.TownOfVillage(v->code);
      which.push_back((t ? t->name : "") + v->name + "（" + v->code + "）");
    }
    return Status::InvalidArgument(
        "有多个村名为" + Quoted(u) + "：" + Join(which, "、") + "；请用村代码",
        "ambiguous village name '" + std::string(u) + "'");
  }
  // Text that is not UTF-8 (or holds a NUL) names no grid: PostgreSQL would refuse the lookup
  // with an error where SQLite finds nothing.
  if (catalog_.org.grids && IsValidUtf8(u) && u.find('\0') == std::string_view::npos) {
    const pack::GridSource& g = *catalog_.org.grids;
    const Ledger* ledger = catalog_.FindLedger(g.ledger);
    if (ledger) {
      const store::Dialect& d = store.dialect();
      std::string code_col = d.Quote(g.code_column), name_col = d.Quote(g.name_column);
      std::string village_col = d.Quote(g.village_column);
      bool found = false, ambiguous = false;
      TZ_RETURN_IF_ERROR(store.Query(
          {"SELECT " + code_col + ", " + name_col + ", " + village_col + " FROM " +
               d.Quote(store::LedgerTable(*ledger)) + " WHERE " + code_col + " = ? OR " + name_col +
               " = ? ORDER BY " + code_col + " = ? DESC, _id LIMIT 2",
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
            // The village column holds the village's code (a unit column), or NULL.
            if (const auto* v = std::get_if<std::string>(&row[2])) scope.parent_code = *v;
            return Status::Ok();
          }));
      if (ambiguous) {
        return Status::InvalidArgument("有多个网格名为" + Quoted(u) + "，请改用网格编号",
                                       "ambiguous grid name '" + std::string(u) + "'");
      }
      if (found) return scope;
    }
  }
  if (org.MultiTown()) {
    return Status::NotFound("找不到单位" + Quoted(u) + "：请用" + org.town.name +
                                "所辖的区县、乡镇或村的名称或代码，或网格编号",
                            "unknown org unit '" + std::string(u) + "'");
  }
  std::vector<std::string> names;
  for (const pack::OrgUnit& v : org.villages) names.push_back(v.name);
  return Status::NotFound("找不到单位" + Quoted(u) + "：请用村名、村代码或网格编号（本镇的村：" +
                              Join(names, "、") + "）",
                          "unknown org unit '" + std::string(u) + "'");
}

Status Engine::RunAggregates(store::Store& store, const Period& period, const Scope& scope,
                             const std::vector<int>& aggregates, PlanMode mode,
                             AggregateValues* out, ComputeStats* stats) const {
  std::map<int, std::vector<int>> by_ledger;
  for (int a : aggregates) by_ledger[bound_.aggregates[static_cast<size_t>(a)].ledger].push_back(a);

  for (auto& [li, aggs] : by_ledger) {
    const pack::Ledger& ledger = catalog_.ledgers[static_cast<size_t>(li)];
    if (ScopeColumn(ledger, scope) == kNotApplicable) {
      for (int a : aggs) out->values[a] = FigureValue::None(NotApplicableNote(ledger, scope));
      continue;
    }
    if (scope.spans_towns) {
      // `single` reads the one row a town keeps (its target): over several towns there is no
      // one row, and adding towns' targets is not what a district's target is.
      std::vector<int> kept;
      for (int a : aggs) {
        if (bound_.aggregates[static_cast<size_t>(a)].kind == AggKind::kSingle) {
          out->values[a] = FigureValue::None("不适用：" + ledger.title + "按乡镇逐一填报，" +
                                             scope.name + "不汇总");
        } else {
          kept.push_back(a);
        }
      }
      if (kept.empty()) continue;
      aggs = std::move(kept);
    }
    std::vector<LedgerStatement> statements;
    if (mode == PlanMode::kBatched) {
      statements.push_back(PlanLedger(catalog_, bound_.aggregates, li, aggs, scope, store.dialect()));
    } else {
      for (int a : aggs) {
        statements.push_back(PlanAggregateAlone(catalog_, bound_.aggregates, a, scope, store.dialect()));
      }
    }
    for (const LedgerStatement& st : statements) {
      std::vector<store::SqlValue> row;
      TZ_RETURN_IF_ERROR(store.Query({st.sql.sql, st.sql.ResolveParams(period)},
                                     [&](const std::vector<store::SqlValue>& r) {
                                       row = r;
                                       return Status::Ok();
                                     }));
      ++stats->queries;
      size_t pos = 0;
      for (size_t i = 0; i < st.aggregates.size(); ++i) {
        const int a = st.aggregates[i];
        out->values[a] = DecodeAggregate(catalog_, ledger,
                                         bound_.aggregates[static_cast<size_t>(a)], row, pos, period);
        pos += static_cast<size_t>(st.widths[i]);
      }
    }
  }
  return Status::Ok();
}

Result<ComputeResult> Engine::Compute(store::Store& store, const Period& period, const Scope& scope,
                                      const std::vector<std::string>& ids, PlanMode mode) const {
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
  for (size_t i = 0; i < n; ++i)
    if (wanted[i]) stack.push_back(static_cast<int>(i));
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
    if (wanted[i])
      agg_set.insert(bound_.figures[i].aggregates.begin(), bound_.figures[i].aggregates.end());
  }
  ComputeResult result;
  result.period = period;
  result.scope = scope;
  AggregateValues aggs;
  TZ_RETURN_IF_ERROR(
      RunAggregates(store, period, scope, {agg_set.begin(), agg_set.end()}, mode, &aggs,
                    &result.stats));

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
    if (!r)
      return FigureValue::None("指标 " + catalog_.figures[static_cast<size_t>(f)].id + " 未计算");
    return r->value;
  };
  std::function<FigureValue(int)> agg_value = [](int) { return FigureValue::None("内部错误"); };
  Evaluator eval(computed.period, computed.scope, figure_value, agg_value);
  return eval.Eval(*bound);
}

Result<Explanation> Engine::Explain(store::Store& store, std::string_view id, const Period& period,
                                    const Scope& scope, int max_records) const {
  if (!catalog_.FindFigure(id)) {
    return Status::NotFound("未知的指标" + Quoted(id), "unknown figure " + std::string(id));
  }
  TZ_ASSIGN_OR_RETURN(ComputeResult computed, Compute(store, period, scope, {std::string(id)}));
  return Explain(store, id, computed, max_records);
}

bool Engine::ReadsLedgers(std::string_view id) const {
  const pack::FigureDef* def = catalog_.FindFigure(id);
  if (!def) return false;
  // Figures form a DAG (the binder refuses cycles); walk it with a visited set all the same.
  std::vector<int> todo = {static_cast<int>(def - catalog_.figures.data())};
  std::vector<bool> seen(bound_.figures.size(), false);
  while (!todo.empty()) {
    const int fi = todo.back();
    todo.pop_back();
    if (seen[static_cast<size_t>(fi)]) continue;
    seen[static_cast<size_t>(fi)] = true;
    const BoundFigure& bf = bound_.figures[static_cast<size_t>(fi)];
    if (!bf.aggregates.empty()) return true;
    todo.insert(todo.end(), bf.figures.begin(), bf.figures.end());
  }
  return false;
}

Result<Explanation> Engine::Explain(store::Store& store, std::string_view id,
                                    const ComputeResult& computed, int max_records) const {
  const FigureResult* result = computed.Find(id);
  if (!result) {
    return Status::NotFound("指标" + Quoted(id) + "不在这次计算的结果中",
                            "figure " + std::string(id) + " was not computed");
  }
  const Period& period = computed.period;
  const Scope& scope = computed.scope;
  const pack::FigureDef* def = result->def;
  const int fi = static_cast<int>(def - catalog_.figures.data());
  Explanation ex;
  ex.def = def;
  ex.result = *result;
  const BoundFigure& bf = bound_.figures[static_cast<size_t>(fi)];
  for (int dep : bf.figures) ex.depends_on.push_back(catalog_.figures[static_cast<size_t>(dep)].id);

  // The statement that computes this figure's aggregates, one per ledger (planned, not run again).
  std::map<int, std::vector<int>> by_ledger;
  for (int a : bf.aggregates)
    by_ledger[bound_.aggregates[static_cast<size_t>(a)].ledger].push_back(a);
  for (auto& [li, aggs] : by_ledger) {
    if (ScopeColumn(catalog_.ledgers[static_cast<size_t>(li)], scope) == kNotApplicable) continue;
    if (!ex.statement_sql.empty()) ex.statement_sql += ";\n";
    ex.statement_sql +=
        PlanLedger(catalog_, bound_.aggregates, li, aggs, scope, store.dialect()).sql.sql;
  }

  const store::Dialect& d = store.dialect();
  for (int a : bf.aggregates) {
    const BoundAggregate& agg = bound_.aggregates[static_cast<size_t>(a)];
    const Ledger& ledger = catalog_.ledgers[static_cast<size_t>(agg.ledger)];
    AggregateExplanation ae;
    ae.ledger_id = ledger.id;
    ae.ledger_title = ledger.title;
    ae.source = ResolveSymbols(agg.source, period);
    if (ScopeColumn(ledger, scope) == kNotApplicable) {
      ae.applicable = false;
      ex.aggregates.push_back(std::move(ae));
      continue;
    }
    SqlFragment where = RecordCondition(ledger, agg, scope, d);
    std::string table = d.Quote(store::LedgerTable(ledger));
    std::string where_sql = where.sql.empty() ? "" : " WHERE " + where.sql;
    std::vector<SqlValue> params = where.ResolveParams(period);
    ae.columns.push_back("行号");
    std::string select = "SELECT _row";
    for (const Column& c : ledger.columns) {
      select += ", " + d.Quote(c.label);
      ae.columns.push_back(c.label);
    }
    ae.sql = select + " FROM " + table + where_sql + " ORDER BY _id";
    for (const SqlValue& p : params) ae.params.push_back(store::SqlValueToString(p));
    TZ_RETURN_IF_ERROR(store.Query({"SELECT COUNT(*) FROM " + table + where_sql, params},
                                   [&](const std::vector<SqlValue>& row) {
                                     ae.total_records = std::get<int64_t>(row[0]);
                                     return Status::Ok();
                                   }));
    if (max_records <= 0) {  // the count alone (a report's 数据来源 appendix)
      ex.aggregates.push_back(std::move(ae));
      continue;
    }
    std::vector<SqlValue> limited = params;
    limited.push_back(static_cast<int64_t>(max_records));
    TZ_RETURN_IF_ERROR(
        store.Query({ae.sql + " LIMIT ?", limited}, [&](const std::vector<SqlValue>& row) {
          std::vector<std::string> cells;
          cells.push_back(store::IsNull(row[0]) ? "" : std::to_string(std::get<int64_t>(row[0])));
          for (size_t c = 0; c < ledger.columns.size(); ++c) {
            cells.push_back(MaskedCellText(catalog_, ledger.columns[c], row[c + 1]));
          }
          ae.records.push_back(std::move(cells));
          return Status::Ok();
        }));
    ex.aggregates.push_back(std::move(ae));
  }
  return ex;
}

}  // namespace tz::figures
