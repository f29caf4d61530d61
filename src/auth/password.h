// Passwords (issue 5, docs/security.md): Argon2id hashes, a configurable policy, generated
// passwords and random tokens. Nothing here knows about users or storage.
#ifndef TAIZHANG_AUTH_PASSWORD_H_
#define TAIZHANG_AUTH_PASSWORD_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/status.h"

namespace tz::auth {

// Argon2id cost: OWASP's password storage cheat sheet minimum (19 MiB, 2 passes, 1 lane). About
// 30 ms on the office PC: a login is slow for a guesser, not for a cadre.
struct Argon2Cost {
  uint32_t memory_kib = 19 * 1024;
  uint32_t passes = 2;
  uint32_t lanes = 1;
};

// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" with a fresh 16-byte salt from the system's
// random source. InvalidArgument for an empty or over-long (> 256 bytes) password; Internal when
// hashing fails (out of memory).
Result<std::string> HashPassword(std::string_view password, const Argon2Cost& cost = {});

// Whether `password` matches `encoded` (a HashPassword result; its own parameters are used).
// False for a malformed `encoded`. Constant-time in the comparison.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// What a password must be. MLPS level 2-3 assessors look for length and mixed character classes.
struct PasswordPolicy {
  size_t min_length = 10;  // in characters (UTF-8 code points)
  int min_classes = 3;     // of: lower-case, upper-case, digits, other characters
};

// InvalidArgument with a Chinese message saying what is missing: too short, too few character
// classes, or the user name inside the password.
Status CheckPassword(const PasswordPolicy& policy, std::string_view password,
                     std::string_view user_name);

// A random password that satisfies the default policy: 16 characters from an alphabet without
// look-alikes (no 0/O, 1/l/I), with every class present.
std::string GeneratePassword();

// `bytes` random bytes as lower-case hex (a 128-bit session token: RandomHex(16)).
std::string RandomHex(size_t bytes);

}  // namespace tz::auth

#endif  // TAIZHANG_AUTH_PASSWORD_H_
