// LoadPack: parses the line syntax of docs/pack.md and validates the result.
//
// The loader collects every error it can (a cadre editing a pack wants the whole list, not one
// error per run) and returns them together, sorted by file and line. Cross-references (ref()
// targets, key/scope/check columns, the grids line, the ledgers roles name) are checked after every
// file has been read so that a pack's files can be in any order.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "pack/catalog.h"

namespace tz::pack {
namespace {

// More errors than this is a wrong file, not a list anyone reads.
constexpr size_t kMaxErrors = 100;
// Tokens quoted in messages are clipped: a hostile 1 MB "label" must not make a 1 MB message.
constexpr size_t kMaxQuotedCodePoints = 40;
// A tab in the indentation counts as this many columns (editors disagree; 4 keeps the
// "indented by 4 or more" rule for value continuations meaningful).
constexpr int kTabWidth = 4;

std::string Clip(std::string_view s) {
  size_t i = 0;
  size_t points = 0;
  while (i < s.size() && points < kMaxQuotedCodePoints) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 1;
    i += len;
    ++points;
  }
  if (i >= s.size()) return std::string(s);
  return std::string(s.substr(0, i)) + "…";
}
std::string Zq(std::string_view s) { return "“" + Clip(s) + "”"; }  // for Chinese messages
std::string Eq(std::string_view s) { return "'" + Clip(s) + "'"; }  // for English messages

std::string Where(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

// Collects errors; ToStatus sorts them by file (in load order) and line.
class Errors {
 public:
  void AddFile(const std::string& file) { rank_.emplace(file, static_cast<int>(rank_.size())); }

  void Add(const std::string& file, int line, std::string zh, std::string en) {
    errors_.push_back({file, line, std::move(zh), std::move(en)});
  }

  bool empty() const { return errors_.empty(); }

  Status ToStatus() {
    auto rank = [&](const std::string& f) {
      auto it = rank_.find(f);
      return it == rank_.end() ? -1 : it->second;
    };
    std::stable_sort(errors_.begin(), errors_.end(), [&](const Error& a, const Error& b) {
      int ra = rank(a.file), rb = rank(b.file);
      if (ra != rb) return ra < rb;
      return a.line < b.line;
    });
    std::string zh;
    std::string en;
    size_t shown = std::min(errors_.size(), kMaxErrors);
    for (size_t i = 0; i < shown; ++i) {
      const Error& e = errors_[i];
      if (i) {
        zh += '\n';
        en += '\n';
      }
      zh += Where(e.file, e.line) + ": " + e.zh;
      en += Where(e.file, e.line) + ": " + e.en;
    }
    if (errors_.size() > shown) {
      size_t more = errors_.size() - shown;
      zh += "\n……另有 " + std::to_string(more) + " 处错误";
      en += "\n... and " + std::to_string(more) + " more errors";
    }
    return Status::InvalidArgument(std::move(zh), "invalid pack:\n" + en);
  }

 private:
  struct Error {
    std::string file;
    int line;
    std::string zh;
    std::string en;
  };
  std::vector<Error> errors_;
  std::map<std::string, int> rank_;
};

// One meaningful (not blank, not comment) line of a pack file.
struct SrcLine {
  int number = 0;
  int indent = 0;         // columns of leading indentation
  std::string_view text;  // without indentation and trailing spaces
  std::vector<std::string_view> words;
  // The text after the first word, trimmed: for attributes whose value is free text.
  std::string_view Rest() const {
    return words.empty() ? std::string_view() : TrimSpace(text.substr(words[0].size()));
  }
  size_t nargs() const { return words.empty() ? 0 : words.size() - 1; }
};

std::string_view StripBom(std::string_view s) {
  if (StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);  // Windows editors add one
  return s;
}

std::vector<SrcLine> SplitLines(std::string_view content) {
  std::vector<SrcLine> out;
  int number = 0;
  for (std::string_view raw : Split(StripBom(content), '\n')) {
    ++number;
    int indent = 0;
    size_t i = 0;
    while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t')) {
      indent += raw[i] == '\t' ? kTabWidth : 1;
      ++i;
    }
    std::string_view text = TrimSpace(raw.substr(i));
    if (text.empty() || text[0] == '#') continue;
    SrcLine line;
    line.number = number;
    line.indent = indent;
    line.text = text;
    line.words = SplitWhitespace(text);
    if (line.words.empty()) continue;  // only odd whitespace (e.g. \v)
    out.push_back(std::move(line));
  }
  return out;
}

// 0 if valid, else the 1-based line holding the first bad byte sequence.
int FirstBadUtf8Line(std::string_view content) {
  if (IsValidUtf8(content)) return 0;
  int number = 0;
  // '\n' never occurs inside a multi-byte sequence, so lines can be checked one by one.
  for (std::string_view raw : Split(content, '\n')) {
    ++number;
    if (!IsValidUtf8(raw)) return number;
  }
  return 1;
}

bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// [a-z][a-z0-9_]*
bool IsLedgerId(std::string_view s) {
  if (s.empty() || !IsAsciiLower(s[0])) return false;
  for (char c : s) {
    if (!IsAsciiLower(c) && !IsAsciiDigit(c) && c != '_') return false;
  }
  return true;
}

// [a-z][a-z0-9_]*(\.[a-z0-9_]+)*
bool IsFigureId(std::string_view s) {
  std::vector<std::string_view> parts = Split(s, '.');
  if (!IsLedgerId(parts[0])) return false;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) return false;
    for (char c : parts[i]) {
      if (!IsAsciiLower(c) && !IsAsciiDigit(c) && c != '_') return false;
    }
  }
  return true;
}

// [a-z0-9_]+: stored with each user account and written in scripts.
bool IsRoleId(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiLower(c) && !IsAsciiDigit(c) && c != '_') return false;
  }
  return true;
}

bool IsDigits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), IsAsciiDigit);
}

struct Problem {
  std::string zh;
  std::string en;
};

// Labels become spreadsheet headers, SQL column names (quoted) and figure-language names, where
// quotes, | and , are syntax; spaces would not survive the word splitting of this format.
std::optional<Problem> BadLabel(std::string_view label) {
  for (size_t i = 0; i < label.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(label[i]);
    if (c < 0x20 || c == 0x7F) return Problem{"含有控制字符", "contains a control character"};
    if (c == 0xC2 && i + 1 < label.size()) {
      unsigned char d = static_cast<unsigned char>(label[i + 1]);
      if (d >= 0x80 && d <= 0x9F) return Problem{"含有控制字符", "contains a control character"};
      if (d == 0xA0) return Problem{"含有空格", "contains a space"};
    }
    if (label.substr(i, 3) == "\xE3\x80\x80") return Problem{"含有空格", "contains a space"};
    switch (c) {
      case ' ':
        return Problem{"含有空格", "contains a space"};
      case '"':
        return Problem{"含有双引号 \"", "contains '\"'"};
      case '\'':
        return Problem{"含有单引号 '", "contains \"'\""};
      case '|':
        return Problem{"含有竖线 |", "contains '|'"};
      case ',':
        return Problem{"含有逗号 ,", "contains ','"};
      default:
        break;
    }
  }
  return std::nullopt;
}

int SameColumnIgnoringAsciiCase(const Ledger& led, std::string_view label) {
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  };
  const std::string want = lower(label);
  for (size_t i = 0; i < led.columns.size(); ++i) {
    if (lower(led.columns[i].label) == want) return static_cast<int>(i);
  }
  return -1;
}

std::optional<int64_t> ParseInt64(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

struct SimpleType {
  std::string_view name;
  ColumnType type;
};
constexpr SimpleType kSimpleTypes[] = {
    {"text", ColumnType::kText}, {"int", ColumnType::kInt},     {"decimal", ColumnType::kDecimal},
    {"date", ColumnType::kDate}, {"month", ColumnType::kMonth}, {"bool", ColumnType::kBool},
    {"id18", ColumnType::kId18}, {"uscc", ColumnType::kUscc},   {"phone", ColumnType::kPhone},
    {"unit", ColumnType::kUnit},
};

// Parses a type token (`int`, `enum(a|b)`, `ref(household)`) into col.
std::optional<Problem> ParseType(std::string_view tok, Column* col) {
  std::string_view name = tok;
  std::string_view arg;
  bool has_arg = false;
  size_t open = tok.find('(');
  size_t close = tok.find(')');
  if (open != std::string_view::npos || close != std::string_view::npos) {
    // Exactly NAME(ARG) with one pair of parentheses, the ')' last.
    if (open == std::string_view::npos || open == 0 || close != tok.size() - 1 ||
        tok.find('(', open + 1) != std::string_view::npos) {
      return Problem{"列类型" + Zq(tok) + "的括号不配对（应为 enum(甲|乙) 或 ref(台账ID)）",
                     "unbalanced parentheses in column type " + Eq(tok)};
    }
    name = tok.substr(0, open);
    arg = tok.substr(open + 1, close - open - 1);
    has_arg = true;
  }
  for (const SimpleType& t : kSimpleTypes) {
    if (t.name != name) continue;
    if (has_arg) {
      return Problem{"列类型 " + std::string(name) + " 不带参数：" + Zq(tok),
                     "column type " + std::string(name) + " takes no argument: " + Eq(tok)};
    }
    col->type = t.type;
    return std::nullopt;
  }
  if (name == "enum") {
    if (!has_arg || arg.empty()) {
      return Problem{"enum 至少需要一个取值：enum(甲|乙)", "enum needs at least one value"};
    }
    for (std::string_view v : Split(arg, '|')) {
      if (v.empty()) {
        return Problem{"enum 的取值不能为空：" + Zq(tok), "empty enum value in " + Eq(tok)};
      }
      if (col->HasEnumValue(v)) {
        col->enum_values.clear();
        return Problem{"enum 的取值" + Zq(v) + "重复", "duplicate enum value " + Eq(v)};
      }
      col->enum_values.emplace_back(v);
    }
    col->type = ColumnType::kEnum;
    return std::nullopt;
  }
  if (name == "ref") {
    if (!has_arg || arg.empty()) {
      return Problem{"ref 需要目标台账：ref(台账ID)", "ref needs a target ledger: ref(ID)"};
    }
    if (!IsLedgerId(arg)) {
      return Problem{"ref 的目标" + Zq(arg) + "不是台账 ID（小写字母开头，只含 a-z 0-9 _）",
                     "ref target " + Eq(arg) + " is not a ledger id"};
    }
    col->type = ColumnType::kRef;
    col->ref_ledger = std::string(arg);
    return std::nullopt;
  }
  return Problem{"未知的列类型" + Zq(tok), "unknown column type " + Eq(tok)};
}

// Source positions of what a ledger block declared, for the checks made after all files are read.
struct LedgerSrc {
  std::string file;
  int line = 0;
  std::vector<int> column_lines;  // parallel to Ledger::columns
  std::string key;
  int key_line = 0;
  std::vector<std::string> scope;
  int scope_line = 0;
  std::vector<std::string> period;  // start [, end]
  bool period_in_force = false;
  int period_line = 0;
  std::vector<int> check_lines;  // parallel to Ledger::checks
  std::set<std::string> seen;    // single-valued attributes already given
};

// Source positions of a role block (0: the line was not given).
struct RoleSrc {
  int scope_line = 0;
  int can_line = 0;
  int ledgers_line = 0;
  int restricted_line = 0;
  std::set<std::string> seen;
};

struct FigureSrc {
  std::string file;
  int line = 0;
  int value_indent = -1;  // ≥0 while continuation lines may follow `value`
  std::set<std::string> seen;
};

class Loader {
 public:
  Result<Catalog> Load(const PackFiles& files);

 private:
  enum class Kind { kPack, kOrg, kLedgers, kFigures, kTemplate, kDashboard, kRoles, kOther };
  static Kind Classify(const std::string& path);

  void Err(const std::string& file, int line, std::string zh, std::string en) {
    errors_.Add(file, line, std::move(zh), std::move(en));
  }
  // "字段 needs N words" style errors share one shape.
  bool WantArgs(const std::string& file, const SrcLine& l, size_t min, size_t max,
                std::string_view usage);
  bool FirstTime(std::set<std::string>* seen, const std::string& file, const SrcLine& l);

  void ParsePackTxt(const std::string& file, std::string_view content);
  void ParseOrg(const std::string& file, std::string_view content);
  void ParseLedgerFile(const std::string& file, std::string_view content);
  void ParseLedgerAttr(const std::string& file, const SrcLine& l, Ledger* led, LedgerSrc* src);
  void ParseColumn(const std::string& file, const SrcLine& l, Ledger* led, LedgerSrc* src);
  void ParseFigureFile(const std::string& file, std::string_view content);
  void ParseFigureAttr(const std::string& file, const SrcLine& l, FigureDef* fig, FigureSrc* src);

  void ParseDashboard(const std::string& file, std::string_view content);
  void ParseRoles(const std::string& file, std::string_view content);
  void ParseRoleAttr(const std::string& file, const SrcLine& l, Role* role, RoleSrc* src);

  void CheckOrg();
  void CheckDashboard();
  void ResolveLedger(Ledger* led, const LedgerSrc& src);
  void ResolvePeriod(Ledger* led, const LedgerSrc& src);
  void CheckRefs(const Ledger& led, const LedgerSrc& src);
  void CheckGrids();
  void CheckFigures();
  void CheckRoles();
  void CheckRoleLedgers(const Role& role, const std::vector<std::string>& ids, int line,
                        bool grants_restricted);

  const Ledger* LedgerById(std::string_view id) const {
    for (const Ledger& l : cat_.ledgers) {
      if (l.id == id) return &l;
    }
    return nullptr;
  }
  const LedgerSrc* SrcOf(const Ledger* led) const {
    return &ledger_src_[static_cast<size_t>(led - cat_.ledgers.data())];
  }

  Catalog cat_;
  Errors errors_;
  std::vector<LedgerSrc> ledger_src_;  // parallel to cat_.ledgers
  std::vector<FigureSrc> figure_src_;  // parallel to cat_.figures
  std::map<std::string, std::string> ledger_ids_, ledger_titles_, figure_ids_;  // → "file:line"
  // org.txt positions
  std::string org_file_ = "org.txt";
  int town_line_ = 0;  // the first town line
  int city_line_ = 0;
  std::vector<int> district_lines_;
  std::vector<int> town_lines_;
  std::vector<int> village_lines_;
  int grids_line_ = 0;
  // dashboard.txt: where each figure id was named, checked once every figure is known
  std::vector<std::pair<std::string, int>> dashboard_refs_;  // (figure id, line)
  std::vector<RoleSrc> role_src_;                            // parallel to cat_.roles
};

Loader::Kind Loader::Classify(const std::string& path) {
  if (path == "pack.txt") return Kind::kPack;
  if (path == "org.txt") return Kind::kOrg;
  if (path == "dashboard.txt") return Kind::kDashboard;
  if (path == "roles.txt") return Kind::kRoles;
  auto in_dir = [&](std::string_view dir, std::string_view ext) {
    return StartsWith(path, dir) && EndsWith(path, ext) && path.size() > dir.size() + ext.size() &&
           path.find('/', dir.size()) == std::string::npos;
  };
  if (in_dir("ledgers/", ".txt")) return Kind::kLedgers;
  if (in_dir("figures/", ".txt")) return Kind::kFigures;
  if (in_dir("templates/", ".md")) return Kind::kTemplate;
  return Kind::kOther;
}

bool Loader::WantArgs(const std::string& file, const SrcLine& l, size_t min, size_t max,
                      std::string_view usage) {
  size_t n = l.nargs();
  if (n < min) {
    Err(file, l.number, "内容不全，应为：" + std::string(usage),
        "missing words, expected: " + std::string(usage));
    return false;
  }
  if (n > max) {
    Err(file, l.number,
        "多余的内容" + Zq(l.words[max + 1]) + "，应为：" + std::string(usage) +
            "（名称中不能有空格）",
        "unexpected word " + Eq(l.words[max + 1]) + ", expected: " + std::string(usage));
    return false;
  }
  return true;
}

bool Loader::FirstTime(std::set<std::string>* seen, const std::string& file, const SrcLine& l) {
  std::string kw(l.words[0]);
  if (!seen->insert(kw).second) {
    Err(file, l.number, "重复的 " + kw, "duplicate '" + kw + "'");
    return false;
  }
  return true;
}

void Loader::ParsePackTxt(const std::string& file, std::string_view content) {
  std::set<std::string> seen;
  for (const SrcLine& l : SplitLines(content)) {
    std::string_view kw = l.words[0];
    if (l.indent > 0) {
      Err(file, l.number, "pack.txt 中不应有缩进的行", "unexpected indented line in pack.txt");
      continue;
    }
    std::string* target = kw == "name"          ? &cat_.name
                          : kw == "version"     ? &cat_.version
                          : kw == "description" ? &cat_.description
                                                : nullptr;
    if (!target) {
      Err(file, l.number, "未知的关键字" + Zq(kw) + "（应为 name、version 或 description）",
          "unknown keyword " + Eq(kw));
      continue;
    }
    if (!FirstTime(&seen, file, l)) continue;
    if (l.Rest().empty()) {
      Err(file, l.number, std::string(kw) + " 缺少内容", std::string(kw) + " is empty");
      continue;
    }
    *target = std::string(l.Rest());
  }
  if (!seen.count("name")) Err(file, 0, "缺少 name 行（台账包名称）", "missing 'name'");
}

void Loader::ParseOrg(const std::string& file, std::string_view content) {
  org_file_ = file;
  bool has_region = false;
  OrgTree& org = cat_.org;
  // A unit line: `city|district|town CODE NAME`, `village CODE NAME [ALIAS…]`.
  auto unit = [&](const SrcLine& l, OrgLevel level) {
    OrgUnit u;
    u.level = level;
    u.code = std::string(l.words[1]);
    u.name = std::string(l.words[2]);
    for (size_t i = 3; i < l.words.size(); ++i) u.aliases.emplace_back(l.words[i]);
    return u;
  };
  for (const SrcLine& l : SplitLines(content)) {
    std::string_view kw = l.words[0];
    if (l.indent > 0) {
      Err(file, l.number, "org.txt 中不应有缩进的行", "unexpected indented line in org.txt");
      continue;
    }
    if (kw == "region") {
      if (has_region) {
        Err(file, l.number, "重复的 region", "duplicate 'region'");
        continue;
      }
      has_region = true;
      if (!WantArgs(file, l, 1, SIZE_MAX, "region 省 市 县")) continue;
      for (size_t i = 1; i < l.words.size(); ++i) org.region.emplace_back(l.words[i]);
    } else if (kw == "city") {
      if (city_line_ > 0) {
        Err(file, l.number, "只能有一个 city（第 " + std::to_string(city_line_) + " 行已有）",
            "more than one 'city'");
        continue;
      }
      if (!WantArgs(file, l, 2, 2, "city 4位代码 市名")) continue;
      if (!district_lines_.empty() || !town_lines_.empty()) {
        Err(file, l.number, "city 行应在所有 district 和 town 行之前", "'city' after units");
        continue;
      }
      city_line_ = l.number;
      org.town = unit(l, OrgLevel::kCity);
    } else if (kw == "district") {
      if (!WantArgs(file, l, 2, 2, "district 6位代码 区县名")) continue;
      org.districts.push_back(unit(l, OrgLevel::kDistrict));
      district_lines_.push_back(l.number);
    } else if (kw == "town") {
      if (!WantArgs(file, l, 2, 2, "town 9位代码 镇名")) continue;
      if (town_line_ == 0) town_line_ = l.number;
      OrgUnit t = unit(l, OrgLevel::kTown);
      if (!org.districts.empty()) t.parent_code = org.districts.back().code;
      org.towns.push_back(std::move(t));
      town_lines_.push_back(l.number);
    } else if (kw == "village") {
      if (!WantArgs(file, l, 2, SIZE_MAX, "village 12位代码 村名 [别名…]")) continue;
      if (org.towns.empty()) {
        Err(file, l.number, "village 行应在它所属的 town 行之后", "'village' before any 'town'");
        continue;
      }
      OrgUnit v = unit(l, OrgLevel::kVillage);
      v.parent_code = org.towns.back().code;
      org.villages.push_back(std::move(v));
      village_lines_.push_back(l.number);
    } else if (kw == "grids") {
      if (grids_line_ > 0) {
        Err(file, l.number, "重复的 grids", "duplicate 'grids'");
        continue;
      }
      if (!WantArgs(file, l, 4, 4, "grids 台账ID 编号列 名称列 所属村列")) continue;
      grids_line_ = l.number;
      org.grids = GridSource{std::string(l.words[1]), std::string(l.words[2]),
                             std::string(l.words[3]), std::string(l.words[4])};
    } else {
      Err(file, l.number,
          "未知的关键字" + Zq(kw) + "（应为 region、city、district、town、village 或 grids）",
          "unknown keyword " + Eq(kw));
    }
  }
  if (town_line_ == 0) Err(file, 0, "缺少 town 行（镇代码和镇名）", "missing 'town'");
  // The root: the city; else the one district; else the one town (a township pack).
  if (city_line_ == 0 && district_lines_.size() > 1) {
    Err(file, district_lines_[1], "有多个 district 时应先写 city 行（全市）",
        "several 'district' lines without a 'city'");
  } else if (city_line_ == 0 && district_lines_.size() == 1) {
    org.town = org.districts.front();
    org.districts.clear();
    for (OrgUnit& t : org.towns) t.parent_code = org.town.code;
  } else if (city_line_ == 0 && town_lines_.size() > 1) {
    Err(file, town_lines_[1],
        "只能有一个 town（第 " + std::to_string(town_line_) +
            " 行已有）；多个镇的组织架构应以 district 或 city 行开头",
        "more than one 'town' without a 'district' or 'city'");
  } else if (city_line_ == 0 && !org.towns.empty()) {
    org.town = org.towns.front();
  } else if (city_line_ > 0) {
    for (OrgUnit& d : org.districts) d.parent_code = org.town.code;
    for (OrgUnit& t : org.towns) {
      if (t.parent_code.empty()) t.parent_code = org.town.code;
    }
  }
}

void Loader::CheckOrg() {
  const std::string& file = org_file_;
  OrgTree& org = cat_.org;
  std::map<std::string, int> codes;  // any level → line
  auto check_code = [&](const OrgUnit& u, int line, size_t digits, const char* what) {
    if (!IsDigits(u.code, digits)) {
      Err(file, line,
          std::string(what) + "代码" + Zq(u.code) + "应为 " + std::to_string(digits) + " 位数字",
          std::string(OrgLevelWord(u.level)) + " code " + Eq(u.code) + " is not " +
              std::to_string(digits) + " digits");
      return;
    }
    // Codes nest (statistical codes do): where a unit is found and what lies under it are
    // decided by code prefix.
    if (!u.parent_code.empty() && !StartsWith(u.code, u.parent_code)) {
      const char* parent = u.level == OrgLevel::kVillage ? "镇"
                           : u.parent_code.size() == 6  ? "区县"
                                                        : "市";
      Err(file, line,
          std::string(what) + "代码" + Zq(u.code) + "应以" + parent + "代码 " + u.parent_code + " 开头",
          std::string(OrgLevelWord(u.level)) + " code " + Eq(u.code) +
              " does not start with its parent's code " + u.parent_code);
    }
    auto [it, fresh] = codes.emplace(u.code, line);
    if (!fresh) {
      Err(file, line,
          std::string(what) + "代码" + Zq(u.code) + "重复（第 " + std::to_string(it->second) + " 行已有）",
          "duplicate code " + Eq(u.code));
    }
  };
  if (org.town.level == OrgLevel::kCity) check_code(org.town, city_line_, 4, "市");
  if (org.town.level == OrgLevel::kDistrict) check_code(org.town, district_lines_.front(), 6, "区县");
  for (size_t i = 0; i < org.districts.size(); ++i) {
    check_code(org.districts[i], district_lines_[i], 6, "区县");
  }
  // Names above the village level are unique in the tree (--unit 袁州区, --unit 辽市镇).
  std::map<std::string, int> above;
  auto check_name = [&](const OrgUnit& u, int line) {
    std::vector<const std::string*> all = {&u.name};
    for (const std::string& a : u.aliases) all.push_back(&a);
    for (const std::string* n : all) {
      auto [it, fresh] = above.emplace(*n, line);
      if (!fresh && it->second != line) {
        Err(file, line, "名称" + Zq(*n) + "重复（第 " + std::to_string(it->second) + " 行已有）",
            "duplicate unit name " + Eq(*n));
      }
    }
  };
  if (org.MultiTown()) check_name(org.town, city_line_ ? city_line_ : district_lines_.front());
  for (size_t i = 0; i < org.districts.size(); ++i) check_name(org.districts[i], district_lines_[i]);
  for (size_t i = 0; i < org.towns.size(); ++i) {
    check_code(org.towns[i], town_lines_[i], 9, "镇");
    check_name(org.towns[i], town_lines_[i]);
  }
  // Village names are unique within their town: a unit cell is read in its town. Across towns they
  // repeat (院前村 is in 辽市镇 and in 金瑞镇); a village is then named by its code.
  std::map<std::pair<std::string, std::string>, int> names;  // (town, name) → line
  for (size_t i = 0; i < org.villages.size(); ++i) {
    const OrgUnit& v = org.villages[i];
    int line = village_lines_[i];
    check_code(v, line, 12, "村");
    std::vector<const std::string*> all = {&v.name};
    for (const std::string& a : v.aliases) all.push_back(&a);
    for (const std::string* n : all) {
      auto [nit, nfresh] = names.emplace(std::make_pair(v.parent_code, *n), line);
      if (!nfresh) {
        Err(file, line,
            "村名或别名" + Zq(*n) + "重复（第 " + std::to_string(nit->second) + " 行已有）",
            "duplicate village name or alias " + Eq(*n));
      }
    }
  }
  org.BuildIndex();
}

void Loader::ParseLedgerFile(const std::string& file, std::string_view content) {
  enum class State { kNone, kSkip, kLedger } state = State::kNone;
  for (const SrcLine& l : SplitLines(content)) {
    std::string_view kw = l.words[0];
    if (l.indent == 0) {
      state = State::kSkip;
      if (kw == "figure") {
        Err(file, l.number, "figure 块应写在 figures/ 目录下", "figure block outside figures/");
        continue;
      }
      if (kw != "ledger") {
        Err(file, l.number, "未知的块" + Zq(kw) + "（ledgers/ 下的文件只能有 ledger 块）",
            "unknown block " + Eq(kw));
        continue;
      }
      if (l.nargs() < 2) {
        WantArgs(file, l, 2, 2, "ledger 台账ID 台账名称");
        continue;
      }
      WantArgs(file, l, 2, 2, "ledger 台账ID 台账名称");  // extra words: report, keep going
      Ledger led;
      led.id = std::string(l.words[1]);
      led.title = std::string(l.words[2]);
      std::string here = Where(file, l.number);
      if (!IsLedgerId(led.id)) {
        Err(file, l.number, "台账 ID" + Zq(led.id) + "不合法（应为小写字母开头，只含 a-z 0-9 _）",
            "invalid ledger id " + Eq(led.id));
      } else if (auto [it, fresh] = ledger_ids_.emplace(led.id, here); !fresh) {
        Err(file, l.number, "台账 ID" + Zq(led.id) + "重复（" + it->second + " 已有）",
            "duplicate ledger id " + Eq(led.id) + ", first at " + it->second);
      }
      if (auto bad = BadLabel(led.title)) {
        Err(file, l.number, "台账名称" + Zq(led.title) + bad->zh,
            "ledger title " + Eq(led.title) + " " + bad->en);
      } else if (auto [it, fresh] = ledger_titles_.emplace(led.title, here); !fresh) {
        Err(file, l.number, "台账名称" + Zq(led.title) + "重复（" + it->second + " 已有）",
            "duplicate ledger title " + Eq(led.title) + ", first at " + it->second);
      }
      cat_.ledgers.push_back(std::move(led));
      LedgerSrc src;
      src.file = file;
      src.line = l.number;
      ledger_src_.push_back(std::move(src));
      state = State::kLedger;
      continue;
    }
    if (state == State::kNone) {
      Err(file, l.number, "缩进的行不属于任何 ledger 块", "indented line outside a ledger block");
      state = State::kSkip;  // one error for the run of lines, not one per line
      continue;
    }
    if (state == State::kSkip) continue;
    ParseLedgerAttr(file, l, &cat_.ledgers.back(), &ledger_src_.back());
  }
}

void Loader::ParseLedgerAttr(const std::string& file, const SrcLine& l, Ledger* led,
                             LedgerSrc* src) {
  std::string_view kw = l.words[0];
  if (kw == "column") {
    ParseColumn(file, l, led, src);
  } else if (kw == "domain" || kw == "note") {
    if (!FirstTime(&src->seen, file, l)) return;
    if (l.Rest().empty()) {
      Err(file, l.number, std::string(kw) + " 缺少内容", std::string(kw) + " is empty");
      return;
    }
    (kw == "domain" ? led->domain : led->note) = std::string(l.Rest());
  } else if (kw == "key") {
    if (!FirstTime(&src->seen, file, l) || !WantArgs(file, l, 1, 1, "key 列名")) return;
    src->key = std::string(l.words[1]);
    src->key_line = l.number;
  } else if (kw == "scope") {
    if (!FirstTime(&src->seen, file, l) ||
        !WantArgs(file, l, 1, 2, "scope 所属村列 [所属网格列]")) {
      return;
    }
    for (size_t i = 1; i < l.words.size(); ++i) src->scope.emplace_back(l.words[i]);
    src->scope_line = l.number;
  } else if (kw == "period") {
    // period at C | period from C | period from C until E
    const auto& w = l.words;
    bool ok = (w.size() == 3 && (w[1] == "at" || w[1] == "from")) ||
              (w.size() == 5 && w[1] == "from" && w[3] == "until");
    if (!FirstTime(&src->seen, file, l)) return;
    if (!ok) {
      Err(file, l.number, "period 的写法应为 period at 日期列、period from 开始列 或 period from 开始列 until 结束列",
          "period wants 'at C', 'from C' or 'from C until E'");
      return;
    }
    src->period.emplace_back(w[2]);
    if (w.size() == 5) src->period.emplace_back(w[4]);
    src->period_in_force = w[1] == "from";
    src->period_line = l.number;
  } else if (kw == "restricted") {
    // A flag, not a list: who may see the ledger is said in roles.txt, by the roles granted it.
    if (!FirstTime(&src->seen, file, l) || !WantArgs(file, l, 0, 0, "restricted")) return;
    led->restricted = true;
  } else if (kw == "check") {
    if (!WantArgs(file, l, 3, 3, "check id_sex|id_birth 身份证列 性别列|日期列")) return;
    Check c;
    if (l.words[1] == "id_sex") {
      c.kind = Check::Kind::kIdSex;
    } else if (l.words[1] == "id_birth") {
      c.kind = Check::Kind::kIdBirth;
    } else {
      Err(file, l.number, "未知的校验" + Zq(l.words[1]) + "（应为 id_sex 或 id_birth）",
          "unknown check " + Eq(l.words[1]));
      return;
    }
    c.id_column = std::string(l.words[2]);
    c.other_column = std::string(l.words[3]);
    led->checks.push_back(std::move(c));
    src->check_lines.push_back(l.number);
  } else {
    Err(file, l.number,
        "未知的台账属性" + Zq(kw) +
            "（应为 domain、note、key、column、scope、period、check 或 restricted）",
        "unknown ledger attribute " + Eq(kw));
  }
}

void Loader::ParseColumn(const std::string& file, const SrcLine& l, Ledger* led, LedgerSrc* src) {
  if (!WantArgs(file, l, 2, SIZE_MAX, "column 列名 类型 [required] [sensitive] [min=N] [max=N]")) {
    return;
  }
  Column col;
  col.label = std::string(l.words[1]);
  bool label_ok = true;
  if (auto bad = BadLabel(col.label)) {
    Err(file, l.number, "列名" + Zq(col.label) + bad->zh,
        "column label " + Eq(col.label) + " " + bad->en);
    label_ok = false;
  } else if (col.label[0] == '_') {
    // _id, _import, _row … are the store's own columns.
    Err(file, l.number, "列名" + Zq(col.label) + "不能以下划线开头（保留给系统）",
        "column label " + Eq(col.label) + " starts with '_' (reserved)");
    label_ok = false;
  } else if (int prev = SameColumnIgnoringAsciiCase(*led, col.label); prev >= 0) {
    // SQL identifiers are case-insensitive for ASCII: 'Name' and 'name' would be one column.
    Err(file, l.number,
        "列名" + Zq(col.label) + "在台账 " + led->id + " 中重复（第 " +
            std::to_string(src->column_lines[prev]) + " 行已有）",
        "duplicate column " + Eq(col.label) + " in ledger " + led->id);
    label_ok = false;
  }
  if (auto bad = ParseType(l.words[2], &col)) Err(file, l.number, bad->zh, bad->en);
  std::set<std::string_view> flags;
  for (size_t i = 3; i < l.words.size(); ++i) {
    std::string_view w = l.words[i];
    std::string_view flag = w.substr(0, w.find('='));
    if (flag != "required" && flag != "sensitive" && flag != "min" && flag != "max") {
      Err(file, l.number, "未知的列属性" + Zq(w) + "（应为 required、sensitive、min=N 或 max=N）",
          "unknown column attribute " + Eq(w));
      continue;
    }
    if (!flags.insert(flag).second) {
      Err(file, l.number, "列属性 " + std::string(flag) + " 重复",
          "duplicate " + std::string(flag));
      continue;
    }
    if (flag == "required" || flag == "sensitive") {
      if (w != flag) {
        Err(file, l.number, std::string(flag) + " 不带值：" + Zq(w),
            "'" + std::string(flag) + "' takes no value");
      }
      (flag == "required" ? col.required : col.sensitive) = true;
      continue;
    }
    std::optional<int64_t> v;
    if (w.size() > flag.size()) v = ParseInt64(w.substr(flag.size() + 1));
    if (!v) {
      Err(file, l.number, Zq(w) + "的值应为整数，如 " + std::string(flag) + "=1",
          Eq(w) + " needs an integer value");
      continue;
    }
    if (col.type != ColumnType::kInt && col.type != ColumnType::kDecimal) {
      Err(file, l.number, std::string(flag) + "= 只能用于 int 或 decimal 列",
          std::string(flag) + "= applies to int and decimal columns only");
      continue;
    }
    (flag == "min" ? col.min : col.max) = *v;
  }
  // ID numbers and phones are personal data whatever the pack says: a pack cannot unmask them.
  if (col.type == ColumnType::kId18 || col.type == ColumnType::kPhone) col.sensitive = true;
  if (col.min && col.max && *col.min > *col.max) {
    Err(file, l.number, "min=" + std::to_string(*col.min) + " 大于 max=" + std::to_string(*col.max),
        "min is greater than max");
  }
  // A column with a bad or repeated label is dropped (lookups by label would be ambiguous); one
  // with a bad type or attribute is kept (as text) so that key/scope/check lines naming it do not
  // add a second, misleading "no such column" error.
  if (!label_ok) return;
  led->columns.push_back(std::move(col));
  src->column_lines.push_back(l.number);
}

// The period columns: as declared, or by default the first date or month column alone.
void Loader::ResolvePeriod(Ledger* led, const LedgerSrc& src) {
  auto is_dated = [](const Column& c) {
    return c.type == ColumnType::kDate || c.type == ColumnType::kMonth;
  };
  if (src.period.empty()) {
    for (size_t i = 0; i < led->columns.size(); ++i) {
      if (is_dated(led->columns[i])) {
        led->period_start = static_cast<int>(i);
        break;
      }
    }
    return;
  }
  led->period_in_force = src.period_in_force;
  int* slots[2] = {&led->period_start, &led->period_end};
  for (size_t i = 0; i < src.period.size(); ++i) {
    int c = led->ColumnIndex(src.period[i]);
    if (c < 0) {
      Err(src.file, src.period_line, "period 的列" + Zq(src.period[i]) + "不存在",
          "period column " + Eq(src.period[i]) + " does not exist");
    } else if (!is_dated(led->columns[static_cast<size_t>(c)])) {
      Err(src.file, src.period_line, "period 的列" + Zq(src.period[i]) + "应为 date 或 month 类型",
          "period column " + Eq(src.period[i]) + " is not a date or month");
    } else {
      *slots[i] = c;
    }
  }
}

// Local checks of one ledger: key, scope and check columns.
void Loader::ResolveLedger(Ledger* led, const LedgerSrc& src) {
  const std::string& file = src.file;
  auto type_name = [](const Column& c) { return std::string(ColumnTypeName(c.type)); };
  if (!src.key.empty()) {
    led->key_column = led->ColumnIndex(src.key);
    if (led->key_column < 0) {
      Err(file, src.key_line, "key 列" + Zq(src.key) + "不在台账 " + led->id + " 的列中",
          "key column " + Eq(src.key) + " is not a column of " + led->id);
    }
  }
  if (src.scope.empty()) {
    for (size_t i = 0; i < led->columns.size(); ++i) {
      if (led->columns[i].type == ColumnType::kUnit) {
        led->village_column = static_cast<int>(i);
        break;
      }
    }
  } else {
    int v = led->ColumnIndex(src.scope[0]);
    if (v < 0) {
      Err(file, src.scope_line, "scope 的所属村列" + Zq(src.scope[0]) + "不存在",
          "scope village column " + Eq(src.scope[0]) + " does not exist");
    } else if (led->columns[v].type != ColumnType::kUnit) {
      Err(file, src.scope_line,
          "scope 的所属村列" + Zq(src.scope[0]) + "应为 unit 类型（现为 " +
              type_name(led->columns[v]) + "）",
          "scope village column " + Eq(src.scope[0]) + " is not of type unit");
    } else {
      led->village_column = v;
    }
    if (src.scope.size() > 1) {
      int g = led->ColumnIndex(src.scope[1]);
      if (g < 0) {
        Err(file, src.scope_line, "scope 的网格列" + Zq(src.scope[1]) + "不存在",
            "scope grid column " + Eq(src.scope[1]) + " does not exist");
      } else if (led->columns[g].type != ColumnType::kRef) {
        Err(file, src.scope_line,
            "scope 的网格列" + Zq(src.scope[1]) + "应为 ref 类型（现为 " +
                type_name(led->columns[g]) + "）",
            "scope grid column " + Eq(src.scope[1]) + " is not of type ref");
      } else {
        led->grid_column = g;
      }
    }
  }
  ResolvePeriod(led, src);
  for (size_t i = 0; i < led->checks.size(); ++i) {
    const Check& c = led->checks[i];
    int line = src.check_lines[i];
    const char* kind = c.kind == Check::Kind::kIdSex ? "id_sex" : "id_birth";
    const Column* id = led->FindColumn(c.id_column);
    if (!id) {
      Err(file, line, std::string("check ") + kind + " 的身份证列" + Zq(c.id_column) + "不存在",
          std::string("check ") + kind + ": no column " + Eq(c.id_column));
    } else if (id->type != ColumnType::kId18) {
      Err(file, line,
          std::string("check ") + kind + " 的身份证列" + Zq(c.id_column) + "应为 id18 类型（现为 " +
              type_name(*id) + "）",
          std::string("check ") + kind + ": " + Eq(c.id_column) + " is not id18");
    }
    const Column* other = led->FindColumn(c.other_column);
    if (!other) {
      Err(file, line, std::string("check ") + kind + " 的列" + Zq(c.other_column) + "不存在",
          std::string("check ") + kind + ": no column " + Eq(c.other_column));
    } else if (c.kind == Check::Kind::kIdSex &&
               (other->type != ColumnType::kEnum || !other->HasEnumValue("男") ||
                !other->HasEnumValue("女"))) {
      Err(file, line, "check id_sex 的性别列" + Zq(c.other_column) + "应为含“男”“女”的 enum",
          "check id_sex: " + Eq(c.other_column) + " is not an enum with 男 and 女");
    } else if (c.kind == Check::Kind::kIdBirth && other->type != ColumnType::kDate) {
      Err(file, line,
          "check id_birth 的日期列" + Zq(c.other_column) + "应为 date 类型（现为 " +
              type_name(*other) + "）",
          "check id_birth: " + Eq(c.other_column) + " is not a date");
    }
  }
}

void Loader::CheckRefs(const Ledger& led, const LedgerSrc& src) {
  for (size_t i = 0; i < led.columns.size(); ++i) {
    const Column& c = led.columns[i];
    if (c.type != ColumnType::kRef) continue;
    int line = src.column_lines[i];
    const Ledger* target = LedgerById(c.ref_ledger);
    if (!target) {
      Err(src.file, line, "ref(" + Clip(c.ref_ledger) + ") 指向的台账不存在",
          "ref target ledger " + Eq(c.ref_ledger) + " does not exist");
    } else if (SrcOf(target)->key.empty()) {
      Err(src.file, line,
          "ref(" + c.ref_ledger + ") 指向的台账" + Zq(target->title) + "没有 key 列",
          "ref target ledger " + Eq(c.ref_ledger) + " has no key");
    }
  }
  // A row's grid is looked up among the grid org units, so the grid column must point there.
  if (led.grid_column >= 0 && cat_.org.grids &&
      led.columns[led.grid_column].ref_ledger != cat_.org.grids->ledger) {
    Err(src.file, src.scope_line,
        "scope 的网格列" + Zq(led.columns[led.grid_column].label) + "应为 ref(" +
            Clip(cat_.org.grids->ledger) + ")（org.txt 的 grids 行）",
        "scope grid column does not refer to the grids ledger");
  }
}

void Loader::CheckGrids() {
  if (!cat_.org.grids) return;
  const GridSource& g = *cat_.org.grids;
  const Ledger* led = LedgerById(g.ledger);
  if (!led) {
    Err(org_file_, grids_line_, "grids 的台账" + Zq(g.ledger) + "不存在",
        "grids ledger " + Eq(g.ledger) + " does not exist");
    return;
  }
  struct Need {
    const std::string* label;
    const char* what;
  };
  for (Need n : {Need{&g.code_column, "编号列"}, Need{&g.name_column, "名称列"},
                 Need{&g.village_column, "所属村列"}}) {
    if (led->ColumnIndex(*n.label) < 0) {
      Err(org_file_, grids_line_,
          std::string("grids 的") + n.what + Zq(*n.label) + "不在台账 " + led->id + " 中",
          "grids column " + Eq(*n.label) + " is not a column of " + led->id);
    }
  }
  int code = led->ColumnIndex(g.code_column);
  // ref(grid) values are key values; grid units are coded by the code column: they must agree.
  if (code >= 0 && code != led->key_column) {
    Err(org_file_, grids_line_,
        "grids 的编号列" + Zq(g.code_column) + "应为台账 " + led->id + " 的 key 列",
        "grids code column " + Eq(g.code_column) + " is not the key of " + led->id);
  }
  const Column* village = led->FindColumn(g.village_column);
  if (village && village->type != ColumnType::kUnit) {
    Err(org_file_, grids_line_, "grids 的所属村列" + Zq(g.village_column) + "应为 unit 类型",
        "grids village column " + Eq(g.village_column) + " is not of type unit");
  }
}

void Loader::ParseFigureFile(const std::string& file, std::string_view content) {
  enum class State { kNone, kSkip, kFigure } state = State::kNone;
  for (const SrcLine& l : SplitLines(content)) {
    std::string_view kw = l.words[0];
    if (state == State::kFigure) {
      FigureSrc& src = figure_src_.back();
      if (l.indent >= 4 && src.value_indent >= 0 && l.indent > src.value_indent) {
        FigureDef& fig = cat_.figures.back();
        if (!fig.expr.empty()) fig.expr += ' ';
        fig.expr += l.text;
        continue;
      }
      src.value_indent = -1;
    }
    if (l.indent == 0) {
      state = State::kSkip;
      if (kw == "ledger") {
        Err(file, l.number, "ledger 块应写在 ledgers/ 目录下", "ledger block outside ledgers/");
        continue;
      }
      if (kw != "figure") {
        Err(file, l.number, "未知的块" + Zq(kw) + "（figures/ 下的文件只能有 figure 块）",
            "unknown block " + Eq(kw));
        continue;
      }
      if (!WantArgs(file, l, 1, 1, "figure 指标ID")) continue;
      FigureDef fig;
      fig.id = std::string(l.words[1]);
      fig.file = file;
      std::string here = Where(file, l.number);
      if (!IsFigureId(fig.id)) {
        Err(file, l.number,
            "指标 ID" + Zq(fig.id) + "不合法（应为 a-z 0-9 _ 组成、以点分隔，如 dispute.found）",
            "invalid figure id " + Eq(fig.id));
      } else if (auto [it, fresh] = figure_ids_.emplace(fig.id, here); !fresh) {
        Err(file, l.number, "指标 ID" + Zq(fig.id) + "重复（" + it->second + " 已有）",
            "duplicate figure id " + Eq(fig.id) + ", first at " + it->second);
      }
      cat_.figures.push_back(std::move(fig));
      FigureSrc src;
      src.file = file;
      src.line = l.number;
      figure_src_.push_back(std::move(src));
      state = State::kFigure;
      continue;
    }
    if (state == State::kNone) {
      Err(file, l.number, "缩进的行不属于任何 figure 块", "indented line outside a figure block");
      state = State::kSkip;
      continue;
    }
    if (state == State::kSkip) continue;
    ParseFigureAttr(file, l, &cat_.figures.back(), &figure_src_.back());
  }
}

void Loader::ParseFigureAttr(const std::string& file, const SrcLine& l, FigureDef* fig,
                             FigureSrc* src) {
  std::string_view kw = l.words[0];
  if (kw != "label" && kw != "words" && kw != "value" && kw != "display" && kw != "note") {
    Err(file, l.number, "未知的指标属性" + Zq(kw) + "（应为 label、words、value、display 或 note）",
        "unknown figure attribute " + Eq(kw));
    return;
  }
  if (!FirstTime(&src->seen, file, l)) return;
  if (kw == "value") {
    // The text may start on the next (continuation) lines; emptiness is checked at the end.
    fig->expr = std::string(l.Rest());
    fig->line = l.number;
    src->value_indent = l.indent;
    return;
  }
  if (kw == "display") {
    if (!WantArgs(file, l, 1, 2, "display 显示规则 [量词]")) return;
    std::optional<DisplayRule> rule = ParseDisplayRule(l.words[1]);
    if (!rule) {
      Err(file, l.number, "未知的显示规则" + Zq(l.words[1]),
          "unknown display rule " + Eq(l.words[1]));
      return;
    }
    fig->display = *rule;
    if (l.nargs() == 2) {
      // Only the group rules count things ("三家建筑业"); elsewhere a word would be ignored.
      if (*rule != DisplayRule::kGroups && *rule != DisplayRule::kGroupsNamed) {
        Err(file, l.number, "只有 groups 和 groups_named 可以带量词（" + Zq(l.words[2]) + "）",
            "only groups and groups_named take a measure word");
        return;
      }
      fig->display_arg = std::string(l.words[2]);
    }
    return;
  }
  if (l.Rest().empty()) {
    Err(file, l.number, std::string(kw) + " 缺少内容", std::string(kw) + " is empty");
    return;
  }
  std::string text(l.Rest());
  if (kw == "label")
    fig->label = std::move(text);
  else if (kw == "words")
    fig->words = std::move(text);
  else
    fig->note = std::move(text);
}

void Loader::CheckFigures() {
  for (size_t i = 0; i < cat_.figures.size(); ++i) {
    const FigureDef& f = cat_.figures[i];
    const FigureSrc& src = figure_src_[i];
    if (f.line == 0) {
      Err(src.file, src.line, "指标" + Zq(f.id) + "缺少 value",
          "figure " + Eq(f.id) + " has no value");
    } else if (TrimSpace(f.expr).empty()) {
      Err(src.file, f.line, "value 缺少内容", "value is empty");
    }
  }
}

// card TITLE / (indented) figures ID…  ·  compare ID…  ·  trend ID…  (docs/pack.md, "Dashboard").
void Loader::ParseDashboard(const std::string& file, std::string_view content) {
  std::set<std::string> seen;
  auto add_ids = [&](const SrcLine& l, std::vector<std::string>* out) {
    for (size_t i = 1; i < l.words.size(); ++i) {
      out->emplace_back(l.words[i]);
      dashboard_refs_.emplace_back(std::string(l.words[i]), l.number);
    }
  };
  std::vector<int> card_lines;
  for (const SrcLine& l : SplitLines(content)) {
    std::string_view kw = l.words[0];
    if (l.indent > 0) {
      if (kw != "figures" || cat_.dashboard.cards.empty()) {
        Err(file, l.number, "缩进的行应为卡片下的 figures 行",
            "an indented line must be 'figures' under a card");
        continue;
      }
      if (!WantArgs(file, l, 1, 1000, "figures 指标编号…")) continue;
      add_ids(l, &cat_.dashboard.cards.back().figures);
      continue;
    }
    if (kw == "card") {
      if (!WantArgs(file, l, 1, 1, "card 卡片标题")) continue;
      cat_.dashboard.cards.push_back({std::string(l.words[1]), {}});
      card_lines.push_back(l.number);
    } else if (kw == "compare" || kw == "trend") {
      if (!FirstTime(&seen, file, l) || !WantArgs(file, l, 1, 1000, std::string(kw) + " 指标编号…"))
        continue;
      add_ids(l, kw == "compare" ? &cat_.dashboard.compare : &cat_.dashboard.trend);
    } else {
      Err(file, l.number, "未知的关键字" + Zq(kw) + "（应为 card、compare 或 trend）",
          "unknown keyword " + Eq(kw));
    }
  }
  for (size_t i = 0; i < cat_.dashboard.cards.size(); ++i) {
    if (cat_.dashboard.cards[i].figures.empty()) {
      Err(file, card_lines[i], "卡片" + Zq(cat_.dashboard.cards[i].title) + "没有 figures 行",
          "card " + Eq(cat_.dashboard.cards[i].title) + " lists no figures");
    }
  }
}

void Loader::CheckDashboard() {
  for (const auto& [id, line] : dashboard_refs_) {
    if (!figure_ids_.count(id)) {
      Err("dashboard.txt", line, "没有编号为" + Zq(id) + "的指标", "unknown figure " + Eq(id));
    }
  }
}

// role ID TITLE / (indented) scope S · can P… · ledgers *|ID… · restricted *|ID…  (docs/pack.md,
// "Roles"). Ledger ids are checked in CheckRoles, once every ledger is resolved.
void Loader::ParseRoles(const std::string& file, std::string_view content) {
  std::map<std::string, std::string> ids, titles;  // → "file:line"
  enum class State { kNone, kSkip, kRole } state = State::kNone;
  for (SrcLine l : SplitLines(content)) {
    // Here a comment may also end a line (`scope town  # 全镇`): no role word starts with #, and
    // a grant is easier to review with its reason beside it.
    auto hash = std::find_if(l.words.begin(), l.words.end(),
                             [](std::string_view w) { return w[0] == '#'; });
    l.words.erase(hash, l.words.end());
    if (l.words.empty()) continue;
    std::string_view kw = l.words[0];
    if (l.indent == 0) {
      state = State::kSkip;
      if (kw != "role") {
        Err(file, l.number, "未知的块" + Zq(kw) + "（roles.txt 只能有 role 块）",
            "unknown block " + Eq(kw));
        continue;
      }
      if (l.nargs() < 2) {
        WantArgs(file, l, 2, 2, "role 角色ID 角色名称");
        continue;
      }
      WantArgs(file, l, 2, 2, "role 角色ID 角色名称");  // extra words: report, keep going
      Role role;
      role.id = std::string(l.words[1]);
      role.title = std::string(l.words[2]);
      role.file = file;
      role.line = l.number;
      std::string here = Where(file, l.number);
      if (!IsRoleId(role.id)) {
        Err(file, l.number, "角色 ID" + Zq(role.id) + "不合法（只能含小写字母 a-z、数字 0-9 和 _）",
            "invalid role id " + Eq(role.id));
      } else if (auto [it, fresh] = ids.emplace(role.id, here); !fresh) {
        Err(file, l.number, "角色 ID" + Zq(role.id) + "重复（" + it->second + " 已有）",
            "duplicate role id " + Eq(role.id) + ", first at " + it->second);
      }
      if (auto [it, fresh] = titles.emplace(role.title, here); !fresh) {
        Err(file, l.number, "角色名称" + Zq(role.title) + "重复（" + it->second + " 已有）",
            "duplicate role title " + Eq(role.title) + ", first at " + it->second);
      }
      cat_.roles.push_back(std::move(role));
      role_src_.emplace_back();
      state = State::kRole;
      continue;
    }
    if (state == State::kNone) {
      Err(file, l.number, "缩进的行不属于任何 role 块", "indented line outside a role block");
      state = State::kSkip;
      continue;
    }
    if (state == State::kSkip) continue;
    ParseRoleAttr(file, l, &cat_.roles.back(), &role_src_.back());
  }
}

void Loader::ParseRoleAttr(const std::string& file, const SrcLine& l, Role* role, RoleSrc* src) {
  std::string_view kw = l.words[0];
  if (kw != "scope" && kw != "can" && kw != "ledgers" && kw != "restricted") {
    Err(file, l.number, "未知的角色属性" + Zq(kw) + "（应为 scope、can、ledgers 或 restricted）",
        "unknown role attribute " + Eq(kw));
    return;
  }
  if (!FirstTime(&src->seen, file, l)) return;
  if (kw == "scope") {
    if (!WantArgs(file, l, 1, 1, "scope none|town|village|grid")) return;
    src->scope_line = l.number;
    for (RoleScope s :
         {RoleScope::kNone, RoleScope::kTown, RoleScope::kVillage, RoleScope::kGrid}) {
      if (l.words[1] == RoleScopeName(s)) {
        role->scope = s;
        return;
      }
    }
    Err(file, l.number, "未知的数据范围" + Zq(l.words[1]) + "（应为 none、town、village 或 grid）",
        "unknown role scope " + Eq(l.words[1]));
    return;
  }
  if (kw == "can") {
    if (!WantArgs(file, l, 1, SIZE_MAX, "can 权限…")) return;
    src->can_line = l.number;
    std::string allowed;
    for (const char* p : kPermissions) allowed += (allowed.empty() ? "" : "、") + std::string(p);
    for (size_t i = 1; i < l.words.size(); ++i) {
      std::string_view w = l.words[i];
      if (!IsPermission(w)) {
        // The engine checks these words and no others: a misspelt one would grant nothing.
        Err(file, l.number, "未知的权限" + Zq(w) + "（应为 " + allowed + "）",
            "unknown permission " + Eq(w));
      } else if (role->Can(w)) {
        Err(file, l.number, "权限" + Zq(w) + "重复", "duplicate permission " + Eq(w));
      } else {
        role->permissions.emplace_back(w);
      }
    }
    return;
  }
  // ledgers / restricted: `*` alone, or ledger ids.
  bool restricted = kw == "restricted";
  if (!WantArgs(file, l, 1, SIZE_MAX, std::string(kw) + " *|台账ID…")) return;
  (restricted ? src->restricted_line : src->ledgers_line) = l.number;
  bool& all = restricted ? role->all_restricted : role->all_ledgers;
  std::vector<std::string>& ids = restricted ? role->restricted : role->ledgers;
  for (size_t i = 1; i < l.words.size(); ++i) {
    std::string_view w = l.words[i];
    if (w == "*") {
      if (l.nargs() > 1) {
        Err(file, l.number, std::string(kw) + " * 表示全部，不能再列出台账 ID",
            std::string(kw) + " '*' cannot be combined with ledger ids");
        return;
      }
      all = true;
    } else if (std::find(ids.begin(), ids.end(), w) != ids.end()) {
      Err(file, l.number, "台账 ID" + Zq(w) + "重复", "duplicate ledger id " + Eq(w));
    } else {
      ids.emplace_back(w);
    }
  }
}

// Explicitly named ledgers (a `ledgers` or `restricted` line at `line`) must exist and be
// placeable in the role's scope; `restricted` may name only restricted ledgers.
void Loader::CheckRoleLedgers(const Role& role, const std::vector<std::string>& ids, int line,
                              bool grants_restricted) {
  for (const std::string& id : ids) {
    const Ledger* led = LedgerById(id);
    if (!led) {
      Err(role.file, line, "没有 ID 为" + Zq(id) + "的台账", "unknown ledger " + Eq(id));
      continue;
    }
    if (grants_restricted && !led->restricted) {
      Err(role.file, line,
          "台账" + Zq(id) + "（" + led->title + "）不是受限台账，不需要在 restricted 行授予",
          "ledger " + Eq(id) + " is not restricted");
    }
    // Listing a ledger the role could never see would read as a grant that silently does nothing.
    if (role.scope == RoleScope::kVillage && led->village_column < 0) {
      Err(role.file, line,
          "台账" + Zq(id) + "（" + led->title + "）没有所属村列，村级数据范围的角色看不到它",
          "ledger " + Eq(id) + " has no village column: a village-scoped role cannot see it");
    } else if (role.scope == RoleScope::kGrid && cat_.org.grids && led->grid_column < 0) {
      Err(role.file, line,
          "台账" + Zq(id) + "（" + led->title + "）没有所属网格列，网格级数据范围的角色看不到它",
          "ledger " + Eq(id) + " has no grid column: a grid-scoped role cannot see it");
    }
  }
}

void Loader::CheckRoles() {
  for (size_t i = 0; i < cat_.roles.size(); ++i) {
    const Role& role = cat_.roles[i];
    const RoleSrc& src = role_src_[i];
    const std::string& file = role.file;
    // The data scope decides what a role's users see: it is never left to a default.
    if (src.scope_line == 0) {
      Err(file, role.line, "角色" + Zq(role.id) + "缺少 scope 行（none、town、village 或 grid）",
          "role " + Eq(role.id) + " has no scope");
    }
    if (role.scope == RoleScope::kNone && src.scope_line > 0) {
      // Administrators and auditors see no ledger data: a data permission or ledger would be a
      // grant the engine never honours, or a mistake in the scope.
      std::string bad;
      for (const std::string& p : role.permissions) {
        if (p != "users" && p != "audit") bad += (bad.empty() ? "" : "、") + p;
      }
      if (!bad.empty()) {
        Err(file, src.can_line,
            "角色" + Zq(role.id) + "的数据范围为 none（看不到台账数据），不能授予 " + bad,
            "role " + Eq(role.id) + " has scope none but is granted data permissions");
      }
      for (auto [line, what] :
           {std::pair{src.ledgers_line, "ledgers"}, std::pair{src.restricted_line, "restricted"}}) {
        if (line > 0) {
          Err(file, line,
              "角色" + Zq(role.id) + "的数据范围为 none（看不到台账数据），不能有 " + what + " 行",
              "role " + Eq(role.id) + " has scope none but a '" + what + "' line");
        }
      }
    }
    if (role.scope == RoleScope::kGrid && !cat_.org.grids) {
      Err(file, src.scope_line, "org.txt 没有 grids 行（本包没有网格），数据范围不能为 grid",
          "scope grid, but org.txt has no grids");
    }
    CheckRoleLedgers(role, role.ledgers, src.ledgers_line, false);
    CheckRoleLedgers(role, role.restricted, src.restricted_line, true);
  }
}

Result<Catalog> Loader::Load(const PackFiles& files) {
  // Load order = error order: the pack, the org tree, then ledgers, figures, templates, the
  // dashboard and the roles.
  std::vector<std::pair<Kind, const std::pair<const std::string, std::string>*>> order;
  for (Kind k : {Kind::kPack, Kind::kOrg, Kind::kLedgers, Kind::kFigures, Kind::kTemplate,
                 Kind::kDashboard, Kind::kRoles}) {
    for (const auto& entry : files) {
      if (Classify(entry.first) == k) order.emplace_back(k, &entry);
    }
  }
  if (!files.count("pack.txt")) Err("pack.txt", 0, "缺少 pack.txt", "missing pack.txt");
  if (!files.count("org.txt")) Err("org.txt", 0, "缺少 org.txt", "missing org.txt");
  for (const auto& [kind, entry] : order) {
    const std::string& file = entry->first;
    const std::string& content = entry->second;
    errors_.AddFile(file);
    if (int bad = FirstBadUtf8Line(content)) {
      Err(file, bad, "不是有效的 UTF-8 文本（请用 UTF-8 编码保存）", "not valid UTF-8");
      continue;
    }
    switch (kind) {
      case Kind::kPack:
        ParsePackTxt(file, content);
        break;
      case Kind::kOrg:
        ParseOrg(file, content);
        break;
      case Kind::kLedgers:
        ParseLedgerFile(file, content);
        break;
      case Kind::kFigures:
        ParseFigureFile(file, content);
        break;
      case Kind::kTemplate: {
        Template t;
        t.id = file.substr(10, file.size() - 10 - 3);  // templates/NAME.md
        t.text = std::string(StripBom(content));
        t.file = file;
        cat_.templates.push_back(std::move(t));
        break;
      }
      case Kind::kDashboard:
        ParseDashboard(file, content);
        break;
      case Kind::kRoles:
        ParseRoles(file, content);
        break;
      case Kind::kOther:
        break;  // not part of the format (yet): ignored
    }
  }
  if (files.count("org.txt")) CheckOrg();
  for (size_t i = 0; i < cat_.ledgers.size(); ++i) ResolveLedger(&cat_.ledgers[i], ledger_src_[i]);
  for (size_t i = 0; i < cat_.ledgers.size(); ++i) CheckRefs(cat_.ledgers[i], ledger_src_[i]);
  CheckGrids();
  CheckFigures();
  CheckDashboard();
  CheckRoles();  // after ResolveLedger: needs the village and grid columns
  if (!errors_.empty()) return errors_.ToStatus();
  return std::move(cat_);
}

}  // namespace

Result<Catalog> LoadPack(const PackFiles& files) {
  Loader loader;
  return loader.Load(files);
}

}  // namespace tz::pack
