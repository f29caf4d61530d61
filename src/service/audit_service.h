// The audit log as use cases (issue 5): reading, verifying and exporting it needs the `audit`
// permission; an export is itself audited.
#ifndef TAIZHANG_SERVICE_AUDIT_SERVICE_H_
#define TAIZHANG_SERVICE_AUDIT_SERVICE_H_

#include <ostream>
#include <vector>

#include "auth/audit_log.h"
#include "auth/principal.h"
#include "service/database.h"

namespace tz::service {

inline constexpr int64_t kMaxAuditPageSize = 500;

struct AuditPage {
  int64_t total = 0;
  std::vector<auth::StoredAuditEntry> entries;  // newest first
};
// page ≥ 1, page_size 1..kMaxAuditPageSize (InvalidArgument otherwise).
Result<AuditPage> AuditPageAs(Database& db, const auth::Principal& who, int64_t page,
                              int64_t page_size, const std::string& actor,
                              const std::string& action);
Result<auth::VerifyReport> VerifyAuditAs(Database& db, const auth::Principal& who);
// Audited (export of "_audit") before anything is written to `out`.
Result<int64_t> ExportAuditAs(Database& db, const auth::Principal& who, std::ostream& out,
                              auth::AuditExportFormat format);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_AUDIT_SERVICE_H_
