// The small pack shared by the report layer's tests: one ledger, a count, a rate, a flag and the
// unit name.
#ifndef TAIZHANG_REPORT_TEST_PACK_H_
#define TAIZHANG_REPORT_TEST_PACK_H_

#include <map>
#include <string>
#include <utility>

#include "base/period.h"
#include "figures/engine.h"
#include "pack/catalog.h"

namespace tz::report::testing {

inline pack::PackFiles SmallPack() {
  pack::PackFiles f;
  f["pack.txt"] = "name 测试包\nversion 1\n";
  f["org.txt"] =
      "region 江西省 宜春市 袁州区\n"
      "town 360902117 辽市镇\n"
      "village 360902117200 辽市村\n";
  f["ledgers/a.txt"] =
      "ledger person 人口台账\n"
      "  column 姓名 text required\n"
      "  column 所属村 unit\n";
  f["figures/a.txt"] =
      "figure a.count\n"
      "  label 人数\n"
      "  value count(person)\n"
      "\n"
      "figure a.rate\n"
      "  label 比率\n"
      "  value a.count * 100 / 3\n"
      "  display percent\n"
      "\n"
      "figure a.flag\n"
      "  label 标志\n"
      "  value a.count > 5\n"
      "  display bool\n"
      "\n"
      "figure name\n"
      "  label 单位名称\n"
      "  value unit_name()\n"
      "  display text\n";
  return f;
}

// A ComputeResult as Engine::Compute would give it for 辽市镇 in 2022H1: `values` by figure id, in
// catalog order, each displayed with its figure's rule. Figures not in `values` are not computed.
inline figures::ComputeResult ComputedFrom(
    const pack::Catalog& catalog, const std::map<std::string, figures::FigureValue>& values) {
  figures::ComputeResult r;
  r.period = *ParsePeriod("2022H1");
  r.scope.level = pack::OrgLevel::kTown;
  r.scope.code = "360902117";
  r.scope.name = "辽市镇";
  for (const pack::FigureDef& def : catalog.figures) {
    auto it = values.find(def.id);
    if (it == values.end()) continue;
    figures::FigureResult fr;
    fr.def = &def;
    fr.value = it->second;
    fr.display = figures::Display(fr.value, def.display, def.display_arg);
    r.figures.push_back(std::move(fr));
  }
  return r;
}

}  // namespace tz::report::testing

#endif  // TAIZHANG_REPORT_TEST_PACK_H_
