// Accounts as use cases (issue 5): signing in and out, and managing users — with roles and units
// checked against the pack, the `users` permission required, and everything audited (by
// auth::UserStore, in the same transaction as the change). The password policy is a setting kept
// in the database (`_settings`), changed by those with `users`.
#ifndef TAIZHANG_SERVICE_USERS_SERVICE_H_
#define TAIZHANG_SERVICE_USERS_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "auth/user_store.h"
#include "service/database.h"

namespace tz::service {

// A signed-in account: its session and what it may do.
struct SignedIn {
  auth::Session session;
  auth::Principal principal;
};

// The Principal of an account: its role from the pack and its scope's root from its unit.
// FailedPrecondition when the role is no longer in the pack or the unit no longer exists (the
// account cannot act until an administrator fixes it).
Result<auth::Principal> PrincipalFor(Database& db, const auth::User& user);

// UserStore::Login, then PrincipalFor. `create_session` false: the command line's --user.
Result<SignedIn> SignIn(Database& db, const std::string& name, const std::string& password,
                        const std::string& remote, bool create_session);
// The account behind a session cookie (UserStore::Authenticate), or Unauthenticated.
Result<SignedIn> ResumeSession(Database& db, const std::string& token);
Status SignOut(Database& db, const std::string& token);
Status ChangeOwnPassword(Database& db, const std::string& name, const std::string& old_password,
                         const std::string& new_password, const std::string& keep_token);

// The policy in force: the defaults of auth::AuthPolicy with the stored password settings.
Result<auth::AuthPolicy> LoadAuthPolicy(Database& db);
// Changes the password policy (min_length 8..64, min_classes 1..4). Needs `users`; audited.
Status SavePasswordPolicy(Database& db, const auth::Principal& who,
                          const auth::PasswordPolicy& policy);

// An account as the user list shows it.
struct UserView {
  auth::User user;
  std::string role_title;  // 村干部 ("" when the role is gone from the pack)
  std::string unit_name;   // 院前村, a grid's name, or ""
  bool locked = false;     // locked_until lies ahead
};

// All need `users` (the local administrator has it). Role ids must be roles of the pack; the unit
// must fit the role's scope: a village for village roles, a grid key for grid roles, none for
// town-wide and scope-none roles (InvalidArgument saying which).
Result<std::string> AddUserAs(Database& db, const auth::Principal& who, auth::NewUser user);
Result<std::vector<UserView>> ListUsersAs(Database& db, const auth::Principal& who);
// A user cannot disable their own account (they would lock out the last administrator).
Status UpdateUserAs(Database& db, const auth::Principal& who, const std::string& name,
                    const auth::UserChange& change);
Result<std::string> ResetPasswordAs(Database& db, const auth::Principal& who,
                                    const std::string& name);
Status UnlockAs(Database& db, const auth::Principal& who, const std::string& name);

}  // namespace tz::service

#endif  // TAIZHANG_SERVICE_USERS_SERVICE_H_
