// SQLite against PostgreSQL on the same demo data, and the planner's batched statements against one
// plain query per aggregate on the same database (issue 7). Prints one table; never part of ctest.
//
//   scale_bench --pg postgresql://user@host:port/postgres [--runs N]
//
// The server URL names a database the bench may connect to for creating its own (`tz_bench_*`,
// dropped after). scripts/bench.sh starts a throwaway server for it (scripts/pg_temp.sh).
//
// Budgets (DESIGN.md): the seed report of one town on SQLite < 50 ms; the same figures for 200
// towns on PostgreSQL < 5 s; the batched planner at least 5x faster than one query per figure.
// District and city rows need multi-town org trees, which are not built yet: they are printed as
// such rather than left out.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "packs/township/demo/demo_generator.h"
#include "service/database.h"
#include "service/report_service.h"

namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

[[noreturn]] void Die(const std::string& what, const tz::Status& st) {
  std::fprintf(stderr, "scale_bench: %s: %s\n", what.c_str(), st.ToString().c_str());
  std::exit(1);
}

// postgresql://u@h:p/postgres → postgresql://u@h:p/NAME
std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t slash = url.find('/', url.find("://") + 3);
  return url.substr(0, slash) + "/" + name;
}

void Admin(const std::string& server, const std::string& sql) {
  auto admin = tz::store::OpenPostgres(server);
  if (!admin.ok()) Die("connect " + tz::store::DisplayLocation(server), admin.status());
  tz::Status st = (*admin)->ExecuteScript(sql);
  if (!st.ok()) Die(sql, st);
}

struct Measured {
  double load_ms = 0;
  int64_t rows = 0;
  double report_ms = 0;   // median: every figure computed and the seed report rendered
  double batched_ms = 0;  // median: every figure, batched plan
  double plain_ms = 0;    // median: every figure, one plain query per aggregate
  int batched_queries = 0;
  int plain_queries = 0;
};

template <typename F>
double Median(int runs, F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    f();
    ms.push_back(MsSince(t0));
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

Measured Run(const std::string& location, int runs) {
  Measured m;
  auto t0 = Clock::now();
  auto db = tz::service::Database::Init(location, tz::service::DefaultPackDir());
  if (!db.ok()) Die("init", db.status());
  auto stats = tz::demo::GenerateTownshipDemo((*db)->store(), (*db)->catalog(), 2022, nullptr);
  if (!stats.ok()) Die("demo", stats.status());
  m.load_ms = MsSince(t0);
  m.rows = stats->rows;
  tz::service::Database& d = **db;
  const auto who = tz::auth::Principal::LocalAdmin(d.catalog(), "bench");
  const tz::service::FigureRequest town{"2022H1", "", {}};
  auto period = tz::ParsePeriod("2022H1");
  auto scope = d.engine().ResolveScope(d.store(), "");
  if (!period.ok() || !scope.ok()) Die("period/scope", scope.status());
  // One warm-up of each: the first run pays for cold caches on both stores alike.
  (void)tz::service::MakeReport(d, who, town, "seed", tz::service::ReportFormat::kMarkdown);
  m.report_ms = Median(runs, [&] {
    auto r = tz::service::MakeReport(d, who, town, "seed", tz::service::ReportFormat::kMarkdown);
    if (!r.ok()) Die("report", r.status());
  });
  m.batched_ms = Median(runs, [&] {
    auto r = d.engine().Compute(d.store(), *period, *scope);
    if (!r.ok()) Die("compute", r.status());
    m.batched_queries = r->stats.queries;
  });
  m.plain_ms = Median(runs, [&] {
    auto r = d.engine().Compute(d.store(), *period, *scope, {},
                                tz::figures::PlanMode::kOneQueryPerAggregate);
    if (!r.ok()) Die("compute", r.status());
    m.plain_queries = r->stats.queries;
  });
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::string server;
  int runs = 11;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--pg") server = argv[i + 1];
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
  }
  if (server.empty()) {
    std::fprintf(stderr, "usage: scale_bench --pg postgresql://user@host:port/postgres [--runs N]\n");
    return 2;
  }
  char dir[] = "/tmp/tz_scale_benchXXXXXX";
  if (!mkdtemp(dir)) return 1;
  const std::string sqlite_path = std::string(dir) + "/demo.db";
  const std::string pg_name = "tz_bench_" + std::to_string(getpid());
  Admin(server, "CREATE DATABASE " + pg_name);

  std::fprintf(stderr, "demo town into SQLite…\n");
  Measured lite = Run(sqlite_path, runs);
  std::fprintf(stderr, "demo town into PostgreSQL…\n");
  Measured pg = Run(WithDatabase(server, pg_name), runs);

  Admin(server, "DROP DATABASE " + pg_name + " WITH (FORCE)");
  std::string rm = std::string("rm -rf '") + dir + "'";
  (void)std::system(rm.c_str());

  std::printf("\nscale_bench: median of %d runs, one process, this machine\n\n", runs);
  std::printf("| work | SQLite | PostgreSQL | budget |\n|---|---|---|---|\n");
  std::printf("| load the demo town (%lld rows, validated imports) | %.0f ms | %.0f ms | — |\n",
              static_cast<long long>(lite.rows), lite.load_ms, pg.load_ms);
  std::printf("| seed report, one town (every figure + Markdown) | %.1f ms (%.2f of budget) | %.1f ms "
              "| < 50 ms on SQLite |\n",
              lite.report_ms, lite.report_ms / 50.0, pg.report_ms);
  std::printf("| seed report, one district (~30 towns) | not measured: multi-town org trees not "
              "built yet | | — |\n");
  std::printf("| seed report, the city (200 towns) | not measured: multi-town org trees not built "
              "yet | | < 5 s on PostgreSQL |\n");
  std::printf("| every figure, batched planner (%d statements) | %.1f ms | %.1f ms | — |\n",
              lite.batched_queries, lite.batched_ms, pg.batched_ms);
  std::printf("| every figure, one plain query per aggregate (%d statements) | %.1f ms | %.1f ms "
              "| — |\n",
              lite.plain_queries, lite.plain_ms, pg.plain_ms);
  std::printf("| speed-up of the batched planner | %.1fx | %.1fx | >= 5x |\n",
              lite.plain_ms / lite.batched_ms, pg.plain_ms / pg.batched_ms);
  return 0;
}
