// The figure engine: binds every figure of a catalog once, then computes them for any period and
// org unit with one SQL statement per ledger, and explains where each number comes from.
#ifndef TAIZHANG_FIGURES_ENGINE_H_
#define TAIZHANG_FIGURES_ENGINE_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/period.h"
#include "figures/binder.h"
#include "figures/scope.h"
#include "figures/value.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::figures {

struct FigureResult {
  const pack::FigureDef* def = nullptr;
  FigureValue value;
  std::string display;  // written with the figure's display rule; "—" when there is no value
};

struct ComputeStats {
  int queries = 0;  // SQL statements run
  double ms = 0;
};

struct ComputeResult {
  Period period;
  Scope scope;
  std::vector<FigureResult> figures;  // in catalog order (only the requested ones and their inputs)
  ComputeStats stats;

  const FigureResult* Find(std::string_view id) const;
};

// One aggregate's part in `explain`.
struct AggregateExplanation {
  std::string ledger_id;
  std::string ledger_title;
  std::string source;                // the figure-language text of the aggregate
  std::string sql;                   // the record query, with `?` placeholders
  std::vector<std::string> params;   // their values, as SQL literals
  bool applicable = true;            // false: the ledger has no column for this org level
  std::vector<std::string> columns;  // headers of `records`: 行号 + the ledger's columns
  std::vector<std::vector<std::string>> records;  // display values
  int64_t total_records = 0;  // matching rows (records holds at most max_records)
  // Set by the service layer when the viewer may not see this ledger's records: `records` is
  // empty, the count stays (it is a figure).
  bool records_withheld = false;
};

struct Explanation {
  const pack::FigureDef* def = nullptr;
  FigureResult result;
  std::string statement_sql;  // the one aggregate statement per ledger, as computed
  std::vector<AggregateExplanation> aggregates;
  std::vector<std::string> depends_on;  // figure ids used directly
};

// How aggregates reach the database: one statement per ledger with every aggregate as a
// conditional aggregate (the planner's batch), or one plain statement per aggregate — the
// baseline the batch is measured against in bench/ and checked equal to in tests.
enum class PlanMode { kBatched, kOneQueryPerAggregate };

class Engine {
 public:
  // Binds every figure; the Status lists every binding error (figure, file:line, column).
  static Result<std::unique_ptr<Engine>> Create(const pack::Catalog& catalog);

  const pack::Catalog& catalog() const { return catalog_; }

  // `unit`: empty → the town; a village's name, alias or code; or a grid's key or name (grids are
  // rows of the ledger named in org.txt, so the store is consulted).
  Result<Scope> ResolveScope(store::Store& store, std::string_view unit) const;

  // Computes `ids` (all figures when empty) and everything they depend on.
  Result<ComputeResult> Compute(store::Store& store, const Period& period, const Scope& scope,
                                const std::vector<std::string>& ids = {},
                                PlanMode mode = PlanMode::kBatched) const;

  // Up to `max_records` records per aggregate; with 0, each aggregate's count only (one query).
  Result<Explanation> Explain(store::Store& store, std::string_view id, const Period& period,
                              const Scope& scope, int max_records = 50) const;
  // The same for a figure already in `computed` (its period and unit): no figure is computed
  // again, only the record queries run. A report explaining all its figures uses this.
  Result<Explanation> Explain(store::Store& store, std::string_view id,
                              const ComputeResult& computed, int max_records = 50) const;

  // True when the figure reads some ledger, directly or through the figures it is computed from:
  // it has records behind it to show. False for figures of the period or unit alone (the year,
  // the unit's name) and constants — and for an unknown id.
  bool ReadsLedgers(std::string_view id) const;

  // Evaluates an expression over already computed figures (a template's {{#if …}}). Figures it
  // names must be in `computed`.
  Result<FigureValue> Evaluate(std::string_view expr, const ComputeResult& computed) const;

 private:
  Engine(const pack::Catalog& catalog, BoundCatalog bound)
      : catalog_(catalog), bound_(std::move(bound)) {}

  struct AggregateValues;
  // Runs one statement per ledger touched by `aggregates`.
  Status RunAggregates(store::Store& store, const Period& period, const Scope& scope,
                       const std::vector<int>& aggregates, PlanMode mode,
                       AggregateValues* out, ComputeStats* stats) const;

  const pack::Catalog& catalog_;
  BoundCatalog bound_;
};

// Writes a value with a display rule. `measure` is the measure word for groups (家, 个).
std::string Display(const FigureValue& value, pack::DisplayRule rule,
                    std::string_view measure = {});

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_ENGINE_H_
