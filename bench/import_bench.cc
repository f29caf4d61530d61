// Import of a 100,000-row ledger file from CSV with full validation, against DESIGN.md's import
// budget (< 3 s, < 200 MB peak): decoding, parsing, validating every cell (ID check characters,
// enums, units) and writing in one transaction. The xlsx import and its peer comparison are in
// xlsx_import_bench.cc. Peak memory is printed from getrusage.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "base/checks.h"
#include "service/database.h"
#include "service/import_service.h"

namespace {

constexpr int kRows = 100000;
constexpr double kBudgetMs = 3000.0;

// A person register of kRows rows with valid, distinct ID numbers and sexes that agree with them.
std::string WritePersonCsv(const std::string& dir) {
  static const char* kVillages[] = {"辽市村", "院前村", "西坑村", "肯塘村", "上陈村",
                                    "上西村", "寒岭村", "丰林村", "泽溪村", "上石村"};
  std::string path = dir + "/person.csv";
  std::ofstream out(path);
  out << "身份证号,姓名,性别,户编号,与户主关系,所属村,政治面貌,文化程度,是否劳动力,联系电话\n";
  char first17[18];
  for (int i = 0; i < kRows; ++i) {
    int year = 1940 + i % 70, month = 1 + i / 70 % 12, day = 1 + i / 840 % 28;
    int seq = i / 23520;  // distinct (date, seq) for every row
    std::snprintf(first17, sizeof first17, "360902%04d%02d%02d%02d%d", year, month, day, seq,
                  i % 10);
    char check = tz::ResidentIdCheckChar(first17);
    out << first17 << check << ",张" << i << "," << ((i % 10) % 2 ? "男" : "女") << ",H" << i / 4
        << ",子女," << kVillages[i % 10] << ",群众,初中,是,138" << 10000000 + i << "\n";
  }
  return path;
}

void BM_ImportPersonCsv100k(benchmark::State& state) {
  char dir[] = "/tmp/tz_import_benchXXXXXX";
  if (!mkdtemp(dir)) std::abort();
  std::string csv = WritePersonCsv(dir);
  int run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::string db_path = std::string(dir) + "/b" + std::to_string(run++) + ".db";
    auto db = tz::service::Database::Init(db_path, tz::service::DefaultPackDir());
    if (!db.ok()) state.SkipWithError(db.status().ToString().c_str());
    const tz::pack::Ledger* ledger = (*db)->catalog().FindLedger("person");
    state.ResumeTiming();
    auto report = tz::service::ImportCsvFile((*db)->store(), (*db)->catalog(), *ledger, csv);
    if (!report.ok() || report->imported != kRows) {
      state.SkipWithError(report.ok() ? report->errors.empty() ? "short import"
                                                               : report->errors[0].message.c_str()
                                      : report.status().ToString().c_str());
    }
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  state.counters["rows"] = kRows;
  std::system(("rm -rf '" + std::string(dir) + "'").c_str());
}
BENCHMARK(BM_ImportPersonCsv100k)->Unit(benchmark::kMillisecond)->Iterations(3);

class BudgetReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      double ms = r.GetAdjustedRealTime();
      double mb = r.counters.count("peak_MB") ? static_cast<double>(r.counters.at("peak_MB")) : 0;
      std::printf(
          "\nBudget (DESIGN.md: 100,000-row import with validation < 3 s, < 200 MB):\n"
          "  %s  %.0f ms  budget %.0f ms  ratio %.2f  %s;  peak %.0f MB  ratio %.2f\n",
          r.benchmark_name().c_str(), ms, kBudgetMs, ms / kBudgetMs,
          ms <= kBudgetMs ? "OK" : "OVER BUDGET", mb, mb / 200.0);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  BudgetReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
