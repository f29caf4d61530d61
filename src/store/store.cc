// What every Store shares: identifier quoting, value display, and choosing the implementation
// from the --db location.
#include "store/store.h"

namespace tz::store {

std::string Dialect::Quote(std::string_view id) const {
  std::string out = "\"";
  for (char c : id) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string SqlValueToString(const SqlValue& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::string out = "'";
    for (char c : *s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  }
  return "NULL";
}

bool IsPostgresLocation(std::string_view location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string DisplayLocation(std::string_view location) {
  std::string out(location);
  if (!IsPostgresLocation(location)) return out;
  // postgresql://user:secret@host/db → postgresql://user:***@host/db
  size_t scheme = out.find("://") + 3;
  size_t at = out.find('@', scheme);
  size_t slash = out.find('/', scheme);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    size_t colon = out.find(':', scheme);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // …?password=secret&… → …?password=***&…
  for (size_t p = out.find("password=", 0); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    if (p == 0 || (out[p - 1] != '?' && out[p - 1] != '&')) continue;
    size_t start = p + 9;
    size_t end = out.find('&', start);
    out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
  }
  return out;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, bool create) {
  if (IsPostgresLocation(location)) return OpenPostgres(location);
  return OpenSqlite(location, create);
}

}  // namespace tz::store
