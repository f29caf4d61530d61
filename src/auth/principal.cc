#include "auth/principal.h"

#include <utility>

namespace tz::auth {

Principal Principal::LocalAdmin(const pack::Catalog& catalog, std::string_view os_user) {
  Principal p;
  p.actor_ = "local-admin:" + std::string(os_user.empty() ? "unknown" : os_user);
  // The root of the tree: the town, or the whole district or city (as Engine::ResolveScope("")).
  p.root_.level = catalog.org.town.level;
  p.root_.code = catalog.org.town.code;
  p.root_.name = catalog.org.town.name;
  p.root_.spans_towns = catalog.org.MultiTown();
  return p;
}

Principal Principal::ForUser(std::string name, const pack::Role& role, figures::Scope root) {
  Principal p;
  p.actor_ = std::move(name);
  p.role_ = &role;
  p.root_ = std::move(root);
  return p;
}

pack::RoleScope Principal::scope_kind() const {
  return role_ ? role_->scope : pack::RoleScope::kTown;
}

bool Principal::Can(std::string_view permission) const {
  return role_ == nullptr || role_->Can(permission);
}

bool Principal::SeesLedger(const pack::Ledger& ledger) const {
  if (role_ == nullptr) return true;
  if (!role_->SeesLedger(ledger)) return false;
  switch (role_->scope) {
    case pack::RoleScope::kNone:
      return false;
    case pack::RoleScope::kTown:
      return true;
    case pack::RoleScope::kVillage:
      return ledger.village_column >= 0;
    case pack::RoleScope::kGrid:
      return ledger.grid_column >= 0;
  }
  return false;
}

bool Principal::Covers(const figures::Scope& unit) const {
  switch (scope_kind()) {
    case pack::RoleScope::kNone:
      return false;
    case pack::RoleScope::kTown:
      return true;
    case pack::RoleScope::kVillage:
      if (unit.level == pack::OrgLevel::kVillage) return unit.code == root_.code;
      if (unit.level == pack::OrgLevel::kGrid) return unit.parent_code == root_.code;
      return false;
    case pack::RoleScope::kGrid:
      return unit.level == pack::OrgLevel::kGrid && unit.code == root_.code;
  }
  return false;
}

}  // namespace tz::auth
