#include "report/sources.h"

#include <set>
#include <string_view>

#include "base/strings.h"

namespace tz::report {
namespace {

// A definition spanning lines in figures/*.txt, on one line.
std::string OneLine(std::string_view s) {
  std::string out;
  for (std::string_view w : SplitWhitespace(s)) {
    if (!out.empty()) out += ' ';
    out.append(w);
  }
  return out;
}

SourceRow Row(const pack::FigureDef& def, const figures::Engine& engine,
              const figures::ComputeResult& computed, const figures::Explanation* ex) {
  SourceRow row;
  row.def = &def;
  row.definition = OneLine(def.expr);
  const figures::FigureResult* r = computed.Find(def.id);
  if (r && r->value.has_value()) {
    row.value = r->display;
  } else {
    row.value = "—";
    row.note = !r ? "未计算" : r->value.note().empty() ? "无数据" : r->value.note();
  }
  if (!ex) return row;
  for (const figures::AggregateExplanation& a : ex->aggregates) {
    row.ledgers.push_back(SourceLedger{a.ledger_title.empty() ? a.ledger_id : a.ledger_title,
                                       a.applicable ? a.total_records : -1});
  }
  for (const std::string& dep : ex->depends_on) {
    const pack::FigureDef* d = engine.catalog().FindFigure(dep);
    row.computed_from.push_back(d ? d->label : dep);
  }
  return row;
}

}  // namespace

std::vector<SourceRow> SourceRows(const ReportBlocks& report, const figures::Engine& engine,
                                  const figures::ComputeResult& computed,
                                  const FigureRecords& records) {
  auto explanation = [&](const std::string& id) -> const figures::Explanation* {
    auto it = records.by_figure.find(id);
    return it == records.by_figure.end() ? nullptr : &it->second;
  };
  std::vector<const pack::FigureDef*> defs = report.used;
  std::set<std::string> listed;
  for (const pack::FigureDef* d : defs) listed.insert(d->id);
  const size_t used = defs.size();
  // Breadth first: a dependency's own dependencies follow it.
  for (size_t i = 0; i < defs.size(); ++i) {
    const figures::Explanation* ex = explanation(defs[i]->id);
    if (!ex) continue;
    for (const std::string& dep : ex->depends_on) {
      const pack::FigureDef* d = engine.catalog().FindFigure(dep);
      if (d && explanation(dep) && listed.insert(dep).second) defs.push_back(d);
    }
  }
  std::vector<SourceRow> rows;
  rows.reserve(defs.size());
  for (size_t i = 0; i < defs.size(); ++i) {
    rows.push_back(Row(*defs[i], engine, computed, explanation(defs[i]->id)));
    rows.back().dependency = i >= used;
  }
  return rows;
}

}  // namespace tz::report
