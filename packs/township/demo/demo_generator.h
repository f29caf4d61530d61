// The demo data generator of the township pack: `taizhang demo` fills a database with realistic,
// deterministic data for the ten villages of 辽市镇 (about 25,000 residents, activity from 2021-01
// to 2023-06), so that every figure of the seed report has a believable value for any half-year,
// year and village.
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

#include "base/result.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::demo {

struct DemoStats {
  int64_t rows = 0;  // rows imported, all ledgers
  int ledgers = 0;   // ledgers imported
};

// Generates every ledger's rows (in the pack's column order, looked up by label) and imports them
// with service::ImportTable, registries first so that references resolve. Deterministic for a
// given seed. Any validation error is a bug of the generator: the result is then an Internal error
// listing the first errors. `progress` (may be null) is called once per ledger, e.g.
// "生成 农户信息台账 6210 行".
Result<DemoStats> GenerateTownshipDemo(store::Store& store, const pack::Catalog& catalog,
                                       uint64_t seed,
                                       const std::function<void(const std::string&)>& progress);

}  // namespace tz::demo

#endif  // TAIZHANG_PACKS_TOWNSHIP_DEMO_DEMO_GENERATOR_H_
