// taizhang audit verify | export: checks and hands out the hash-chained audit log
// (auth/audit_log.h).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "auth/audit_log.h"
#include "cli/commands.h"
#include "cli/identity.h"
#include "service/audit_service.h"
#include "service/database.h"

namespace tz::cli {
namespace {

constexpr char kAuditUsage[] =
    "用法: taizhang audit verify --local-admin|--user 用户名\n"
    "      taizhang audit export [--format csv|jsonl] -o 文件 --local-admin|--user 用户名\n";

int RunVerify(service::Database& db, const auth::Principal& who) {
  auto report = service::VerifyAuditAs(db, who);
  if (!report.ok()) return Fail(report.status());
  if (!report->ok()) {
    // The database's state is wrong, not the system: exit 1, with the entry named.
    std::string message = report->message;
    if (report->checked > 0) {
      message += "，之前的 " + std::to_string(report->checked) + " 条核对无误";
    }
    return Fail(Status::FailedPrecondition(message, report->log));
  }
  std::printf("审计日志完整：%lld 条\n", static_cast<long long>(report->checked));
  if (report->checked == 0) {
    // A log that was emptied whole leaves no head either: say that nothing was there to check.
    std::fprintf(stderr, "提示：审计日志还没有任何记录\n");
  }
  return 0;
}

int RunExportLog(service::Database& db, const auth::Principal& who, const Args& args) {
  const std::string path = args.Get("-o");
  std::string format = args.Get("--format");
  if (format.empty()) format = path.ends_with(".jsonl") ? "jsonl" : "csv";
  if (format != "csv" && format != "jsonl") {
    std::fprintf(stderr, "错误：--format 应为 csv 或 jsonl\n%s", kAuditUsage);
    return 2;
  }
  // Written to a temporary file and renamed, so a failed export never leaves a partial file that
  // looks like a (truncated) log.
  const std::string tmp = path + ".part";
  Result<int64_t> rows = Status::IoError("无法写入文件：" + path, "cannot create " + tmp);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) {
      rows = service::ExportAuditAs(db, who, out,
                                    format == "csv" ? auth::AuditExportFormat::kCsv
                                                    : auth::AuditExportFormat::kJsonLines);
      out.close();
      if (rows.ok() && !out)
        rows = Status::IoError("无法写入文件：" + path, "write failed: " + tmp);
    }
  }
  std::error_code ec;
  if (rows.ok()) std::filesystem::rename(tmp, path, ec);
  if (!rows.ok() || ec) {
    std::filesystem::remove(tmp, ec);
    return Fail(rows.ok() ? Status::IoError("无法写入文件：" + path, "rename failed: " + path)
                          : rows.status());
  }
  std::printf("%lld\n", static_cast<long long>(*rows));
  std::fprintf(stderr, "已导出审计日志 %lld 条到 %s\n", static_cast<long long>(*rows),
               path.c_str());
  return 0;
}

}  // namespace

int RunAudit(const Args& args) {
  const std::string sub = args.positional.empty() ? "" : args.positional[0];
  const bool verify = sub == "verify" && args.positional.size() == 1;
  const bool exporting = sub == "export" && args.positional.size() == 1 && args.Has("-o");
  if (!verify && !exporting) {
    std::fputs(kAuditUsage, stderr);
    return 2;
  }
  auto db = service::Database::Open(args.db);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  return verify ? RunVerify(**db, *who) : RunExportLog(**db, *who, args);
}

}  // namespace tz::cli
