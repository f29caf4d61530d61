// The Catalog: a pack (docs/pack.md) loaded and validated. Everything township-specific the engine
// knows comes from here; the engine itself names no ledger, column or figure.
#ifndef TAIZHANG_PACK_CATALOG_H_
#define TAIZHANG_PACK_CATALOG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace tz::pack {

enum class ColumnType {
  kText,
  kInt,
  kDecimal,
  kDate,
  kMonth,
  kEnum,
  kBool,
  kId18,
  kUscc,
  kPhone,
  kUnit,
  kRef,
};

// "text", "int", … as written in a pack ("enum" and "ref" without their arguments).
const char* ColumnTypeName(ColumnType type);

struct Column {
  std::string label;  // the spreadsheet header, exact
  ColumnType type = ColumnType::kText;
  std::vector<std::string> enum_values;  // kEnum only, in pack order
  std::string ref_ledger;                // kRef only: the id of the referenced ledger
  bool required = false;
  // Personal data shown masked unless the viewer may unmask (docs/security.md). Always true for
  // id18 and phone columns; the pack's `sensitive` attribute marks others (text: first character
  // kept, the rest as *).
  bool sensitive = false;
  std::optional<int64_t> min;  // kInt / kDecimal (in whole units)
  std::optional<int64_t> max;

  bool HasEnumValue(std::string_view v) const;
};

struct Check {
  enum class Kind { kIdSex, kIdBirth };
  Kind kind;
  std::string id_column;     // label of an id18 column
  std::string other_column;  // label of the sex (enum 男|女) or date column
};

struct Ledger {
  std::string id;     // ASCII, e.g. used as the SQL table suffix
  std::string title;  // Chinese title
  std::string domain;
  std::string note;
  std::vector<Column> columns;  // spreadsheet order
  int key_column = -1;          // index into columns, or -1
  int village_column = -1;      // the unit column placing a row in a village, or -1
  int grid_column = -1;         // the ref column placing a row in a grid, or -1
  // Which rows belong to a period P, for exports (pack: `period at C` / `period from C [until E]`).
  // "at": an event, in P when C lies in P. "from … until": a state, in P when it was in force at
  // some time in P: C ≤ P's last day and (E empty or E > P's first day). Default: "at" the first
  // date or month column. period_start -1: the ledger has no dates and every row is in every P.
  int period_start = -1;
  int period_end = -1;
  bool period_in_force = false;
  // `restricted` in the pack: its records are visible only to roles granted it (a role's
  // `restricted` line), e.g. petitions and discipline cases.
  bool restricted = false;
  std::vector<Check> checks;

  const Column* FindColumn(std::string_view label) const;
  int ColumnIndex(std::string_view label) const;  // -1 if absent
};

// Levels top down. A township pack's tree is a town with villages (and grids, rows of a ledger);
// a district's or a city's has districts and towns above the villages (org.txt `city`/`district`).
enum class OrgLevel { kCity, kDistrict, kTown, kVillage, kGrid };
const char* OrgLevelWord(OrgLevel level);  // 市, 区, 镇, 村, 网格

struct OrgUnit {
  OrgLevel level = OrgLevel::kTown;
  // Statistical code (city 4 digits, district 6, town 9, village 12; each starts with its
  // parent's) or grid key.
  std::string code;
  std::string name;                  // short name: 院前村
  std::vector<std::string> aliases;  // other accepted names: 院前村委会
  std::string parent_code;           // village → town, town → district, grid → village
};

// Where grid org units come from: rows of a ledger.
struct GridSource {
  std::string ledger;       // ledger id
  std::string code_column;  // labels within that ledger
  std::string name_column;
  std::string village_column;
};

struct OrgTree {
  std::vector<std::string> region;  // names above the root, top down: 江西省 宜春市 袁州区
  // The root of the tree: the town of a township pack, or the district or city of a pack that
  // spans several towns (then rows are placed in their town by the store's _town column).
  OrgUnit town;
  std::vector<OrgUnit> districts;  // a city's districts, in file order; empty otherwise
  std::vector<OrgUnit> towns;      // every town, in file order; a township pack's one town
  std::vector<OrgUnit> villages;   // every village of every town, in file order
  std::optional<GridSource> grids;

  // More than one town: the root is a district or a city.
  bool MultiTown() const { return town.level == OrgLevel::kCity || town.level == OrgLevel::kDistrict; }

  // By 12-digit code, or by short name or alias when exactly one village has it (names repeat
  // across towns: 院前村 is in two towns of 袁州区). nullptr if none or ambiguous.
  const OrgUnit* FindVillage(std::string_view name_or_code) const;
  // A village of one town by code, name or alias.
  const OrgUnit* FindVillageIn(std::string_view town_code, std::string_view name_or_code) const;
  // Every village with that code, name or alias (for messages naming the candidates).
  std::vector<const OrgUnit*> VillagesNamed(std::string_view name_or_code) const;
  // The root, a district or a town by code or name (unique at those levels). nullptr if none.
  const OrgUnit* FindAbove(std::string_view name_or_code) const;
  // The town a village (by its code) belongs to, by code prefix; nullptr if none.
  const OrgUnit* TownOfVillage(std::string_view village_code) const;
  // The codes of the towns under a unit of the tree (the root: every town; a town: itself).
  std::vector<std::string> TownCodesUnder(const OrgUnit& unit) const;
  // The villages of one town.
  std::vector<const OrgUnit*> VillagesOf(std::string_view town_code) const;

  // Indexes villages by code, name and alias, for lookups in constant time (an import converts
  // every unit cell; a city has 2,794 villages). The loader calls it; a tree built by hand works
  // without, by scanning.
  void BuildIndex();

 private:
  std::unordered_multimap<std::string, size_t> village_index_;  // code, name, alias → villages[i]
};

enum class DisplayRule {
  kInt,
  kYuan,
  kWan,
  kDecimal,
  kPercent,
  kPercentFloor,
  kApproxYu,
  kApproxDuo,
  kCnCount,
  kList,
  kGroups,
  kGroupsNamed,
  kBool,
  kText,
};
const char* DisplayRuleName(DisplayRule rule);                       // "int", "approx_yu", …
std::optional<DisplayRule> ParseDisplayRule(std::string_view name);  // also 余 多 floor

struct FigureDef {
  std::string id;
  std::string label;
  std::string words;
  std::string expr;  // the figure-language text of `value`
  DisplayRule display = DisplayRule::kInt;
  // A word after the rule: the measure word of `groups` / `groups_named` (`display groups 家`).
  std::string display_arg;
  std::string note;
  std::string file;  // where it was defined, for error messages
  int line = 0;      // line of the `value` attribute
};

struct Template {
  std::string id;    // file stem: "seed"
  std::string text;  // whole file
  std::string file;
};

// The web app's front page (dashboard.txt, optional): which figures it shows, by figure id.
struct DashboardCard {
  std::string title;                 // a work area: 乡村振兴, 平安建设, …
  std::vector<std::string> figures;  // its key figures, in order
};
struct Dashboard {
  std::vector<DashboardCard> cards;
  std::vector<std::string> compare;  // compared across villages (a bar chart)
  std::vector<std::string> trend;    // month by month over the period (a line chart)
};

// Permissions a role can be granted (roles.txt `can …`). The engine checks these words; a pack
// cannot invent others.
//   read    records of the ledgers the role sees, within its scope (lists, search, drill-down)
//   write   create, change and delete those records
//   import  import spreadsheets into them (rows outside the scope are refused)
//   export  export them to xlsx/csv
//   report  figures, dashboard and reports for units within the scope
//   unmask  sensitive columns in full (every use is audited)
//   users   manage accounts (create, disable, reset passwords, roles)
//   audit   read, verify and export the audit log
inline constexpr const char* kPermissions[] = {"read",   "write",  "import", "export",
                                               "report", "unmask", "users",  "audit"};
bool IsPermission(std::string_view word);

// A role's data scope: the org subtree its users act within. The unit itself (which village,
// which grid) is set per user; kNone roles see no ledger data at all (administrators, auditors).
enum class RoleScope { kNone, kTown, kVillage, kGrid };
const char* RoleScopeName(RoleScope scope);  // "none", "town", "village", "grid"

// roles.txt (optional; without it only the command line's local administrator can act).
struct Role {
  std::string id;     // ASCII: "village_cadre"; stored with each user
  std::string title;  // 村干部
  RoleScope scope = RoleScope::kNone;
  std::vector<std::string> permissions;  // each IsPermission
  // Ledgers whose records the role sees: every unrestricted ledger (`ledgers *`) or those listed.
  bool all_ledgers = false;
  std::vector<std::string> ledgers;  // ledger ids
  // Restricted ledgers granted (`restricted *` or ids). A restricted ledger needs this grant even
  // with `ledgers *`; a listed restricted ledger needs it too.
  bool all_restricted = false;
  std::vector<std::string> restricted;  // ledger ids
  std::string file;
  int line = 0;

  bool Can(std::string_view permission) const;
  // Whether the role may see `ledger`'s records at all (its scope placement is checked elsewhere).
  bool SeesLedger(const Ledger& ledger) const;
};

struct Catalog {
  std::string name;
  std::string version;
  std::string description;
  OrgTree org;
  std::vector<Ledger> ledgers;
  std::vector<FigureDef> figures;
  std::vector<Template> templates;
  Dashboard dashboard;
  std::vector<Role> roles;

  // By id or title.
  const Ledger* FindLedger(std::string_view id_or_title) const;
  const FigureDef* FindFigure(std::string_view id) const;
  const Template* FindTemplate(std::string_view id) const;
  const Role* FindRole(std::string_view id_or_title) const;
};

// A pack as files: path relative to the pack root ("ledgers/rural.txt") → contents.
using PackFiles = std::map<std::string, std::string>;

// Reads every pack file (pack.txt, org.txt, ledgers/*.txt, figures/*.txt, templates/*.md, and
// dashboard.txt and roles.txt when there are).
Result<PackFiles> ReadPackDir(const std::string& dir);

// Parses and validates a pack. Checks: syntax; unique ledger ids/titles, column labels, figure
// ids; known types and display rules; ref() targets exist and have a key; key/scope/check columns
// exist and have the right types; village codes are 12 digits under the town's 9. Every error
// names file and line. (Figure expressions are checked later by the figures layer's binder.)
Result<Catalog> LoadPack(const PackFiles& files);

}  // namespace tz::pack

#endif  // TAIZHANG_PACK_CATALOG_H_
