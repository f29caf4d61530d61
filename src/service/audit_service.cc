#include "service/audit_service.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "service/access.h"

namespace tz::service {

Result<AuditPage> AuditPageAs(Database& db, const auth::Principal& who, int64_t page,
                              int64_t page_size, const std::string& actor,
                              const std::string& action) {
  TZ_RETURN_IF_ERROR(Require(db, who, "audit"));
  if (page_size < 1 || page_size > kMaxAuditPageSize) {
    return Status::InvalidArgument(
        "每页条数应在1到" + std::to_string(kMaxAuditPageSize) + "之间", "page_size out of range");
  }
  if (page < 1 || page - 1 > std::numeric_limits<int64_t>::max() / page_size) {
    return Status::InvalidArgument("页码无效：" + std::to_string(page), "bad page");
  }
  auth::AuditLog log(db.store());
  AuditPage out;
  auth::AuditLog::PageQuery q;
  q.offset = (page - 1) * page_size;
  q.limit = page_size;
  q.actor = actor;
  q.action = action;
  TZ_ASSIGN_OR_RETURN(out.entries, log.Page(q, &out.total));
  return out;
}

Result<auth::VerifyReport> VerifyAuditAs(Database& db, const auth::Principal& who) {
  TZ_RETURN_IF_ERROR(Require(db, who, "audit"));
  auth::AuditLog log(db.store());
  return log.Verify();
}

Result<int64_t> ExportAuditAs(Database& db, const auth::Principal& who, std::ostream& out,
                              auth::AuditExportFormat format) {
  TZ_RETURN_IF_ERROR(Require(db, who, "audit"));
  nlohmann::json detail = {{"format", format == auth::AuditExportFormat::kCsv ? "csv" : "jsonl"}};
  TZ_RETURN_IF_ERROR(AuditCommitted(db, who, auth::audit_action::kExport, "_audit", detail.dump()));
  auth::AuditLog log(db.store());
  return log.Export(out, format);
}

}  // namespace tz::service
