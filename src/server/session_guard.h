// Sessions on the wire (issue 5, docs/security.md): the session cookie, CSRF, and the Router's
// guard that turns a cookie into the caller of a request or refuses it.
#ifndef TAIZHANG_SERVER_SESSION_GUARD_H_
#define TAIZHANG_SERVER_SESSION_GUARD_H_

#include <string>

#include "server/http.h"
#include "service/database_pool.h"

namespace tz::server {

inline constexpr char kSessionCookie[] = "tz_session";
inline constexpr char kCsrfHeader[] = "x-csrf-token";

struct SessionOptions {
  // Mark the cookie Secure on every response. Without it the cookie is Secure when the request
  // came through a TLS-terminating proxy (X-Forwarded-Proto: https).
  bool always_secure = false;
};

// The session token of the request's Cookie header, or "".
std::string SessionToken(const HttpRequest& req);

// Set-Cookie values: the session (HttpOnly, SameSite=Strict, Path=/, Secure as above; no
// Max-Age, so it ends with the browser — the server's timeouts end it sooner) and its removal.
std::string SessionCookie(const std::string& token, const HttpRequest& req,
                          const SessionOptions& options);
std::string ClearedSessionCookie(const HttpRequest& req, const SessionOptions& options);

// The guard for Router::SetGuard. For every non-public route: no or unknown/expired session →
// 401 (code "unauthenticated", the cookie cleared); a state-changing method (anything but GET and
// HEAD) without the session's CSRF token in X-CSRF-Token → 403 "csrf_failed"; an account that must
// change its generated password → 403 "password_change_required" on all but signed-in-only routes;
// a role without the route's permission → 403 "permission_denied". The CSRF and permission 403s
// are audited (denied); the password-change one is a state, not a refusal. On success
// request.caller is set.
Guard MakeSessionGuard(service::DatabasePool& pool, SessionOptions options);

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_SESSION_GUARD_H_
