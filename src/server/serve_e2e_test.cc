// `taizhang serve` end to end: the built binary on an initialised database and an ephemeral port,
// asked for its routes over HTTP, then stopped with SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>

#include "server/test_http_client.h"

#ifndef TZ_BINARY
#error "TZ_BINARY must name the taizhang binary"
#endif

namespace {

using nlohmann::json;
using tz::server::testing::Fetch;

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_serve_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    db_ = dir_ + "/t.db";
    std::string init = std::string(TZ_BINARY) + " --db " + db_ + " init >/dev/null 2>&1";
    ASSERT_EQ(system(init.c_str()), 0);
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
    ASSERT_EQ(system(("rm -rf '" + dir_ + "'").c_str()), 0);
  }

  // Starts `taizhang serve --port 0`; returns the first line it prints (empty after 10 s).
  std::string StartServe() {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return "";
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      close(pipe_fds[0]);
      close(pipe_fds[1]);
      execl(TZ_BINARY, TZ_BINARY, "--db", db_.c_str(), "serve", "--port", "0",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(pipe_fds[1]);
    out_ = pipe_fds[0];
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0 || read(out_, &c, 1) != 1) return "";
      line.push_back(c);
    }
    return line;
  }

  // The exit code after SIGTERM, or -1 when it has not exited within `ms`.
  int TerminateAndWait(int ms) {
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  std::string dir_, db_;
  pid_t pid_ = -1;
  int out_ = -1;
};

TEST_F(ServeTest, ServesHealthAndOrgThenStopsOnSigterm) {
  std::string line = StartServe();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(line, m, std::regex("已启动：http://127\\.0\\.0\\.1:(\\d+)/")))
      << line;
  const auto port = static_cast<uint16_t>(std::stoi(m[1]));
  ASSERT_NE(port, 0);

  auto health = Fetch(port, "GET", "/api/health");
  ASSERT_EQ(health.status, 200);
  json h = json::parse(health.body);
  EXPECT_EQ(h["ok"], true);
  EXPECT_GT(h["ledgers"].get<int>(), 40);

  auto org = Fetch(port, "GET", "/api/org");
  ASSERT_EQ(org.status, 200);
  json o = json::parse(org.body);
  EXPECT_EQ(o["town"]["code"], "360902117");
  EXPECT_FALSE(o["town"]["name"].get<std::string>().empty());
  EXPECT_TRUE(o["town"]["region"].is_array());
  ASSERT_EQ(o["villages"].size(), 10u);
  bool found = false;
  for (const json& v : o["villages"]) {
    EXPECT_EQ(v["code"].get<std::string>().size(), 12u);
    EXPECT_TRUE(v["aliases"].is_array());
    if (v["name"] == "院前村") found = true;
  }
  EXPECT_TRUE(found);

  EXPECT_EQ(Fetch(port, "GET", "/api/nothing").status, 404);
  EXPECT_EQ(TerminateAndWait(2000), 0);
}

TEST_F(ServeTest, MissingDatabaseFailsWithExitCode1) {
  std::string cmd =
      std::string(TZ_BINARY) + " --db " + dir_ + "/none.db serve --port 0 2>/dev/null";
  int status = system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

TEST_F(ServeTest, BadPortIsAUsageError) {
  std::string cmd = std::string(TZ_BINARY) + " --db " + db_ + " serve --port 70000 2>/dev/null";
  int status = system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

}  // namespace
