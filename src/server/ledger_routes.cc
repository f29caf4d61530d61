// /api/ledgers…: the ledger types (for menus and generated forms) and their records (for the
// ledger pages). Thin: parse the request, call the service, map the Status once.
#include "server/api.h"
#include "server/json_response.h"
#include "server/route_util.h"
#include "service/access.h"
#include "service/import_service.h"
#include "service/records_service.h"

namespace tz::server {
namespace {

using nlohmann::json;

json ColumnJson(const pack::Column& c) {
  json out = {{"label", c.label}, {"type", pack::ColumnTypeName(c.type)}, {"required", c.required}};
  // Sensitive: shown masked unless asked unmasked (with the `unmask` permission); no filter or
  // sort on it while masked.
  if (c.sensitive) out["masked"] = true;
  if (!c.enum_values.empty()) out["values"] = c.enum_values;
  if (!c.ref_ledger.empty()) out["ref"] = c.ref_ledger;
  if (c.min) out["min"] = *c.min;
  if (c.max) out["max"] = *c.max;
  return out;
}

json LedgerJson(const pack::Ledger& l) {
  json columns = json::array();
  for (const pack::Column& c : l.columns) columns.push_back(ColumnJson(c));
  auto label = [&](int index) -> json {
    return index < 0 ? json(nullptr) : json(l.columns[static_cast<size_t>(index)].label);
  };
  return {{"id", l.id},
          {"title", l.title},
          {"domain", l.domain},
          {"note", l.note},
          {"key", label(l.key_column)},
          {"village_column", label(l.village_column)},
          {"grid_column", label(l.grid_column)},
          {"restricted", l.restricted},
          {"columns", std::move(columns)}};
}

// Only the ledgers the caller's role sees (the menu of the web app).
HttpResponse ListLedgers(service::DatabasePool& pool, const HttpRequest& req) {
  json out = json::array();
  for (const pack::Ledger& l : pool.catalog().ledgers) {
    if (Who(req).SeesLedger(l)) out.push_back(LedgerJson(l));
  }
  return JsonResponse(out);
}

HttpResponse GetLedger(service::DatabasePool& pool, const HttpRequest& req,
                       const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  Status seen = service::RequireLedger(*pool.Acquire(), Who(req), **ledger);
  if (!seen.ok()) return StatusResponse(seen);
  return JsonResponse(LedgerJson(**ledger));
}

// ?page=&page_size=&sort=LABEL&order=asc|desc&q=&unit=&f.LABEL=FILTER …
HttpResponse ListRecords(service::DatabasePool& pool, const HttpRequest& req, const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  service::RecordQuery query;
  auto page = IntParam(req, "page", query.page);
  if (!page.ok()) return StatusResponse(page.status());
  auto size = IntParam(req, "page_size", query.page_size);
  if (!size.ok()) return StatusResponse(size.status());
  query.page = *page;
  query.page_size = *size;
  query.sort = req.Query("sort").value_or("");
  const std::string order = req.Query("order").value_or("asc");
  if (order != "asc" && order != "desc") {
    return StatusResponse(Status::InvalidArgument("参数 order 应为 asc 或 desc：" + order,
                                                  "bad order '" + order + "'"));
  }
  query.descending = order == "desc";
  query.q = req.Query("q").value_or("");
  query.unit = req.Query("unit").value_or("");
  for (const auto& [name, value] : req.query) {
    if (name.rfind("f.", 0) == 0) query.filters[name.substr(2)] = value;
  }
  auto unmasked = FlagParam(req, "unmasked");
  if (!unmasked.ok()) return StatusResponse(unmasked.status());
  query.unmasked = *unmasked;
  auto result = service::ListRecords(*pool.Acquire(), Who(req), **ledger, query);
  if (!result.ok()) return StatusResponse(result.status());
  json rows = json::array();
  for (const service::RecordRow& r : result->rows) {
    rows.push_back({{"id", r.id}, {"cells", r.cells}});
  }
  json columns = json::array();
  for (const pack::Column& c : (*ledger)->columns) columns.push_back(c.label);
  return JsonResponse({{"ledger", (*ledger)->id},
                       {"total", result->total},
                       {"page", result->page},
                       {"page_size", result->page_size},
                       {"columns", std::move(columns)},
                       {"rows", std::move(rows)}});
}

// GET …/records/{rid}[?unmasked=1] → {"id", "cells": {label: text}} (masked unless asked and
// allowed).
HttpResponse GetRecord(service::DatabasePool& pool, const HttpRequest& req,
                       const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  auto id = RecordId(params.at("rid"));
  if (!id.ok()) return StatusResponse(id.status());
  auto unmasked = FlagParam(req, "unmasked");
  if (!unmasked.ok()) return StatusResponse(unmasked.status());
  auto row = service::GetRecord(*pool.Acquire(), Who(req), **ledger, *id, *unmasked);
  if (!row.ok()) return StatusResponse(row.status());
  json cells = json::object();
  for (size_t c = 0; c < row->cells.size(); ++c) {
    cells[(*ledger)->columns[c].label] = row->cells[c];
  }
  return JsonResponse({{"id", row->id}, {"cells", std::move(cells)}});
}

// {"cells": {label: text | number | null}} → label → text. Other JSON types are refused by name:
// a form sends text, a script may send numbers.
Result<std::map<std::string, std::string>> FormCells(const HttpRequest& req) {
  TZ_ASSIGN_OR_RETURN(json body, ParseJsonObject(req));
  auto it = body.find("cells");
  if (it == body.end() || !it->is_object()) {
    return Status::InvalidArgument("请求内容应为 {\"cells\": {列名: 值}}", "body has no cells object");
  }
  std::map<std::string, std::string> cells;
  for (auto& [label, value] : it->items()) {
    if (value.is_string()) {
      cells[label] = value.get<std::string>();
    } else if (value.is_null()) {
      cells[label] = "";
    } else if (value.is_number_integer()) {
      cells[label] = value.dump();
    } else if (value.is_number_float()) {
      cells[label] = value.dump();
    } else {
      return Status::InvalidArgument("“" + label + "”的值应为文字或数字",
                                     "cell '" + label + "' is not a string or number");
    }
  }
  return cells;
}

// The answer to a create or update: the id and warnings, or a 422 listing every bad cell.
HttpResponse WriteResponse(const service::RecordWrite& w, int success_status) {
  if (!w.ok()) {
    return InvalidDataResponse("invalid_record",
                               "有 " + std::to_string(w.errors.size()) + " 处错误，未保存",
                               w.errors);
  }
  return JsonResponse({{"id", w.id}, {"warnings", IssuesJson(w.warnings)}}, success_status);
}

// POST …/records {"cells": {…}} → 201 {"id", "warnings"} | 422.
HttpResponse CreateRecord(service::DatabasePool& pool, const HttpRequest& req,
                          const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto cells = FormCells(req);
  if (!cells.ok()) return StatusResponse(cells.status());
  auto w = service::CreateRecord(*pool.Acquire(), Who(req), **ledger, *cells);
  if (!w.ok()) return StatusResponse(w.status());
  return WriteResponse(*w, 201);
}

// PUT …/records/{rid} {"cells": {…}} → 200 {"id", "warnings"} | 422 | 404.
HttpResponse UpdateRecord(service::DatabasePool& pool, const HttpRequest& req,
                          const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  auto id = RecordId(params.at("rid"));
  if (!id.ok()) return StatusResponse(id.status());
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto cells = FormCells(req);
  if (!cells.ok()) return StatusResponse(cells.status());
  auto w = service::UpdateRecord(*pool.Acquire(), Who(req), **ledger, *id, *cells);
  if (!w.ok()) return StatusResponse(w.status());
  return WriteResponse(*w, 200);
}

// DELETE …/records/{rid} → {"deleted": rid} | 404.
HttpResponse DeleteRecord(service::DatabasePool& pool, const HttpRequest& req,
                          const PathParams& params) {
  auto ledger = service::FindLedger(pool.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  auto id = RecordId(params.at("rid"));
  if (!id.ok()) return StatusResponse(id.status());
  Status s = service::DeleteRecord(*pool.Acquire(), Who(req), **ledger, *id);
  if (!s.ok()) return StatusResponse(s);
  return JsonResponse({{"deleted", *id}});
}

}  // namespace

void AddLedgerRoutes(Router& router, service::DatabasePool& pool) {
  service::DatabasePool* p = &pool;
  const RouteRule read = RouteRule::Needs("read"), write = RouteRule::Needs("write");
  router.Get("/api/ledgers", RouteRule::SignedIn(),
             [p](const HttpRequest& r, const PathParams&) { return ListLedgers(*p, r); });
  router.Get("/api/ledgers/{id}", RouteRule::SignedIn(),
             [p](const HttpRequest& r, const PathParams& a) { return GetLedger(*p, r, a); });
  router.Get("/api/ledgers/{id}/records", read,
             [p](const HttpRequest& r, const PathParams& a) { return ListRecords(*p, r, a); });
  router.Post("/api/ledgers/{id}/records", write,
              [p](const HttpRequest& r, const PathParams& a) { return CreateRecord(*p, r, a); });
  router.Get("/api/ledgers/{id}/records/{rid}", read,
             [p](const HttpRequest& r, const PathParams& a) { return GetRecord(*p, r, a); });
  router.Put("/api/ledgers/{id}/records/{rid}", write,
             [p](const HttpRequest& r, const PathParams& a) { return UpdateRecord(*p, r, a); });
  router.Delete("/api/ledgers/{id}/records/{rid}", write,
                [p](const HttpRequest& r, const PathParams& a) { return DeleteRecord(*p, r, a); });
}

}  // namespace tz::server
