// A district's or a city's data on SQLite and on PostgreSQL (issue 7). Prints one table; never part
// of ctest.
//
//   scale_bench --pg postgresql://user@host:port/postgres [--towns N] [--org FILE] [--runs N]
//
// The server URL names a database the bench may connect to for creating its own (`tz_bench_*`,
// dropped after). scripts/bench.sh starts a throwaway server for it (scripts/pg_temp.sh).
//
// For each store: `taizhang demo --towns N` on the city's tree (default: 200 of the 219 town-level
// units of 宜春市, packs/township/orgs/3609-all.txt, ≈ 5 million residents, 24 million rows), timed;
// then the full seed report for one town (辽市镇), one district (袁州区) and the whole city; then every
// figure of the city with the planner's batched statements against one plain query per aggregate.
//
// Budgets (DESIGN.md): the same figures for 200 towns on PostgreSQL < 5 s; the batched planner at
// least 5x faster than one query per figure. (The one-town budget, < 50 ms on SQLite, is
// report_bench's.)
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

// The units a row of the table is about: a town, a district, the whole tree.
struct Unit {
  const char* label;
  std::string unit;  // --unit; empty: the root
};

struct Measured {
  int64_t rows = 0;
  int64_t residents = 0;
  int towns = 0;
  double load_ms = 0;
  std::vector<double> report_ms;  // per Unit
  double batched_ms = 0;          // the root, every figure
  double plain_ms = 0;
  int batched_queries = 0;
  int plain_queries = 0;
};

Measured Run(const std::string& location, const std::string& org, int towns, int runs,
             const std::vector<Unit>& units) {
  Measured m;
  auto t0 = Clock::now();
  auto db = tz::service::Database::Init(location, tz::service::DefaultPackDir(), org);
  if (!db.ok()) Die("init", db.status());
  auto stats = tz::demo::GenerateDemo((*db)->store(), (*db)->catalog(), 2022, towns,
                                      [](const std::string& line) {
                                        std::fprintf(stderr, "  %s\n", line.c_str());
                                      });
  if (!stats.ok()) Die("demo", stats.status());
  m.load_ms = MsSince(t0);
  m.rows = stats->rows;
  m.residents = stats->residents;
  m.towns = towns;
  tz::service::Database& d = **db;
  // Fresh statistics for the query planners, as after any bulk load.
  if (tz::Status st = d.store().ExecuteScript("ANALYZE"); !st.ok()) Die("analyze", st);
  const auto who = tz::auth::Principal::LocalAdmin(d.catalog(), "bench");
  for (const Unit& u : units) {
    const tz::service::FigureRequest req{"2022H1", u.unit, {}};
    std::fprintf(stderr, "  seed report, %s…\n", u.label);
    m.report_ms.push_back(Median(runs, [&] {
      auto r = tz::service::MakeReport(d, who, req, "seed", tz::service::ReportFormat::kMarkdown);
      if (!r.ok()) Die("report", r.status());
    }));
  }
  auto period = tz::ParsePeriod("2022H1");
  auto scope = d.engine().ResolveScope(d.store(), "");
  if (!period.ok() || !scope.ok()) Die("period/scope", scope.status());
  std::fprintf(stderr, "  every figure of the city, batched and one query per aggregate…\n");
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

std::string Seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms < 1000 ? "%.0f ms" : "%.2f s", ms < 1000 ? ms : ms / 1000);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::string server;
  // Every town-level unit of 宜春市 (219): the 200 towns fit in it.
  std::string org = tz::service::DefaultPackDir() + "/orgs/3609-all.txt";
  int towns = 200;
  int runs = 3;  // the data was just loaded: the first run is not colder than the others
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--pg") server = argv[i + 1];
    if (a == "--org") org = argv[i + 1];
    if (a == "--towns") towns = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
  }
  if (server.empty()) {
    std::fprintf(stderr,
                 "usage: scale_bench --pg postgresql://user@host:port/postgres [--towns N] "
                 "[--org FILE] [--runs N]\n");
    return 2;
  }
  const std::vector<Unit> units = {{"one town (辽市镇)", "辽市镇"},
                                   {"one district (袁州区)", "袁州区"},
                                   {"the whole tree", ""}};
  char dir[] = "/tmp/tz_scale_benchXXXXXX";
  if (!mkdtemp(dir)) return 1;
  const std::string sqlite_path = std::string(dir) + "/city.db";
  const std::string pg_name = "tz_bench_" + std::to_string(getpid());
  Admin(server, "CREATE DATABASE " + pg_name);

  std::fprintf(stderr, "%d towns into SQLite…\n", towns);
  Measured lite = Run(sqlite_path, org, towns, runs, units);
  std::fprintf(stderr, "%d towns into PostgreSQL…\n", towns);
  Measured pg = Run(WithDatabase(server, pg_name), org, towns, runs, units);

  Admin(server, "DROP DATABASE " + pg_name + " WITH (FORCE)");
  std::string rm = std::string("rm -rf '") + dir + "'";
  (void)std::system(rm.c_str());

  std::printf("\nscale_bench: %d towns (%lld residents, %lld rows), median of %d runs\n\n", towns,
              static_cast<long long>(pg.residents), static_cast<long long>(pg.rows), runs);
  std::printf("| work | SQLite | PostgreSQL | budget |\n|---|---|---|---|\n");
  std::printf("| load: `demo --towns %d` (validated imports) | %s | %s | — |\n", towns,
              Seconds(lite.load_ms).c_str(), Seconds(pg.load_ms).c_str());
  for (size_t i = 0; i < units.size(); ++i) {
    const bool city = units[i].unit.empty();
    std::printf("| seed report, %s | %s | %s%s | %s |\n", units[i].label,
                Seconds(lite.report_ms[i]).c_str(), Seconds(pg.report_ms[i]).c_str(),
                city ? (" (" + std::to_string(pg.report_ms[i] / 5000).substr(0, 4) + " of budget)")
                           .c_str()
                     : "",
                city ? "< 5 s on PostgreSQL" : "—");
  }
  std::printf("| every figure of the whole tree, batched (%d statements) | %s | %s | — |\n",
              lite.batched_queries, Seconds(lite.batched_ms).c_str(),
              Seconds(pg.batched_ms).c_str());
  std::printf("| the same, one plain query per aggregate (%d statements) | %s | %s | — |\n",
              lite.plain_queries, Seconds(lite.plain_ms).c_str(), Seconds(pg.plain_ms).c_str());
  std::printf("| speed-up of the batched planner | %.1fx | %.1fx | >= 5x |\n",
              lite.plain_ms / lite.batched_ms, pg.plain_ms / pg.batched_ms);
  return 0;
}
