#include "server/api.h"

#include "server/json_response.h"

namespace tz::server {
namespace {

using nlohmann::json;

// GET /api/health → {"ok": true, "ledgers": N}: the server is up and the pack is loaded.
HttpResponse Health(service::Database& db) {
  return JsonResponse({{"ok", true}, {"ledgers", db.catalog().ledgers.size()}});
}

// GET /api/org → the org tree: {"town": {code, name, region}, "villages": [{code, name, aliases}]}.
HttpResponse Org(service::Database& db) {
  const pack::OrgTree& org = db.catalog().org;
  json villages = json::array();
  for (const pack::OrgUnit& v : org.villages) {
    villages.push_back({{"code", v.code}, {"name", v.name}, {"aliases", v.aliases}});
  }
  return JsonResponse(
      {{"town", {{"code", org.town.code}, {"name", org.town.name}, {"region", org.region}}},
       {"villages", std::move(villages)}});
}

}  // namespace

void AddApiRoutes(Router& router, service::Database& db) {
  service::Database* d = &db;
  router.Get("/api/health", [d](const HttpRequest&, const PathParams&) { return Health(*d); });
  router.Get("/api/org", [d](const HttpRequest&, const PathParams&) { return Org(*d); });
  AddLedgerRoutes(router, db);
}

}  // namespace tz::server
