#include "cli/commands.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/identity.h"
#include "service/database.h"
#include "service/export_service.h"
#include "service/import_service.h"
#include "service/ledger_files.h"
#include "service/records_service.h"
#include "service/report_service.h"
#include "service/value_json.h"
#include "store/store.h"

#ifdef TZ_HAVE_TOWNSHIP_DEMO
#include "packs/township/demo/demo_generator.h"
#endif

namespace tz::cli {
namespace {

using nlohmann::json;

// A whole non-negative decimal number, nothing else ("-5", "1e3", "12x" are refused).
template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size() && !text.empty() && text[0] != '-';
}

Result<std::unique_ptr<service::Database>> OpenDb(const Args& args) {
  return service::Database::Open(args.db);
}

service::FigureRequest Request(const Args& args) {
  return {args.Get("--period"), args.Get("--unit"), {}};
}

std::string PackDir(const Args& args) {
  return args.Has("--pack") ? args.Get("--pack") : service::DefaultPackDir();
}

}  // namespace

int RunInit(const Args& args) {
  auto db = service::Database::Init(args.db, PackDir(args), args.Get("--org"));
  if (!db.ok()) return Fail(db.status());
  const pack::Catalog& c = (*db)->catalog();
  std::printf("已新建数据库 %s：%s，%zu 个台账，%zu 个指标，%zu 个乡镇，%zu 个村\n",
              store::DisplayLocation(args.db).c_str(), c.org.town.name.c_str(), c.ledgers.size(),
              c.figures.size(), c.org.towns.size(), c.org.villages.size());
  return 0;
}

int RunDemo(const Args& args) {
#ifdef TZ_HAVE_TOWNSHIP_DEMO
  // Each ledger is its own import; if one fails, a database file this command created is removed
  // rather than left half filled (a later demo would refuse it). A PostgreSQL database is the
  // administrator's to drop: the message says so.
  const bool postgres = store::IsPostgresLocation(args.db);
  const bool created_here = !postgres && !std::filesystem::exists(args.db);
  const std::string where = store::DisplayLocation(args.db);
  auto db = service::Database::OpenOrInit(args.db, PackDir(args), args.Get("--org"));
  if (!db.ok()) return Fail(db.status());
  // Demo rows are written below the service layer: only the local administrator may do that.
  if (!args.Has("--local-admin")) {
    return Fail(Status::Unauthenticated("写入演示数据须以本机管理员身份运行：加 --local-admin",
                                        "demo without --local-admin"));
  }
  auto empty = (*db)->IsEmpty();
  if (!empty.ok()) return Fail(empty.status());
  if (!*empty) {
    return Fail(Status::FailedPrecondition(
        "数据库 " + where + " 中已有数据，演示数据只能填入新数据库；请换一个 --db",
        "demo refused: database already has rows"));
  }
  uint64_t seed = 2022;
  if (args.Has("--seed") && !ParseNumber(args.Get("--seed"), &seed)) {
    return Fail(Status::InvalidArgument("--seed 应为非负整数", "bad --seed"));
  }
  int towns = 1;
  if (args.Has("--towns") && (!ParseNumber(args.Get("--towns"), &towns) || towns < 1)) {
    return Fail(Status::InvalidArgument("--towns 应为正整数", "bad --towns"));
  }
  auto stats = demo::GenerateDemo(
      (*db)->store(), (*db)->catalog(), seed, towns,
      [](const std::string& msg) { std::fprintf(stderr, "%s\n", msg.c_str()); });
  if (!stats.ok()) {
    db->reset();
    if (created_here) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
    }
    if (postgres) {
      return Fail(stats.status().WithContext(
          "演示数据未写完（数据库 " + where + " 中可能留有部分台账，请删除该数据库后重建）：",
          "demo incomplete in " + where + ": "));
    }
    return Fail(stats.status());
  }
  std::printf("演示数据已写入 %s：%d 个台账，共 %lld 行\n", where.c_str(), stats->ledgers,
              static_cast<long long>(stats->rows));
  return 0;
#else
  return Fail(Status::FailedPrecondition("这个版本没有编入演示数据生成器", "built without demo"));
#endif
}

int RunLedgers(const Args& args) {
  auto db = OpenDb(args);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  for (const pack::Ledger& l : (*db)->catalog().ledgers) {
    if (!who->SeesLedger(l)) continue;
    // The rows within the account's scope (a page of one row counts them as the web app does);
    // the local administrator's are the whole ledger.
    service::RecordQuery one;
    one.page_size = 1;
    auto page = service::ListRecords(**db, *who, l, one);
    if (!page.ok()) return Fail(page.status());
    std::printf("%-18s %-16s %8lld 行  %s\n", l.id.c_str(), l.title.c_str(),
                static_cast<long long>(page->total), l.domain.c_str());
  }
  return 0;
}

namespace {

json IssuesJson(const std::vector<service::ImportIssue>& issues) {
  json out = json::array();
  for (const auto& e : issues) {
    out.push_back({{"row", e.row}, {"column", e.column}, {"message", e.message}});
  }
  return out;
}

void PrintIssue(const char* lead, const service::ImportIssue& e) {
  if (e.row > 0) {
    std::fprintf(stderr, "%s第%lld行%s%s：%s\n", lead, static_cast<long long>(e.row),
                 e.column.empty() ? "" : " ", e.column.c_str(), e.message.c_str());
  } else {
    std::fprintf(stderr, "%s%s\n", lead, e.message.c_str());
  }
}

// The ledgers of the database, or of the pack when there is no database yet (templates can be
// made before anything is imported).
Result<std::unique_ptr<service::Database>> OpenDbOrNull(const Args& args) {
  if (!store::IsPostgresLocation(args.db) && !std::filesystem::exists(args.db)) {
    return std::unique_ptr<service::Database>();
  }
  return OpenDb(args);
}

}  // namespace

int RunImport(const Args& args) {
  if (args.positional.size() != 2) {
    std::fprintf(stderr,
                 "用法: taizhang import 台账 文件(.xlsx/.xls/.csv) [--mode append|upsert|replace] "
                 "[--unit 村] [--sheet 工作表] [--errors-xlsx 文件] [--json]\n");
    return 2;
  }
  service::ImportOptions options;
  if (args.Has("--mode")) {
    auto mode = service::ParseImportMode(args.Get("--mode"));
    if (!mode) {
      std::fprintf(stderr, "错误：--mode 应为 append（追加）、upsert（按标识更新）或 replace（替换）\n");
      return 2;
    }
    options.mode = *mode;
  }
  options.unit = args.Get("--unit");
  options.town = args.Get("--town");
  options.sheet = args.Get("--sheet");
  options.errors_xlsx = args.Get("--errors-xlsx");
  if (isatty(STDERR_FILENO)) {
    options.on_progress = [](int64_t rows) {
      std::fprintf(stderr, "\r已读取 %lld 行…", static_cast<long long>(rows));
      std::fflush(stderr);
    };
  }
  auto db = OpenDb(args);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  auto ledger = service::FindLedger((*db)->catalog(), args.positional[0]);
  if (!ledger.ok()) return Fail(ledger.status());
  auto report = service::ImportFileAs(**db, *who, **ledger, args.positional[1], options);
  if (options.on_progress) std::fprintf(stderr, "\r\033[K");  // clear the progress line
  if (!report.ok()) return Fail(report.status());
  if (args.Has("--json")) {
    json out = {{"ledger", report->ledger_id}, {"mode", report->mode}};
    if (!report->sheet.empty()) out["sheet"] = report->sheet;
    if (report->header_row > 0) out["header_row"] = report->header_row;
    if (report->ok()) {
      out["imported"] = report->imported;
      out["updated"] = report->updated;
      out["deleted"] = report->deleted;
    } else {
      out["errors"] = IssuesJson(report->errors);
      out["error_count"] = report->error_count;
      if (!report->errors_file.empty()) out["errors_file"] = report->errors_file;
    }
    if (!report->warnings.empty()) out["warnings"] = IssuesJson(report->warnings);
    std::printf("%s\n", out.dump(2).c_str());
    return report->ok() ? 0 : 1;
  }
  for (const auto& w : report->warnings) PrintIssue("提示：", w);
  if (!report->ok()) {
    for (const auto& e : report->errors) PrintIssue("", e);
    std::fprintf(stderr, "导入失败：共 %lld 处错误，未写入任何数据\n",
                 static_cast<long long>(report->error_count));
    if (!report->errors_file.empty()) {
      std::fprintf(stderr, "已把标出错误的表格写入 %s（错误单元格标黄，最后一列是错误说明）\n",
                   report->errors_file.c_str());
    }
    return 1;
  }
  std::printf("%lld\n", static_cast<long long>(report->imported));
  std::string detail;
  if (report->updated > 0) detail += "，其中更新 " + std::to_string(report->updated) + " 行";
  if (report->deleted > 0) detail += "，替换掉原有 " + std::to_string(report->deleted) + " 行";
  std::string from = report->encoding.empty() ? report->sheet : report->encoding;
  std::fprintf(stderr, "已导入 %s %lld 行%s（%s）\n", (*ledger)->title.c_str(),
               static_cast<long long>(report->imported), detail.c_str(), from.c_str());
  return 0;
}

int RunTemplate(const Args& args) {
  if (args.positional.size() != 1 || !args.Has("-o")) {
    std::fprintf(stderr, "用法: taizhang template 台账 -o 文件.xlsx\n");
    return 2;
  }
  auto db = OpenDbOrNull(args);
  if (!db.ok()) return Fail(db.status());
  pack::Catalog pack_catalog;
  const pack::Catalog* catalog = *db ? &(*db)->catalog() : nullptr;
  if (!catalog) {
    auto files = pack::ReadPackDir(PackDir(args));
    if (!files.ok()) return Fail(files.status());
    auto loaded = pack::LoadPack(*files);
    if (!loaded.ok()) return Fail(loaded.status());
    pack_catalog = std::move(*loaded);
    catalog = &pack_catalog;
  }
  auto ledger = service::FindLedger(*catalog, args.positional[0]);
  if (!ledger.ok()) return Fail(ledger.status());
  Status st = service::WriteLedgerTemplate(*catalog, **ledger, args.Get("-o"));
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "已生成%s模板：%s\n", (*ledger)->title.c_str(), args.Get("-o").c_str());
  return 0;
}

int RunExport(const Args& args) {
  if (args.positional.size() != 1 || !args.Has("-o")) {
    std::fprintf(stderr,
                 "用法: taizhang export 台账 [--period 期间] [--unit 村] [--unmasked] -o "
                 "文件.xlsx|文件.csv\n");
    return 2;
  }
  auto db = OpenDb(args);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  auto ledger = service::FindLedger((*db)->catalog(), args.positional[0]);
  if (!ledger.ok()) return Fail(ledger.status());
  service::ExportOptions options;
  options.period = args.Get("--period");
  options.unit = args.Get("--unit");
  options.unmasked = args.Has("--unmasked");
  auto result = service::ExportLedgerAs(**db, *who, **ledger, options, args.Get("-o"));
  if (!result.ok()) return Fail(result.status());
  if (!result->note.empty()) std::fprintf(stderr, "提示：%s\n", result->note.c_str());
  std::printf("%lld\n", static_cast<long long>(result->rows));
  std::fprintf(stderr, "已导出%s %lld 行到 %s%s\n", (*ledger)->title.c_str(),
               static_cast<long long>(result->rows), args.Get("-o").c_str(),
               options.unmasked ? "（身份证号、电话未遮盖，请妥善保管）" : "");
  return 0;
}

int RunFigures(const Args& args) {
  auto db = OpenDb(args);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  auto result = service::ComputeFigures(**db, *who, Request(args));
  if (!result.ok()) return Fail(result.status());
  if (args.Has("--json")) {
    json out;
    out["period"] = {{"start", result->period.start.ToIso()}, {"end", result->period.end.ToIso()}};
    out["unit"] = {{"code", result->scope.code}, {"name", result->scope.name}};
    json figs = json::object();
    for (const figures::FigureResult& f : result->figures) {
      json item = {{"value", service::ValueJson(f.value)}, {"display", f.display}};
      if (!f.value.has_value()) item["note"] = f.value.note();
      figs[f.def->id] = std::move(item);
    }
    out["figures"] = std::move(figs);
    out["stats"] = {{"queries", result->stats.queries}, {"ms", result->stats.ms}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%s %s（%s 至 %s）\n", result->scope.name.c_str(), result->period.name.c_str(),
              result->period.start.ToIso().c_str(), result->period.end.ToIso().c_str());
  for (const figures::FigureResult& f : result->figures) {
    std::printf("%-36s %-24s %s%s%s\n", f.def->id.c_str(), f.def->label.c_str(), f.display.c_str(),
                f.value.has_value() ? "" : "  ", f.value.note().c_str());
  }
  std::fprintf(stderr, "%zu 个指标，%d 条 SQL，%.1f ms\n", result->figures.size(),
               result->stats.queries, result->stats.ms);
  return 0;
}

int RunExplain(const Args& args) {
  if (args.positional.size() != 1) {
    std::fprintf(stderr, "用法: taizhang explain 指标 --period 期间 [--unit 村]\n");
    return 2;
  }
  auto db = OpenDb(args);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  int limit = 20;
  if (args.Has("--limit") && (!ParseNumber(args.Get("--limit"), &limit) || limit > 100000)) {
    return Fail(Status::InvalidArgument("--limit 应为 0 到 100000 的整数", "bad --limit"));
  }
  auto ex = service::ExplainFigure(**db, *who, args.positional[0], Request(args), limit);
  if (!ex.ok()) return Fail(ex.status());
  const pack::FigureDef& def = *ex->def;
  std::printf("指标：%s  %s\n", def.id.c_str(), def.label.c_str());
  if (!def.words.empty()) std::printf("报告原文：%s\n", def.words.c_str());
  std::printf("定义：%s\n", def.expr.c_str());
  if (!def.note.empty()) std::printf("说明：%s\n", def.note.c_str());
  std::printf("结果：%s%s%s\n", ex->result.display.c_str(),
              ex->result.value.has_value() ? "" : "  ", ex->result.value.note().c_str());
  if (!ex->depends_on.empty()) std::printf("引用指标：%s\n", Join(ex->depends_on, "、").c_str());
  if (!ex->statement_sql.empty())
    std::printf("\n计算语句（每个台账一条）：\n%s\n", ex->statement_sql.c_str());
  for (const figures::AggregateExplanation& a : ex->aggregates) {
    std::printf("\n== %s（%s）  %s\n", a.ledger_title.c_str(), a.ledger_id.c_str(),
                a.source.c_str());
    if (!a.applicable) {
      std::printf("不适用：该台账不按此级单位登记\n");
      continue;
    }
    std::printf("记录查询：%s\n参数：%s\n", a.sql.c_str(), Join(a.params, ", ").c_str());
    std::printf("符合条件的记录 %lld 条%s：\n", static_cast<long long>(a.total_records),
                a.total_records > static_cast<int64_t>(a.records.size())
                    ? ("，列出前 " + std::to_string(a.records.size()) + " 条").c_str()
                    : "");
    if (a.records_withheld) {
      std::printf("（您的角色无权查看该台账的明细）\n");
      continue;
    }
    std::printf("%s\n", Join(a.columns, "\t").c_str());
    for (const auto& r : a.records) std::printf("%s\n", Join(r, "\t").c_str());
  }
  return 0;
}

namespace {

void PrintNotes(const std::vector<std::string>& notes) {
  for (const std::string& note : notes) std::fprintf(stderr, "注意：%s\n", note.c_str());
}

// DOCX and PDF: a file is written (-o), from the pack's template or a Word template (.docx).
int WriteReportFile(service::Database& db, const auth::Principal& who, const Args& args,
                    service::ReportFormat format, const std::string& template_arg,
                    bool word_template) {
  if (!args.Has("-o")) {
    return Fail(Status::InvalidArgument(
        std::string(service::ReportFormatName(format)) + " 格式的报告须用 -o 指定输出文件",
        "report file format without -o"));
  }
  service::ReportFileOptions options;
  if (word_template) {
    options.docx_template = template_arg;
    options.docx_template_name = std::filesystem::path(template_arg).filename().string();
  } else {
    options.template_id = template_arg;
  }
  options.appendix = args.Has("--appendix");
  const std::string path = args.Get("-o");
  auto written = service::WriteReport(db, who, Request(args), options, format, path);
  if (!written.ok()) return Fail(written.status());
  std::fprintf(stderr, "报告已写入 %s\n", path.c_str());
  PrintNotes(written->notes);
  return 0;
}

}  // namespace

int RunReport(const Args& args) {
  auto db = OpenDb(args);
  if (!db.ok()) return Fail(db.status());
  auto who = CommandPrincipal(**db, args);
  if (!who.ok()) return Fail(who.status());
  const std::string template_arg = args.Get("--template", "seed");
  const bool word_template = EndsWith(AsciiLower(template_arg), ".docx");
  // A Word template makes a Word document unless PDF is asked for.
  auto format = service::ParseReportFormat(
      args.Get("--format", word_template ? "docx" : "md"));
  if (!format.ok()) return Fail(format.status());
  if (service::IsFileFormat(*format)) {
    return WriteReportFile(**db, *who, args, *format, template_arg, word_template);
  }
  if (word_template) {
    return Fail(Status::InvalidArgument("Word 模板（.docx）只能生成 docx 或 pdf 格式的报告",
                                        "a .docx template with a text format"));
  }
  if (args.Has("--appendix")) {
    return Fail(Status::InvalidArgument(
        "--appendix 用于 docx 和 pdf 格式（html 报告本身带有数据来源附录）",
        "--appendix with a text format"));
  }
  auto rendered = service::MakeReport(**db, *who, Request(args), template_arg, *format);
  if (!rendered.ok()) return Fail(rendered.status());
  if (args.Has("-o")) {
    std::string path = args.Get("-o");
    std::ofstream out(path, std::ios::binary);
    out << rendered->text;
    out.close();
    if (!out) {
      return Fail(Status::IoError("无法写入文件 " + path, "cannot write " + path));
    }
    std::fprintf(stderr, "报告已写入 %s\n", path.c_str());
  } else {
    std::fwrite(rendered->text.data(), 1, rendered->text.size(), stdout);
  }
  PrintNotes(rendered->notes);
  return 0;
}

}  // namespace tz::cli
