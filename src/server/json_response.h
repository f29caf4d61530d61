// JSON responses for handlers. Pulls in nlohmann/json: include it from handler .cc files only,
// never from a header that others include.
#ifndef TAIZHANG_SERVER_JSON_RESPONSE_H_
#define TAIZHANG_SERVER_JSON_RESPONSE_H_

#include <nlohmann/json.hpp>

#include "server/http.h"

namespace tz::server {

// `body` serialised compactly as UTF-8 (invalid UTF-8 replaced, never thrown on).
HttpResponse JsonResponse(const nlohmann::json& body, int status = 200);

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_JSON_RESPONSE_H_
