// Spreadsheets in and out as a Principal (issue 5): the import and export use cases with the
// role's permission, the ledger's visibility and the data scope applied, and audited. The CLI and
// the HTTP server call these; import_service.h and export_service.h below them know no users.
#ifndef TAIZHANG_SERVICE_LEDGER_FILES_H_
#define TAIZHANG_SERVICE_LEDGER_FILES_H_

#include <string>

#include "auth/principal.h"
#include "service/database.h"
#include "service/export_service.h"
#include "service/import_service.h"

namespace tz::service {

// ImportFile with `import` and the ledger required. A village-scoped role imports only its
// village's rows: options.unit is set to it (a file row of another village is an error, and
// replace mode replaces only that village's rows); another unit asked for is PermissionDenied.
// Grid-scoped roles cannot import whole files (PermissionDenied): their rows are entered one by one.
// The import is audited inside its own transaction (written or not at all together); a rejected
// file is audited as well, with its error count.
Result<ImportReport> ImportFileAs(Database& db, const auth::Principal& who,
                                  const pack::Ledger& ledger, const std::string& path,
                                  ImportOptions options);

// ExportLedger with `export` and the ledger required, `unmask` for an unmasked export, and the
// rows confined to the scope (options.unit / options.grid set from it). Audited (export, and
// unmask when unmasked); if the entry cannot be written the file is removed and the error
// returned.
Result<ExportResult> ExportLedgerAs(Database& db, const auth::Principal& who,
                                    const pack::Ledger& ledger, ExportOptions options,
                                    const std::string& path);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_LEDGER_FILES_H_
