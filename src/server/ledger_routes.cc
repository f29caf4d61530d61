// /api/ledgers…: the ledger types (for menus and generated forms) and their records (for the
// ledger pages). Thin: parse the request, call the service, map the Status once.
#include <charconv>

#include "server/api.h"
#include "server/json_response.h"
#include "service/import_service.h"
#include "service/records_service.h"

namespace tz::server {
namespace {

using nlohmann::json;

json ColumnJson(const pack::Column& c) {
  json out = {{"label", c.label}, {"type", pack::ColumnTypeName(c.type)}, {"required", c.required}};
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
          {"columns", std::move(columns)}};
}

// A whole number from the query string, or a 400 naming the parameter.
Result<int64_t> IntParam(const HttpRequest& req, const char* name, int64_t fallback) {
  std::optional<std::string> text = req.Query(name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return Status::InvalidArgument(std::string("参数 ") + name + " 应为整数：" + *text,
                                   std::string("query parameter ") + name + " is not an integer");
  }
  return v;
}

HttpResponse ListLedgers(service::Database& db) {
  json out = json::array();
  for (const pack::Ledger& l : db.catalog().ledgers) out.push_back(LedgerJson(l));
  return JsonResponse(out);
}

HttpResponse GetLedger(service::Database& db, const PathParams& params) {
  auto ledger = service::FindLedger(db.catalog(), params.at("id"));
  if (!ledger.ok()) return StatusResponse(ledger.status());
  return JsonResponse(LedgerJson(**ledger));
}

// ?page=&page_size=&sort=LABEL&order=asc|desc&q=&unit=&f.LABEL=FILTER …
HttpResponse ListRecords(service::Database& db, const HttpRequest& req, const PathParams& params) {
  auto ledger = service::FindLedger(db.catalog(), params.at("id"));
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
  // Masked always until accounts and roles exist (issue 5) decide who may see more.
  query.unmasked = false;
  auto result = service::ListRecords(db, **ledger, query);
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

}  // namespace

void AddLedgerRoutes(Router& router, service::Database& db) {
  service::Database* d = &db;
  router.Get("/api/ledgers",
             [d](const HttpRequest&, const PathParams&) { return ListLedgers(*d); });
  router.Get("/api/ledgers/{id}",
             [d](const HttpRequest&, const PathParams& p) { return GetLedger(*d, p); });
  router.Get("/api/ledgers/{id}/records",
             [d](const HttpRequest& r, const PathParams& p) { return ListRecords(*d, r, p); });
}

}  // namespace tz::server
