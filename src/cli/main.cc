// taizhang: the command-line adapter. Parses arguments, calls the service layer, and maps a Status
// to an exit code in exactly one place (ExitCodeFor).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "base/period.h"
#include "cli/commands.h"

namespace tz::cli {
namespace {

constexpr char kUsage[] =
    "用法: taizhang [--db 数据库] <命令> [选项]\n"
    "\n"
    "命令:\n"
    "  init [--pack 目录] [--org 组织架构.txt]  新建数据库（默认台账包；--org 换成区、市的组织架构）\n"
    "  demo [--seed N] [--towns N] [--org 文件] 新建（如需要）并填入演示数据（--towns：多个乡镇）\n"
    "  ledgers                                 列出台账\n"
    "  import 台账 文件 [--mode append|upsert|replace] [--unit 村] [--town 乡镇] [--sheet 工作表]\n"
    "         [--errors-xlsx 文件] [--json]     导入 .xlsx/.xls/.csv（台账可写编号或名称）\n"
    "  template 台账 -o 文件.xlsx               生成空白填报模板\n"
    "  export 台账 [--period 期间] [--unit 村] [--unmasked] -o 文件.xlsx|.csv\n"
    "  figures --period 期间 [--unit 村] [--json]\n"
    "  explain 指标 --period 期间 [--unit 村] [--limit N]\n"
    "  report --period 期间 [--unit 村] [--format md|html|docx|pdf] [--appendix]\n"
    "         [--template 名称|Word模板.docx] [-o 文件]   docx/pdf 须 -o；--appendix 附数据来源表\n"
    "  serve [--host 127.0.0.1] [--port 8080] [--web 目录] [--secure-cookies]\n"
    "                                          启动网页服务（Ctrl+C 停止）\n"
    "  audit verify                            核对审计日志，指出第一条被改动或删除的记录\n"
    "  audit export [--format csv|jsonl] -o 文件   导出审计日志（含摘要，可在别处重新核对）\n"
    "  user add 用户名 --role 角色 [--unit 村或网格] [--display-name 姓名]   新建账号\n"
    "  user list | disable | enable | reset-password | unlock 用户名\n"
    "\n"
    "身份: 读写台账数据的命令（demo、ledgers、import、export、figures、explain、report、audit、\n"
    "  user）须指定操作人：--user 用户名（密码取自 TAIZHANG_PASSWORD 或在终端输入），或\n"
    "  --local-admin（本机管理员，全部权限，记入审计日志）。serve 的每个请求各自登录。\n"
    "\n"
    "期间: 2022H1、2022H2、2022、2022Q2、2022-05、2022-01-01..2022-06-30\n"
    "全局选项: --db 数据库文件，或 PostgreSQL 地址 postgresql://用户@主机:端口/库名\n"
    "  （默认取环境变量 TAIZHANG_DB，否则 ./taizhang.db；密码请放在 PGPASSWORD 或 ~/.pgpass）\n";

// Options that take a value; everything else starting with '-' is a flag.
bool TakesValue(const std::string& opt) {
  static const char* kWithValue[] = {
      "--db",     "--pack",  "--seed", "--period", "--unit",        "--format", "--template", "-o",
      "--output", "--limit", "--mode", "--sheet",  "--errors-xlsx", "--host",   "--port", "--web",
      "--user",   "--role",  "--display-name", "--org", "--towns", "--town"};
  for (const char* o : kWithValue) {
    if (opt == o) return true;
  }
  return false;
}

}  // namespace

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 1;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return 4;
    default:
      return 3;
  }
}

int Fail(const Status& s) {
  std::fprintf(stderr, "错误：%s\n", s.message().c_str());
  if (s.log_message() != s.message()) std::fprintf(stderr, "[log] %s\n", s.ToString().c_str());
  return ExitCodeFor(s);
}

int Main(int argc, char** argv) {
  Args args;
  // TAIZHANG_DB: a PostgreSQL URL with its password stays out of the process list (ps).
  const char* db_env = std::getenv("TAIZHANG_DB");
  args.db = db_env && *db_env ? db_env : "taizhang.db";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help" || a == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (a.size() > 1 && a[0] == '-' &&
        !(a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1])))) {
      std::string value;
      size_t eq = a.find('=');
      if (eq != std::string::npos) {
        value = a.substr(eq + 1);
        a = a.substr(0, eq);
      } else if (TakesValue(a)) {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "错误：选项 %s 需要一个值\n\n%s", a.c_str(), kUsage);
          return 2;
        }
        value = argv[++i];
      }
      if (a == "--db")
        args.db = value;
      else if (a == "--output")
        args.options["-o"] = value;
      else
        args.options[a] = value;
      continue;
    }
    if (args.command.empty())
      args.command = a;
    else
      args.positional.push_back(a);
  }
  if (args.command.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  static const std::map<std::string, int (*)(const Args&)> kCommands = {
      {"init", RunInit},     {"demo", RunDemo},         {"ledgers", RunLedgers},
      {"import", RunImport}, {"figures", RunFigures},   {"explain", RunExplain},
      {"report", RunReport}, {"template", RunTemplate}, {"export", RunExport},
      {"serve", RunServe},   {"audit", RunAudit},       {"user", RunUser},
  };
  auto it = kCommands.find(args.command);
  if (it == kCommands.end()) {
    std::fprintf(stderr, "错误：未知的命令“%s”\n\n%s", args.command.c_str(), kUsage);
    return 2;
  }
  return it->second(args);
}

}  // namespace tz::cli

int main(int argc, char** argv) { return tz::cli::Main(argc, argv); }
