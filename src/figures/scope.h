// The org unit a computation is for: the town, a village or a grid.
#ifndef TAIZHANG_FIGURES_SCOPE_H_
#define TAIZHANG_FIGURES_SCOPE_H_

#include <string>

#include "pack/catalog.h"

namespace tz::figures {

struct Scope {
  pack::OrgLevel level = pack::OrgLevel::kTown;
  std::string code;
  std::string name;
  std::string parent_code;  // a grid's village code (empty when the grid row names none)
};

// The column of `ledger` that places a row in `scope`'s unit: kNoFilter at town level (every row
// counts), kNotApplicable when the ledger has no column for that level.
inline constexpr int kNoFilter = -2;
inline constexpr int kNotApplicable = -1;
int ScopeColumn(const pack::Ledger& ledger, const Scope& scope);

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_SCOPE_H_
