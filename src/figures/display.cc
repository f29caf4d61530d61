#include "base/display.h"

#include "base/strings.h"
#include "figures/engine.h"

namespace tz::figures {

std::string Display(const FigureValue& v, pack::DisplayRule rule, std::string_view measure) {
  using pack::DisplayRule;
  if (!v.has_value()) return "—";
  switch (v.kind()) {
    case FigureValue::Kind::kBool:
      return v.boolean() ? "是" : "否";
    case FigureValue::Kind::kText:
      return v.text();
    case FigureValue::Kind::kList:
      // An empty list is a value (nobody qualifies), written as a word rather than nothing.
      return v.list().empty() ? "无" : JoinChineseList(v.list());
    case FigureValue::Kind::kGroups: {
      if (v.groups().empty()) return "无";
      std::string m = measure.empty() ? "个" : std::string(measure);
      std::vector<std::string> parts;
      for (const Group& g : v.groups()) {
        std::string s = ChineseNumeral(g.count, true) + m + g.key;
        if (rule == DisplayRule::kGroupsNamed) s += "：" + JoinChineseList(g.members);
        parts.push_back(std::move(s));
      }
      return Join(parts, rule == DisplayRule::kGroupsNamed ? "，" : "、");
    }
    case FigureValue::Kind::kNumber:
    case FigureValue::Kind::kNone:
      break;
  }
  const Number& n = v.number();
  switch (rule) {
    case DisplayRule::kInt:
    case DisplayRule::kYuan:
      return n.ToString(0);
    case DisplayRule::kWan:
    case DisplayRule::kDecimal:
      return n.ToString(2);
    case DisplayRule::kPercent:
      return n.ToString(1);
    case DisplayRule::kPercentFloor:
      return n.ToStringFloor(0);
    case DisplayRule::kApproxYu:
      return FormatApprox(n.Floor(), "余");
    case DisplayRule::kApproxDuo:
      return FormatApprox(n.Floor(), "多");
    case DisplayRule::kCnCount:
      return ChineseNumeral(n.RoundToInt(), true);
    case DisplayRule::kBool:
      return n.IsZero() ? "否" : "是";
    default:
      return n.ToString(4);
  }
}

}  // namespace tz::figures
