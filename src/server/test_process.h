// For end-to-end tests: child processes (`taizhang serve`, nginx) started with fork/exec and
// stopped by their PID — by the test, or by the destructor on every other exit path (a failed
// ASSERT returns early), so that no test leaves a server running. The destructor asks with
// SIGTERM before SIGKILL: a process with children of its own (nginx's master) then takes them
// down too.
#ifndef TAIZHANG_SERVER_TEST_PROCESS_H_
#define TAIZHANG_SERVER_TEST_PROCESS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tz::server::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess() {
    Stop();
    if (out_ >= 0) ::close(out_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Runs args[0] with `args`: its stdout into a pipe that ReadLine reads, its stderr into the
  // file `log_path` (truncated; "" for /dev/null). False when it could not be forked (an exec
  // failure shows as exit code 127).
  bool Start(const std::vector<std::string>& args, const std::string& log_path = "") {
    if (pid_ > 0 || args.empty()) return false;
    // Everything the child needs is made before fork: the test may have threads, and the child
    // of a threaded process may only make async-signal-safe calls before exec.
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const char* err_path = log_path.empty() ? "/dev/null" : log_path.c_str();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    const pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      return false;
    }
    if (pid == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      const int err = ::open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      _exit(127);
    }
    ::close(fds[1]);
    if (out_ >= 0) ::close(out_);
    out_ = fds[0];
    buffer_.clear();
    pid_ = pid;
    return true;
  }

  pid_t pid() const { return pid_; }

  // The next line the child writes to stdout, with its '\n'; "" when none comes within
  // `timeout_ms` (or the child closed its stdout).
  std::string ReadLine(int timeout_ms = 10000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    size_t nl;
    while ((nl = buffer_.find('\n')) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      pollfd p{out_, POLLIN, 0};
      if (out_ < 0 || left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return "";
      char buf[4096];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return "";
      buffer_.append(buf, static_cast<size_t>(n));
    }
    std::string line = buffer_.substr(0, nl + 1);
    buffer_.erase(0, nl + 1);
    return line;
  }

  // True while the child has not exited (reaps it when it has: see exit_status()).
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      Reaped(status);
      return false;
    }
    return true;
  }

  // SIGTERM, then up to `ms` for it to exit: its exit code (128 + the signal when a signal ended
  // it), or -1 when it is still running (it is then left for Kill or the destructor).
  int TerminateAndWait(int ms) {
    if (pid_ <= 0) return exit_status_;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (!Running()) return exit_status_;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  // Waits for the child to exit by itself: its exit code, or 128 + the signal.
  int Wait() {
    if (pid_ <= 0) return exit_status_;
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) Reaped(status);
    return exit_status_;
  }

  // SIGTERM, then SIGKILL when it has not exited within `grace_ms`; nothing when not running.
  void Stop(int grace_ms = 3000) {
    if (pid_ > 0 && TerminateAndWait(grace_ms) == -1) Kill();
  }

  // SIGKILL and reap; nothing when it is not running.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    Wait();
  }

  // The exit code (or 128 + signal) once reaped; -1 before.
  int exit_status() const { return exit_status_; }

 private:
  void Reaped(int status) {
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  pid_t pid_ = -1;
  int exit_status_ = -1;
  int out_ = -1;
  std::string buffer_;
};

// The port in the line `taizhang serve` prints once it is listening, or 0.
inline uint16_t ServePortOf(const std::string& line) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("已启动：http://127\\.0\\.0\\.1:(\\d+)/"))) return 0;
  return static_cast<uint16_t>(std::stoi(m[1]));
}

// Starts `binary --db DB serve --port 0 extra…` (its stderr, the server's log, into `log_path`)
// and returns the first line it prints — "taizhang 已启动：http://127.0.0.1:PORT/" — or "" when
// it prints nothing within 10 s (see ServePortOf).
inline std::string StartServe(ChildProcess& process, const std::string& binary,
                              const std::string& db, const std::vector<std::string>& extra = {},
                              const std::string& log_path = "") {
  std::vector<std::string> args = {binary, "--db", db, "serve", "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  if (!process.Start(args, log_path)) return "";
  return process.ReadLine(10000);
}

}  // namespace tz::server::testing

#endif  // TAIZHANG_SERVER_TEST_PROCESS_H_
