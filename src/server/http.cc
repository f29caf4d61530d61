#include "server/http.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "server/json_response.h"

namespace tz::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits a raw (still encoded) path into segments, dropping empty ones ("/a//b/" → a, b).
std::vector<std::string_view> RawSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::optional<std::string> HttpRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string HttpRequest::Header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

void ParseTarget(std::string_view target, std::string* path,
                 std::multimap<std::string, std::string>* query) {
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (path) *path = PercentDecode(raw_path, false);
  if (!query || q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t i = 0;
  while (i <= rest.size()) {
    size_t amp = rest.find('&', i);
    if (amp == std::string_view::npos) amp = rest.size();
    std::string_view pair = rest.substr(i, amp - i);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      query->emplace(PercentDecode(key, true), PercentDecode(value, true));
    }
    i = amp + 1;
  }
}

void Router::Add(std::string method, std::string_view pattern, RouteRule rule, Handler handler) {
  Route r;
  r.method = std::move(method);
  for (std::string_view s : RawSegments(pattern)) r.segments.emplace_back(s);
  r.rule = std::move(rule);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const Route& r : routes_) {
    std::string pattern;
    for (const std::string& seg : r.segments) pattern += "/" + seg;
    out.push_back({r.method, pattern, r.rule});
  }
  return out;
}

HttpResponse Router::Dispatch(HttpRequest& request) const {
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  std::string_view raw_path = request.raw_target;
  raw_path = raw_path.substr(0, raw_path.find('?'));
  if (raw_path.empty()) raw_path = request.path;  // a request built by hand (tests)
  std::vector<std::string> segments;
  for (std::string_view s : RawSegments(raw_path)) segments.push_back(PercentDecode(s, false));

  const Route* best = nullptr;
  PathParams best_params;
  std::vector<std::string> allowed;
  // Literal-first ranking: the first segment where two matches differ decides.
  auto better = [](const Route& a, const Route& b) {
    for (size_t i = 0; i < a.segments.size(); ++i) {
      bool pa = IsParam(a.segments[i]), pb = IsParam(b.segments[i]);
      if (pa != pb) return !pa;
    }
    return false;
  };
  for (const Route& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    PathParams params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& p = r.segments[i];
      if (IsParam(p)) {
        params[p.substr(1, p.size() - 2)] = segments[i];
      } else {
        match = p == segments[i];
      }
    }
    if (!match) continue;
    if (r.method != method) {
      if (r.method == "GET") allowed.push_back("HEAD");
      allowed.push_back(r.method);
      continue;
    }
    if (!best || better(r, *best)) {
      best = &r;
      best_params = std::move(params);
    }
  }
  if (best) {
    if (best->rule.kind != RouteRule::Kind::kPublic) {
      if (!guard_) {
        return ErrorResponse(403, "permission_denied", "没有权限", "no guard for a non-public route");
      }
      if (std::optional<HttpResponse> refused = guard_(request, best->rule)) return *refused;
    }
    return best->handler(request, best_params);
  }
  const bool api = request.path == "/api" || request.path.rfind("/api/", 0) == 0;
  if (allowed.empty() && fallback_ && !api) return fallback_(request, {});
  if (allowed.empty()) {
    return ErrorResponse(404, "route_not_found", "没有这个接口：" + request.path,
                         "no route for " + request.path);
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  std::string allow;
  for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  HttpResponse res =
      ErrorResponse(405, "method_not_allowed", "这个接口不支持 " + request.method + " 请求",
                    request.method + " not allowed on " + request.path);
  res.headers.emplace_back("Allow", allow);
  return res;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    default:
      return 500;
  }
}

HttpResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                           std::string_view detail) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!detail.empty()) error["detail"] = detail;
  return JsonResponse({{"error", std::move(error)}}, http_status);
}

HttpResponse StatusResponse(const Status& status) {
  int http = HttpStatusFor(status.code());
  if (http >= 500) {
    LogLine(status.ToString());
    return ErrorResponse(500, "internal", "服务器内部错误，请稍后重试或联系管理员");
  }
  std::string code;
  for (char c : std::string_view(StatusCodeName(status.code()))) {
    if (std::isupper(static_cast<unsigned char>(c)) && !code.empty()) code.push_back('_');
    code.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  // 401 and 403 carry the user's message only: their log message says why (no such user, wrong
  // password, which permission) and would tell a guesser what the one message hides.
  if (http == 401 || http == 403) return ErrorResponse(http, code, status.message());
  return ErrorResponse(http, code, status.message(), status.log_message());
}

HttpResponse InternalErrorResponse(std::string_view detail) {
  LogLine("internal error: " + std::string(detail));
  return ErrorResponse(500, "internal", "服务器内部错误，请稍后重试或联系管理员");
}

void LogLine(std::string_view message) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "[http] %.*s\n", static_cast<int>(message.size()), message.data());
}


}  // namespace tz::server
