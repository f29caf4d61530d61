// The JSON API: every route the server offers, added to a Router. One file per resource; adding a
// route is one line in its Add…Routes function plus its handler (docs/api.md).
#ifndef TAIZHANG_SERVER_API_H_
#define TAIZHANG_SERVER_API_H_

#include "server/http.h"
#include "server/session_guard.h"
#include "service/database_pool.h"

namespace tz::server {

// Adds every /api route, each with its RouteRule, and the session guard. `pool` is borrowed and
// must outlive the router and the server using it. Handlers run on several threads at once: each
// leases its own connection from the pool for the duration of the request; the Catalog is
// read-only and shared.
void AddApiRoutes(Router& router, service::DatabasePool& pool, const SessionOptions& options = {});

// /api/ledgers, /api/ledgers/{id}, …/records, …/records/{rid} (ledger_routes.cc).
void AddLedgerRoutes(Router& router, service::DatabasePool& pool);
// …/import, …/template, …/export: files in and out (file_routes.cc).
void AddFileRoutes(Router& router, service::DatabasePool& pool);
// /api/dashboard, /api/figures…, /api/report… (figure_routes.cc).
void AddFigureRoutes(Router& router, service::DatabasePool& pool);
// /api/auth/…, /api/users…, /api/roles, /api/settings (account_routes.cc).
void AddAccountRoutes(Router& router, service::DatabasePool& pool, const SessionOptions& options);
// /api/audit… (audit_routes.cc).
void AddAuditRoutes(Router& router, service::DatabasePool& pool);

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_API_H_
