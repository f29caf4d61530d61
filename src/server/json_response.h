// JSON for handlers: responses, request bodies, and the shapes several routes share. Pulls in
// nlohmann/json: include it from handler .cc files only, never from a header others include.
#ifndef TAIZHANG_SERVER_JSON_RESPONSE_H_
#define TAIZHANG_SERVER_JSON_RESPONSE_H_

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "server/http.h"
#include "service/import_service.h"

namespace tz::server {

// `body` serialised compactly as UTF-8 (invalid UTF-8 replaced, never thrown on).
HttpResponse JsonResponse(const nlohmann::json& body, int status = 200);

// The request body as a JSON object: InvalidArgument for an empty body, malformed JSON or
// anything but an object.
Result<nlohmann::json> ParseJsonObject(const HttpRequest& req);

// [{"row", "column", "message"}, …]
nlohmann::json IssuesJson(const std::vector<service::ImportIssue>& issues);

// A 422: the request was understood but its data is wrong, cell by cell. The usual error object
// with `issues` (and any `extra` members) added.
HttpResponse InvalidDataResponse(std::string_view code, std::string_view message,
                                 const std::vector<service::ImportIssue>& issues,
                                 nlohmann::json extra = nlohmann::json::object());

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_JSON_RESPONSE_H_
