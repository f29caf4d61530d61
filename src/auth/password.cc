#include "auth/password.h"

#include <argon2.h>
#include <sys/random.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "base/strings.h"

namespace tz::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kMaxPasswordBytes = 256;

// Fills `out` from the kernel's random source (getrandom blocks only before the pool is seeded
// at boot). A failure here is a broken system, not an input error.
void FillRandom(unsigned char* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = getrandom(out + done, n - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("getrandom failed");
    }
    done += static_cast<size_t>(got);
  }
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const Argon2Cost& cost) {
  if (password.empty()) return Status::InvalidArgument("密码不能为空", "empty password");
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("密码过长（不超过 256 字节）", "password over 256 bytes");
  }
  unsigned char salt[kSaltBytes];
  FillRandom(salt, sizeof salt);
  const size_t encoded_len = argon2_encodedlen(cost.passes, cost.memory_kib, cost.lanes,
                                               kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  const int rc = argon2id_hash_encoded(cost.passes, cost.memory_kib, cost.lanes, password.data(),
                                       password.size(), salt, sizeof salt, kHashBytes,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return Status::Internal("无法计算密码摘要", std::string("argon2id: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0') == std::string::npos ? encoded.size() : encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  if (encoded.rfind("$argon2id$", 0) != 0 || password.size() > kMaxPasswordBytes) return false;
  const std::string e(encoded);  // argon2 wants a NUL-terminated string
  return argon2id_verify(e.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Status CheckPassword(const PasswordPolicy& policy, std::string_view password,
                     std::string_view user_name) {
  if (CodePoints(password) < policy.min_length) {
    return Status::InvalidArgument(
        "密码至少需要 " + std::to_string(policy.min_length) + " 个字符", "password too short");
  }
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  const int classes = lower + upper + digit + other;
  if (classes < policy.min_classes) {
    return Status::InvalidArgument("密码需包含小写字母、大写字母、数字、其他字符中的至少 " +
                                       std::to_string(policy.min_classes) + " 类",
                                   "password has too few character classes");
  }
  if (!user_name.empty() && AsciiLower(password).find(AsciiLower(user_name)) != std::string::npos) {
    return Status::InvalidArgument("密码不能包含用户名", "password contains the user name");
  }
  return Status::Ok();
}

std::string GeneratePassword() {
  static constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";  // no l
  static constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";   // no I, O
  static constexpr std::string_view kDigit = "23456789";                   // no 0, 1
  static constexpr std::string_view kOther = "#%+=@";
  const std::string_view sets[] = {kLower, kUpper, kDigit, kOther};
  std::string all;
  for (std::string_view s : sets) all += s;
  while (true) {
    unsigned char r[16];
    FillRandom(r, sizeof r);
    std::string out;
    // 256 % |all| bias is negligible for a one-time password that must be changed at first use.
    for (unsigned char b : r) out += all[b % all.size()];
    bool has_all = true;
    for (std::string_view s : sets) has_all = has_all && out.find_first_of(s) != std::string::npos;
    if (has_all) return out;
  }
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> r(bytes);
  FillRandom(r.data(), r.size());
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : r) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace tz::auth
