#include "service/row_values.h"

#include <utility>

#include "base/checks.h"
#include "service/cell_value.h"

namespace tz::service {

using pack::ColumnType;
using store::SqlValue;

std::vector<SqlValue> ConvertRow(const pack::Catalog& catalog, const pack::Ledger& ledger,
                                 const std::vector<std::string>& texts,
                                 const std::vector<bool>* failed, std::vector<CellError>* errors) {
  const size_t n = ledger.columns.size();
  std::vector<SqlValue> values(n);
  std::vector<std::pair<std::string, ResidentIdInfo>> ids;
  for (size_t c = 0; c < n; ++c) {
    if (failed && (*failed)[c]) continue;
    std::string error;
    ResidentIdInfo info;
    values[c] = ConvertCell(catalog, ledger.columns[c], texts[c], &error, &info);
    if (!error.empty()) {
      errors->push_back({c, std::move(error)});
    } else if (ledger.columns[c].type == ColumnType::kId18 && !store::IsNull(values[c])) {
      ids.emplace_back(ledger.columns[c].label, info);
    }
  }
  for (const pack::Check& check : ledger.checks) {
    int other = ledger.ColumnIndex(check.other_column);
    if (other < 0 || store::IsNull(values[static_cast<size_t>(other)])) continue;
    const ResidentIdInfo* id = nullptr;
    for (const auto& [label, info] : ids) {
      if (label == check.id_column) id = &info;
    }
    if (!id) continue;
    const std::string& v = std::get<std::string>(values[static_cast<size_t>(other)]);
    if (check.kind == pack::Check::Kind::kIdSex) {
      std::string want = id->male ? "男" : "女";
      if (v != want) {
        errors->push_back(
            {static_cast<size_t>(other),
             "与" + check.id_column + "不符（" + check.id_column + "显示为" + want + "）"});
      }
    } else if (v != id->birth.ToIso()) {
      // The birth date itself is not repeated: an edit form sends back a masked ID number kept
      // as stored, and the message would show the digits the mask hides.
      errors->push_back({static_cast<size_t>(other),
                         "与" + check.id_column + "中的出生日期不符"});
    }
  }
  return values;
}

}  // namespace tz::service
