#include "service/row_values.h"

#include <utility>

#include "base/checks.h"
#include "base/strings.h"
#include "service/cell_value.h"
#include "store/ledger_tables.h"

namespace tz::service {

using pack::ColumnType;
using store::SqlValue;

std::vector<SqlValue> ConvertRow(const pack::Catalog& catalog, const pack::Ledger& ledger,
                                 const std::vector<std::string>& texts,
                                 const std::vector<bool>* failed, std::vector<CellError>* errors,
                                 std::string_view town) {
  const size_t n = ledger.columns.size();
  std::vector<SqlValue> values(n);
  std::vector<std::pair<std::string, ResidentIdInfo>> ids;
  for (size_t c = 0; c < n; ++c) {
    if (failed && (*failed)[c]) continue;
    std::string error;
    ResidentIdInfo info;
    values[c] = ConvertCell(catalog, ledger.columns[c], texts[c], &error, &info, town);
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

Result<GridVillages> LoadGridVillages(store::Store& store, const pack::Catalog& catalog,
                                      const std::string* only, const std::string& town) {
  GridVillages out;
  if (!catalog.org.grids) return out;
  const pack::GridSource& g = *catalog.org.grids;
  const pack::Ledger* ledger = catalog.FindLedger(g.ledger);
  if (!ledger) return out;
  const store::Dialect& d = store.dialect();
  store::SqlStatement select{"SELECT " + d.Quote(g.code_column) + ", " +
                                 d.Quote(g.village_column) + " FROM " +
                                 d.Quote(store::LedgerTable(*ledger)),
                             {}};
  select.sql += " WHERE 1 = 1";
  if (only) {
    select.sql += " AND " + d.Quote(g.code_column) + " = ?";
    select.params.push_back(*only);
  }
  if (!town.empty()) {
    select.sql += std::string(" AND ") + store::kTownColumn + " = ?";
    select.params.push_back(town);
  }
  TZ_RETURN_IF_ERROR(store.Query(
      select,
      [&](const std::vector<SqlValue>& row) {
        const auto* code = std::get_if<std::string>(&row[0]);
        const auto* village = std::get_if<std::string>(&row[1]);
        if (code && village) out.emplace(*code, *village);
        return Status::Ok();
      }));
  return out;
}

std::optional<CellError> GridOutsideVillage(const pack::Catalog& catalog,
                                            const pack::Ledger& ledger, const GridVillages& grids,
                                            const std::vector<SqlValue>& values) {
  if (ledger.village_column < 0 || ledger.grid_column < 0) return std::nullopt;
  const size_t vc = static_cast<size_t>(ledger.village_column);
  const size_t gc = static_cast<size_t>(ledger.grid_column);
  const auto* village = std::get_if<std::string>(&values[vc]);
  const auto* grid = std::get_if<std::string>(&values[gc]);
  if (!village || !grid) return std::nullopt;
  auto it = grids.find(*grid);
  if (it == grids.end() || it->second == *village) return std::nullopt;
  const pack::OrgUnit* grid_village = catalog.org.FindVillage(it->second);
  const pack::OrgUnit* row_village = catalog.org.FindVillage(*village);
  return CellError{gc, Quoted(*grid) + "是" + (grid_village ? grid_village->name : it->second) +
                           "的网格，与本行的" + ledger.columns[vc].label + "（" +
                           (row_village ? row_village->name : *village) + "）不符"};
}

}  // namespace tz::service
