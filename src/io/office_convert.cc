#include "io/office_convert.h"

#include "base/result.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <fstream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

extern char** environ;

namespace tz::io {
namespace {

namespace fs = std::filesystem;

// A temporary directory removed, with everything in it, when it goes out of scope.
class TempDir {
 public:
  static std::optional<TempDir> Make() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "taizhang-pdf-XXXXXX").string();
    if (!mkdtemp(pattern.data())) return std::nullopt;
    return TempDir(pattern);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path p) : path_(std::move(p)) {}
  fs::path path_;
};

bool IsExecutable(const fs::path& p) { return access(p.c_str(), X_OK) == 0 && !fs::is_directory(p); }

// The last `max` bytes of a file, for the log when LibreOffice fails.
std::string Tail(const fs::path& p, size_t max = 600) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max) s = s.substr(s.size() - max);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// "&", "<", ">" escaped: family names come from the caller.
std::string XmlText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// A fontconfig file that reads the system's (or the caller's FONTCONFIG_FILE) and then adds the
// fallbacks: <accept> puts them after the named family, before the generic default.
std::string FontConfig(const std::vector<FontFallback>& fonts) {
  const char* base = std::getenv("FONTCONFIG_FILE");
  std::string s = "<?xml version=\"1.0\"?>\n<fontconfig>\n  <include ignore_missing=\"yes\">" +
                  XmlText(base && *base ? base : "/etc/fonts/fonts.conf") + "</include>\n";
  for (const FontFallback& f : fonts) {
    s += "  <alias binding=\"same\"><family>" + XmlText(f.family) + "</family><accept>";
    for (const std::string& face : f.faces) s += "<family>" + XmlText(face) + "</family>";
    s += "</accept></alias>\n";
  }
  return s + "</fontconfig>\n";
}

// A path as a file:// URL: bytes other than unreserved ones and '/' percent-encoded ($TMPDIR may
// hold spaces, '#', '%' or Chinese).
std::string FileUrl(const fs::path& p) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (unsigned char c : p.string()) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

// The part of this process's environment LibreOffice needs: never the rest (a server may have
// TAIZHANG_PASSWORD and the like in its environment).
bool PassedOn(std::string_view var) {
  for (std::string_view name : {"PATH=", "LANG=", "LANGUAGE=", "TMPDIR=", "HOME=", "TZ=", "USER=",
                                "LOGNAME=", "XDG_CACHE_HOME=", "XDG_RUNTIME_DIR=", "SAL_"}) {
    if (var.substr(0, name.size()) == name) return true;
  }
  return var.substr(0, 3) == "LC_";
}

// The settings of the throwaway profile: every HTTP, HTTPS and FTP request through a proxy at
// 127.0.0.1:9 (the discard port: nothing answers), with no exceptions. Whatever a document links
// to that the checks before the conversion missed is not fetched from the server's network.
constexpr std::string_view kOfflineProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
</oor:items>
)";

Status Failed(std::string log) {
  return Status::Internal("LibreOffice 未能把报告转换为 PDF，请改为下载 Word 文档（docx）",
                          "pdf conversion: " + std::move(log));
}

// Runs `argv` in its own process group with stdin from /dev/null and stdout and stderr into
// `log`; kills the whole group when it runs past `timeout`. The exit status, or nullopt on
// timeout; Internal when it cannot be started.
Result<std::optional<int>> Run(const std::vector<std::string>& argv,
                               const std::vector<std::string>& env, const fs::path& log,
                               std::chrono::seconds timeout) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group (killed whole on timeout); no signal blocked or ignored that the
  // server's threads block or ignore (SIGTERM, SIGINT, SIGPIPE), so it can be stopped.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int err = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    return Failed("cannot start " + argv[0] + ": " + std::strerror(err));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return Failed(std::string("waitpid: ") + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      return std::optional<int>();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // The launcher may leave helpers behind in the group; none of them is needed any more.
  kill(-pid, SIGKILL);
  if (WIFEXITED(status)) return std::optional<int>(WEXITSTATUS(status));
  return std::optional<int>(128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

}  // namespace

std::optional<std::string> FindSoffice() {
  if (const char* env = std::getenv("TZ_SOFFICE")) {
    std::string v = env;
    if (v.empty() || v == "none" || !IsExecutable(v)) return std::nullopt;
    return v;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const char* name : {"soffice", "libreoffice"}) {
    std::stringstream ss(dirs);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (dir.empty()) continue;
      fs::path p = fs::path(dir) / name;
      if (IsExecutable(p)) return p.string();
    }
  }
  return std::nullopt;
}

Status PdfConversionAvailable() {
  if (FindSoffice()) return Status::Ok();
  return Status::FailedPrecondition(
      "生成 PDF 需要安装 LibreOffice（Debian/Ubuntu：sudo apt-get install "
      "libreoffice-writer-nogui fonts-noto-cjk）；也可以下载 Word 文档（docx）后自行转换",
      "pdf requested but LibreOffice (soffice) is not installed");
}

Status ConvertToPdf(const std::string& input, const std::string& output,
                    const std::vector<FontFallback>& fonts, std::chrono::seconds timeout) {
  std::optional<std::string> soffice = FindSoffice();
  if (!soffice) return PdfConversionAvailable();
  // One conversion at a time in this process: each holds a server worker for seconds and takes
  // a few hundred MB; a second one asked meanwhile is refused rather than queued behind it.
  static std::mutex running;
  std::unique_lock<std::mutex> turn(running, std::try_to_lock);
  if (!turn.owns_lock()) {
    return Status::FailedPrecondition("正在生成另一份 PDF，请稍候几秒再试",
                                      "pdf conversion refused: another one is running");
  }
  std::optional<TempDir> tmp = TempDir::Make();
  if (!tmp) return Failed(std::string("mkdtemp: ") + std::strerror(errno));
  // A plain ASCII name inside the temporary directory: LibreOffice names its output after the
  // input, and the cadre's file name may hold anything.
  std::error_code ec;
  const fs::path in = tmp->path() / "report.docx";
  fs::copy_file(input, in, ec);
  if (ec) return Status::IoError("无法读取文件 " + input, "copy " + input + ": " + ec.message());
  {
    fs::create_directories(tmp->path() / "profile" / "user", ec);
    std::ofstream xcu(tmp->path() / "profile" / "user" / "registrymodifications.xcu",
                      std::ios::binary);
    xcu << kOfflineProfile;
    if (ec || !xcu) return Failed("cannot write the LibreOffice profile");
  }
  const fs::path out_dir = tmp->path() / "out";
  const fs::path log = tmp->path() / "soffice.log";
  std::vector<std::string> argv = {
      *soffice,
      "-env:UserInstallation=" + FileUrl(tmp->path() / "profile"),
      "--headless",
      "--norestore",
      "--nolockcheck",
      "--convert-to",
      "pdf:writer_pdf_Export",
      "--outdir",
      out_dir.string(),
      in.string()};
  // The environment it needs, with our fontconfig file; HOME set when missing (a service account
  // may have none, and LibreOffice then fails to start).
  const fs::path font_conf = tmp->path() / "fonts.conf";
  {
    std::ofstream conf(font_conf, std::ios::binary);
    conf << FontConfig(fonts);
    if (!conf) return Failed("cannot write " + font_conf.string());
  }
  std::vector<std::string> env;
  bool has_home = false;
  for (char** e = environ; *e; ++e) {
    std::string_view v(*e);
    if (!PassedOn(v)) continue;
    if (v.rfind("HOME=", 0) == 0) has_home = true;
    env.emplace_back(v);
  }
  env.push_back("FONTCONFIG_FILE=" + font_conf.string());
  if (!has_home) env.push_back("HOME=" + tmp->path().string());
  TZ_ASSIGN_OR_RETURN(std::optional<int> exit, Run(argv, env, log, timeout));
  if (!exit) {
    return Status::Internal("转换 PDF 超时，请稍后重试或改为下载 Word 文档（docx）",
                            "soffice ran longer than " + std::to_string(timeout.count()) + " s");
  }
  const fs::path pdf = out_dir / "report.pdf";
  if (*exit != 0 || !fs::is_regular_file(pdf) || fs::file_size(pdf, ec) == 0) {
    return Failed("soffice exited " + std::to_string(*exit) + ": " + Tail(log));
  }
  // Copied beside the target, then renamed over it: the target is complete or untouched.
  const std::string part = output + ".part";
  fs::copy_file(pdf, part, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(part, output, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(part, ignored);
    return Status::IoError("无法写入文件 " + output, "write " + output + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace tz::io
