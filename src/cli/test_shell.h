// For the command-line end-to-end tests: run a shell command and capture what it prints.
#ifndef TAIZHANG_CLI_TEST_SHELL_H_
#define TAIZHANG_CLI_TEST_SHELL_H_

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace tz::cli::testing {

struct CmdResult {
  int code = -1;    // the exit code; -1 when it did not exit normally
  std::string out;  // what the command wrote to stdout (redirect stderr in `cmd` to get it too)
};

inline CmdResult RunShell(const std::string& cmd) {
  CmdResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace tz::cli::testing

#endif  // TAIZHANG_CLI_TEST_SHELL_H_
