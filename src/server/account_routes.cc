// Accounts over HTTP (issue 5, docs/api.md): signing in and out, one's own profile and password,
// and — for roles with `users` — the user list, roles and the password policy.
#include <utility>

#include "server/api.h"
#include "server/json_response.h"
#include "server/route_util.h"
#include "server/session_guard.h"
#include "service/users_service.h"

namespace tz::server {
namespace {

using nlohmann::json;

// A string member of a JSON body ("" when absent); InvalidArgument when it is not a string.
Result<std::string> StringMember(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::string();
    return Status::InvalidArgument(std::string("缺少") + name, std::string("missing ") + name);
  }
  if (!it->is_string()) {
    return Status::InvalidArgument(std::string(name) + " 应为文字", std::string(name) + " not a string");
  }
  return it->get<std::string>();
}

json ProfileJson(service::DatabasePool& pool, const service::SignedIn& in) {
  const auth::Principal& who = in.principal;
  const auth::User& u = in.session.user;
  json permissions = json::array();
  for (const char* p : pack::kPermissions) {
    if (who.Can(p)) permissions.push_back(p);
  }
  json ledgers = json::array();
  for (const pack::Ledger& l : pool.catalog().ledgers) {
    if (who.SeesLedger(l)) ledgers.push_back(l.id);
  }
  const pack::Role* role = who.role();
  return {{"user",
           {{"name", u.name},
            {"display_name", u.display_name},
            {"role", u.role},
            {"role_title", role ? role->title : ""},
            {"scope", pack::RoleScopeName(who.scope_kind())},
            {"unit", who.scope_kind() == pack::RoleScope::kNone
                         ? json(nullptr)
                         : json({{"code", who.root().code}, {"name", who.root().name}})},
            {"permissions", std::move(permissions)},
            {"ledgers", std::move(ledgers)},
            {"must_change_password", u.must_change_password}}},
          {"csrf", in.session.csrf}};
}

// POST /api/auth/login {"user", "password"} → 200 profile + Set-Cookie | 401 (one message for
// every failure).
HttpResponse Login(service::DatabasePool& pool, const SessionOptions& options,
                   const HttpRequest& req) {
  // Only a script of this origin can send JSON: a form on another site posting a crafted body
  // (to sign the victim into the attacker's account) cannot set this type without CORS.
  if (req.Header("content-type").rfind("application/json", 0) != 0) {
    return ErrorResponse(415, "unsupported_media_type", "登录请求应为 JSON（application/json）",
                         "login without a JSON content type");
  }
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return StatusResponse(body.status());
  auto name = StringMember(*body, "user", false);
  auto password = StringMember(*body, "password", false);
  if (!name.ok() || !password.ok() || name->empty() || password->empty()) {
    return StatusResponse(
        Status::InvalidArgument("请输入用户名和密码", "login without user or password"));
  }
  std::string remote = req.remote.substr(0, req.remote.rfind(':'));
  auto db = pool.Acquire();
  auto in = service::SignIn(*db, *name, *password, remote, true);
  if (in.ok()) {
    // The browser's previous session, if any, ends: one cookie, one live session.
    if (std::string old = SessionToken(req); !old.empty()) (void)service::SignOut(*db, old);
  }
  if (!in.ok()) return StatusResponse(in.status());
  HttpResponse res = JsonResponse(ProfileJson(pool, *in));
  res.headers.emplace_back("Set-Cookie", SessionCookie(in->session.token, req, options));
  return res;
}

// POST /api/auth/logout → 204, the session ended and the cookie cleared.
HttpResponse Logout(service::DatabasePool& pool, const SessionOptions& options,
                    const HttpRequest& req) {
  Status s = service::SignOut(*pool.Acquire(), SessionToken(req));
  if (!s.ok()) return StatusResponse(s);
  HttpResponse res;
  res.status = 204;
  res.body.clear();
  res.headers.emplace_back("Set-Cookie", ClearedSessionCookie(req, options));
  return res;
}

// POST /api/auth/password {"old_password", "new_password"} → 204; other sessions end.
HttpResponse ChangePassword(service::DatabasePool& pool, const HttpRequest& req) {
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return StatusResponse(body.status());
  auto old_pw = StringMember(*body, "old_password", true);
  if (!old_pw.ok()) return StatusResponse(old_pw.status());
  auto new_pw = StringMember(*body, "new_password", true);
  if (!new_pw.ok()) return StatusResponse(new_pw.status());
  Status s = service::ChangeOwnPassword(*pool.Acquire(), req.caller->session.user.name, *old_pw,
                                        *new_pw, SessionToken(req));
  if (!s.ok()) return StatusResponse(s);
  HttpResponse res;
  res.status = 204;
  return res;
}

json UserJson(const service::UserView& v) {
  return {{"name", v.user.name},
          {"display_name", v.user.display_name},
          {"role", v.user.role},
          {"role_title", v.role_title},
          {"unit", v.user.unit},
          {"unit_name", v.unit_name},
          {"disabled", v.user.disabled},
          {"locked", v.locked},
          {"must_change_password", v.user.must_change_password},
          {"created_at", v.user.created_at}};
}

HttpResponse ListUsers(service::DatabasePool& pool, const HttpRequest& req) {
  auto users = service::ListUsersAs(*pool.Acquire(), Who(req));
  if (!users.ok()) return StatusResponse(users.status());
  json out = json::array();
  for (const service::UserView& v : *users) out.push_back(UserJson(v));
  return JsonResponse(out);
}

// POST /api/users {"name", "display_name", "role", "unit", "password"?} → 201 {"name",
// "password"?}: a generated password is shown this once and must be changed at first login.
HttpResponse AddUser(service::DatabasePool& pool, const HttpRequest& req) {
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return StatusResponse(body.status());
  auth::NewUser u;
  for (auto [field, name, required] :
       {std::tuple{&u.name, "name", true}, {&u.display_name, "display_name", false},
        {&u.role, "role", true}, {&u.unit, "unit", false}, {&u.password, "password", false}}) {
    auto v = StringMember(*body, name, required);
    if (!v.ok()) return StatusResponse(v.status());
    *field = std::move(*v);
  }
  const bool generated = u.password.empty();
  auto password = service::AddUserAs(*pool.Acquire(), Who(req), u);
  if (!password.ok()) return StatusResponse(password.status());
  json out = {{"name", u.name}};
  if (generated) out["password"] = *password;
  return JsonResponse(out, 201);
}

// PUT /api/users/{name} {"display_name"?, "role"?, "unit"?, "disabled"?} → 200.
HttpResponse UpdateUser(service::DatabasePool& pool, const HttpRequest& req,
                        const PathParams& params) {
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return StatusResponse(body.status());
  auth::UserChange change;
  for (auto [field, name] : {std::pair{&change.display_name, "display_name"},
                             {&change.role, "role"}, {&change.unit, "unit"}}) {
    if (!body->contains(name)) continue;
    auto v = StringMember(*body, name, false);
    if (!v.ok()) return StatusResponse(v.status());
    *field = std::move(*v);
  }
  if (auto it = body->find("disabled"); it != body->end()) {
    if (!it->is_boolean()) {
      return StatusResponse(Status::InvalidArgument("disabled 应为 true 或 false",
                                                    "disabled not a boolean"));
    }
    change.disabled = it->get<bool>();
  }
  Status s = service::UpdateUserAs(*pool.Acquire(), Who(req), params.at("name"), change);
  if (!s.ok()) return StatusResponse(s);
  return JsonResponse({{"name", params.at("name")}});
}

HttpResponse ResetPassword(service::DatabasePool& pool, const HttpRequest& req,
                           const PathParams& params) {
  auto password = service::ResetPasswordAs(*pool.Acquire(), Who(req), params.at("name"));
  if (!password.ok()) return StatusResponse(password.status());
  return JsonResponse({{"name", params.at("name")}, {"password", *password}});
}

HttpResponse Unlock(service::DatabasePool& pool, const HttpRequest& req,
                    const PathParams& params) {
  Status s = service::UnlockAs(*pool.Acquire(), Who(req), params.at("name"));
  if (!s.ok()) return StatusResponse(s);
  return JsonResponse({{"name", params.at("name")}});
}

// GET /api/roles → the pack's roles, for the user form.
HttpResponse Roles(service::DatabasePool& pool) {
  json out = json::array();
  for (const pack::Role& r : pool.catalog().roles) {
    out.push_back({{"id", r.id},
                   {"title", r.title},
                   {"scope", pack::RoleScopeName(r.scope)},
                   {"permissions", r.permissions}});
  }
  return JsonResponse(out);
}

// GET/PUT /api/settings {"password_min_length", "password_min_classes"}.
HttpResponse Settings(service::DatabasePool& pool) {
  auto policy = service::LoadAuthPolicy(*pool.Acquire());
  if (!policy.ok()) return StatusResponse(policy.status());
  return JsonResponse({{"password_min_length", policy->password.min_length},
                       {"password_min_classes", policy->password.min_classes}});
}

HttpResponse SaveSettings(service::DatabasePool& pool, const HttpRequest& req) {
  if (auto refused = JsonBodyTooLarge(req)) return *refused;
  auto body = ParseJsonObject(req);
  if (!body.ok()) return StatusResponse(body.status());
  auth::PasswordPolicy policy;
  auto length = body->find("password_min_length");
  auto classes = body->find("password_min_classes");
  if (length == body->end() || !length->is_number_integer() || classes == body->end() ||
      !classes->is_number_integer()) {
    return StatusResponse(Status::InvalidArgument(
        "请给出 password_min_length 和 password_min_classes（整数）", "bad settings body"));
  }
  const int64_t len = length->get<int64_t>(), cls = classes->get<int64_t>();
  if (len < 0 || len > 1000 || cls < 0 || cls > 1000) {
    return StatusResponse(Status::InvalidArgument("设置值超出范围", "settings out of range"));
  }
  policy.min_length = static_cast<size_t>(len);
  policy.min_classes = static_cast<int>(cls);
  Status s = service::SavePasswordPolicy(*pool.Acquire(), Who(req), policy);
  if (!s.ok()) return StatusResponse(s);
  return Settings(pool);
}

}  // namespace

void AddAccountRoutes(Router& router, service::DatabasePool& pool, const SessionOptions& options) {
  service::DatabasePool* p = &pool;
  const RouteRule users = RouteRule::Needs("users");
  router.Post("/api/auth/login", RouteRule::Public(),
              [p, options](const HttpRequest& r, const PathParams&) { return Login(*p, options, r); });
  router.Post("/api/auth/logout", RouteRule::SignedIn(),
              [p, options](const HttpRequest& r, const PathParams&) { return Logout(*p, options, r); });
  router.Get("/api/auth/me", RouteRule::SignedIn(), [p](const HttpRequest& r, const PathParams&) {
    return JsonResponse(ProfileJson(*p, *r.caller));
  });
  router.Post("/api/auth/password", RouteRule::SignedIn(),
              [p](const HttpRequest& r, const PathParams&) { return ChangePassword(*p, r); });
  router.Get("/api/users", users,
             [p](const HttpRequest& r, const PathParams&) { return ListUsers(*p, r); });
  router.Post("/api/users", users,
              [p](const HttpRequest& r, const PathParams&) { return AddUser(*p, r); });
  router.Put("/api/users/{name}", users,
             [p](const HttpRequest& r, const PathParams& a) { return UpdateUser(*p, r, a); });
  router.Post("/api/users/{name}/reset-password", users,
              [p](const HttpRequest& r, const PathParams& a) { return ResetPassword(*p, r, a); });
  router.Post("/api/users/{name}/unlock", users,
              [p](const HttpRequest& r, const PathParams& a) { return Unlock(*p, r, a); });
  router.Get("/api/roles", users, [p](const HttpRequest&, const PathParams&) { return Roles(*p); });
  router.Get("/api/settings", users,
             [p](const HttpRequest&, const PathParams&) { return Settings(*p); });
  router.Put("/api/settings", users,
             [p](const HttpRequest& r, const PathParams&) { return SaveSettings(*p, r); });
}

}  // namespace tz::server
