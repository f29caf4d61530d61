// Figures and the report: the dashboard's layout, figures for a period and unit (also across the
// villages and month by month, for its charts), the records behind one figure, and the report as
// blocks for the report page or as a file to download. Explanations mask ID numbers and phones.
#include <algorithm>

#include "base/period.h"
#include "base/checks.h"
#include "server/api.h"
#include "server/json_response.h"
#include "server/route_util.h"
#include "service/report_service.h"
#include "service/value_json.h"

namespace tz::server {
namespace {

using nlohmann::json;

// The most records listed per aggregate in a drill-down (a page of the ledger shows 500 too).
constexpr int64_t kMaxDrillRecords = 500;

service::FigureRequest FigureQuery(const HttpRequest& req) {
  return {req.Query("period").value_or(""), req.Query("unit").value_or(""),
          ListParam(req, "ids")};
}

// ?template=, empty or absent: the pack's seed report.
std::string TemplateParam(const HttpRequest& req) {
  std::string t = req.Query("template").value_or("");
  return t.empty() ? "seed" : t;
}

json PeriodJson(const Period& p) {
  return {{"name", p.name}, {"span", p.ChineseSpan()}, {"year", p.Year()},
          {"start", p.start.ToIso()}, {"end", p.end.ToIso()}};
}

json UnitJson(const figures::Scope& s) { return {{"code", s.code}, {"name", s.name}}; }

json FigureJson(const figures::Engine& engine, const figures::FigureResult& f) {
  json item = {{"id", f.def->id},
               {"label", f.def->label},
               {"rule", pack::DisplayRuleName(f.def->display)},
               {"records", engine.ReadsLedgers(f.def->id)},
               {"value", service::ValueJson(f.value)},
               {"display", f.display}};
  if (!f.value.has_value()) item["note"] = f.value.note().empty() ? "无数据" : f.value.note();
  return item;
}

// The results asked for, in the order asked (all of them when `ids` is empty): a computation also
// holds the figures they depend on.
std::vector<const figures::FigureResult*> Wanted(const figures::ComputeResult& c,
                                                 const std::vector<std::string>& ids) {
  std::vector<const figures::FigureResult*> out;
  if (ids.empty()) {
    for (const figures::FigureResult& f : c.figures) out.push_back(&f);
  } else {
    for (const std::string& id : ids) {
      if (const figures::FigureResult* f = c.Find(id)) out.push_back(f);
    }
  }
  return out;
}

// GET /api/dashboard → the pack's dashboard and where the data lies (for the period picker).
HttpResponse Dashboard(service::DatabasePool& pool) {
  const pack::Dashboard& d = pool.catalog().dashboard;
  json cards = json::array();
  for (const pack::DashboardCard& c : d.cards) {
    cards.push_back({{"title", c.title}, {"figures", c.figures}});
  }
  auto span = service::LedgerDataSpan(*pool.Acquire());
  if (!span.ok()) return StatusResponse(span.status());
  // The half-year holding the latest data (a township reports by half-years), else this one.
  Date latest = *span ? (*span)->last : SystemToday();
  json years = json::array();
  if (*span) {
    // At most the last ten years: a ledger of events may reach far back (a member's joining
    // date), and a picker of sixty years helps nobody; older periods can still be asked for.
    for (int y = std::max((*span)->first.year(), latest.year() - 9); y <= latest.year(); ++y) {
      years.push_back(y);
    }
  } else {
    years.push_back(latest.year());
  }
  return JsonResponse(
      {{"default_period", std::to_string(latest.year()) + (latest.month() <= 6 ? "H1" : "H2")},
       {"years", std::move(years)},
       {"data_from", *span ? json((*span)->first.ToIso()) : json(nullptr)},
       {"data_until", *span ? json((*span)->last.ToIso()) : json(nullptr)},
       {"cards", std::move(cards)},
       {"compare", d.compare},
       {"trend", d.trend}});
}

// GET /api/figures?period=&unit=&ids=a,b → {"period", "unit", "figures": [...]}.
HttpResponse Figures(service::DatabasePool& pool, const HttpRequest& req) {
  service::FigureRequest q = FigureQuery(req);
  auto db = pool.Acquire();
  auto c = service::ComputeFigures(*db, Who(req), q);
  if (!c.ok()) return StatusResponse(c.status());
  json figures = json::array();
  for (const figures::FigureResult* f : Wanted(*c, q.ids)) {
    figures.push_back(FigureJson(db->engine(), *f));
  }
  return JsonResponse({{"period", PeriodJson(c->period)},
                       {"unit", UnitJson(c->scope)},
                       {"figures", std::move(figures)}});
}

// The series of the chart routes: {"<labels_name>": [...], "figures": [{id, label, values,
// displays, notes}]} with one value per label; a value that is not a number is null.
HttpResponse SeriesResponse(const service::FigureSeries& s, const std::vector<std::string>& ids,
                            const char* labels_name) {
  json figures = json::array();
  if (!s.results.empty()) {
    for (const figures::FigureResult* f : Wanted(s.results.front(), ids)) {
      json values = json::array(), displays = json::array(), notes = json::array();
      for (const figures::ComputeResult& r : s.results) {
        const figures::FigureResult* at = r.Find(f->def->id);
        const bool number = at && at->value.kind() == figures::FigureValue::Kind::kNumber;
        values.push_back(number ? service::ValueJson(at->value) : json(nullptr));
        displays.push_back(at ? at->display : "—");
        notes.push_back(at && !at->value.has_value() ? at->value.note() : "");
      }
      figures.push_back({{"id", f->def->id},
                         {"label", f->def->label},
                         {"values", std::move(values)},
                         {"displays", std::move(displays)},
                         {"notes", std::move(notes)}});
    }
  }
  return JsonResponse({{labels_name, s.labels}, {"figures", std::move(figures)}});
}

// GET /api/figures/by-village?period=&ids= → {"villages": [...], "figures": [...]}.
HttpResponse ByVillage(service::DatabasePool& pool, const HttpRequest& req) {
  service::FigureRequest q = FigureQuery(req);
  auto s = service::FiguresByVillage(*pool.Acquire(), Who(req), q);
  if (!s.ok()) return StatusResponse(s.status());
  return SeriesResponse(*s, q.ids, "villages");
}

// GET /api/figures/by-month?period=&unit=&ids= → {"months": [...], "figures": [...]}.
HttpResponse ByMonth(service::DatabasePool& pool, const HttpRequest& req) {
  service::FigureRequest q = FigureQuery(req);
  auto s = service::FiguresByMonth(*pool.Acquire(), Who(req), q);
  if (!s.ok()) return StatusResponse(s.status());
  return SeriesResponse(*s, q.ids, "months");
}

// GET /api/figures/{fid}/records?period=&unit=&limit= → the figure, its value and per aggregate
// the records behind it (masked; withheld for ledgers the caller does not see).
HttpResponse Drill(service::DatabasePool& pool, const HttpRequest& req, const PathParams& params) {
  auto limit = IntParam(req, "limit", 50);
  if (!limit.ok()) return StatusResponse(limit.status());
  if (*limit < 0 || *limit > kMaxDrillRecords) {
    return StatusResponse(Status::InvalidArgument(
        "参数 limit 应在 0 到 " + std::to_string(kMaxDrillRecords) + " 之间",
        "limit out of range"));
  }
  auto ex = service::ExplainFigure(*pool.Acquire(), Who(req), params.at("fid"), FigureQuery(req),
                                   static_cast<int>(*limit));
  if (!ex.ok()) return StatusResponse(ex.status());
  const pack::FigureDef& def = *ex->def;
  json aggregates = json::array();
  for (const figures::AggregateExplanation& a : ex->aggregates) {
    aggregates.push_back({{"ledger_id", a.ledger_id},
                          {"ledger_title", a.ledger_title},
                          {"source", a.source},
                          {"applicable", a.applicable},
                          {"total", a.total_records},
                          {"columns", a.columns},
                          {"records", a.records},
                          {"records_withheld", a.records_withheld}});
  }
  json out = {{"figure",
               {{"id", def.id},
                {"label", def.label},
                {"rule", pack::DisplayRuleName(def.display)},
                {"words", def.words},
                {"expr", def.expr},
                {"note", def.note}}},
              {"value", service::ValueJson(ex->result.value)},
              {"display", ex->result.display},
              {"depends_on", ex->depends_on},
              {"aggregates", std::move(aggregates)}};
  if (!ex->result.value.has_value()) out["note"] = ex->result.value.note();
  return JsonResponse(out);
}

// GET /api/report?period=&unit=&template= → {"title", "blocks": [{"kind", "pieces"}], "notes"}.
HttpResponse Report(service::DatabasePool& pool, const HttpRequest& req) {
  service::FigureRequest q = FigureQuery(req);
  q.ids.clear();
  auto db = pool.Acquire();
  auto r = service::MakeReportBlocks(*db, Who(req), q, TemplateParam(req));
  if (!r.ok()) return StatusResponse(r.status());
  json blocks = json::array();
  for (const report::ReportBlock& b : r->blocks) {
    json pieces = json::array();
    for (const report::ReportPiece& p : b.pieces) {
      if (p.is_figure) {
        pieces.push_back({{"figure", p.def->id},
                          {"text", p.text},
                          {"has_value", p.has_value},
                          {"records", db->engine().ReadsLedgers(p.def->id)}});
      } else {
        pieces.push_back({{"text", p.text}});
      }
    }
    blocks.push_back({{"kind", b.heading ? "h" + std::to_string(b.heading) : "p"},
                      {"pieces", std::move(pieces)}});
  }
  return JsonResponse({{"title", r->title},
                       {"period", PeriodJson(r->period)},
                       {"unit", UnitJson(r->scope)},
                       {"blocks", std::move(blocks)},
                       {"notes", r->notes}});
}

constexpr char kDocxType[] =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

// A DOCX or PDF report written to a temporary file and sent whole: a report is tens of KB; a
// filled Word template is at most what was uploaded (the upload limit), plus its values.
HttpResponse ReportFile(service::DatabasePool& pool, const HttpRequest& req,
                        const service::ReportFileOptions& options, service::ReportFormat format) {
  service::FigureRequest q = FigureQuery(req);
  q.ids.clear();
  const bool pdf = format == service::ReportFormat::kPdf;
  auto file = TempFile::Create(pdf ? ".pdf" : ".docx");
  if (!file.ok()) return StatusResponse(file.status());
  auto written = service::WriteReport(*pool.Acquire(), Who(req), q, options, format, file->path());
  if (!written.ok()) return StatusResponse(written.status());
  auto body = ReadFile(file->path());
  if (!body.ok()) return StatusResponse(body.status());
  return Download(std::move(*body), pdf ? "application/pdf" : kDocxType,
                  written->title + (pdf ? ".pdf" : ".docx"));
}

// GET /api/report/download?period=&unit=&template=&format=md|html|docx|pdf&appendix=1 → the
// report as a file (appendix: the 数据来源 table of a docx or pdf).
HttpResponse ReportDownload(service::DatabasePool& pool, const HttpRequest& req) {
  const std::string format_text = req.Query("format").value_or("md");
  auto format = service::ParseReportFormat(format_text);
  if (!format.ok()) return StatusResponse(format.status());
  auto appendix = FlagParam(req, "appendix");
  if (!appendix.ok()) return StatusResponse(appendix.status());
  if (service::IsFileFormat(*format)) {
    service::ReportFileOptions options;
    options.template_id = TemplateParam(req);
    options.appendix = *appendix;
    return ReportFile(pool, req, options, *format);
  }
  service::FigureRequest q = FigureQuery(req);
  q.ids.clear();
  auto r = service::MakeReport(*pool.Acquire(), Who(req), q, TemplateParam(req), *format);
  if (!r.ok()) return StatusResponse(r.status());
  const bool html = *format == service::ReportFormat::kHtml;
  return Download(std::move(r->text),
                  html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8",
                  r->title + (html ? ".html" : ".md"));
}

// POST /api/report/fill?period=&unit=&format=docx|pdf&appendix=1 with a Word template (.docx)
// as the body (its name in X-Filename) → that document with every placeholder filled in.
HttpResponse ReportFill(service::DatabasePool& pool, const HttpRequest& req) {
  const std::string format_text = req.Query("format").value_or("docx");
  auto format = service::ParseReportFormat(format_text.empty() ? "docx" : format_text);
  if (!format.ok()) return StatusResponse(format.status());
  if (!service::IsFileFormat(*format)) {
    return StatusResponse(Status::InvalidArgument("Word 模板只能生成 docx 或 pdf 格式的报告",
                                                  "report fill with a text format"));
  }
  auto appendix = FlagParam(req, "appendix");
  if (!appendix.ok()) return StatusResponse(appendix.status());
  if (req.body.empty()) {
    return StatusResponse(Status::InvalidArgument("没有收到 Word 模板（请求内容为空）",
                                                  "empty template upload"));
  }
  auto upload = TempFile::Create(".docx");
  if (!upload.ok()) return StatusResponse(upload.status());
  Status saved = WriteFile(upload->path(), req.body);
  if (!saved.ok()) return StatusResponse(saved);
  service::ReportFileOptions options;
  options.docx_template = upload->path();
  options.docx_template_name = UploadName(req, "模板.docx");
  options.appendix = *appendix;
  return ReportFile(pool, req, options, *format);
}

}  // namespace

void AddFigureRoutes(Router& router, service::DatabasePool& pool) {
  service::DatabasePool* p = &pool;
  const RouteRule report = RouteRule::Needs("report");
  router.Get("/api/dashboard", report,
             [p](const HttpRequest&, const PathParams&) { return Dashboard(*p); });
  router.Get("/api/figures", report,
             [p](const HttpRequest& r, const PathParams&) { return Figures(*p, r); });
  router.Get("/api/figures/by-village", report,
             [p](const HttpRequest& r, const PathParams&) { return ByVillage(*p, r); });
  router.Get("/api/figures/by-month", report,
             [p](const HttpRequest& r, const PathParams&) { return ByMonth(*p, r); });
  router.Get("/api/figures/{fid}/records", report,
             [p](const HttpRequest& r, const PathParams& a) { return Drill(*p, r, a); });
  router.Get("/api/report", report,
             [p](const HttpRequest& r, const PathParams&) { return Report(*p, r); });
  router.Get("/api/report/download", report,
             [p](const HttpRequest& r, const PathParams&) { return ReportDownload(*p, r); });
  router.Post("/api/report/fill", report,
              [p](const HttpRequest& r, const PathParams&) { return ReportFill(*p, r); });
}

}  // namespace tz::server
