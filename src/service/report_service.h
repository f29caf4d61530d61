// Use cases shared by the CLI and the HTTP server: compute figures, explain one, write a report.
// Inputs arrive as the user typed them (period and unit text) and are validated here.
#ifndef TAIZHANG_SERVICE_REPORT_SERVICE_H_
#define TAIZHANG_SERVICE_REPORT_SERVICE_H_

#include <string>

#include "figures/engine.h"
#include "report/render.h"
#include "service/database.h"

namespace tz::service {

struct FigureRequest {
  std::string period;  // 2022H1, 2022, …
  std::string unit;    // empty: the town
};

Result<figures::ComputeResult> ComputeFigures(Database& db, const FigureRequest& req);

Result<figures::Explanation> ExplainFigure(Database& db, const std::string& figure_id,
                                           const FigureRequest& req, int max_records);

enum class ReportFormat { kMarkdown, kHtml };
Result<ReportFormat> ParseReportFormat(const std::string& text);

// Computes only the figures the template uses (one statement per ledger) and renders it. HTML
// also lists, in its appendix, up to 20 records per aggregate behind each figure used and each
// figure those are computed from (one Engine::Explain per figure).
Result<report::RenderedReport> MakeReport(Database& db, const FigureRequest& req,
                                          const std::string& template_id, ReportFormat format);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_REPORT_SERVICE_H_
