#include "service/report_service.h"

#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include "base/checks.h"
#include "base/period.h"
#include "report/template.h"
#include "service/access.h"
#include "store/ledger_tables.h"

namespace tz::service {
namespace {

// Records listed per aggregate in an HTML report's appendix.
constexpr int kReportRecords = 20;

struct Resolved {
  Period period;
  figures::Scope scope;
};

// Checks the `report` permission, the period and the unit against the scope.
Result<Resolved> Resolve(Database& db, const Principal& who, const FigureRequest& req) {
  TZ_RETURN_IF_ERROR(Require(db, who, "report"));
  if (req.period.empty()) {
    return Status::InvalidArgument("请指定期间（如 2022H1）", "missing period");
  }
  Resolved r;
  TZ_ASSIGN_OR_RETURN(r.period, ParsePeriod(req.period));
  TZ_ASSIGN_OR_RETURN(r.scope, UnitFor(db, who, req.unit));
  return r;
}

// Records of ledgers the principal may not read are withheld from an explanation (the counts are
// figures, which the role may see; the rows are not).
void WithholdRecords(const Principal& who, const pack::Catalog& catalog,
                     figures::Explanation& ex) {
  for (figures::AggregateExplanation& a : ex.aggregates) {
    const pack::Ledger* l = catalog.FindLedger(a.ledger_id);
    if (who.Can("read") && l && who.SeesLedger(*l)) continue;
    a.records.clear();
    a.records_withheld = true;
  }
}

}  // namespace

Result<figures::ComputeResult> ComputeFigures(Database& db, const Principal& who,
                                              const FigureRequest& req) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  return db.engine().Compute(db.store(), r.period, r.scope, req.ids);
}

Result<FigureSeries> FiguresByVillage(Database& db, const Principal& who,
                                      const FigureRequest& req) {
  TZ_RETURN_IF_ERROR(Require(db, who, "report"));
  if (!req.unit.empty()) {
    return Status::InvalidArgument("按村对比时不能再指定单位", "by-village with a unit");
  }
  if (who.scope_kind() != pack::RoleScope::kTown && who.scope_kind() != pack::RoleScope::kVillage) {
    return Deny(db, who, "by-village", "按村对比需要全镇或本村的数据范围",
                "by-village for a scope below the village");
  }
  TZ_ASSIGN_OR_RETURN(Period period, ParsePeriod(req.period));
  FigureSeries out;
  for (const pack::OrgUnit& village : db.catalog().org.villages) {
    TZ_ASSIGN_OR_RETURN(figures::Scope scope, db.engine().ResolveScope(db.store(), village.code));
    if (!who.Covers(scope)) continue;  // a village cadre's comparison is their own village
    TZ_ASSIGN_OR_RETURN(figures::ComputeResult r,
                        db.engine().Compute(db.store(), period, scope, req.ids));
    out.labels.push_back(village.name);
    out.results.push_back(std::move(r));
  }
  return out;
}

Result<FigureSeries> FiguresByMonth(Database& db, const Principal& who,
                                    const FigureRequest& req) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  const int months = (r.period.end.year() - r.period.start.year()) * 12 + r.period.end.month() -
                     r.period.start.month() + 1;
  if (months > kMaxSeriesMonths) {
    return Status::InvalidArgument(
        "按月显示的期间最长 " + std::to_string(kMaxSeriesMonths) + " 个月",
        "period spans " + std::to_string(months) + " months");
  }
  FigureSeries out;
  for (Date m = r.period.start.FirstOfMonth(); m <= r.period.end; m = m.LastOfMonth().AddDays(1)) {
    const std::string name = m.ToMonthIso();
    TZ_ASSIGN_OR_RETURN(Period month, ParsePeriod(name));
    TZ_ASSIGN_OR_RETURN(figures::ComputeResult c,
                        db.engine().Compute(db.store(), month, r.scope, req.ids));
    out.labels.push_back(name);
    out.results.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<DataSpan>> LedgerDataSpan(Database& db) {
  const std::string today = SystemToday().ToIso();  // "2026-11" <= "2026-11-29": months compare
  std::optional<DataSpan> span;
  for (const pack::Ledger& l : db.catalog().ledgers) {
    if (l.period_start < 0 || l.period_in_force) continue;
    const pack::Column& c = l.columns[static_cast<size_t>(l.period_start)];
    const std::string col = db.store().dialect().Quote(c.label);
    store::SqlStatement q{"SELECT MIN(" + col + "), MAX(" + col + ") FROM " +
                              db.store().dialect().Quote(store::LedgerTable(l)) + " WHERE " + col +
                              " <= ?",
                          {today}};
    TZ_RETURN_IF_ERROR(db.store().Query(q, [&](const std::vector<store::SqlValue>& row) {
      if (store::IsNull(row[0])) return Status::Ok();
      // Month columns hold "2022-05": the month's first and last day.
      std::optional<Date> first = ParseMonth(std::get<std::string>(row[0]), false);
      std::optional<Date> last = ParseMonth(std::get<std::string>(row[1]), false);
      if (c.type == pack::ColumnType::kDate) {
        first = Date::ParseIso(std::get<std::string>(row[0]));
        last = Date::ParseIso(std::get<std::string>(row[1]));
      } else if (last) {
        last = last->LastOfMonth();
      }
      if (!first || !last) return Status::Ok();
      last = std::min(*last, SystemToday());  // a month's last day may lie ahead
      if (!span) span = DataSpan{*first, *last};
      span->first = std::min(span->first, *first);
      span->last = std::max(span->last, *last);
      return Status::Ok();
    }));
  }
  return span;
}

Result<figures::Explanation> ExplainFigure(Database& db, const Principal& who,
                                           const std::string& figure_id, const FigureRequest& req,
                                           int max_records) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  TZ_ASSIGN_OR_RETURN(figures::Explanation ex, db.engine().Explain(db.store(), figure_id, r.period,
                                                                   r.scope, max_records));
  WithholdRecords(who, db.catalog(), ex);
  return ex;
}

Result<ReportFormat> ParseReportFormat(const std::string& text) {
  if (text.empty() || text == "md" || text == "markdown") return ReportFormat::kMarkdown;
  if (text == "html") return ReportFormat::kHtml;
  return Status::InvalidArgument("不支持的报告格式“" + text + "”：可用 md 或 html",
                                 "unsupported report format '" + text + "'");
}

namespace {

// The template by id, parsed; NotFound naming the templates there are.
Result<report::ParsedTemplate> Parse(Database& db, const std::string& template_id) {
  const pack::Template* tmpl = db.catalog().FindTemplate(template_id);
  if (!tmpl) {
    std::string names;
    for (const pack::Template& t : db.catalog().templates)
      names += (names.empty() ? "" : "、") + t.id;
    return Status::NotFound("没有名为“" + template_id + "”的报告模板（可用：" + names + "）",
                            "unknown template '" + template_id + "'");
  }
  return report::ParseTemplate(db.catalog(), *tmpl);
}

Status AuditDownload(Database& db, const Principal& who, const std::string& template_id,
                     const FigureRequest& req, const figures::Scope& scope, const char* format) {
  nlohmann::json detail = {
      {"period", req.period}, {"unit", scope.code}, {"format", format}};
  return AuditCommitted(db, who, auth::audit_action::kReportDownload, template_id, detail.dump());
}

}  // namespace

Result<report::ReportBlocks> MakeReportBlocks(Database& db, const Principal& who,
                                              const FigureRequest& req,
                                              const std::string& template_id) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  TZ_ASSIGN_OR_RETURN(report::ParsedTemplate parsed, Parse(db, template_id));
  TZ_ASSIGN_OR_RETURN(
      figures::ComputeResult computed,
      db.engine().Compute(db.store(), r.period, r.scope, report::FiguresUsed(parsed)));
  return report::RenderBlocks(parsed, db.engine(), computed);
}

Result<report::RenderedReport> MakeReport(Database& db, const Principal& who,
                                          const FigureRequest& req,
                                          const std::string& template_id, ReportFormat format) {
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  TZ_ASSIGN_OR_RETURN(report::ParsedTemplate parsed, Parse(db, template_id));
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
      WithholdRecords(who, db.catalog(), ex);
      records.by_figure.emplace(todo[i], std::move(ex));
    }
    TZ_RETURN_IF_ERROR(AuditDownload(db, who, template_id, req, r.scope, "html"));
    return report::RenderHtml(parsed, db.engine(), computed, &records);
  }
  TZ_RETURN_IF_ERROR(AuditDownload(db, who, template_id, req, r.scope, "md"));
  return report::RenderMarkdown(parsed, db.engine(), computed);
}

}  // namespace tz::service
