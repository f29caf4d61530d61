// Use cases shared by the CLI and the HTTP server: compute figures, explain one, write a report.
// Inputs arrive as the user typed them (period and unit text) and are validated here.
//
// Each acts as a Principal (service/access.h): figures and reports need the `report` permission
// and a unit within the scope (an empty unit is the principal's own: the town, their village,
// their grid); the records behind a figure also need `read` and are withheld for ledgers the role
// does not see. Refusals are PermissionDenied and audited.
#ifndef TAIZHANG_SERVICE_REPORT_SERVICE_H_
#define TAIZHANG_SERVICE_REPORT_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "base/date.h"
#include "figures/engine.h"
#include "report/render.h"
#include "service/database.h"

namespace tz::service {

struct FigureRequest {
  std::string period;            // 2022H1, 2022, …
  std::string unit;              // empty: the principal's own unit (the town for town-wide roles)
  std::vector<std::string> ids;  // figures wanted (and what they depend on); empty: all
};

// NotFound for an unknown figure id; InvalidArgument for a bad or missing period.
Result<figures::ComputeResult> ComputeFigures(Database& db, const auth::Principal& who,
                                              const FigureRequest& req);

// The same figures computed several times, for a chart: `labels[i]` names `results[i]`.
struct FigureSeries {
  std::vector<std::string> labels;
  std::vector<figures::ComputeResult> results;
};

// Once per village of the org tree within the scope, in pack order (labels: village names).
// `req.unit` must be empty: the comparison is of the town's villages. PermissionDenied for a
// grid-scoped role.
Result<FigureSeries> FiguresByVillage(Database& db, const auth::Principal& who,
                                      const FigureRequest& req);

// At most this many months in a month-by-month series.
inline constexpr int kMaxSeriesMonths = 36;

// Once per calendar month of the period (labels: "2022-01", …), each month computed as the period
// "2022-01" — figures counted `in P` count that month; `in Y` ones accumulate from January.
// InvalidArgument when the period spans more than kMaxSeriesMonths months.
Result<FigureSeries> FiguresByMonth(Database& db, const auth::Principal& who,
                                    const FigureRequest& req);

// Where the ledgers' dated rows lie: the earliest and latest event date not after today, over
// every ledger whose rows are events (`period at`). nullopt when no ledger has such a row.
struct DataSpan {
  Date first;
  Date last;
};
Result<std::optional<DataSpan>> LedgerDataSpan(Database& db);

// The figure's records need `read`; an aggregate over a ledger the role does not see keeps its
// count but lists no records (records_withheld).
Result<figures::Explanation> ExplainFigure(Database& db, const auth::Principal& who,
                                           const std::string& figure_id, const FigureRequest& req,
                                           int max_records);

// md and html are text (MakeReport); docx and pdf are files (WriteReport).
enum class ReportFormat { kMarkdown, kHtml, kDocx, kPdf };
Result<ReportFormat> ParseReportFormat(const std::string& text);
inline bool IsFileFormat(ReportFormat f) {
  return f == ReportFormat::kDocx || f == ReportFormat::kPdf;
}
// "md", "html", "docx", "pdf": the file extension and the name in the audit log.
const char* ReportFormatName(ReportFormat f);

// Computes only the figures the template uses (one statement per ledger) and renders it. HTML
// also lists, in its appendix, up to 20 records per aggregate behind each figure used and each
// figure those are computed from (one Engine::Explain per figure).
// The HTML appendix lists records only for ledgers the role sees and only with `read`. Audited as
// a report download.
Result<report::RenderedReport> MakeReport(Database& db, const auth::Principal& who,
                                          const FigureRequest& req,
                                          const std::string& template_id, ReportFormat format);

// What to write as a DOCX or PDF report.
struct ReportFileOptions {
  std::string template_id = "seed";  // a template of the pack
  // A Word template (.docx) to fill instead of the pack's: its path, and its name as the user
  // knows it (for messages and the audit log).
  std::string docx_template;
  std::string docx_template_name;
  bool appendix = false;  // add the 「数据来源」 appendix
};

struct WrittenReport {
  std::string title;               // for the file name offered for download
  std::vector<std::string> notes;  // figures with no value, conditions that could not be decided
};

// Writes the report to `path` as DOCX (GB/T 9704, report/docx.h) or PDF (that DOCX converted by
// LibreOffice; FailedPrecondition when it is not installed). `path` is replaced only by a complete
// file. Audited as a report download before the file is written. InvalidArgument for a text
// format (use MakeReport).
Result<WrittenReport> WriteReport(Database& db, const auth::Principal& who,
                                  const FigureRequest& req, const ReportFileOptions& options,
                                  ReportFormat format, const std::string& path);

// The report as blocks of text and figures, for the web app's report page.
Result<report::ReportBlocks> MakeReportBlocks(Database& db, const auth::Principal& who,
                                              const FigureRequest& req,
                                              const std::string& template_id);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_REPORT_SERVICE_H_
