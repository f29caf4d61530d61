// Import: a spreadsheet (xlsx, legacy xls or CSV) into one ledger, validated cell by cell exactly
// as spec/ledgers.md says. All or nothing: a file with any error writes nothing and every error is
// reported with its spreadsheet row, column and reason, and can be written back as the user's own
// sheet with the bad cells highlighted.
#ifndef TAIZHANG_SERVICE_IMPORT_SERVICE_H_
#define TAIZHANG_SERVICE_IMPORT_SERVICE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "io/sheet.h"
#include "pack/catalog.h"
#include "store/store.h"

namespace tz::service {

struct ImportIssue {
  int64_t row = 0;      // spreadsheet row; 0 for the file as a whole
  std::string column;   // the column label, or empty
  std::string message;  // Chinese, for the cadre
};

// What happens to the rows already in the ledger.
enum class ImportMode {
  kAppend,   // add the rows; a key already in the ledger is an error
  kUpsert,   // a row whose key is already in the ledger replaces it; others are added
  kReplace,  // the ledger's rows (or one village's, with `unit`) are replaced by the file's
};
const char* ImportModeName(ImportMode mode);  // "append", "upsert", "replace"
std::optional<ImportMode> ParseImportMode(std::string_view name);

struct ImportReport;

struct ImportOptions {
  ImportMode mode = ImportMode::kAppend;
  // A village (name, alias or code). Every row must belong to it; with kReplace only its rows are
  // replaced.
  std::string unit;
  // In a multi-town database (OrgTree::MultiTown): the town (name or 9-digit code) the file's rows
  // belong to. Its villages are the ones unit cells name, keys are unique within it, and kReplace
  // replaces its rows only. May be left empty when `unit` names a village (its town is taken).
  // A township database ignores it.
  std::string town;
  std::string sheet;        // the sheet to read; empty: the first with the ledger's header
  std::string errors_xlsx;  // when the file has errors, write it here with them marked
  // Recorded in _imports as the import's source instead of the path (an upload's file name).
  std::string source_name;
  // Called on the importing thread every kProgressRows data rows with the rows read so far (a
  // million-row file takes several seconds; the CLI shows it on a terminal).
  std::function<void(int64_t rows)> on_progress;
  // Called inside the import's transaction after every row is written and before the commit (the
  // audit entry of the import): an error rolls the whole import back and is returned.
  std::function<Status(const ImportReport& report)> before_commit;
};

inline constexpr int64_t kProgressRows = 50000;

struct ImportReport {
  std::string ledger_id;
  std::string mode;
  int64_t imported = 0;               // rows written (0 when there are errors)
  int64_t updated = 0;                // of those, rows that replaced one with the same key
  int64_t deleted = 0;                // rows removed by kReplace
  std::vector<ImportIssue> errors;    // any error → nothing written (at most kMaxReportedErrors
                                      // and a line saying how many more)
  int64_t error_count = 0;            // every error found, listed or not
  std::vector<ImportIssue> warnings;  // e.g. a reference to a household not in the register
  std::string encoding;               // of a CSV file: UTF-8, GB18030, …
  std::string sheet;                  // the sheet read
  int64_t header_row = 0;             // the header's (last) row
  std::string errors_file;            // the marked-up workbook written, if any

  bool ok() const { return errors.empty(); }
};

// One table to import from memory: a header row and data rows, as text cells typed by people.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> row_numbers;  // spreadsheet row of each data row (parallel to rows)
};

// Caps so that a hostile file cannot exhaust memory with error messages or rows.
inline constexpr size_t kMaxReportedErrors = 1000;
inline constexpr size_t kMaxMarkedErrors = 100000;  // errors kept for the marked-up workbook
inline constexpr size_t kMaxCsvBytes = 64u << 20;
inline constexpr size_t kMaxImportRows = 1000000;

// Finds a ledger by id or title; NotFound lists the choices.
Result<const pack::Ledger*> FindLedger(const pack::Catalog& catalog, std::string_view name);

// Reads `path` (by content: xlsx, xls or CSV) and imports it. Problems with the file or its data
// are in the report; the Status is an error for bad options (InvalidArgument: unknown unit or
// sheet, upsert without a key) and failures of the system (database, writing errors_xlsx).
Result<ImportReport> ImportFile(store::Store& store, const pack::Catalog& catalog,
                                const pack::Ledger& ledger, const std::string& path,
                                const ImportOptions& options = {});

// The same from an open reader; `source` is recorded with the import.
Result<ImportReport> ImportSheet(store::Store& store, const pack::Catalog& catalog,
                                 const pack::Ledger& ledger, io::SheetReader& reader,
                                 const std::string& source, const ImportOptions& options = {});

// The same from memory (the demo generator, tests).
Result<ImportReport> ImportTable(store::Store& store, const pack::Catalog& catalog,
                                 const pack::Ledger& ledger, const Table& table,
                                 const std::string& source, const ImportOptions& options = {});

// ImportFile for a CSV file with default options (kept for callers that predate xlsx).
Result<ImportReport> ImportCsvFile(store::Store& store, const pack::Catalog& catalog,
                                   const pack::Ledger& ledger, const std::string& path);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_IMPORT_SERVICE_H_
