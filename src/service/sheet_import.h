// The row-by-row part of an import (service-internal): one ledger, one sheet, one transaction.
#ifndef TAIZHANG_SERVICE_SHEET_IMPORT_H_
#define TAIZHANG_SERVICE_SHEET_IMPORT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/key_rows.h"
#include "io/sheet.h"
#include "pack/catalog.h"
#include "service/error_workbook.h"
#include "service/header_match.h"
#include "service/import_service.h"
#include "service/row_values.h"
#include "store/ledger_tables.h"
#include "store/store.h"

namespace tz::service {

// One import, row by row: rows are validated and written inside one transaction as they stream
// in; after the first error nothing more is written and the transaction is rolled back at the end,
// but validation goes on so that every error is reported.
//
// Use: CheckHeader, then (if it passed) Begin, Prepare on any thread and Apply in row order for
// each row, FileError if the file broke off, and Finish, which commits or rolls back.
class SheetImport {
  using Column = pack::Column;
  using ColumnType = pack::ColumnType;
  using Ledger = pack::Ledger;
  using SqlValue = store::SqlValue;

 public:
  SheetImport(store::Store& store, const pack::Catalog& catalog, const Ledger& ledger,
              const ImportOptions& options, const pack::OrgUnit* unit, bool date1904,
              ImportReport* report);

  // Header problems are errors of the report; returns false when rows cannot be read under it.
  bool CheckHeader(const HeaderMatch& header);

  Status Begin(const std::string& source);

  // What the background reading thread makes of a row: its values and the errors found in the row
  // alone. Prepare only reads the catalog, the ledger and the header, so it is safe off-thread.
  struct PreparedRow {
    int64_t number = 0;  // spreadsheet row
    int width = 0;       // cells in the row
    enum class Kind { kSkip, kFooter, kData } kind = Kind::kSkip;
    std::vector<SqlValue> values;
    std::vector<std::pair<ImportIssue, int>> errors;  // with the sheet column, or -1
  };

  Status Prepare(const io::SheetRow& row, PreparedRow* out) const;

  // In row order on the caller's thread: what needs the whole file or the database.
  Status Apply(PreparedRow& prepared);

  Status Finish();

  // A problem of the file as a whole (it breaks off, breaks a limit): the import fails.
  void FileError(std::string message);

  std::vector<MarkedIssue> TakeMarked() { return std::move(marked_); }
  size_t error_count() const { return error_count_; }

 private:
  struct RefCheck {
    size_t column;
    const Ledger* target;
    KeyRows known;
  };
  struct SelfRef {
    std::string value;
    int64_t row;
    size_t column;
  };

  void Error(ImportIssue issue, int sheet_column);

  void RowError(int64_t row, size_t column, std::string message);

  static void AddRowError(const Ledger& ledger, const HeaderMatch& header, int64_t row,
                          size_t column, std::string message, PreparedRow* out);

  void CheckUnit(int64_t row, PreparedRow* out) const;

  // Returns true when the row's key is already in the ledger and the row will replace it.
  bool CheckKey(int64_t row);

  // References are warnings only: the register may be imported later.
  void CheckRefs(int64_t row);

  void Warn(int64_t row, size_t column, const std::string& value);

  store::Store& store_;
  const pack::Catalog& catalog_;
  const Ledger& ledger_;
  const ImportOptions& options_;
  const pack::OrgUnit* unit_;
  const bool date1904_;
  ImportReport& report_;
  store::Transaction tx_;
  HeaderMatch header_;

  KeyRows keys_in_db_;      // rows are not needed: 1 for every key
  KeyRows keys_elsewhere_;  // with --unit: keys of rows of other villages (or of none)
  KeyRows keys_in_file_;
  std::vector<RefCheck> refs_;
  GridVillages grid_villages_;  // read at Begin; Prepare (another thread) only reads it
  std::vector<SelfRef> self_refs_;
  size_t ref_warnings_ = 0;
  int64_t import_id_ = 0;
  std::unique_ptr<store::RowWriter> writer_;
  std::unique_ptr<store::KeyDeleter> deleter_;

  size_t error_count_ = 0;
  int64_t rows_seen_ = 0;
  std::vector<MarkedIssue> marked_;
  // The row being applied.
  std::vector<SqlValue> values_;
  std::vector<std::pair<ImportIssue, int>> row_errors_;
};

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_SHEET_IMPORT_H_
