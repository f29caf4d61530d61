// The HTTP vocabulary of the server layer: our own request and response types, the router, and the
// one place a tz::Status becomes an HTTP status. No Boost.Beast and no JSON library here: this
// header is included by every handler, and both are heavy to compile (see json_response.h for
// handlers that build JSON, http_server.h for the transport).
#ifndef TAIZHANG_SERVER_HTTP_H_
#define TAIZHANG_SERVER_HTTP_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tz::service {
struct SignedIn;
}

namespace tz::server {

struct HttpRequest {
  std::string method;      // "GET", "POST", … as sent ("HEAD" is routed as GET)
  std::string path;        // percent-decoded path without the query: "/api/ledgers/院前村"
  std::string raw_target;  // the target as sent: "/api/x?q=%E9%99%A2"
  std::multimap<std::string, std::string> query;  // decoded; '+' is a space
  std::map<std::string, std::string> headers;     // names lower-case; repeated fields joined ", "
  std::string body;
  std::string remote;  // peer address "127.0.0.1:53422", for logs
  // Who is calling: set by the Router's guard before a non-public route's handler runs (never
  // from anything in the request but its session cookie); null for public routes.
  std::shared_ptr<const service::SignedIn> caller;

  // The first value of a query parameter, or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // A header by lower-case name, or "".
  std::string Header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra: {"Allow", "GET, HEAD"}
};

// `{name}` segments of the matched pattern → their decoded values.
using PathParams = std::map<std::string, std::string>;
using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

// Who may call a route. Every route is added with one, and a route whose rule is not public is
// refused unless the Router's guard lets the request through: deny by default.
struct RouteRule {
  enum class Kind {
    kPublic,      // anyone (health, login, the web app's files)
    kSignedIn,    // any signed-in account (its own profile, logout, the org tree)
    kPermission,  // a signed-in account whose role has `permission`
  };
  Kind kind = Kind::kPermission;
  std::string permission;  // kPermission: a pack::kPermissions word

  static RouteRule Public() { return {Kind::kPublic, {}}; }
  static RouteRule SignedIn() { return {Kind::kSignedIn, {}}; }
  static RouteRule Needs(std::string permission) {
    return {Kind::kPermission, std::move(permission)};
  }
};

// Decides whether a request may reach a route with `rule`: a response to send instead (401, 403)
// or nullopt, having set request.caller. Runs on the server's threads.
using Guard = std::function<std::optional<HttpResponse>(HttpRequest& request, const RouteRule& rule)>;

// Maps (method, path pattern) to a handler. Patterns are '/'-separated; a segment `{name}` matches
// any one non-empty segment. When several patterns match, the one with a literal segment earliest
// wins (`/api/ledgers/schema` beats `/api/ledgers/{id}`). A trailing '/' is ignored.
// Built once before the server starts, then read-only: Dispatch may run on many threads.
class Router {
 public:
  void Add(std::string method, std::string_view pattern, RouteRule rule, Handler handler);
  void Get(std::string_view pattern, RouteRule rule, Handler h) {
    Add("GET", pattern, std::move(rule), std::move(h));
  }
  void Post(std::string_view pattern, RouteRule rule, Handler h) {
    Add("POST", pattern, std::move(rule), std::move(h));
  }
  void Put(std::string_view pattern, RouteRule rule, Handler h) {
    Add("PUT", pattern, std::move(rule), std::move(h));
  }
  void Delete(std::string_view pattern, RouteRule rule, Handler h) {
    Add("DELETE", pattern, std::move(rule), std::move(h));
  }

  // Handles requests outside /api that no pattern matches (the web app's files). Public.
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  // Checks every non-public route's requests (server/session_guard.h). Without a guard such
  // routes answer 403.
  void SetGuard(Guard guard) { guard_ = std::move(guard); }

  // Runs the handler for the request: 404 JSON when no pattern matches the path (outside /api,
  // the fallback when there is one), 405 JSON with
  // an Allow header when patterns match but not for this method. HEAD runs the GET handler (the
  // transport drops the body). Before a non-public handler the guard runs and may answer instead.
  // Exceptions from handlers propagate: the transport catches them.
  HttpResponse Dispatch(HttpRequest& request) const;

  // Every route as added, for tests that call each one (the role × route matrix).
  struct RouteInfo {
    std::string method;
    std::string pattern;
    RouteRule rule;
  };
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" kept as written
    RouteRule rule;
    Handler handler;
  };
  std::vector<Route> routes_;
  Handler fallback_;
  Guard guard_;
};

// The one place a Status becomes an HTTP status: InvalidArgument 400, Unauthenticated 401,
// PermissionDenied 403, NotFound 404, AlreadyExists and FailedPrecondition 409 (the resource's
// state conflicts with the request), anything else 500.
int HttpStatusFor(StatusCode code);

// {"error": {"code": code, "message": message, "detail": detail}}.
HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                           std::string_view detail = {});
// A failed Status as a JSON error. 4xx: the Status's message and log message. 5xx: a generic
// message; the Status itself goes only to the log.
HttpResponse StatusResponse(const Status& status);
// A 500 for a failure with no Status (a handler threw): generic message, `detail` logged only.
HttpResponse InternalErrorResponse(std::string_view detail);

// Decodes %XX escapes (and '+' as a space when `plus_is_space`). Malformed escapes are kept.
std::string PercentDecode(std::string_view text, bool plus_is_space);
// Splits a request target into a decoded path and decoded query parameters.
void ParseTarget(std::string_view target, std::string* path,
                 std::multimap<std::string, std::string>* query);

// One line to stderr: "[http] message". Thread-safe.
void LogLine(std::string_view message);

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_HTTP_H_
