// Who runs a command (issue 5, item 5): the command line is no way around roles and scope.
// Commands that read or change ledger data act as an account (--user NAME, password from
// $TAIZHANG_PASSWORD or asked on the terminal, checked like a web login, lockout included) or as
// the local administrator, named explicitly (--local-admin): whoever can run the binary on the
// database file can read that file anyway, but the audit log then says so.
#ifndef TAIZHANG_CLI_IDENTITY_H_
#define TAIZHANG_CLI_IDENTITY_H_

#include "auth/principal.h"
#include "base/result.h"
#include "cli/commands.h"
#include "service/database.h"

namespace tz::cli {

// Unauthenticated (exit 4) when neither option is given, both are, or the login fails.
Result<auth::Principal> CommandPrincipal(service::Database& db, const Args& args);

// The name of the operating-system user running the command (for the audit log).
std::string OsUser();

}  // namespace tz::cli

#endif  // TAIZHANG_CLI_IDENTITY_H_
