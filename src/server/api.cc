#include "server/api.h"

#include "server/json_response.h"

namespace tz::server {
namespace {

using nlohmann::json;

// GET /api/health → {"ok": true, "ledgers": N}: the server is up and the pack is loaded.
HttpResponse Health(service::DatabasePool& pool) {
  return JsonResponse({{"ok", true}, {"ledgers", pool.catalog().ledgers.size()}});
}

// GET /api/org → the org tree: {"town": {code, name, region}, "villages": [{code, name, aliases}]}.
HttpResponse Org(service::DatabasePool& pool) {
  const pack::OrgTree& org = pool.catalog().org;
  json villages = json::array();
  for (const pack::OrgUnit& v : org.villages) {
    villages.push_back({{"code", v.code}, {"name", v.name}, {"aliases", v.aliases}});
  }
  return JsonResponse(
      {{"town", {{"code", org.town.code}, {"name", org.town.name}, {"region", org.region}}},
       {"villages", std::move(villages)}});
}

}  // namespace

void AddApiRoutes(Router& router, service::DatabasePool& pool, const SessionOptions& options) {
  service::DatabasePool* p = &pool;
  router.SetGuard(MakeSessionGuard(pool, options));
  router.Get("/api/health", RouteRule::Public(),
             [p](const HttpRequest&, const PathParams&) { return Health(*p); });
  router.Get("/api/org", RouteRule::SignedIn(),
             [p](const HttpRequest&, const PathParams&) { return Org(*p); });
  AddAccountRoutes(router, pool, options);
  AddAuditRoutes(router, pool);
  AddLedgerRoutes(router, pool);
  AddFileRoutes(router, pool);
  AddFigureRoutes(router, pool);
}

}  // namespace tz::server
