// Import: a spreadsheet (CSV today, xlsx later) into one ledger, validated cell by cell exactly as
// spec/ledgers.md says. All or nothing: a file with any error writes nothing and every error is
// reported with its spreadsheet row, column and reason.
#ifndef TAIZHANG_SERVICE_IMPORT_SERVICE_H_
#define TAIZHANG_SERVICE_IMPORT_SERVICE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::service {

struct ImportIssue {
  int64_t row = 0;      // spreadsheet row (the header is row 1); 0 for the file as a whole
  std::string column;   // the column label, or empty
  std::string message;  // Chinese, for the cadre
};

struct ImportReport {
  std::string ledger_id;
  int64_t imported = 0;               // rows written (0 when there are errors)
  std::vector<ImportIssue> errors;    // any error → nothing written
  std::vector<ImportIssue> warnings;  // e.g. a reference to a household not in the register
  std::string encoding;               // of the source file: UTF-8, GB18030, …

  bool ok() const { return errors.empty(); }
};

// One table to import: a header row and data rows, as text cells typed by people.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> row_numbers;  // spreadsheet row of each data row (parallel to rows)
};

// Caps so that a hostile file cannot exhaust memory with error messages.
inline constexpr size_t kMaxReportedErrors = 1000;
inline constexpr size_t kMaxCsvBytes = 64u << 20;
inline constexpr size_t kMaxImportRows = 1000000;

// Finds a ledger by id or title; NotFound lists the choices.
Result<const pack::Ledger*> FindLedger(const pack::Catalog& catalog, std::string_view name);

// Validates `table` for `ledger` and, if it has no errors, writes every row in one transaction.
// The returned Status is an error only for failures of the system (database); problems with the
// data are in the report.
Result<ImportReport> ImportTable(store::Store& store, const pack::Catalog& catalog,
                                 const pack::Ledger& ledger, const Table& table,
                                 const std::string& source);

// Reads a CSV file (UTF-8 with or without BOM, or GB18030) and imports it.
Result<ImportReport> ImportCsvFile(store::Store& store, const pack::Catalog& catalog,
                                   const pack::Ledger& ledger, const std::string& path);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_IMPORT_SERVICE_H_
