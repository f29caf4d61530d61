// The taizhang commands. Each returns the process exit code; errors go through Fail().
#ifndef TAIZHANG_CLI_COMMANDS_H_
#define TAIZHANG_CLI_COMMANDS_H_

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace tz::cli {

struct Args {
  std::string db;
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--period" → "2022H1"; flags map to ""

  bool Has(const std::string& opt) const { return options.count(opt) > 0; }
  std::string Get(const std::string& opt, const std::string& fallback = "") const {
    auto it = options.find(opt);
    return it == options.end() ? fallback : it->second;
  }
};

// The one place a Status becomes an exit code: 1 for problems with the user's input or state,
// 3 for failures of the system, 4 for a refused identity or permission; 2 is reserved for usage
// errors.
int ExitCodeFor(const Status& s);
// Prints the error (Chinese for the user, the English log line after it) and returns its code.
int Fail(const Status& s);

int RunInit(const Args& args);
int RunDemo(const Args& args);
int RunLedgers(const Args& args);
int RunImport(const Args& args);
int RunTemplate(const Args& args);
int RunExport(const Args& args);
int RunFigures(const Args& args);
int RunExplain(const Args& args);
int RunReport(const Args& args);
// audit.cc: audit verify | audit export.
int RunAudit(const Args& args);
// user.cc: user add | list | disable | enable | reset-password | unlock.
int RunUser(const Args& args);
// serve.cc: the HTTP server until SIGTERM/SIGINT.
int RunServe(const Args& args);

}  // namespace tz::cli

#endif  // TAIZHANG_CLI_COMMANDS_H_
