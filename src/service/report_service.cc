#include "service/report_service.h"

#include <set>
#include <utility>
#include <vector>

#include "base/period.h"
#include "report/template.h"

namespace tz::service {
namespace {

// Records listed per aggregate in an HTML report's appendix.
constexpr int kReportRecords = 20;

struct Resolved {
  Period period;
  figures::Scope scope;
};

Result<Resolved> Resolve(Database& db, const FigureRequest& req) {
  if (req.period.empty()) {
    return Status::InvalidArgument("请用 --period 指定期间，如 2022H1", "missing period");
  }
  Resolved r;
  TZ_ASSIGN_OR_RETURN(r.period, ParsePeriod(req.period));
  TZ_ASSIGN_OR_RETURN(r.scope, db.engine().ResolveScope(db.store(), req.unit));
  return r;
}

}  // namespace

Result<figures::ComputeResult> ComputeFigures(Database& db, const FigureRequest& req) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, req));
  return db.engine().Compute(db.store(), r.period, r.scope);
}

Result<figures::Explanation> ExplainFigure(Database& db, const std::string& figure_id,
                                           const FigureRequest& req, int max_records) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, req));
  return db.engine().Explain(db.store(), figure_id, r.period, r.scope, max_records);
}

Result<ReportFormat> ParseReportFormat(const std::string& text) {
  if (text.empty() || text == "md" || text == "markdown") return ReportFormat::kMarkdown;
  if (text == "html") return ReportFormat::kHtml;
  return Status::InvalidArgument("不支持的报告格式“" + text + "”：可用 md 或 html",
                                 "unsupported report format '" + text + "'");
}

Result<report::RenderedReport> MakeReport(Database& db, const FigureRequest& req,
                                          const std::string& template_id, ReportFormat format) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, req));
  const pack::Template* tmpl = db.catalog().FindTemplate(template_id);
  if (!tmpl) {
    std::string names;
    for (const pack::Template& t : db.catalog().templates)
      names += (names.empty() ? "" : "、") + t.id;
    return Status::NotFound("没有名为“" + template_id + "”的报告模板（可用：" + names + "）",
                            "unknown template '" + template_id + "'");
  }
  TZ_ASSIGN_OR_RETURN(report::ParsedTemplate parsed, report::ParseTemplate(db.catalog(), *tmpl));
  TZ_ASSIGN_OR_RETURN(
      figures::ComputeResult computed,
      db.engine().Compute(db.store(), r.period, r.scope, report::FiguresUsed(parsed)));
  if (format == ReportFormat::kHtml) {
    // The records behind every figure used, and behind the figures those are computed from
    // (Compute already holds all of them: values are not computed again).
    report::FigureRecords records;
    std::vector<std::string> todo = report::FiguresUsed(parsed);
    std::set<std::string> seen(todo.begin(), todo.end());
    for (size_t i = 0; i < todo.size(); ++i) {
      TZ_ASSIGN_OR_RETURN(figures::Explanation ex,
                          db.engine().Explain(db.store(), todo[i], computed, kReportRecords));
      for (const std::string& dep : ex.depends_on) {
        if (seen.insert(dep).second) todo.push_back(dep);
      }
      records.by_figure.emplace(todo[i], std::move(ex));
    }
    return report::RenderHtml(parsed, db.engine(), computed, &records);
  }
  return report::RenderMarkdown(parsed, db.engine(), computed);
}

}  // namespace tz::service
