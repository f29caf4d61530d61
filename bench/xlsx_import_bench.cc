// DESIGN.md's import budget, for xlsx, side by side with a real peer. A generated 100,000-row,
// 12-column 人口信息台账 workbook (the ledger's ten columns plus 序号 and 备注, which the importer
// ignores) is
//   1. imported by taizhang with full validation into a new SQLite database, and
//   2. read by openpyxl in read-only mode (/usr/bin/python3, Debian's python3-openpyxl), every
//      value of every row,
// each in its own process so that peak memory (the child's max RSS) is that run's alone. Prints
// both times, the ratio (budget: taizhang at least 10x faster) and peak memory (budget < 3 s,
// < 200 MB). Timings are printed, never asserted.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "base/checks.h"
#include "io/sheet.h"
#include "io/xlsx_writer.h"
#include "service/database.h"
#include "service/import_service.h"

namespace {

constexpr int kRows = 100000;
constexpr double kBudgetMs = 3000, kBudgetMb = 200, kPeerRatio = 10;

void Check(const tz::Status& st) {
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    std::exit(1);
  }
}

std::string WriteWorkbook(const std::string& dir) {
  static const char* kVillages[] = {"辽市村", "院前村", "西坑村", "肯塘村", "上陈村",
                                    "上西村", "寒岭村", "丰林村", "泽溪村", "上石村"};
  static const char* kHeader[] = {"序号",     "身份证号",   "姓名",     "性别",
                                  "户编号",   "与户主关系", "所属村",   "政治面貌",
                                  "文化程度", "是否劳动力", "联系电话", "备注"};
  std::string path = dir + "/person.xlsx";
  auto w = tz::io::XlsxWriter::Create(path);
  Check(w.status());
  tz::io::XlsxWriter& x = **w;
  Check(x.AddSheet("人口信息台账"));
  Check(x.WriteTitle(0, 0, 11, "辽市镇人口信息台账"));
  for (int c = 0; c < 12; ++c) Check(x.WriteText(1, c, kHeader[c]));
  char first17[18], id[19], phone[16], name[16], household[16];
  for (int i = 0; i < kRows; ++i) {
    int year = 1940 + i % 70, month = 1 + i / 70 % 12, day = 1 + i / 840 % 28;
    int seq = i / 23520;  // distinct (date, seq) for every row
    std::snprintf(first17, sizeof first17, "360902%04d%02d%02d%02d%d", year, month, day, seq,
                  i % 10);
    std::snprintf(id, sizeof id, "%s%c", first17, tz::ResidentIdCheckChar(first17));
    std::snprintf(phone, sizeof phone, "138%08d", 10000000 + i);
    std::snprintf(name, sizeof name, "张%d", i);
    std::snprintf(household, sizeof household, "H%d", i / 4);
    int64_t r = i + 2;
    Check(x.WriteNumber(r, 0, i + 1));
    Check(x.WriteText(r, 1, id));
    Check(x.WriteText(r, 2, name));
    Check(x.WriteText(r, 3, (i % 10) % 2 ? "男" : "女"));
    Check(x.WriteText(r, 4, household));
    Check(x.WriteText(r, 5, "子女"));
    Check(x.WriteText(r, 6, kVillages[i % 10]));
    Check(x.WriteText(r, 7, "群众"));
    Check(x.WriteText(r, 8, "初中"));
    Check(x.WriteText(r, 9, "是"));
    Check(x.WriteText(r, 10, phone));
    if (i % 7 == 0) Check(x.WriteText(r, 11, "已核实"));
  }
  Check(x.Close());
  return path;
}

struct Run {
  double ms = 0;  // the work alone, as the child timed it (no process start, no database setup)
  double peak_mb = 0;
  int exit_code = -1;
};

// Runs `child(out_fd)` in a forked process, which writes the milliseconds of its work to out_fd;
// returns that time and the child's max RSS.
Run InChild(const std::function<int(int)>& child) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    _exit(child(fds[1]));
  }
  close(fds[1]);
  char buf[64] = {};
  ssize_t n = read(fds[0], buf, sizeof buf - 1);
  close(fds[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  Run r;
  r.ms = n > 0 ? std::atof(buf) : 0;
  r.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

void ReportMs(int fd, std::chrono::steady_clock::time_point start) {
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::string text = std::to_string(ms);
  if (write(fd, text.data(), text.size()) < 0) std::abort();
}

int ImportOnce(const std::string& xlsx, const std::string& db_path, int out) {
  auto db = tz::service::Database::Init(db_path, tz::service::DefaultPackDir());
  if (!db.ok()) return 2;
  const tz::pack::Ledger* ledger = (*db)->catalog().FindLedger("person");
  auto start = std::chrono::steady_clock::now();
  auto report = tz::service::ImportFile((*db)->store(), (*db)->catalog(), *ledger, xlsx);
  ReportMs(out, start);
  if (!report.ok()) {
    std::fprintf(stderr, "%s\n", report.status().ToString().c_str());
    return 3;
  }
  if (!report->ok() || report->imported != kRows) {
    std::fprintf(stderr, "import: %lld rows, %s\n", static_cast<long long>(report->imported),
                 report->errors.empty() ? "" : report->errors[0].message.c_str());
    return 4;
  }
  return 0;
}

int ReadOnce(const std::string& xlsx, int out) {
  auto start = std::chrono::steady_clock::now();
  auto reader = tz::io::OpenSheetFile(xlsx);
  if (!reader.ok()) return 2;
  size_t cells = 0;
  tz::Status st = (*reader)->ForEachRow(0, [&](const tz::io::SheetRow& row) -> tz::Result<bool> {
    cells += row.cells.size();
    return true;
  });
  ReportMs(out, start);
  return st.ok() && cells > 0 ? 0 : 3;
}

// Timed from load_workbook to the last value, like ImportOnce (interpreter start not counted).
constexpr char kOpenpyxl[] =
    "import os, sys, time, openpyxl\n"
    "start = time.perf_counter()\n"
    "wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
    "n = 0\n"
    "for row in wb.worksheets[0].iter_rows(values_only=True):\n"
    "    n += sum(1 for v in row if v is not None)\n"
    "os.write(int(sys.argv[2]), str((time.perf_counter() - start) * 1000).encode())\n";

int OpenpyxlOnce(const std::string& xlsx, int out) {
  std::string fd = std::to_string(out);
  execl("/usr/bin/python3", "python3", "-c", kOpenpyxl, xlsx.c_str(), fd.c_str(),
        static_cast<char*>(nullptr));
  return 127;  // exec failed
}

}  // namespace

int main(int argc, char** argv) {
  // Usage: xlsx_import_bench [REPEAT] [--keep]   (--keep leaves the workbook for profiling)
  int repeat = 3;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--keep")
      keep = true;
    else
      repeat = std::max(1, std::atoi(argv[i]));
  }
  char dir[] = "/tmp/tz_xlsx_benchXXXXXX";
  if (!mkdtemp(dir)) return 1;
  std::string xlsx = WriteWorkbook(dir);
  std::printf("xlsx import, %d rows x 12 columns (%s)\n", kRows, xlsx.c_str());

  Run best_import, best_read;
  for (int i = 0; i < repeat; ++i) {
    std::string db = std::string(dir) + "/b" + std::to_string(i) + ".db";
    Run r = InChild([&](int out) { return ImportOnce(xlsx, db, out); });
    if (r.exit_code != 0) {
      std::fprintf(stderr, "taizhang import failed (exit %d)\n", r.exit_code);
      return 1;
    }
    if (i == 0 || r.ms < best_import.ms) best_import = r;
    Run rd = InChild([&](int out) { return ReadOnce(xlsx, out); });
    if (i == 0 || rd.ms < best_read.ms) best_read = rd;
  }
  Run peer = InChild([&](int out) { return OpenpyxlOnce(xlsx, out); });

  std::printf("  taizhang import with validation  %7.0f ms  peak %5.1f MB   (best of %d)\n",
              best_import.ms, best_import.peak_mb, repeat);
  std::printf("  taizhang xlsx read only          %7.0f ms  peak %5.1f MB\n", best_read.ms,
              best_read.peak_mb);
  if (peer.exit_code != 0) {
    std::printf(
        "  openpyxl read-only               not run (exit %d: is python3-openpyxl "
        "installed?)\n",
        peer.exit_code);
  } else {
    std::printf("  openpyxl read-only (peer)        %7.0f ms  peak %5.1f MB\n", peer.ms,
                peer.peak_mb);
  }
  std::printf("Budget (DESIGN.md: < %.0f ms, < %.0f MB, >= %.0fx faster than openpyxl):\n",
              kBudgetMs, kBudgetMb, kPeerRatio);
  std::printf("  time ratio %.2f %s; memory ratio %.2f %s", best_import.ms / kBudgetMs,
              best_import.ms <= kBudgetMs ? "OK" : "OVER BUDGET", best_import.peak_mb / kBudgetMb,
              best_import.peak_mb <= kBudgetMb ? "OK" : "OVER BUDGET");
  if (peer.exit_code == 0) {
    double speedup = peer.ms / best_import.ms;
    std::printf("; openpyxl/taizhang %.1fx %s", speedup,
                speedup >= kPeerRatio ? "OK" : "BELOW 10x");
  }
  std::printf("\n");
  if (!keep) std::system(("rm -rf '" + std::string(dir) + "'").c_str());
  return 0;
}
