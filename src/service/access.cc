#include "service/access.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "base/strings.h"

namespace tz::service {
namespace {

// The role as users know it: 村干部, or 本机管理员 for the command line's local administrator.
std::string RoleTitle(const Principal& who) {
  return who.role() ? who.role()->title : std::string("本机管理员");
}

const char* PermissionWords(std::string_view p) {
  if (p == "read") return "查看台账记录";
  if (p == "write") return "录入、修改和删除记录";
  if (p == "import") return "导入";
  if (p == "export") return "导出";
  if (p == "report") return "查看统计和报告";
  if (p == "unmask") return "查看完整的身份证号和电话";
  if (p == "users") return "管理用户";
  if (p == "audit") return "查看审计日志";
  return "执行此操作";
}

}  // namespace

Status Deny(Database& db, const Principal& who, std::string_view target, std::string message,
            std::string log) {
  nlohmann::json detail = {{"reason", log}};
  // The target may come from a request (a unit asked for): bounded and valid UTF-8, so that the
  // refusal is always recorded.
  std::string t(target.substr(0, 200));
  if (!IsValidUtf8(t)) t = "(不是有效的 UTF-8)";
  TZ_RETURN_IF_ERROR(AuditCommitted(db, who, auth::audit_action::kDenied, t, detail.dump()));
  return Status::PermissionDenied(std::move(message), std::move(log));
}

Status Require(Database& db, const Principal& who, std::string_view permission) {
  if (who.Can(permission)) return Status::Ok();
  return Deny(db, who, permission,
              "您的角色（" + RoleTitle(who) + "）没有" + PermissionWords(permission) + "的权限",
              "role lacks permission '" + std::string(permission) + "'");
}

Status RequireLedger(Database& db, const Principal& who, const pack::Ledger& ledger) {
  if (who.SeesLedger(ledger)) return Status::Ok();
  std::string why = ledger.restricted ? "该台账为受限台账，" : "";
  return Deny(db, who, ledger.id,
              "您的角色（" + RoleTitle(who) + "）无权查看" + Quoted(ledger.title) + "（" + why +
                  "请联系系统管理员）",
              "ledger " + ledger.id + " not visible to the role");
}

Result<figures::Scope> UnitFor(Database& db, const Principal& who, const std::string& unit) {
  if (who.scope_kind() == pack::RoleScope::kNone) {
    return Deny(db, who, unit, "您的角色（" + RoleTitle(who) + "）不能查看台账数据",
                "scope-none role asked for data");
  }
  if (TrimSpace(unit).empty()) return who.root();
  Result<figures::Scope> resolved = db.engine().ResolveScope(db.store(), unit);
  if (!resolved.ok()) {
    // A unit named in a request that does not exist is a bad parameter of that request.
    if (resolved.status().code() != StatusCode::kNotFound) return resolved.status();
    return Status::InvalidArgument(resolved.status().message(), resolved.status().log_message());
  }
  figures::Scope scope = std::move(resolved).value();
  if (who.Covers(scope)) return scope;
  return Deny(db, who, scope.code,
              "无权查看" + Quoted(scope.name) + "的数据：您的数据范围是" + who.root().name,
              "unit " + scope.code + " outside the scope " + who.root().code);
}

RowPin RowPinFor(const Principal& who, const pack::Ledger& ledger) {
  RowPin pin;
  switch (who.scope_kind()) {
    case pack::RoleScope::kVillage:
      pin.column = ledger.village_column;
      break;
    case pack::RoleScope::kGrid:
      pin.column = ledger.grid_column;
      if (ledger.village_column >= 0) {
        pin.village_column = ledger.village_column;
        pin.village_code = who.root().parent_code;
      }
      break;
    default:
      return pin;
  }
  pin.code = who.root().code;
  pin.unit_name = who.root().name;
  return pin;
}

Status AuditInTransaction(Database& db, const Principal& who, std::string_view action,
                          std::string target, std::string detail) {
  auth::AuditLog log(db.store());
  return log.Append({who.actor(), std::string(action), std::move(target), std::move(detail)});
}

Status AuditCommitted(Database& db, const Principal& who, std::string_view action,
                      std::string target, std::string detail) {
  auth::AuditLog log(db.store());
  return log.AppendCommitted({who.actor(), std::string(action), std::move(target),
                              std::move(detail)});
}

}  // namespace tz::service
