#include "server/json_response.h"

namespace tz::server {

HttpResponse JsonResponse(const nlohmann::json& body, int status) {
  HttpResponse res;
  res.status = status;
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

Result<nlohmann::json> ParseJsonObject(const HttpRequest& req) {
  if (req.body.empty()) {
    return Status::InvalidArgument("请求缺少内容（应为 JSON 对象）", "empty body");
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
