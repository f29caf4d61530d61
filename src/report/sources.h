// The 「数据来源」 appendix of a DOCX or PDF report: for every figure the report uses, its value,
// the ledgers it counts, how many records lie behind it and its definition, so a reader can check
// each number against the ledgers. Figures the used ones are computed from follow, marked, so
// every "由 … 计算" has its row.
#ifndef TAIZHANG_REPORT_SOURCES_H_
#define TAIZHANG_REPORT_SOURCES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "figures/engine.h"
#include "report/render.h"

namespace tz::report {

// One ledger read by a figure (one of its aggregates, in the order of the definition).
struct SourceLedger {
  std::string title;  // the ledger's title (its id when it has none)
  // Rows matching the aggregate's conditions for the report's period and unit; -1 when the
  // ledger has no column for the unit's level (不适用).
  int64_t records = 0;
};

struct SourceRow {
  const pack::FigureDef* def = nullptr;
  std::string value;                  // as displayed in the report; "—" when there is none
  std::string note;                   // why there is no value; empty when there is one
  std::vector<SourceLedger> ledgers;  // what it counts directly
  std::vector<std::string> computed_from;  // labels of the figures it is computed from
  std::string definition;                  // the figure-language `value`, on one line
  bool dependency = false;  // not in the report's text: a figure the others are computed from
};

// The rows for `report` (RenderBlocks's `used`, in order), then their dependencies that have an
// explanation in `records`. `records` comes from Engine::Explain for every used figure and its
// dependencies (only aggregates and depends_on are read; records themselves are not listed).
std::vector<SourceRow> SourceRows(const ReportBlocks& report, const figures::Engine& engine,
                                  const figures::ComputeResult& computed,
                                  const FigureRecords& records);

}  // namespace tz::report

#endif  // TAIZHANG_REPORT_SOURCES_H_
