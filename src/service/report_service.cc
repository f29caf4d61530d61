#include "service/report_service.h"

#include <nlohmann/json.hpp>
#include <set>
#include <utility>
#include <vector>

#include <filesystem>
#include <functional>
#include <system_error>

#include "base/checks.h"
#include "base/period.h"
#include "io/office_convert.h"
#include "io/zip_writer.h"
#include "report/docx.h"
#include "report/sources.h"
#include "report/template.h"
#include "service/access.h"
#include "service/word_template.h"
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
  // The units one level below the root: a township's villages; a district's towns; a city's
  // districts (thousands of villages would be no comparison, and as many computations).
  const pack::OrgTree& org = db.catalog().org;
  const std::vector<pack::OrgUnit>& units =
      !org.MultiTown() ? org.villages : !org.districts.empty() ? org.districts : org.towns;
  FigureSeries out;
  for (const pack::OrgUnit& unit : units) {
    TZ_ASSIGN_OR_RETURN(figures::Scope scope, db.engine().ResolveScope(db.store(), unit.code));
    if (!who.Covers(scope)) continue;  // a village cadre's comparison is their own village
    TZ_ASSIGN_OR_RETURN(figures::ComputeResult r,
                        db.engine().Compute(db.store(), period, scope, req.ids));
    out.labels.push_back(unit.name);
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
  if (text == "docx") return ReportFormat::kDocx;
  if (text == "pdf") return ReportFormat::kPdf;
  return Status::InvalidArgument("不支持的报告格式“" + text + "”：可用 md、html、docx 或 pdf",
                                 "unsupported report format '" + text + "'");
}

const char* ReportFormatName(ReportFormat f) {
  switch (f) {
    case ReportFormat::kMarkdown:
      return "md";
    case ReportFormat::kHtml:
      return "html";
    case ReportFormat::kDocx:
      return "docx";
    case ReportFormat::kPdf:
      return "pdf";
  }
  return "md";
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
                     const FigureRequest& req, const figures::Scope& scope, const char* format,
                     bool appendix = false) {
  nlohmann::json detail = {
      {"period", req.period}, {"unit", scope.code}, {"format", format}};
  if (appendix) detail["appendix"] = true;
  return AuditCommitted(db, who, auth::audit_action::kReportDownload, template_id, detail.dump());
}

// Explains every figure in `ids` and, transitively, the figures they are computed from, with up
// to `max_records` records per aggregate (Compute already holds every value: only the record
// queries run). Records of ledgers the principal may not read are withheld.
Result<report::FigureRecords> ExplainAll(Database& db, const Principal& who,
                                         std::vector<std::string> ids,
                                         const figures::ComputeResult& computed, int max_records) {
  report::FigureRecords records;
  std::set<std::string> seen(ids.begin(), ids.end());
  for (size_t i = 0; i < ids.size(); ++i) {
    TZ_ASSIGN_OR_RETURN(figures::Explanation ex,
                        db.engine().Explain(db.store(), ids[i], computed, max_records));
    for (const std::string& dep : ex.depends_on) {
      if (seen.insert(dep).second) ids.push_back(dep);
    }
    WithholdRecords(who, db.catalog(), ex);
    records.by_figure.emplace(ids[i], std::move(ex));
  }
  return records;
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
  if (IsFileFormat(format)) {
    return Status::InvalidArgument("docx 和 pdf 格式的报告须写入文件（-o 文件名）",
                                   "MakeReport called for a file format");
  }
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  TZ_ASSIGN_OR_RETURN(report::ParsedTemplate parsed, Parse(db, template_id));
  TZ_ASSIGN_OR_RETURN(
      figures::ComputeResult computed,
      db.engine().Compute(db.store(), r.period, r.scope, report::FiguresUsed(parsed)));
  if (format == ReportFormat::kHtml) {
    // The records behind every figure used, and behind the figures those are computed from.
    TZ_ASSIGN_OR_RETURN(
        report::FigureRecords records,
        ExplainAll(db, who, report::FiguresUsed(parsed), computed, kReportRecords));
    TZ_RETURN_IF_ERROR(AuditDownload(db, who, template_id, req, r.scope, "html"));
    return report::RenderHtml(parsed, db.engine(), computed, &records);
  }
  TZ_RETURN_IF_ERROR(AuditDownload(db, who, template_id, req, r.scope, "md"));
  return report::RenderMarkdown(parsed, db.engine(), computed);
}

namespace {

// The report's parts zipped into a .docx at `path` (replaced only once complete).
Status WriteDocxFile(const report::ReportBlocks& blocks,
                     const std::vector<report::SourceRow>* sources, const std::string& path) {
  Status s = [&]() -> Status {
    TZ_ASSIGN_OR_RETURN(std::unique_ptr<io::ZipWriter> zip, io::ZipWriter::Create(path));
    for (report::DocxPart& part : report::DocxParts(blocks, sources)) {
      TZ_RETURN_IF_ERROR(zip->Add(part.name, std::move(part.xml)));
    }
    return zip->Close();
  }();
  return s.ok() ? s : s.WithContext("生成 Word 文档失败：", "write docx: ");
}

// `docx` as a PDF at `path`, through a DOCX written beside it first (removed afterwards).
Status WriteVia(const std::string& path, const std::function<Status(const std::string&)>& docx) {
  const std::string tmp = path + ".docx.part";
  Status s = docx(tmp);
  if (s.ok()) {
    std::vector<io::FontFallback> fonts;
    for (report::FontStandIn& f : report::DocxFontStandIns()) {
      fonts.push_back({std::move(f.family), std::move(f.faces)});
    }
    s = io::ConvertToPdf(tmp, path, fonts);
  }
  std::error_code ignored;
  std::filesystem::remove(tmp, ignored);
  return s;
}

// A Word template filled in (service/word_template.h).
Result<WrittenReport> WriteWordReport(Database& db, const Principal& who, const FigureRequest& req,
                                      const Resolved& r, const ReportFileOptions& options,
                                      ReportFormat format, const std::string& path) {
  if (options.appendix) {
    return Status::InvalidArgument(
        "Word 模板生成的报告暂不能附“数据来源”表：请在模板中自行列出，或用系统模板生成带附录的报告",
        "appendix requested with a Word template");
  }
  const std::string name =
      options.docx_template_name.empty() ? "模板.docx" : options.docx_template_name;
  TZ_ASSIGN_OR_RETURN(std::unique_ptr<WordTemplate> word,
                      WordTemplate::Open(db.catalog(), options.docx_template, name));
  // LibreOffice, making the PDF on this machine, would fetch what the document links to.
  if (format == ReportFormat::kPdf) {
    if (std::optional<std::string> ref = word->ExternalReference()) {
      return Status::InvalidArgument(
          "模板中有" + *ref +
              "，生成 PDF 时不能读取外部链接或嵌入的文档：请删去它（图片请直接插入文档）后再上传，"
              "或改为生成 Word 文档",
          "word template with an external reference or embedded document, refused for pdf");
    }
  }
  TZ_ASSIGN_OR_RETURN(
      figures::ComputeResult computed,
      db.engine().Compute(db.store(), r.period, r.scope, report::FiguresUsed(word->parsed())));
  WrittenReport written;
  written.title = std::filesystem::path(name).stem().string();
  TZ_ASSIGN_OR_RETURN(written.notes, word->Fill(db.engine(), computed));
  TZ_RETURN_IF_ERROR(AuditDownload(db, who, "word:" + name, req, r.scope,
                                   ReportFormatName(format)));
  auto save = [&](const std::string& to) { return word->Save(to); };
  TZ_RETURN_IF_ERROR(format == ReportFormat::kDocx ? save(path) : WriteVia(path, save));
  return written;
}

}  // namespace

Result<WrittenReport> WriteReport(Database& db, const Principal& who, const FigureRequest& req,
                                  const ReportFileOptions& options, ReportFormat format,
                                  const std::string& path) {
  if (!IsFileFormat(format)) {
    return Status::InvalidArgument("写入文件的报告格式须为 docx 或 pdf",
                                   "WriteReport called for a text format");
  }
  TZ_ASSIGN_OR_RETURN(Resolved r, Resolve(db, who, req));
  // Said before anything is computed or audited (but after the permission check).
  if (format == ReportFormat::kPdf) TZ_RETURN_IF_ERROR(io::PdfConversionAvailable());
  if (!options.docx_template.empty()) return WriteWordReport(db, who, req, r, options, format, path);
  TZ_ASSIGN_OR_RETURN(report::ParsedTemplate parsed, Parse(db, options.template_id));
  const std::vector<std::string> used = report::FiguresUsed(parsed);
  TZ_ASSIGN_OR_RETURN(figures::ComputeResult computed,
                      db.engine().Compute(db.store(), r.period, r.scope, used));
  TZ_ASSIGN_OR_RETURN(report::ReportBlocks blocks,
                      report::RenderBlocks(parsed, db.engine(), computed));
  std::vector<report::SourceRow> sources;
  if (options.appendix) {
    // Counts only: the appendix lists no records.
    TZ_ASSIGN_OR_RETURN(report::FigureRecords records, ExplainAll(db, who, used, computed, 0));
    sources = report::SourceRows(blocks, db.engine(), computed, records);
  }
  TZ_RETURN_IF_ERROR(AuditDownload(db, who, options.template_id, req, r.scope,
                                   ReportFormatName(format), options.appendix));
  auto write_docx = [&](const std::string& to) {
    return WriteDocxFile(blocks, options.appendix ? &sources : nullptr, to);
  };
  TZ_RETURN_IF_ERROR(format == ReportFormat::kDocx ? write_docx(path) : WriteVia(path, write_docx));
  return WrittenReport{blocks.title, blocks.notes};
}

}  // namespace tz::service
