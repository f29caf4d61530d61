// The audit log over HTTP (issue 5, docs/audit.md): a page of entries, verification, export. All
// need the `audit` permission (the 审计员 role).
#include <sstream>

#include "server/api.h"
#include "server/json_response.h"
#include "server/route_util.h"
#include "service/audit_service.h"

namespace tz::server {
namespace {

using nlohmann::json;

// GET /api/audit?page=&page_size=&actor=&action= → {"total", "page", "page_size", "entries"}.
HttpResponse Entries(service::DatabasePool& pool, const HttpRequest& req) {
  auto page = IntParam(req, "page", 1);
  if (!page.ok()) return StatusResponse(page.status());
  auto size = IntParam(req, "page_size", 50);
  if (!size.ok()) return StatusResponse(size.status());
  auto r = service::AuditPageAs(*pool.Acquire(), Who(req), *page, *size,
                                req.Query("actor").value_or(""), req.Query("action").value_or(""));
  if (!r.ok()) return StatusResponse(r.status());
  json entries = json::array();
  for (const auth::StoredAuditEntry& e : r->entries) {
    json detail = json::parse(e.detail, nullptr, /*allow_exceptions=*/false);
    if (detail.is_discarded()) detail = e.detail;  // shown as stored: Verify says whether it is
    entries.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"actor", e.actor},
                       {"action", e.action},
                       {"target", e.target},
                       {"detail", std::move(detail)},
                       {"hash", e.hash}});
  }
  return JsonResponse(
      {{"total", r->total}, {"page", *page}, {"page_size", *size}, {"entries", std::move(entries)}});
}

// GET /api/audit/verify → {"ok", "checked", "seq", "message"}.
HttpResponse Verify(service::DatabasePool& pool, const HttpRequest& req) {
  auto r = service::VerifyAuditAs(*pool.Acquire(), Who(req));
  if (!r.ok()) return StatusResponse(r.status());
  return JsonResponse({{"ok", r->ok()},
                       {"checked", r->checked},
                       {"seq", r->seq},
                       {"message", r->ok() ? "审计日志完整，共 " + std::to_string(r->checked) +
                                                 " 条记录，哈希链未被改动"
                                           : r->message}});
}

// GET /api/audit/export?format=csv|jsonl → the whole log as a file.
HttpResponse Export(service::DatabasePool& pool, const HttpRequest& req) {
  const std::string format = req.Query("format").value_or("csv");
  if (format != "csv" && format != "jsonl") {
    return StatusResponse(Status::InvalidArgument("导出格式应为 csv 或 jsonl：" + format,
                                                  "bad audit export format"));
  }
  std::ostringstream out;
  auto n = service::ExportAuditAs(
      *pool.Acquire(), Who(req), out,
      format == "csv" ? auth::AuditExportFormat::kCsv : auth::AuditExportFormat::kJsonLines);
  if (!n.ok()) return StatusResponse(n.status());
  return Download(out.str(),
                  format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
                  "审计日志." + format);
}

}  // namespace

void AddAuditRoutes(Router& router, service::DatabasePool& pool) {
  service::DatabasePool* p = &pool;
  const RouteRule audit = RouteRule::Needs("audit");
  router.Get("/api/audit", audit,
             [p](const HttpRequest& r, const PathParams&) { return Entries(*p, r); });
  router.Get("/api/audit/verify", audit,
             [p](const HttpRequest& r, const PathParams&) { return Verify(*p, r); });
  router.Get("/api/audit/export", audit,
             [p](const HttpRequest& r, const PathParams&) { return Export(*p, r); });
}

}  // namespace tz::server
