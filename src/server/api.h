// The JSON API: every route the server offers, added to a Router. One function per resource in
// api.cc; adding a route is one line in AddApiRoutes plus its handler.
#ifndef TAIZHANG_SERVER_API_H_
#define TAIZHANG_SERVER_API_H_

#include "server/http.h"
#include "service/database.h"

namespace tz::server {

// Adds the /api routes. `db` is borrowed and must outlive the router and the server using it.
// Handlers run on several threads at once: they may read the Catalog freely, but anything that
// touches the Store must be safe for concurrent use (see docs/api.md).
void AddApiRoutes(Router& router, service::Database& db);

// /api/ledgers, /api/ledgers/{id}, /api/ledgers/{id}/records (ledger_routes.cc).
void AddLedgerRoutes(Router& router, service::Database& db);

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_API_H_
