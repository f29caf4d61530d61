// Files in and out of a ledger: an uploaded workbook imported, the fill-in template and an export
// downloaded. Uploads are written to a temporary file (the readers open files by content) and the
// temporary files of downloads are read back whole: ledgers are megabytes, not gigabytes, and the
// body limit bounds uploads.
#include "server/api.h"
#include "server/json_response.h"
#include "server/route_util.h"
#include "service/access.h"
#include "service/export_service.h"
#include "service/import_service.h"
#include "service/ledger_files.h"

namespace tz::server {
namespace {

using nlohmann::json;

constexpr char kXlsxType[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// POST …/import?mode=append|upsert|replace&unit=&sheet= with the file as the body →
// 200 {"imported", "updated", "deleted", "sheet", "header_row", "warnings"} |
// 422 {"error": {"code": "invalid_import", "issues", "error_count"}} (nothing written).
HttpResponse Import(service::DatabasePool& pool, const HttpRequest& req, const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  service::ImportOptions options;
  std::string mode = req.Query("mode").value_or("");
  if (mode.empty()) mode = "append";
  std::optional<service::ImportMode> parsed = service::ParseImportMode(mode);
  if (!parsed) {
    return StatusResponse(Status::InvalidArgument(
        "导入方式应为 append（追加）、upsert（按主键更新）或 replace（替换）：" + mode,
        "bad import mode '" + mode + "'"));
  }
  options.mode = *parsed;
  options.unit = req.Query("unit").value_or("");
  options.sheet = req.Query("sheet").value_or("");
  if (req.body.empty()) {
    return StatusResponse(Status::InvalidArgument("没有收到文件（请求内容为空）", "empty upload"));
  }
  options.source_name = "web:" + UploadName(req, "upload");

  auto file = TempFile::Create("");
  if (!file.ok()) return StatusResponse(file.status());
  Status written = WriteFile(file->path(), req.body);
  if (!written.ok()) return StatusResponse(written);
  auto report = service::ImportFileAs(*pool.Acquire(), Who(req), **ledger, file->path(), options);
  if (!report.ok()) return StatusResponse(report.status());
  const service::ImportReport& r = *report;
  if (!r.ok()) {
    return InvalidDataResponse(
        "invalid_import", "文件有 " + std::to_string(r.error_count) + " 处错误，未导入任何行",
        r.errors, {{"error_count", r.error_count}});
  }
  LogLine("import " + r.ledger_id + " " + r.mode + ": " + std::to_string(r.imported) +
          " rows from " + options.source_name);
  json out = {{"imported", r.imported},
              {"updated", r.updated},
              {"deleted", r.deleted},
              {"header_row", r.header_row},
              {"warnings", IssuesJson(r.warnings)}};
  // A workbook's sheet by name; a CSV file has its encoding instead (its "sheet" would be the
  // temporary file's name).
  if (r.encoding.empty()) {
    out["sheet"] = r.sheet;
  } else {
    out["encoding"] = r.encoding;
  }
  return JsonResponse(out);
}

// GET …/template → the blank .xlsx to fill in (for a ledger the caller sees).
HttpResponse Template(service::DatabasePool& pool, const HttpRequest& req,
                      const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  Status seen = service::RequireLedger(*pool.Acquire(), Who(req), **ledger);
  if (!seen.ok()) return StatusResponse(seen);
  auto file = TempFile::Create(".xlsx");
  if (!file.ok()) return StatusResponse(file.status());
  Status s = service::WriteLedgerTemplate(pool.catalog(), **ledger, file->path());
  if (!s.ok()) return StatusResponse(s);
  auto body = ReadFile(file->path());
  if (!body.ok()) return StatusResponse(body.status());
  return Download(std::move(*body), kXlsxType, (*ledger)->title + "-填报模板.xlsx");
}

// GET …/export?format=xlsx|csv&period=&unit=&unmasked= → the ledger's rows within the caller's
// scope as a file (masked unless unmasked=1 and the role may unmask).
HttpResponse Export(service::DatabasePool& pool, const HttpRequest& req, const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  std::string format = req.Query("format").value_or("");
  if (format.empty()) format = "xlsx";
  if (format != "xlsx" && format != "csv") {
    return StatusResponse(Status::InvalidArgument("导出格式应为 xlsx 或 csv：" + format,
                                                  "bad export format '" + format + "'"));
  }
  service::ExportOptions options;
  options.period = req.Query("period").value_or("");
  options.unit = req.Query("unit").value_or("");
  auto unmasked = FlagParam(req, "unmasked");
  if (!unmasked.ok()) return StatusResponse(unmasked.status());
  options.unmasked = *unmasked;
  std::string name = (*ledger)->title;
  if (!options.unit.empty()) name += "-" + options.unit;
  if (!options.period.empty()) name += "-" + options.period;
  options.file_name = name + "." + format;
  auto file = TempFile::Create("." + format);
  if (!file.ok()) return StatusResponse(file.status());
  auto result = service::ExportLedgerAs(*pool.Acquire(), Who(req), **ledger, options, file->path());
  if (!result.ok()) return StatusResponse(result.status());
  auto body = ReadFile(file->path());
  if (!body.ok()) return StatusResponse(body.status());
  HttpResponse res = Download(std::move(*body),
                              format == "csv" ? "text/csv; charset=utf-8" : kXlsxType,
                              options.file_name);
  res.headers.emplace_back("X-Rows", std::to_string(result->rows));
  return res;
}

}  // namespace

void AddFileRoutes(Router& router, service::DatabasePool& pool) {
  service::DatabasePool* p = &pool;
  router.Post("/api/ledgers/{id}/import", RouteRule::Needs("import"),
              [p](const HttpRequest& r, const PathParams& a) { return Import(*p, r, a); });
  router.Get("/api/ledgers/{id}/template", RouteRule::Needs("read"),
             [p](const HttpRequest& r, const PathParams& a) { return Template(*p, r, a); });
  router.Get("/api/ledgers/{id}/export", RouteRule::Needs("export"),
             [p](const HttpRequest& r, const PathParams& a) { return Export(*p, r, a); });
}

}  // namespace tz::server
