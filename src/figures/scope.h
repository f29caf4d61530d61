// The org unit a computation is for: the root of the tree (a town, or a district or a city), a
// district or town below it, a village or a grid.
#ifndef TAIZHANG_FIGURES_SCOPE_H_
#define TAIZHANG_FIGURES_SCOPE_H_

#include <string>
#include <vector>

#include "pack/catalog.h"

namespace tz::figures {

struct Scope {
  pack::OrgLevel level = pack::OrgLevel::kTown;
  std::string code;
  std::string name;
  std::string parent_code;  // a grid's village code (empty when the grid row names none)
  // A multi-town database, a district or town below the root: the towns whose rows count (the
  // store's _town column). Empty: no town filter (the root, or a village or grid, whose own
  // column places rows).
  std::vector<std::string> towns;
  // More than one town's rows count (a district, a city). A figure is still computed from the
  // records, never from the towns' figures; but `distinct` counts a value once per town (户编号
  // and 案件编号 are a town's own numbering) and `single` has no value (a town's target is not
  // the district's).
  bool spans_towns = false;
};

// The column of `ledger` that places a row in `scope`'s unit: kNoFilter at town level (every row
// counts), kNotApplicable when the ledger has no column for that level.
inline constexpr int kNoFilter = -2;
inline constexpr int kNotApplicable = -1;
int ScopeColumn(const pack::Ledger& ledger, const Scope& scope);

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_SCOPE_H_
