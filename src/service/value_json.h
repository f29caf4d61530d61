// A figure's value as JSON, the one shape the CLI (`figures --json`) and the HTTP API share:
// null (no value), a number, a string, true/false, a list of strings, or groups
// [{"name", "count", "members"?}]. Declared with nlohmann's forward header so that including this
// does not pull the whole JSON library into every file.
#ifndef TAIZHANG_SERVICE_VALUE_JSON_H_
#define TAIZHANG_SERVICE_VALUE_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "figures/value.h"

namespace tz::service {

nlohmann::json ValueJson(const figures::FigureValue& value);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_VALUE_JSON_H_
