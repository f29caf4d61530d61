// SQLite against PostgreSQL on the same demo data, and the planner's batched statements against one
// plain query per aggregate on the same database (issue 7). Prints one table; never part of ctest.
//
//   scale_bench --pg postgresql://user@host:port/postgres [--runs N] [--copies C]
//
// The server URL names a database the bench may connect to for creating its own (`tz_bench_*`,
// dropped after). scripts/bench.sh starts a throwaway server for it (scripts/pg_temp.sh).
//
// Budgets (DESIGN.md): the seed report of one town on SQLite < 50 ms; the same figures for 200
// towns on PostgreSQL < 5 s; the batched planner at least 5x faster than one query per figure.
//
// City volume: with --copies C (scripts/bench.sh: 200) every ledger's rows are then copied until
// it holds C times the demo town's, keys made distinct per copy, and the report and both plans are
// timed again. That is a city's row count and width (200 towns ≈ 24 million rows, 5 million
// residents), not a city's org tree: multi-town org trees are not built yet, so the figures are
// the whole table's — what the city node computes — and district rows are not measured.
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
#include "store/ledger_tables.h"

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

// Copies every ledger's rows until it holds `copies` times as many: one INSERT … SELECT per
// ledger over a generated copy number, key values suffixed "#n" so that unique keys stay unique.
void Multiply(tz::service::Database& db, int copies, double* ms, int64_t* rows) {
  auto t0 = Clock::now();
  tz::store::Store& store = db.store();
  const tz::store::Dialect& d = store.dialect();
  const bool pg = std::string(d.Name()) == "postgresql";
  const std::string n = std::to_string(copies - 1);
  tz::store::Transaction tx(store);
  if (tz::Status st = tx.Begin(); !st.ok()) Die("begin", st);
  *rows = 0;
  for (const tz::pack::Ledger& l : db.catalog().ledgers) {
    std::string cols, select;
    for (size_t i = 0; i < l.columns.size(); ++i) {
      const std::string c = d.Quote(l.columns[i].label);
      cols += c + ", ";
      select += static_cast<int>(i) == l.key_column
                    ? "CASE WHEN " + c + " IS NULL THEN NULL ELSE " + c + " || '#' || " +
                          d.IntToText("k.i") + " END, "
                    : c + ", ";
    }
    const std::string table = d.Quote(tz::store::LedgerTable(l));
    std::string sql =
        pg ? "INSERT INTO " + table + " (" + cols + "_import, _row) SELECT " + select +
                 "_import, _row FROM " + table + ", generate_series(1, " + n + ") AS k(i)"
           : "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < " + n +
                 ") INSERT INTO " + table + " (" + cols + "_import, _row) SELECT " + select +
                 "_import, _row FROM " + table + ", k";
    if (tz::Status st = store.ExecuteScript(sql); !st.ok()) Die("copy " + l.id, st);
    auto count = tz::store::CountRows(store, l);
    if (!count.ok()) Die("count", count.status());
    *rows += *count;
  }
  if (tz::Status st = tx.Commit(); !st.ok()) Die("commit", st);
  // Fresh statistics for the planner, as after any bulk load.
  if (tz::Status st = store.ExecuteScript("ANALYZE"); !st.ok()) Die("analyze", st);
  *ms = MsSince(t0);
}

struct Measured {
  double load_ms = 0;
  int64_t rows = 0;
  double report_ms = 0;   // median: every figure computed and the seed report rendered
  double batched_ms = 0;  // median: every figure, batched plan
  double plain_ms = 0;    // median: every figure, one plain query per aggregate
  int batched_queries = 0;
  int plain_queries = 0;
  // At city volume (--copies): the same three, and the time to make the copies.
  double copy_ms = 0;
  int64_t city_rows = 0;
  double city_report_ms = 0;
  double city_batched_ms = 0;
  double city_plain_ms = 0;
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

Measured Run(const std::string& location, int runs, int copies) {
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
  if (copies <= 1) return m;
  std::fprintf(stderr, "  copying to %d times the rows…\n", copies);
  Multiply(d, copies, &m.copy_ms, &m.city_rows);
  const int city_runs = std::max(1, runs / 3);
  std::fprintf(stderr, "  %lld rows; timing the report and both plans (%d runs each)…\n",
               static_cast<long long>(m.city_rows), city_runs);
  m.city_report_ms = Median(city_runs, [&] {
    auto r = tz::service::MakeReport(d, who, town, "seed", tz::service::ReportFormat::kMarkdown);
    if (!r.ok()) Die("report", r.status());
  });
  m.city_batched_ms = Median(city_runs, [&] {
    auto r = d.engine().Compute(d.store(), *period, *scope);
    if (!r.ok()) Die("compute", r.status());
  });
  m.city_plain_ms = Median(city_runs, [&] {
    auto r = d.engine().Compute(d.store(), *period, *scope, {},
                                tz::figures::PlanMode::kOneQueryPerAggregate);
    if (!r.ok()) Die("compute", r.status());
  });
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::string server;
  int runs = 11;
  int copies = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--pg") server = argv[i + 1];
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--copies") copies = std::max(0, std::atoi(argv[i + 1]));
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
  Measured lite = Run(sqlite_path, runs, copies);
  std::fprintf(stderr, "demo town into PostgreSQL…\n");
  Measured pg = Run(WithDatabase(server, pg_name), runs, copies);

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
  std::printf("| every figure, batched planner (%d statements) | %.1f ms | %.1f ms | — |\n",
              lite.batched_queries, lite.batched_ms, pg.batched_ms);
  std::printf("| every figure, one plain query per aggregate (%d statements) | %.1f ms | %.1f ms "
              "| — |\n",
              lite.plain_queries, lite.plain_ms, pg.plain_ms);
  std::printf("| speed-up of the batched planner | %.1fx | %.1fx | >= 5x |\n",
              lite.plain_ms / lite.batched_ms, pg.plain_ms / pg.batched_ms);
  std::printf("| seed report, one district | not measured: multi-town org trees not built yet | | "
              "— |\n");
  if (copies > 1) {
    std::printf("| city volume: copy the rows to %dx (%lld rows) | %.0f s | %.0f s | — |\n", copies,
                static_cast<long long>(pg.city_rows), lite.copy_ms / 1000, pg.copy_ms / 1000);
    std::printf("| seed report at city volume | %.2f s | %.2f s (%.2f of budget) | < 5 s on "
                "PostgreSQL |\n",
                lite.city_report_ms / 1000, pg.city_report_ms / 1000, pg.city_report_ms / 5000);
    std::printf("| every figure at city volume, batched | %.2f s | %.2f s | — |\n",
                lite.city_batched_ms / 1000, pg.city_batched_ms / 1000);
    std::printf("| every figure at city volume, one plain query per aggregate | %.2f s | %.2f s | "
                "— |\n",
                lite.city_plain_ms / 1000, pg.city_plain_ms / 1000);
    std::printf("| speed-up of the batched planner at city volume | %.1fx | %.1fx | >= 5x |\n",
                lite.city_plain_ms / lite.city_batched_ms, pg.city_plain_ms / pg.city_batched_ms);
  } else {
    std::printf("| seed report, the city (200 towns) | not measured: run with --copies 200 | | "
                "< 5 s on PostgreSQL |\n");
  }
  return 0;
}
