// Who is acting, and what they may see and do (issue 5, docs/security.md). A Principal is built
// from a session (the server) or from --user / --local-admin (the command line) — never from
// anything a request says about itself — and every use case in the service layer takes one.
#ifndef TAIZHANG_AUTH_PRINCIPAL_H_
#define TAIZHANG_AUTH_PRINCIPAL_H_

#include <string>
#include <string_view>

#include "figures/scope.h"
#include "pack/catalog.h"

namespace tz::auth {

class Principal {
 public:
  // The command line's explicitly named local administrator: every permission over the whole
  // town (someone who can run the binary on the database file can read the file anyway). Audited
  // as "local-admin:<os_user>".
  static Principal LocalAdmin(const pack::Catalog& catalog, std::string_view os_user);

  // An account: its role from the pack and the root of its data scope (the town for town-wide
  // roles, the user's village or grid; ignored for scope-none roles).
  static Principal ForUser(std::string name, const pack::Role& role, figures::Scope root);

  // The audit log's actor: the account name, or "local-admin:<os user>".
  const std::string& actor() const { return actor_; }
  bool local_admin() const { return role_ == nullptr; }
  const pack::Role* role() const { return role_; }
  pack::RoleScope scope_kind() const;
  // The root of the data scope (meaningless when scope_kind() is kNone).
  const figures::Scope& root() const { return root_; }

  bool Can(std::string_view permission) const;
  // The role sees the ledger's records (listed, restricted grant) and the ledger can be placed in
  // the scope: a village-scoped role sees only ledgers with a village column, a grid-scoped one
  // only ledgers with a grid column. Scope none sees nothing.
  bool SeesLedger(const pack::Ledger& ledger) const;
  // Whether `unit` lies within the scope: the town covers everything, a village itself and its
  // grids (figures::Scope::parent_code), a grid itself.
  bool Covers(const figures::Scope& unit) const;

 private:
  Principal() = default;
  std::string actor_;
  const pack::Role* role_ = nullptr;  // nullptr: local administrator
  figures::Scope root_;
};

}  // namespace tz::auth

#endif  // TAIZHANG_AUTH_PRINCIPAL_H_
