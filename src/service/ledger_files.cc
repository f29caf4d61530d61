#include "service/ledger_files.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

#include "service/access.h"

namespace tz::service {
namespace {

// The file's name without directories: a server's temporary path says nothing to an auditor.
std::string FileName(const std::string& path, const std::string& source_name) {
  if (!source_name.empty()) return source_name;
  return std::filesystem::path(path).filename().string();
}

}  // namespace

Result<ImportReport> ImportFileAs(Database& db, const auth::Principal& who,
                                  const pack::Ledger& ledger, const std::string& path,
                                  ImportOptions options) {
  TZ_RETURN_IF_ERROR(Require(db, who, "import"));
  TZ_RETURN_IF_ERROR(RequireLedger(db, who, ledger));
  switch (who.scope_kind()) {
    case pack::RoleScope::kTown:
      break;
    case pack::RoleScope::kVillage: {
      if (!options.unit.empty()) TZ_RETURN_IF_ERROR(UnitFor(db, who, options.unit).status());
      options.unit = who.root().code;
      break;
    }
    default:
      return Deny(db, who, ledger.id, "按网格管理数据的角色不能整表导入，请逐条录入",
                  "import by a grid-scoped role");
  }
  const std::string file = FileName(path, options.source_name);
  options.before_commit = [&](const ImportReport& report) {
    nlohmann::json detail = {{"file", file},
                             {"mode", report.mode},
                             {"unit", options.unit},
                             {"imported", report.imported},
                             {"updated", report.updated},
                             {"deleted", report.deleted}};
    return AuditInTransaction(db, who, auth::audit_action::kImport, ledger.id, detail.dump());
  };
  TZ_ASSIGN_OR_RETURN(ImportReport report, ImportFile(db.store(), db.catalog(), ledger, path,
                                                      options));
  if (!report.ok()) {
    nlohmann::json detail = {{"file", file},
                             {"mode", report.mode},
                             {"unit", options.unit},
                             {"rejected", true},
                             {"errors", report.error_count}};
    TZ_RETURN_IF_ERROR(
        AuditCommitted(db, who, auth::audit_action::kImport, ledger.id, detail.dump()));
  }
  return report;
}

Result<ExportResult> ExportLedgerAs(Database& db, const auth::Principal& who,
                                    const pack::Ledger& ledger, ExportOptions options,
                                    const std::string& path) {
  TZ_RETURN_IF_ERROR(Require(db, who, "export"));
  TZ_RETURN_IF_ERROR(RequireLedger(db, who, ledger));
  if (options.unmasked) TZ_RETURN_IF_ERROR(Require(db, who, "unmask"));
  // The rows a unit holds: a village's, or a grid's within its village (as figures count them).
  auto confine = [&](const figures::Scope& unit) {
    options.unit.clear();
    options.grid.clear();
    options.towns = unit.towns;  // a district or town of a multi-town database
    if (unit.level == pack::OrgLevel::kVillage) options.unit = unit.code;
    if (unit.level == pack::OrgLevel::kGrid) {
      options.grid = unit.code;
      if (ledger.village_column >= 0) options.unit = unit.parent_code;
    }
  };
  if (!options.unit.empty()) {
    TZ_ASSIGN_OR_RETURN(figures::Scope unit, UnitFor(db, who, options.unit));
    confine(unit);
  } else {
    confine(who.root());
  }
  // The scope's own column always holds: a village cadre's export is of their village whatever
  // grid was asked for.
  if (who.scope_kind() == pack::RoleScope::kVillage) options.unit = who.root().code;
  TZ_ASSIGN_OR_RETURN(ExportResult result,
                      ExportLedger(db.store(), db.catalog(), ledger, options, path));
  nlohmann::json detail = {{"file", FileName(path, options.file_name)},
                           {"rows", result.rows},
                           {"period", options.period},
                           {"unit", options.grid.empty() ? options.unit : options.grid},
                           {"unmasked", options.unmasked}};
  Status audited = AuditCommitted(db, who, auth::audit_action::kExport, ledger.id, detail.dump());
  if (audited.ok() && options.unmasked) {
    audited = AuditCommitted(db, who, auth::audit_action::kUnmask, ledger.id, detail.dump());
  }
  if (!audited.ok()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);  // an export nobody can trace must not be handed out
    return audited;
  }
  return result;
}

}  // namespace tz::service
