// FigureValue: what a figure evaluates to — a value, or no value and a note saying why.
#ifndef TAIZHANG_FIGURES_VALUE_H_
#define TAIZHANG_FIGURES_VALUE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/number.h"

namespace tz::figures {

// The static type of an expression, checked by the binder.
enum class ValueType { kNumber, kBool, kText, kDate, kMonth, kList, kGroups };
const char* ValueTypeName(ValueType t);  // Chinese, for error messages: 数值, 日期, …

struct Group {
  std::string key;  // the grouping value: 建筑业
  int64_t count = 0;
  std::vector<std::string> members;  // groups(L.a, L.b | …): the b values, in row order
};

class FigureValue {
 public:
  enum class Kind { kNone, kNumber, kBool, kText, kList, kGroups };

  static FigureValue None(std::string note) {
    FigureValue v;
    v.note_ = std::move(note);
    return v;
  }
  static FigureValue Num(Number n) {
    FigureValue v;
    v.kind_ = Kind::kNumber;
    v.number_ = n;
    return v;
  }
  static FigureValue Int(int64_t n) { return Num(Number::FromInt(n)); }
  static FigureValue Bool(bool b) {
    FigureValue v;
    v.kind_ = Kind::kBool;
    v.bool_ = b;
    return v;
  }
  // Text also carries dates (YYYY-MM-DD) and months (YYYY-MM).
  static FigureValue Text(std::string s) {
    FigureValue v;
    v.kind_ = Kind::kText;
    v.text_ = std::move(s);
    return v;
  }
  static FigureValue List(std::vector<std::string> items) {
    FigureValue v;
    v.kind_ = Kind::kList;
    v.list_ = std::move(items);
    return v;
  }
  static FigureValue Groups(std::vector<Group> groups) {
    FigureValue v;
    v.kind_ = Kind::kGroups;
    v.groups_ = std::move(groups);
    return v;
  }

  Kind kind() const { return kind_; }
  bool has_value() const { return kind_ != Kind::kNone; }
  const Number& number() const { return number_; }
  bool boolean() const { return bool_; }
  const std::string& text() const { return text_; }
  const std::vector<std::string>& list() const { return list_; }
  const std::vector<Group>& groups() const { return groups_; }
  // Why there is no value (Chinese). Empty when there is one.
  const std::string& note() const { return note_; }

 private:
  Kind kind_ = Kind::kNone;
  Number number_;
  bool bool_ = false;
  std::string text_;
  std::vector<std::string> list_;
  std::vector<Group> groups_;
  std::string note_;
};

}  // namespace tz::figures

#endif  // TAIZHANG_FIGURES_VALUE_H_
