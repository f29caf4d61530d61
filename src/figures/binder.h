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

// Binds a standalone expression over figures (a template's {{#if …}}), adding any aggregates it
// uses to `bound`. `figures_used` receives the figure indexes it refers to directly.
Result<std::unique_ptr<BoundExpr>> BindStandalone(const pack::Catalog& catalog, BoundCatalog& bound,
                                                  std::string_view text,
                                                  std::vector<int>* figures_used,
                                                  std::vector<int>* aggregates_used);

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_BINDER_H_
