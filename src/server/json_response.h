// JSON for handlers: responses, request bodies, and the shapes several routes share. Pulls in
// nlohmann/json: include it from handler .cc files only, never from a header others include.
#ifndef TAIZHANG_SERVER_JSON_RESPONSE_H_
#define TAIZHANG_SERVER_JSON_RESPONSE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "server/http.h"
#include "service/import_service.h"

namespace tz::server {

// `body` serialised compactly as UTF-8 (invalid UTF-8 replaced, never thrown on).
HttpResponse JsonResponse(const nlohmann::json& body, int status = 200);

// A JSON request body (a form) is small; the transport's 70 MB limit is for uploads. A parsed
// JSON value costs tens of times its text, so larger bodies are refused before parsing.
inline constexpr size_t kMaxJsonBodyBytes = 1u << 20;
inline constexpr int kMaxJsonDepth = 8;

// The request body as a JSON object: InvalidArgument for an empty body, malformed JSON, nesting
// deeper than kMaxJsonDepth, or anything but an object. Check the size first (JsonBodyTooLarge).
Result<nlohmann::json> ParseJsonObject(const HttpRequest& req);

// A 413 when the body is over kMaxJsonBodyBytes, else nullopt.
std::optional<HttpResponse> JsonBodyTooLarge(const HttpRequest& req);

// [{"row", "column", "message"}, …]
nlohmann::json IssuesJson(const std::vector<service::ImportIssue>& issues);

// A 422: the request was understood but its data is wrong, cell by cell. The usual error object
// with `issues` (and any `extra` members) added.
HttpResponse InvalidDataResponse(std::string_view code, std::string_view message,
                                 const std::vector<service::ImportIssue>& issues,
                                 nlohmann::json extra = nlohmann::json::object());

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_JSON_RESPONSE_H_
