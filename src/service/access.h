// Access control shared by every use case (issue 5, docs/security.md): the checks each service
// function makes against the Principal it is given, and the audit entries it writes. The adapters
// (CLI, HTTP) only build the Principal — from a session or --user — and map the Status:
// PermissionDenied (403 / exit 4) for a role, scope or restricted-ledger refusal, which is itself
// audited here ("denied"), so every refusal leaves a trace however it was reached.
#ifndef TAIZHANG_SERVICE_ACCESS_H_
#define TAIZHANG_SERVICE_ACCESS_H_

#include <string>
#include <string_view>

#include "auth/audit_log.h"
#include "auth/principal.h"
#include "base/result.h"
#include "figures/scope.h"
#include "pack/catalog.h"
#include "service/database.h"

namespace tz::service {

using auth::Principal;

// What a refusal says and records: `what` is Chinese for the user ("导出"、"查看"), `log` English.
// Appends a "denied" audit entry (its own transaction) and returns PermissionDenied — or the audit
// failure, if the entry could not be written.
Status Deny(Database& db, const Principal& who, std::string_view target, std::string message,
            std::string log);

// PermissionDenied (audited) unless the role has `permission` (pack::kPermissions).
Status Require(Database& db, const Principal& who, std::string_view permission);
// PermissionDenied (audited) unless the principal sees the ledger's records (Principal::SeesLedger).
Status RequireLedger(Database& db, const Principal& who, const pack::Ledger& ledger);

// The org unit a request names, checked against the scope: empty → the principal's own root (the
// town, their village, their grid); a unit outside the scope → PermissionDenied (audited);
// NotFound for a unit that does not exist.
Result<figures::Scope> UnitFor(Database& db, const Principal& who, const std::string& unit);

// Where the principal's scope pins a ledger's rows: the column (village or grid) and the code it
// must hold. column < 0: no restriction (town scope). Only meaningful when SeesLedger holds.
struct RowPin {
  int column = -1;
  std::string code;
  std::string unit_name;  // for messages: 院前村
  // A grid lies in a village: for a grid scope on a ledger with a village column, that column
  // must hold the grid's village too (as figures count a grid's rows). -1: no second condition.
  int village_column = -1;
  std::string village_code;
};
RowPin RowPinFor(const Principal& who, const pack::Ledger& ledger);

// An audit entry for `who`, inside the caller's open transaction on db.store() (the action fails
// with it) — or in a transaction of its own (AuditCommitted) for events that write nothing else.
// `detail` is JSON text or empty.
Status AuditInTransaction(Database& db, const Principal& who, std::string_view action,
                          std::string target, std::string detail);
Status AuditCommitted(Database& db, const Principal& who, std::string_view action,
                      std::string target, std::string detail);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_ACCESS_H_
