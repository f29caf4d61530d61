// The records of one ledger, one at a time: the use cases behind the web app's ledger page (a
// filtered, sorted, searched page of rows; a record created, replaced or deleted through a form).
// Everything a request says is checked here, with Chinese messages, so that the HTTP layer only
// maps fields to these structs and Status codes to HTTP codes: a bad query is InvalidArgument, a
// missing record NotFound, a form with bad cells a RecordWrite listing them (nothing written).
//
// Every function acts as a Principal (service/access.h): it needs the role's permission (read,
// write, unmask), a ledger the role sees, and rows within the scope — rows of other villages or
// grids are never listed or counted, and touching one by id is PermissionDenied. Refusals,
// unmasking and every write are audited; a write and its audit entry commit together or not at all.
#ifndef TAIZHANG_SERVICE_RECORDS_SERVICE_H_
#define TAIZHANG_SERVICE_RECORDS_SERVICE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "auth/principal.h"
#include "pack/catalog.h"
#include "service/database.h"
#include "service/import_service.h"

namespace tz::service {

inline constexpr int64_t kDefaultPageSize = 50;
inline constexpr int64_t kMaxPageSize = 500;

struct RecordQuery {
  int64_t page = 1;                      // 1-based
  int64_t page_size = kDefaultPageSize;  // 1..kMaxPageSize; beyond is refused, never clamped
  std::string sort;                      // a column label; empty: insertion order
  bool descending = false;
  // Column label → filter text; an empty text is no filter. By the column's type:
  // text: rows whose value contains it; date, month, int, decimal: a value or a range "A..B"
  // (inclusive, either side may be left out: "2022-01-01..", "..5"); every other type: the value
  // itself, written as an import accepts it (a village by name, 是/否, …).
  std::map<std::string, std::string> filters;
  std::string q;          // search: rows where some text-like column contains it (literally)
  std::string unit;       // a village or grid within the scope: only its rows
  bool unmasked = false;  // sensitive columns in full (needs `unmask`; audited); q searches them
};

struct RecordRow {
  int64_t id = 0;                  // the row's _id
  std::vector<std::string> cells;  // display text, one per ledger column, in catalog order
};

struct RecordPage {
  int64_t total = 0;  // rows matching the query, over all pages
  int64_t page = 1;
  int64_t page_size = kDefaultPageSize;
  std::vector<RecordRow> rows;
};

// A page of a ledger's rows. InvalidArgument (naming the column and the reason) for an unknown
// column, a bad filter value, a bad page or page size, an unknown village.
Result<RecordPage> ListRecords(Database& db, const auth::Principal& who, const pack::Ledger& ledger,
                               const RecordQuery& query);

// One record by its _id, for the edit form. NotFound when there is no such record. A masked cell
// sent back unchanged to UpdateRecord keeps its value; anywhere else (CreateRecord, an import) a
// masked ID number is refused.
Result<RecordRow> GetRecord(Database& db, const auth::Principal& who, const pack::Ledger& ledger,
                            int64_t id, bool unmasked);

// What a form submission came to. Errors are per column (row 0; column empty for the record as a
// whole); any error → nothing written. Warnings (a reference to a key not registered) do not stop
// the write.
struct RecordWrite {
  int64_t id = 0;  // the record written; 0 when there are errors
  std::vector<ImportIssue> errors;
  std::vector<ImportIssue> warnings;
  bool ok() const { return errors.empty(); }
};

// Column label → text as typed in the form; a column left out is empty. Validated exactly as an
// import validates a row (types, required, ID numbers, the ledger's checks, a unique key); labels
// that are not columns of the ledger are errors. Written in one transaction and recorded in
// _imports as a one-row import with source "web". The Status is an error only for failures of
// the system.
Result<RecordWrite> CreateRecord(Database& db, const auth::Principal& who, const pack::Ledger& ledger,
                                 const std::map<std::string, std::string>& cells);

// Replaces every column of record `id` (the same validation; the key may stay its own). NotFound
// when there is no such record. A masked cell (ID number, phone) sent back exactly as GetRecord
// showed it masked keeps the stored value.
Result<RecordWrite> UpdateRecord(Database& db, const auth::Principal& who, const pack::Ledger& ledger,
                                 int64_t id, const std::map<std::string, std::string>& cells);

// NotFound when there is no such record.
Status DeleteRecord(Database& db, const auth::Principal& who, const pack::Ledger& ledger, int64_t id);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_RECORDS_SERVICE_H_
