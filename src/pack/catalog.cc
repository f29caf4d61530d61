// The Catalog's small lookups and reading a pack folder from disk. Parsing and validation live in
// load_pack.cc.
#include "pack/catalog.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "base/strings.h"

namespace tz::pack {

namespace fs = std::filesystem;

const char* ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInt:
      return "int";
    case ColumnType::kDecimal:
      return "decimal";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kMonth:
      return "month";
    case ColumnType::kEnum:
      return "enum";
    case ColumnType::kBool:
      return "bool";
    case ColumnType::kId18:
      return "id18";
    case ColumnType::kUscc:
      return "uscc";
    case ColumnType::kPhone:
      return "phone";
    case ColumnType::kUnit:
      return "unit";
    case ColumnType::kRef:
      return "ref";
  }
  return "?";
}

namespace {

struct DisplayRuleEntry {
  std::string_view name;
  DisplayRule rule;
};

// Canonical names first: DisplayRuleName returns the first entry for a rule.
constexpr DisplayRuleEntry kDisplayRules[] = {
    {"int", DisplayRule::kInt},
    {"yuan", DisplayRule::kYuan},
    {"wan", DisplayRule::kWan},
    {"decimal", DisplayRule::kDecimal},
    {"percent", DisplayRule::kPercent},
    {"percent_floor", DisplayRule::kPercentFloor},
    {"approx_yu", DisplayRule::kApproxYu},
    {"approx_duo", DisplayRule::kApproxDuo},
    {"cn_count", DisplayRule::kCnCount},
    {"list", DisplayRule::kList},
    {"groups", DisplayRule::kGroups},
    {"groups_named", DisplayRule::kGroupsNamed},
    {"bool", DisplayRule::kBool},
    {"text", DisplayRule::kText},
    // Short forms template writers use in placeholders ({{x|余}}, {{x|floor}}).
    {"余", DisplayRule::kApproxYu},
    {"多", DisplayRule::kApproxDuo},
    {"floor", DisplayRule::kPercentFloor},
};

}  // namespace

const char* DisplayRuleName(DisplayRule rule) {
  for (const auto& e : kDisplayRules) {
    if (e.rule == rule) return e.name.data();  // literals: NUL-terminated
  }
  return "?";
}

std::optional<DisplayRule> ParseDisplayRule(std::string_view name) {
  for (const auto& e : kDisplayRules) {
    if (e.name == name) return e.rule;
  }
  return std::nullopt;
}

bool Column::HasEnumValue(std::string_view v) const {
  return std::find(enum_values.begin(), enum_values.end(), v) != enum_values.end();
}

const Column* Ledger::FindColumn(std::string_view label) const {
  int i = ColumnIndex(label);
  return i < 0 ? nullptr : &columns[i];
}

int Ledger::ColumnIndex(std::string_view label) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].label == label) return static_cast<int>(i);
  }
  return -1;
}

const char* OrgLevelWord(OrgLevel level) {
  switch (level) {
    case OrgLevel::kCity: return "市";
    case OrgLevel::kDistrict: return "区";
    case OrgLevel::kTown: return "镇";
    case OrgLevel::kVillage: return "村";
    case OrgLevel::kGrid: return "网格";
  }
  return "";
}

namespace {

bool Names(const OrgUnit& u, std::string_view key) {
  if (u.code == key || u.name == key) return true;
  for (const std::string& a : u.aliases) {
    if (a == key) return true;
  }
  return false;
}

}  // namespace

void OrgTree::BuildIndex() {
  village_index_.clear();
  for (size_t i = 0; i < villages.size(); ++i) {
    const OrgUnit& v = villages[i];
    village_index_.emplace(v.code, i);
    village_index_.emplace(v.name, i);
    for (const std::string& a : v.aliases) village_index_.emplace(a, i);
  }
}

std::vector<const OrgUnit*> OrgTree::VillagesNamed(std::string_view name_or_code) const {
  // Cells typed in spreadsheets often carry stray (ideographic) spaces.
  std::string_view key = TrimSpace(name_or_code);
  std::vector<const OrgUnit*> out;
  if (key.empty()) return out;
  if (!village_index_.empty()) {
    auto [lo, hi] = village_index_.equal_range(std::string(key));
    for (auto it = lo; it != hi; ++it) {
      const OrgUnit* v = &villages[it->second];
      if (out.empty() || out.back() != v) out.push_back(v);  // a name equal to its alias
    }
    return out;
  }
  for (const OrgUnit& v : villages) {
    if (Names(v, key)) out.push_back(&v);
  }
  return out;
}

const OrgUnit* OrgTree::FindVillage(std::string_view name_or_code) const {
  std::vector<const OrgUnit*> found = VillagesNamed(name_or_code);
  return found.size() == 1 ? found.front() : nullptr;
}

const OrgUnit* OrgTree::FindVillageIn(std::string_view town_code,
                                       std::string_view name_or_code) const {
  for (const OrgUnit* v : VillagesNamed(name_or_code)) {
    if (v->parent_code == town_code) return v;
  }
  return nullptr;
}

const OrgUnit* OrgTree::FindAbove(std::string_view name_or_code) const {
  std::string_view key = TrimSpace(name_or_code);
  if (key.empty()) return nullptr;
  if (Names(town, key)) return &town;
  for (const OrgUnit& d : districts) {
    if (Names(d, key)) return &d;
  }
  for (const OrgUnit& t : towns) {
    if (Names(t, key)) return &t;
  }
  return nullptr;
}

const OrgUnit* OrgTree::TownOfVillage(std::string_view village_code) const {
  if (village_code.size() < 9) return nullptr;
  std::string_view prefix = village_code.substr(0, 9);
  for (const OrgUnit& t : towns) {
    if (t.code == prefix) return &t;
  }
  return nullptr;
}

std::vector<std::string> OrgTree::TownCodesUnder(const OrgUnit& unit) const {
  std::vector<std::string> out;
  for (const OrgUnit& t : towns) {
    // Codes nest by prefix (the loader checks it): a town lies under a unit whose code starts it.
    if (t.code.compare(0, unit.code.size(), unit.code) == 0) out.push_back(t.code);
  }
  return out;
}

std::vector<const OrgUnit*> OrgTree::VillagesOf(std::string_view town_code) const {
  std::vector<const OrgUnit*> out;
  for (const OrgUnit& v : villages) {
    if (v.parent_code == town_code) out.push_back(&v);
  }
  return out;
}

bool IsPermission(std::string_view word) {
  for (const char* p : kPermissions) {
    if (word == p) return true;
  }
  return false;
}

const char* RoleScopeName(RoleScope scope) {
  switch (scope) {
    case RoleScope::kNone:
      return "none";
    case RoleScope::kTown:
      return "town";
    case RoleScope::kVillage:
      return "village";
    case RoleScope::kGrid:
      return "grid";
  }
  return "?";
}

bool Role::Can(std::string_view permission) const {
  return std::find(permissions.begin(), permissions.end(), permission) != permissions.end();
}

bool Role::SeesLedger(const Ledger& ledger) const {
  auto listed = [&](const std::vector<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), ledger.id) != ids.end();
  };
  // A restricted ledger (petitions, discipline cases) is seen only with its own grant: neither
  // `ledgers *` nor listing it under `ledgers` is enough, so widening a role's ledgers can never
  // open one by accident.
  if (ledger.restricted) return all_restricted || listed(restricted);
  return all_ledgers || listed(ledgers);
}

const Ledger* Catalog::FindLedger(std::string_view id_or_title) const {
  // Ids first: an id can never equal a (Chinese) title, but be deterministic anyway.
  for (const Ledger& l : ledgers) {
    if (l.id == id_or_title) return &l;
  }
  for (const Ledger& l : ledgers) {
    if (l.title == id_or_title) return &l;
  }
  return nullptr;
}

const FigureDef* Catalog::FindFigure(std::string_view id) const {
  for (const FigureDef& f : figures) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const Template* Catalog::FindTemplate(std::string_view id) const {
  for (const Template& t : templates) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const Role* Catalog::FindRole(std::string_view id_or_title) const {
  // Ids first, as for ledgers: a user record stores the id, a cadre types the title.
  for (const Role& r : roles) {
    if (r.id == id_or_title) return &r;
  }
  for (const Role& r : roles) {
    if (r.title == id_or_title) return &r;
  }
  return nullptr;
}

namespace {

// A pack file is hand-written text; anything bigger is a mistake (or an attack), not a pack.
constexpr uintmax_t kMaxPackFileBytes = 16u << 20;

Status ReadOne(const fs::path& path, const std::string& rel, PackFiles* out) {
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  if (ec) {
    return Status::IoError("无法读取台账包文件“" + rel + "”",
                           "cannot stat pack file " + path.string() + ": " + ec.message());
  }
  if (size > kMaxPackFileBytes) {
    return Status::InvalidArgument("台账包文件“" + rel + "”过大（超过 16MB）",
                                   "pack file " + path.string() + " is larger than 16 MiB");
  }
  std::string text;
  if (!ReadFileToString(path.string(), &text)) {
    return Status::IoError("无法读取台账包文件“" + rel + "”",
                           "cannot read pack file " + path.string());
  }
  (*out)[rel] = std::move(text);
  return Status::Ok();
}

// Reads DIR/SUB/*.EXT (not recursive), in name order so catalogs load deterministically.
Status ReadSubdir(const fs::path& root, const std::string& sub, std::string_view ext,
                  PackFiles* out) {
  std::error_code ec;
  fs::path dir = root / sub;
  if (!fs::is_directory(dir, ec)) return Status::Ok();  // an empty section is allowed
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    // Editor backups and lock files (".#x.txt") are not part of the pack.
    if (name.empty() || name[0] == '.' || !EndsWith(name, ext)) continue;
    std::error_code ec2;
    if (!it->is_regular_file(ec2)) continue;
    names.push_back(std::move(name));
  }
  if (ec) {
    return Status::IoError("无法读取台账包目录“" + sub + "”",
                           "cannot list " + dir.string() + ": " + ec.message());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    TZ_RETURN_IF_ERROR(ReadOne(dir / name, sub + "/" + name, out));
  }
  return Status::Ok();
}

}  // namespace

Result<PackFiles> ReadPackDir(const std::string& dir) {
  std::error_code ec;
  fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    return Status::NotFound("找不到台账包目录“" + dir + "”", "pack directory not found: " + dir);
  }
  PackFiles files;
  for (const char* name : {"pack.txt", "org.txt"}) {
    fs::path p = root / name;
    if (!fs::is_regular_file(p, ec)) {
      return Status::NotFound("台账包“" + dir + "”缺少 " + name, "pack " + dir + " has no " + name);
    }
    TZ_RETURN_IF_ERROR(ReadOne(p, name, &files));
  }
  TZ_RETURN_IF_ERROR(ReadSubdir(root, "ledgers", ".txt", &files));
  TZ_RETURN_IF_ERROR(ReadSubdir(root, "figures", ".txt", &files));
  TZ_RETURN_IF_ERROR(ReadSubdir(root, "templates", ".md", &files));
  for (const char* name : {"dashboard.txt", "roles.txt"}) {  // optional
    if (fs::is_regular_file(root / name, ec)) {
      TZ_RETURN_IF_ERROR(ReadOne(root / name, name, &files));
    }
  }
  return files;
}

}  // namespace tz::pack
