#include "server/session_guard.h"

#include <openssl/crypto.h>

#include <memory>
#include <utility>

#include "base/strings.h"
#include "service/access.h"
#include "service/users_service.h"

namespace tz::server {
namespace {

bool SecureRequest(const HttpRequest& req, const SessionOptions& options) {
  return options.always_secure || req.Header("x-forwarded-proto") == "https";
}

std::string CookieAttributes(const HttpRequest& req, const SessionOptions& options) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") +
         (SecureRequest(req, options) ? "; Secure" : "");
}

// Constant-time equality of two tokens (a timing difference would leak the CSRF token).
bool SameToken(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// 401/403 answers carry the user's message only, no log detail (see StatusResponse); the audit
// log has the denials.
HttpResponse Refuse(int status, const char* code, const std::string& message) {
  return ErrorResponse(status, code, message);
}

}  // namespace

std::string SessionToken(const HttpRequest& req) {
  const std::string cookies = req.Header("cookie");
  std::string_view rest = cookies;
  while (!rest.empty()) {
    size_t end = rest.find_first_of(";,");
    std::string_view item = TrimSpace(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || TrimSpace(item.substr(0, eq)) != kSessionCookie) continue;
    std::string_view value = TrimSpace(item.substr(eq + 1));
    // A token is 32 hex digits; anything else cannot be one and is not looked up.
    if (value.size() != 32) return "";
    for (char c : value) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
    }
    return std::string(value);
  }
  return "";
}

std::string SessionCookie(const std::string& token, const HttpRequest& req,
                          const SessionOptions& options) {
  return std::string(kSessionCookie) + "=" + token + CookieAttributes(req, options);
}

std::string ClearedSessionCookie(const HttpRequest& req, const SessionOptions& options) {
  return std::string(kSessionCookie) + "=" + CookieAttributes(req, options) +
         "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
}

Guard MakeSessionGuard(service::DatabasePool& pool, SessionOptions options) {
  service::DatabasePool* p = &pool;
  return [p, options](HttpRequest& req, const RouteRule& rule) -> std::optional<HttpResponse> {
    const std::string token = SessionToken(req);
    if (token.empty()) {
      return Refuse(401, "unauthenticated", "请先登录");
    }
    auto db = p->Acquire();
    Result<service::SignedIn> in = service::ResumeSession(*db, token);
    if (!in.ok()) {
      HttpResponse res = StatusResponse(in.status());
      if (res.status == 401) {
        res.headers.emplace_back("Set-Cookie", ClearedSessionCookie(req, options));
      }
      return res;
    }
    const auth::Principal& who = in->principal;
    const bool reads = req.method == "GET" || req.method == "HEAD";
    if (!reads && !SameToken(req.Header(kCsrfHeader), in->session.csrf)) {
      Status denied = service::Deny(*db, who, req.method + " " + req.path,
                                    "页面已过期，请刷新后重试", "missing or wrong CSRF token");
      HttpResponse res = StatusResponse(denied);
      if (res.status == 403) res = Refuse(403, "csrf_failed", denied.message());
      return res;
    }
    if (in->session.user.must_change_password && rule.kind != RouteRule::Kind::kSignedIn) {
      return Refuse(403, "password_change_required", "请先修改初始密码");
    }
    if (rule.kind == RouteRule::Kind::kPermission) {
      Status allowed = service::Require(*db, who, rule.permission);
      if (!allowed.ok()) return StatusResponse(allowed);
    }
    req.caller = std::make_shared<const service::SignedIn>(std::move(in).value());
    return std::nullopt;
  };
}

}  // namespace tz::server
