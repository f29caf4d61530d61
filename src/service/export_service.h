// Ledgers out to Excel: blank templates to fill in, and exports of what is stored that import back
// unchanged (with --unmasked). Personal identifiers are masked unless asked otherwise.
#ifndef TAIZHANG_SERVICE_EXPORT_SERVICE_H_
#define TAIZHANG_SERVICE_EXPORT_SERVICE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::service {

// Data rows a template prepares (drop-downs and formats reach this far).
inline constexpr int64_t kTemplateRows = 5000;

struct ExportOptions {
  std::string period;     // 2022H1, 2022, …: only rows of that period (see Ledger::period_*)
  std::string unit;       // a village: only its rows
  std::string grid;       // a grid key: only rows of the ledger's grid column holding it
  // Multi-town databases: only rows of these towns (a district's or a town's export).
  std::vector<std::string> towns;
  bool unmasked = false;  // ID numbers and phones in full
  std::string file_name;  // recorded in the audit log (a download's name); default: the path's
};

struct ExportResult {
  int64_t rows = 0;
  std::string note;  // for the user, e.g. why --period was not applied
};

// Writes the ledger's rows to `path`: .xlsx (title row, header, typed cells) or .csv (UTF-8 with
// BOM, header row; text that Excel would take as a formula gets a leading ').
Result<ExportResult> ExportLedger(store::Store& store, const pack::Catalog& catalog,
                                  const pack::Ledger& ledger, const ExportOptions& options,
                                  const std::string& path);

// A blank xlsx to fill in: title row, header (required columns marked * in red), drop-down lists
// for enum/bool/village columns, date and text formats, the header frozen.
Status WriteLedgerTemplate(const pack::Catalog& catalog, const pack::Ledger& ledger,
                           const std::string& path);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_EXPORT_SERVICE_H_
