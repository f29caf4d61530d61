// The binder: parsed figures → bound figures. Resolves ledger, column, enum value and figure names
// against the Catalog, checks types and finds cycles. Every error names the figure, its file and
// line, and the column within the expression.
#ifndef TAIZHANG_FIGURES_BINDER_H_
#define TAIZHANG_FIGURES_BINDER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "figures/bound.h"
#include "pack/catalog.h"

namespace tz::figures {

struct BoundCatalog {
  std::vector<BoundFigure> figures;        // parallel to Catalog::figures
  std::vector<BoundAggregate> aggregates;  // referenced by BoundExpr::index
};

// Binds every figure of the catalog. On failure the Status lists every error, one per line.
Result<BoundCatalog> BindCatalog(const pack::Catalog& catalog);

// Binds a standalone expression over the already bound figures of `bound` (a template's
// {{#if …}}). It may name figures but no ledger: an aggregate there is an error. `figures_used`
// receives the figure indexes it refers to.
Result<std::unique_ptr<BoundExpr>> BindStandalone(const pack::Catalog& catalog,
                                                  const BoundCatalog& bound, std::string_view text,
                                                  std::vector<int>* figures_used);

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_BINDER_H_
