#include "server/json_response.h"

namespace tz::server {

HttpResponse JsonResponse(const nlohmann::json& body, int status) {
  HttpResponse res;
  res.status = status;
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Answers hold personal data and CSRF tokens: never kept by the browser or a proxy.
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

namespace {

// The deepest nesting of arrays and objects in `text`, strings skipped; stops counting past
// `limit`. Malformed text is the parser's to report.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size() && deepest <= limit; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::optional<HttpResponse> JsonBodyTooLarge(const HttpRequest& req) {
  if (req.body.size() <= kMaxJsonBodyBytes) return std::nullopt;
  return ErrorResponse(413, "payload_too_large", "请求内容过大（表单不超过 1MB）",
                       "JSON body of " + std::to_string(req.body.size()) + " bytes");
}

Result<nlohmann::json> ParseJsonObject(const HttpRequest& req) {
  if (req.body.empty()) {
    return Status::InvalidArgument("请求缺少内容（应为 JSON 对象）", "empty body");
  }
  if (NestingDepth(req.body, kMaxJsonDepth) > kMaxJsonDepth) {
    return Status::InvalidArgument("请求内容嵌套过深", "JSON nested too deeply");
  }
  nlohmann::json j = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::InvalidArgument("请求内容不是有效的 JSON", "malformed JSON body");
  }
  if (!j.is_object()) {
    return Status::InvalidArgument("请求内容应为 JSON 对象", "JSON body is not an object");
  }
  return j;
}

nlohmann::json IssuesJson(const std::vector<service::ImportIssue>& issues) {
  nlohmann::json out = nlohmann::json::array();
  for (const service::ImportIssue& i : issues) {
    out.push_back({{"row", i.row}, {"column", i.column}, {"message", i.message}});
  }
  return out;
}

HttpResponse InvalidDataResponse(std::string_view code, std::string_view message,
                                 const std::vector<service::ImportIssue>& issues,
                                 nlohmann::json extra) {
  nlohmann::json error = {{"code", code}, {"message", message}, {"issues", IssuesJson(issues)}};
  for (auto& [k, v] : extra.items()) error[k] = v;
  return JsonResponse({{"error", std::move(error)}}, 422);
}

}  // namespace tz::server
