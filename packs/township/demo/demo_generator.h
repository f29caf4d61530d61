// The demo data generator of the township pack: `taizhang demo` fills a database with realistic,
// deterministic data for the ten villages of 辽市镇 (about 25,000 residents, activity from 2021-01
// to 2023-06), so that every figure of the seed report has a believable value for any half-year,
// year and village; `taizhang demo --towns N` does the same for N towns of a district's or a
// city's org tree (N=200: about 5 million residents), one town after another.
//
// It lives with the pack, not in src/, because it names the pack's ledgers and column labels: the
// engine stays pack-agnostic. Rows are produced as text cells, exactly as a cadre would type them
// in a spreadsheet, and imported through service::ImportTable, so they pass the same validation as
// any real file.
#ifndef TAIZHANG_PACKS_TOWNSHIP_DEMO_DEMO_GENERATOR_H_
#define TAIZHANG_PACKS_TOWNSHIP_DEMO_DEMO_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::demo {

// One generated town.
struct DemoTownStats {
  std::string code;  // 9 digits
  std::string name;
  int villages = 0;
  int64_t residents = 0;  // rows of the population register
  int64_t rows = 0;       // rows imported, all ledgers
  double seconds = 0;     // generating and importing
};

struct DemoStats {
  int64_t rows = 0;  // rows imported, all ledgers (of every town)
  int ledgers = 0;   // ledgers imported (each town imports into every ledger)
  int64_t residents = 0;
  std::vector<DemoTownStats> towns;  // in the order generated
};

// The town generated first, with the seed's own content (the enterprises, investment projects and
// construction projects the seed report names): 辽市镇.
inline constexpr const char* kDemoAnchorTown = "360902117";

// Generates every ledger's rows (in the pack's column order, looked up by label) and imports them
// with service::ImportTable, registries first so that references resolve. Deterministic for a
// given seed. Any validation error is a bug of the generator: the result is then an Internal error
// listing the first errors. `progress` (may be null) is called once per ledger, e.g.
// "生成 农户信息台账 6210 行".
//
// This is the demo of a township pack: its one town and every village. For the default pack
// (辽市镇) its rows are those of 辽市镇 in GenerateDemo for the same seed, value for value. On a
// district's or a city's tree it is GenerateDemo with towns = 1.
Result<DemoStats> GenerateTownshipDemo(store::Store& store, const pack::Catalog& catalog,
                                       uint64_t seed,
                                       const std::function<void(const std::string&)>& progress);

// The demo of `towns` towns of the catalog's org tree: 辽市镇 (kDemoAnchorTown) first when the
// tree has it, generated exactly as GenerateTownshipDemo does (same seed, same rows), then the
// other towns with villages in the tree's order, each with its own seed (seed ^ a hash of its
// code), about 25,000 residents spread over its villages, and its own names (addresses, branches,
// stations, militia units, enterprises and projects named after the town). Unit cells hold the
// village's 12-digit code (village names repeat across towns); ID numbers (the town's district
// code, first 6 digits) and credit codes are unique over everything generated; register keys
// (households, grids, branches, stations, militia units) are unique over the whole tree. Each
// ledger of each town is one ImportTable with ImportOptions::town set to the town's code. Memory
// holds one town's generator at a time, plus a bitmap of the ID numbers used per district.
//
// towns == 1 on a township pack is GenerateTownshipDemo. towns > 1 needs a district's or a city's
// tree with at least that many towns with villages, else InvalidArgument. `progress` (may be null)
// gets one line per town ("生成 第 3/200 个镇 金瑞镇：120,251 行") and, when towns == 1, the
// per-ledger lines before it.
Result<DemoStats> GenerateDemo(store::Store& store, const pack::Catalog& catalog, uint64_t seed,
                               int towns,
                               const std::function<void(const std::string&)>& progress);

}  // namespace tz::demo

#endif  // TAIZHANG_PACKS_TOWNSHIP_DEMO_DEMO_GENERATOR_H_
