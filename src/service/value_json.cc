#include "service/value_json.h"

#include <nlohmann/json.hpp>

namespace tz::service {

nlohmann::json ValueJson(const figures::FigureValue& v) {
  using Kind = figures::FigureValue::Kind;
  switch (v.kind()) {
    case Kind::kNone:
      return nullptr;
    case Kind::kBool:
      return v.boolean();
    case Kind::kText:
      return v.text();
    case Kind::kList:
      return v.list();
    case Kind::kGroups: {
      nlohmann::json groups = nlohmann::json::array();
      for (const figures::Group& g : v.groups()) {
        nlohmann::json item = {{"name", g.key}, {"count", g.count}};
        if (!g.members.empty()) item["members"] = g.members;
        groups.push_back(std::move(item));
      }
      return groups;
    }
    case Kind::kNumber: {
      const Number& n = v.number();
      if (n.IsInteger()) return n.Floor();
      return n.ToDecimal().scaled() / static_cast<double>(Decimal::kScale);
    }
  }
  return nullptr;
}

}  // namespace tz::service
