// Roles, data scope, restricted ledgers, unmasking and the audit trail through the whole API
// (issue 5, "Done means"): every route as every role of packs/township/roles.txt, a village cadre
// against another village's rows, a grid worker against other grids, and no full ID number or
// phone in any answer to a role that may not unmask.
//
// Expectations are written out by hand (the role × route table, the counts below), never computed
// from the rules the server itself uses: a wrong rule in the code must make this test fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "server/api.h"
#include "server/api_test_fixture.h"
#include "service/audit_service.h"
#include "service/records_service.h"
#include "service/report_service.h"
#include "service/row_values.h"
#include "store/ledger_tables.h"
#include "store/record_queries.h"
#include "service/value_json.h"

namespace tz::server {
namespace {

using nlohmann::json;

// Hand counts from tests/fixtures/township/ (院前村 = 360902117201 = 院前村委会, 西坑村 =
// 360902117202; G01, G02 are grids of 院前村, G03 of 西坑村 — grid.csv):
//   tekun.csv (7 rows): 院前村 罗特一 罗特二 罗特三 罗特六 罗特七 = 5; 西坑村 胡特四 胡特五 = 2.
//   household.csv (8 rows): 院前村 H001 H002(院前村委会) H004(360902117201) H006 H007 = 5;
//     西坑村 H003 H005(360902117202) H008 = 3. Grid G01: H001 H004 = 2; G02: H002 H007;
//     G03: H003 H008; no grid: H005 H006.
//   dispute.csv (7 rows): 院前村 MD01 MD02 MD03 MD05 = 4; 西坑村 MD04 MD06 MD07 = 3.
//     Grid G01: MD01 MD05 = 2.
//   dibao.csv (7 rows): 院前村 H001 H002 H004 H006 H007 = 5; 西坑村 H003 H005 = 2.
//   petition.csv (6 rows, restricted): 登记日期 in 2022: XF01 XF02 XF03 XF04 XF06 = 5 (XF05 is
//     2021-12-31).
//   discipline_case.csv (8 rows, restricted).
// Figures, period 2022H1 (2022-01-01..2022-06-30, A = 2022-06-30), unit 院前村:
//   tekun.persons (active at A): 罗特一 罗特二 (from 06-30) 罗特三 = 3 (罗特六 from 07-01, 罗特七
//     from 12-31 not yet); the town adds 胡特五 = 4 (胡特四 ended 06-30).
//   dispute.found (摸排日期 in P): MD01 (01-01) MD02 (06-30) MD03 (03-01) = 3 (MD05 is 2021-12-31);
//     the town adds MD06 (05-01) = 4.
//   dispute.resolved (in P, 调处成功, 调处日期 <= A): MD01 = 1 (MD02 was settled 07-01).
constexpr int kTekunA = 5, kTekunB = 2;
constexpr int kHouseholdA = 5;
constexpr int kDisputeA = 4;
constexpr int kHouseholdG01 = 2, kDisputeG01 = 2;
constexpr int kPetitionAll = 6, kPetition2022 = 5;
constexpr int kDisciplineAll = 8;
// The ID numbers and phones of those files, distinct: tekun 7 IDs + household 8 IDs (dibao's 7 are
// household's H001–H007) = 15; phones: household 13907950001, grid 13907950011 and 0795-1234567 = 3.
constexpr size_t kFixtureIds = 15, kFixturePhones = 3;

// The roles of packs/township/roles.txt, one account each, in the order of the table's letters.
struct RoleUser {
  const char* role;
  const char* user;
  const char* unit;
};
constexpr RoleUser kRoles[] = {
    {"admin", "u_admin", ""},
    {"town_cadre", "u_town", ""},
    {"village_cadre", "u_village", "院前村"},
    {"grid_worker", "u_grid", "G01"},
    {"leader", "u_leader", ""},
    {"auditor", "u_auditor", ""},
    {"discipline_officer", "u_discipline", ""},
    {"stability_officer", "u_stability", ""},
};
constexpr size_t kRoleCount = sizeof(kRoles) / sizeof(kRoles[0]);

// Percent-encodes everything but unreserved ASCII (a browser's query string).
std::string Enc(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// RFC 4180 CSV (quotes, doubled quotes, CRLF), a leading UTF-8 BOM dropped.
std::vector<std::vector<std::string>> ParseCsv(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\r') {
    } else if (c == '\n') {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Cut(const std::string& body, size_t n = 400) {
  return body.size() <= n ? body : body.substr(0, n) + "…";
}

// A 特困 record of 院前村 whose ID number is in no fixture file.
const char kNewTekun[] =
    R"({"cells": {"身份证号": "360902195001011112", "姓名": "罗特八", "所属村": "院前村",
                  "供养方式": "集中供养", "认定日期": "2022-03-01", "是否建档立卡": "是"}})";
const char kTekunHeader[] = "身份证号,姓名,户编号,所属村,供养方式,认定日期,终止日期,是否建档立卡\n";
const char kTekunRowA[] = "360902195001011112,罗特八,,院前村,集中供养,2022-03-01,,是\n";
const char kTekunRowB[] = "36090219510202123X,罗特九,,西坑村,分散供养,2022-04-01,,否\n";

class AccessApiTest : public ApiFixture {
 protected:
  std::vector<const char*> Fixtures() const override {
    return {"grid", "household", "tekun", "dibao", "dispute", "petition", "discipline_case"};
  }

  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;  // no database (a "pg." run without a server)
    LoadSensitiveValues();
  }

  // Every ID number (a header with 身份证) and phone (电话, 手机) in the imported fixture files.
  void LoadSensitiveValues() {
    for (const char* ledger : Fixtures()) {
      auto rows = ParseCsv(ReadText(std::string("tests/fixtures/township/") + ledger + ".csv"));
      ASSERT_FALSE(rows.empty()) << ledger;
      const std::vector<std::string>& header = rows[0];
      for (size_t c = 0; c < header.size(); ++c) {
        const bool id = header[c].find("身份证") != std::string::npos;
        const bool phone = header[c].find("电话") != std::string::npos ||
                           header[c].find("手机") != std::string::npos;
        if (!id && !phone) continue;
        for (size_t r = 1; r < rows.size(); ++r) {
          if (c >= rows[r].size() || rows[r][c].empty()) continue;
          (id ? ids_ : phones_).insert(rows[r][c]);
        }
      }
    }
  }

  // The full sensitive values found in `body` (as stored or written with a lower-case x; phones
  // also without their dash).
  std::vector<std::string> FullValuesIn(const std::string& body) const {
    std::vector<std::string> found;
    for (const std::string& id : ids_) {
      std::string lower = id;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (body.find(id) != std::string::npos || body.find(lower) != std::string::npos) {
        found.push_back(id);
      }
    }
    for (const std::string& phone : phones_) {
      std::string digits;
      for (char c : phone) {
        if (c != '-') digits += c;
      }
      if (body.find(phone) != std::string::npos || body.find(digits) != std::string::npos) {
        found.push_back(phone);
      }
    }
    return found;
  }

  // The accounts of kRoles, signed in; plus an account the user routes act on ("u_target").
  void SignInAll() {
    for (const RoleUser& r : kRoles) {
      sessions_.push_back(SignIn(r.user, r.role, r.unit));
      role_of_[r.user] = r.role;
    }
    auth::NewUser target{"u_target", "u_target", "village_cadre", "院前村", kTestPassword};
    ASSERT_TRUE(service::AddUserAs(*db_, LocalAdmin(), target).ok());
  }
  const TestSession& As(const std::string& role) {
    for (size_t i = 0; i < kRoleCount; ++i) {
      if (role == kRoles[i].role) return sessions_.at(i);
    }
    ADD_FAILURE() << "no session for " << role;
    return sessions_.at(0);
  }

  // Sends, and checks that the answer holds no full ID number or phone of the fixtures — unless
  // the caller is the town cadre (who may unmask) asking for unmasked=1.
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body, const TestSession* as) {
    // A JSON body goes with its type, as the web app sends it (login insists on it).
    std::map<std::string, std::string> headers;
    if (!body.empty() && body[0] == '{') headers["content-type"] = "application/json";
    HttpResponse r = Send(method, target, body, std::move(headers), as);
    ++calls_;
    const std::string role = as ? role_of_[as->name] : "anonymous";
    const bool may_unmask = role == "town_cadre" && target.find("unmasked=1") != std::string::npos;
    if (!may_unmask) {
      std::vector<std::string> leaked = FullValuesIn(r.body);
      for (const auto& [k, v] : r.headers) {
        for (std::string& l : FullValuesIn(v)) leaked.push_back("header " + k + ": " + l);
      }
      EXPECT_TRUE(leaked.empty()) << "full ID number / phone in the answer to " << role << " ("
                                  << (as ? as->name : "-") << ") " << method << " " << target
                                  << ": " << ::testing::PrintToString(leaked) << " status "
                                  << r.status;
    }
    return r;
  }
  HttpResponse Get(const std::string& target, const TestSession& as) {
    return Call("GET", target, "", &as);
  }

  const pack::Ledger& L(const char* id) { return *db_->catalog().FindLedger(id); }

  // The _id of the row whose `column` holds `value` (read as the local administrator).
  int64_t IdOf(const char* ledger, const std::string& column, const std::string& value) {
    service::RecordQuery q;
    q.filters[column] = value;
    auto page = service::ListRecords(*db_, LocalAdmin(), L(ledger), q);
    EXPECT_TRUE(page.ok() && page->rows.size() == 1u) << ledger << " " << column << "=" << value;
    return page.ok() && !page->rows.empty() ? page->rows[0].id : 0;
  }
  // A row's stored cells, unmasked (read as the local administrator).
  std::vector<std::string> Stored(const char* ledger, int64_t id) {
    auto row = service::GetRecord(*db_, LocalAdmin(), L(ledger), id, true);
    EXPECT_TRUE(row.ok()) << ledger << "/" << id;
    return row.ok() ? row->cells : std::vector<std::string>{};
  }
  // A fresh 特困 record of 院前村, created as the local administrator.
  int64_t NewTekunA() {
    auto w = service::CreateRecord(*db_, LocalAdmin(), L("tekun"),
                                   {{"身份证号", "360902195001011112"}, {"姓名", "罗特八"},
                                    {"所属村", "院前村"}, {"供养方式", "集中供养"},
                                    {"认定日期", "2022-03-01"}, {"是否建档立卡", "是"}});
    EXPECT_TRUE(w.ok() && w->ok());
    return w.ok() ? w->id : 0;
  }

  // The audit entries (newest first) of `actor`, optionally of one action.
  std::vector<auth::StoredAuditEntry> Audit(const std::string& actor,
                                            const std::string& action = "") {
    auto page = service::AuditPageAs(*db_, LocalAdmin(), 1, 500, actor, action);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? page->entries : std::vector<auth::StoredAuditEntry>{};
  }

  // A column of a records list answer: label → the values of its rows.
  static std::vector<std::string> ColumnOf(const json& page, const std::string& label) {
    std::vector<std::string> out;
    size_t c = 0;
    for (; c < page["columns"].size(); ++c) {
      if (page["columns"][c] == label) break;
    }
    if (c == page["columns"].size()) {
      ADD_FAILURE() << "no column " << label << " in " << Cut(page.dump());
      return out;
    }
    for (const json& row : page["rows"]) out.push_back(row["cells"][c].get<std::string>());
    return out;
  }
  // The same for a drill-down's aggregate: label → the values of its records.
  static std::vector<std::string> DrillColumn(const json& aggregate, const std::string& label) {
    std::vector<std::string> out;
    size_t c = 0;
    for (; c < aggregate["columns"].size(); ++c) {
      if (aggregate["columns"][c] == label) break;
    }
    if (c == aggregate["columns"].size()) {
      ADD_FAILURE() << "no column " << label << " in " << Cut(aggregate.dump());
      return out;
    }
    for (const json& rec : aggregate["records"]) out.push_back(rec[c].get<std::string>());
    return out;
  }
  static std::set<std::string> SetOf(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
  }

  std::set<std::string> ids_, phones_;
  std::vector<TestSession> sessions_;
  std::map<std::string, std::string> role_of_;  // user name → role
  int calls_ = 0;
};

TEST_F(AccessApiTest, FixtureHoldsTheSensitiveValuesCountedByHand) {
  EXPECT_EQ(ids_.size(), kFixtureIds) << ::testing::PrintToString(ids_);
  EXPECT_EQ(phones_.size(), kFixturePhones) << ::testing::PrintToString(phones_);
  EXPECT_EQ(Rows("tekun"), kTekunA + kTekunB);
  EXPECT_EQ(Rows("household"), 8);
  EXPECT_EQ(Rows("dispute"), 7);
  EXPECT_EQ(Rows("petition"), kPetitionAll);
  EXPECT_EQ(Rows("discipline_case"), kDisciplineAll);
}

// ---------------------------------------------------------------------------------------------
// 1. The role × route matrix.

// One row of the table: a route as Router::Routes() lists it, the request made, and who gets
// through. `roles` has one letter per kRoles entry (admin town village grid leader auditor
// discipline stability): 'A' allowed (any status but 401/403; `ok` exactly when not 0), 'F' 403.
// `anonymous`: 'P' public (answers like an allowed call), 'U' 401.
struct RouteCase {
  std::string method, pattern, query, body;
  char anonymous;
  std::string roles;
  int ok;
};

const std::string kGarbageUpload("\x00\x01\x02garbage", 10);

std::vector<RouteCase> RouteTable() {
  const std::string empty_form = R"({"cells": {}})";
  //                                                                   anon  adm/twn/vil/grd/ldr/aud/dis/stb
  return {
      {"GET", "/api/health", "", "", 'P', "AAAAAAAA", 200},
      {"GET", "/api/org", "", "", 'U', "AAAAAAAA", 200},
      // Account: login is public; the rest any signed-in account (logout last, below).
      {"POST", "/api/auth/login", "", "{}", 'P', "AAAAAAAA", 400},
      {"POST", "/api/auth/logout", "", "", 'U', "AAAAAAAA", 204},
      {"GET", "/api/auth/me", "", "", 'U', "AAAAAAAA", 200},
      {"POST", "/api/auth/password", "", "{}", 'U', "AAAAAAAA", 400},
      // Users and settings: `users` — the administrator only.
      {"GET", "/api/users", "", "", 'U', "AFFFFFFF", 200},
      {"POST", "/api/users", "", "{}", 'U', "AFFFFFFF", 400},
      {"PUT", "/api/users/{name}", "", "{}", 'U', "AFFFFFFF", 0},
      {"POST", "/api/users/{name}/reset-password", "", "", 'U', "AFFFFFFF", 200},
      {"POST", "/api/users/{name}/unlock", "", "", 'U', "AFFFFFFF", 0},
      {"GET", "/api/roles", "", "", 'U', "AFFFFFFF", 200},
      {"GET", "/api/settings", "", "", 'U', "AFFFFFFF", 200},
      {"PUT", "/api/settings", "", "{}", 'U', "AFFFFFFF", 400},
      // The audit log: `audit` — the auditor only.
      {"GET", "/api/audit", "", "", 'U', "FFFFFAFF", 200},
      {"GET", "/api/audit/verify", "", "", 'U', "FFFFFAFF", 200},
      {"GET", "/api/audit/export", "", "", 'U', "FFFFFAFF", 200},
      // Ledgers ({id} = tekun: a village column, no grid column, not restricted). Seen by the
      // town cadre, village cadre, leader, stability officer; not by admin/auditor (scope none),
      // the grid worker (household and dispute only) or the discipline officer (its 3 ledgers).
      {"GET", "/api/ledgers", "", "", 'U', "AAAAAAAA", 200},
      {"GET", "/api/ledgers/{id}", "", "", 'U', "FAAFAFFA", 200},
      {"GET", "/api/ledgers/{id}/records", "", "", 'U', "FAAFAFFA", 200},
      // Writes: `write` and the ledger — the leader cannot write.
      {"POST", "/api/ledgers/{id}/records", "", empty_form, 'U', "FAAFFFFA", 422},
      {"GET", "/api/ledgers/{id}/records/{rid}", "", "", 'U', "FAAFAFFA", 200},
      {"PUT", "/api/ledgers/{id}/records/{rid}", "", empty_form, 'U', "FAAFFFFA", 422},
      {"DELETE", "/api/ledgers/{id}/records/{rid}", "", "", 'U', "FAAFFFFA", 200},
      // Files: import needs `import` (not the leader, not the grid worker), export `export`.
      {"POST", "/api/ledgers/{id}/import", "", kGarbageUpload, 'U', "FAAFFFFA", 422},
      {"GET", "/api/ledgers/{id}/template", "", "", 'U', "FAAFAFFA", 200},
      {"GET", "/api/ledgers/{id}/export", "?format=csv", "", 'U', "FAAFAFFA", 200},
      // Figures and the report: `report` (not admin, not auditor). By village: a town or village
      // scope only — the grid worker is refused.
      {"GET", "/api/dashboard", "", "", 'U', "FAAAAFAA", 200},
      {"GET", "/api/figures", "?period=2022H1", "", 'U', "FAAAAFAA", 200},
      {"GET", "/api/figures/by-village", "?period=2022H1", "", 'U', "FAAFAFAA", 200},
      {"GET", "/api/figures/by-month", "?period=2022H1", "", 'U', "FAAAAFAA", 200},
      {"GET", "/api/figures/{fid}/records", "?period=2022H1", "", 'U', "FAAAAFAA", 200},
      {"GET", "/api/report", "?period=2022H1", "", 'U', "FAAAAFAA", 200},
      {"GET", "/api/report/download", "?period=2022H1&format=html", "", 'U', "FAAAAFAA", 200},
      // A Word template to fill: garbage is refused as not a docx, after the rule let it in.
      {"POST", "/api/report/fill", "?period=2022H1", kGarbageUpload, 'U', "FAAAAFAA", 400},
  };
}
constexpr size_t kRouteCount = 35;  // 2 api.cc + 12 account + 3 audit + 7 ledger + 3 file + 8 figure

bool Allowed(int status) {
  return status == 200 || status == 201 || status == 204 || status == 400 || status == 404 ||
         status == 409 || status == 422;
}

TEST_F(AccessApiTest, EveryRouteAsEveryRole) {
  const std::vector<RouteCase> table = RouteTable();
  const std::vector<Router::RouteInfo> routes = router_.Routes();

  // Every route has a rule: public only for health and login, a known permission otherwise; and
  // every route has its row in the table (a new route without one fails here).
  EXPECT_EQ(routes.size(), kRouteCount);
  EXPECT_EQ(table.size(), kRouteCount);
  std::set<std::string> in_router, in_table;
  for (const Router::RouteInfo& r : routes) {
    const std::string key = r.method + " " + r.pattern;
    EXPECT_TRUE(in_router.insert(key).second) << "route added twice: " << key;
    switch (r.rule.kind) {
      case RouteRule::Kind::kPublic:
        EXPECT_TRUE(key == "GET /api/health" || key == "POST /api/auth/login")
            << "public route: " << key;
        break;
      case RouteRule::Kind::kSignedIn:
        break;
      case RouteRule::Kind::kPermission:
        EXPECT_TRUE(pack::IsPermission(r.rule.permission))
            << key << " needs unknown permission '" << r.rule.permission << "'";
        break;
    }
  }
  for (const RouteCase& c : table) {
    const std::string key = c.method + " " + c.pattern;
    EXPECT_TRUE(in_table.insert(key).second) << "table row twice: " << key;
    EXPECT_TRUE(in_router.count(key)) << "table row for no route: " << key;
    ASSERT_EQ(c.roles.size(), kRoleCount) << key;
  }
  for (const std::string& key : in_router) {
    EXPECT_TRUE(in_table.count(key)) << "route without a row in the role table: " << key;
  }

  SignInAll();
  ASSERT_FALSE(HasFatalFailure());
  const int64_t rid = IdOf("tekun", "姓名", "罗特一");  // a row of 院前村
  ASSERT_GT(rid, 0);

  auto target_of = [&](const RouteCase& c, int64_t record) {
    std::string t = c.pattern;
    auto put = [&](const std::string& from, const std::string& to) {
      for (size_t at = t.find(from); at != std::string::npos; at = t.find(from)) {
        t.replace(at, from.size(), to);
      }
    };
    put("{id}", "tekun");
    put("{rid}", std::to_string(record));
    put("{fid}", "tekun.persons");
    put("{name}", "u_target");
    return t + c.query;
  };
  auto check = [&](const RouteCase& c, const std::string& who, char expect,
                   const HttpResponse& r, const std::string& target) {
    const std::string where = c.method + " " + c.pattern + " (" + c.method + " " + target +
                              ") as " + who + ": got " + std::to_string(r.status) + " " +
                              Cut(r.body);
    switch (expect) {
      case 'U': {
        EXPECT_EQ(r.status, 401) << "expected 401 — " << where;
        json body = json::parse(r.body, nullptr, false);
        EXPECT_TRUE(!body.is_discarded() && body["error"]["code"] == "unauthenticated") << where;
        break;
      }
      case 'F': {
        EXPECT_EQ(r.status, 403) << "expected 403 — " << where;
        json body = json::parse(r.body, nullptr, false);
        EXPECT_TRUE(!body.is_discarded() && body["error"]["code"] == "permission_denied") << where;
        break;
      }
      default:
        EXPECT_TRUE(Allowed(r.status)) << "expected to get through (not 401/403/5xx) — " << where;
        if (c.ok) {
          EXPECT_EQ(r.status, c.ok) << where;
        }
    }
  };

  const RouteCase* logout = nullptr;
  for (const RouteCase& c : table) {
    if (c.pattern == "/api/auth/logout") {
      logout = &c;  // last: it ends the session
      continue;
    }
    const bool del = c.method == "DELETE";
    {
      const std::string t = target_of(c, rid);
      HttpResponse r = Call(c.method, t, c.body, nullptr);
      check(c, "anonymous", c.anonymous == 'P' ? 'A' : 'U', r, t);
    }
    for (size_t i = 0; i < kRoleCount; ++i) {
      // A delete gets a record of its own, so each role's call finds one to delete.
      const std::string t = target_of(c, del ? NewTekunA() : rid);
      HttpResponse r = Call(c.method, t, c.body, &sessions_[i]);
      check(c, std::string(kRoles[i].role) + " (" + kRoles[i].user + ")", c.roles[i], r, t);
      // Scope none: signed in, but no ledger at all.
      if (c.method == "GET" && c.pattern == "/api/ledgers" &&
          (std::string(kRoles[i].role) == "admin" || std::string(kRoles[i].role) == "auditor")) {
        EXPECT_EQ(r.body, "[]") << kRoles[i].role << " GET /api/ledgers";
      }
    }
  }
  ASSERT_NE(logout, nullptr);
  {
    HttpResponse r = Call("POST", "/api/auth/logout", "", nullptr);
    check(*logout, "anonymous", 'U', r, "/api/auth/logout");
  }
  for (size_t i = 0; i < kRoleCount; ++i) {
    HttpResponse r = Call("POST", "/api/auth/logout", "", &sessions_[i]);
    check(*logout, kRoles[i].role, logout->roles[i], r, "/api/auth/logout");
    EXPECT_EQ(Call("GET", "/api/auth/me", "", &sessions_[i]).status, 401)
        << kRoles[i].role << ": the session outlived its logout";
  }
  // The row read by every role is still there and unchanged (the PUTs were refused or empty).
  EXPECT_EQ(Stored("tekun", rid)[1], "罗特一");
}

// What the menu shows each role: the ledgers it may open, no more.
TEST_F(AccessApiTest, LedgerMenuFollowsTheRole) {
  SignInAll();
  auto ids = [&](const char* role) {
    std::set<std::string> out;
    HttpResponse r = Get("/api/ledgers", As(role));
    EXPECT_EQ(r.status, 200) << role;
    for (const json& l : Json(r)) out.insert(l["id"].get<std::string>());
    return out;
  };
  EXPECT_TRUE(ids("admin").empty());
  EXPECT_TRUE(ids("auditor").empty());
  EXPECT_EQ(ids("grid_worker"), (std::set<std::string>{"household", "dispute"}));
  EXPECT_EQ(ids("discipline_officer"),
            (std::set<std::string>{"letters_visits", "discipline_case", "first_form"}));
  std::set<std::string> town = ids("town_cadre");
  EXPECT_TRUE(town.count("tekun") && town.count("household") && town.count("grid"));
  std::set<std::string> village = ids("village_cadre");
  EXPECT_TRUE(village.count("tekun") && village.count("household"));
  for (const pack::Ledger& l : db_->catalog().ledgers) {
    // A village cadre's ledgers all have a village column (else its rows could not be pinned).
    if (village.count(l.id)) {
      EXPECT_GE(l.village_column, 0) << l.id;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Two villages: a 村干部 of 院前村 against 西坑村's rows.

TEST_F(AccessApiTest, VillageCadreSeesAndChangesOnlyItsVillage) {
  SignInAll();
  const TestSession& cun = As("village_cadre");
  const std::string xikeng = Enc("西坑村"), yuanqian = Enc("院前村");

  // Lists: only 院前村's rows, counted as such.
  struct {
    const char* ledger;
    int total;
  } lists[] = {{"tekun", kTekunA}, {"household", kHouseholdA}, {"dispute", kDisputeA}};
  for (const auto& l : lists) {
    HttpResponse r = Get(std::string("/api/ledgers/") + l.ledger + "/records?page_size=500", cun);
    ASSERT_EQ(r.status, 200) << l.ledger << " " << r.body;
    json page = Json(r);
    EXPECT_EQ(page["total"], l.total) << l.ledger;
    EXPECT_EQ(page["rows"].size(), static_cast<size_t>(l.total)) << l.ledger;
    for (const std::string& v : ColumnOf(page, "所属村")) EXPECT_EQ(v, "院前村") << l.ledger;
    ExpectJsonError(Get(std::string("/api/ledgers/") + l.ledger + "/records?unit=" + xikeng, cun),
                    403, std::string(l.ledger) + " unit=西坑村");
    // A search and a filter that would match 西坑村's rows find nothing (or are refused).
    for (const std::string& q : {"?q=" + Enc("胡"), "?q=" + xikeng,
                                 "?f." + Enc("所属村") + "=" + xikeng}) {
      HttpResponse s = Get(std::string("/api/ledgers/") + l.ledger + "/records" + q, cun);
      if (s.status == 403) continue;
      ASSERT_EQ(s.status, 200) << l.ledger << q << " " << s.body;
      EXPECT_EQ(Json(s)["total"], 0) << l.ledger << q << " " << Cut(s.body);
    }
  }
  // The same search as the town cadre does find 西坑村's 胡特四 and 胡特五: the query is a real one.
  EXPECT_EQ(Json(Get("/api/ledgers/tekun/records?q=" + Enc("胡"), As("town_cadre")))["total"],
            kTekunB);

  // 西坑村's record by id: refused to read, change and delete; the row is unchanged.
  const int64_t b = IdOf("tekun", "姓名", "胡特四");
  const std::vector<std::string> before = Stored("tekun", b);
  const std::string b_url = "/api/ledgers/tekun/records/" + std::to_string(b);
  ExpectJsonError(Get(b_url, cun), 403, "GET 西坑村 record");
  json steal = {{"cells", {{"姓名", "胡特四"}, {"所属村", "院前村"}, {"供养方式", "分散供养"},
                           {"身份证号", "360902********3416"}, {"认定日期", "2021-01-01"},
                           {"是否建档立卡", "是"}}}};
  ExpectJsonError(Call("PUT", b_url, steal.dump(), &cun), 403, "PUT 西坑村 record");
  ExpectJsonError(Call("DELETE", b_url, "", &cun), 403, "DELETE 西坑村 record");
  EXPECT_EQ(Stored("tekun", b), before);
  EXPECT_EQ(Rows("tekun"), kTekunA + kTekunB);

  // A record placed in 西坑村: 422 naming 所属村, nothing written; moving an own record there too.
  json create = json::parse(kNewTekun);
  create["cells"]["所属村"] = "西坑村";
  for (const auto& [method, url] :
       {std::pair<std::string, std::string>{"POST", "/api/ledgers/tekun/records"},
        {"PUT", "/api/ledgers/tekun/records/" + std::to_string(IdOf("tekun", "姓名", "罗特三"))}}) {
    HttpResponse r = Call(method, url, create.dump(), &cun);
    ExpectJsonError(r, 422, method + " into 西坑村");
    std::set<std::string> columns;
    const json issues = Json(r)["error"]["issues"];
    for (const json& i : issues) columns.insert(i["column"].get<std::string>());
    EXPECT_TRUE(columns.count("所属村")) << r.body;
  }
  EXPECT_EQ(Rows("tekun"), kTekunA + kTekunB);
  EXPECT_EQ(Stored("tekun", IdOf("tekun", "姓名", "罗特三"))[3], "院前村");

  // Figures: the village's own, equal to what the local administrator computes for 院前村.
  HttpResponse f = Get("/api/figures?period=2022H1", cun);
  ASSERT_EQ(f.status, 200) << f.body;
  json figures = Json(f);
  EXPECT_EQ(figures["unit"]["name"], "院前村");
  auto local = service::ComputeFigures(*db_, LocalAdmin(), {"2022H1", "院前村", {}});
  ASSERT_TRUE(local.ok()) << local.status().message();
  std::map<std::string, json> expected;
  for (const figures::FigureResult& r : local->figures) {
    expected[r.def->id] = service::ValueJson(r.value);
  }
  std::map<std::string, json> got;
  for (const json& x : figures["figures"]) got[x["id"].get<std::string>()] = x["value"];
  EXPECT_EQ(got.size(), db_->catalog().figures.size());
  for (const auto& [id, value] : got) {
    ASSERT_TRUE(expected.count(id)) << id;
    EXPECT_EQ(value, expected[id]) << id;
  }
  EXPECT_EQ(got["tekun.persons"], 3);    // by hand, see the top (the town: 4)
  EXPECT_EQ(got["dispute.found"], 3);    // (the town: 4)
  EXPECT_EQ(got["dispute.resolved"], 1);
  ExpectJsonError(Get("/api/figures?period=2022H1&unit=" + xikeng, cun), 403, "figures 西坑村");
  ExpectJsonError(Get("/api/figures/by-month?period=2022H1&unit=" + xikeng, cun), 403,
                  "by-month 西坑村");
  // By village: the cadre's comparison is its own village alone.
  HttpResponse bv = Get("/api/figures/by-village?period=2022H1&ids=tekun.persons", cun);
  ASSERT_EQ(bv.status, 200) << bv.body;
  EXPECT_EQ(Json(bv)["villages"], (json{"院前村"}));
  EXPECT_EQ(Json(bv)["figures"][0]["values"], (json{3}));

  // Drill-down: only 院前村's records, totals as counted by hand.
  {
    HttpResponse d = Get("/api/figures/tekun.persons/records?period=2022H1&limit=500", cun);
    ASSERT_EQ(d.status, 200) << d.body;
    json a = Json(d)["aggregates"][0];
    EXPECT_EQ(Json(d)["value"], 3);
    EXPECT_EQ(a["total"], 3);
    EXPECT_EQ(a["records_withheld"], false);
    EXPECT_EQ(SetOf(DrillColumn(a, "姓名")), (std::set<std::string>{"罗特一", "罗特二", "罗特三"}));
    for (const std::string& v : DrillColumn(a, "所属村")) EXPECT_EQ(v, "院前村");
  }
  {
    HttpResponse d = Get("/api/figures/dispute.found/records?period=2022H1&limit=500", cun);
    ASSERT_EQ(d.status, 200) << d.body;
    json a = Json(d)["aggregates"][0];
    EXPECT_EQ(a["total"], 3);
    EXPECT_EQ(SetOf(DrillColumn(a, "编号")), (std::set<std::string>{"MD01", "MD02", "MD03"}));
  }
  ExpectJsonError(Get("/api/figures/tekun.persons/records?period=2022H1&unit=" + xikeng, cun), 403,
                  "drill 西坑村");

  // The report: of 院前村; 西坑村's refused; the downloads hold none of 西坑村's people.
  HttpResponse rep = Get("/api/report?period=2022H1", cun);
  ASSERT_EQ(rep.status, 200) << rep.body;
  EXPECT_EQ(Json(rep)["unit"]["name"], "院前村");
  ExpectJsonError(Get("/api/report?period=2022H1&unit=" + xikeng, cun), 403, "report 西坑村");
  ExpectJsonError(Get("/api/report/download?period=2022H1&unit=" + xikeng, cun), 403,
                  "report download 西坑村");
  for (const char* format : {"md", "html"}) {
    HttpResponse dl = Get(std::string("/api/report/download?period=2022&format=") + format, cun);
    ASSERT_EQ(dl.status, 200) << format;
    for (const char* name : {"胡特四", "胡特五", "胡建国", "胡秋菊", "胡志强", "胡网三", "胡甲"}) {
      EXPECT_EQ(dl.body.find(name), std::string::npos) << format << " report holds " << name;
    }
  }

  // Export: only 院前村's rows.
  {
    HttpResponse x = Get("/api/ledgers/tekun/export?format=csv", cun);
    ASSERT_EQ(x.status, 200) << x.body;
    auto rows = ParseCsv(x.body);
    ASSERT_FALSE(rows.empty());
    const auto& header = rows[0];
    auto col = std::find(header.begin(), header.end(), "所属村");
    ASSERT_NE(col, header.end()) << Cut(x.body);
    const size_t c = static_cast<size_t>(col - header.begin());
    EXPECT_EQ(rows.size() - 1, static_cast<size_t>(kTekunA)) << x.body;
    for (size_t r = 1; r < rows.size(); ++r) EXPECT_EQ(rows[r].at(c), "院前村") << x.body;
    EXPECT_EQ(HeaderOf(x, "X-Rows"), std::to_string(kTekunA));
    ExpectJsonError(Get("/api/ledgers/tekun/export?format=csv&unit=" + xikeng, cun), 403,
                    "export 西坑村");
  }

  // Import: a file with a 西坑村 row is refused as a whole, naming that row; 院前村's rows go in;
  // a replace replaces 院前村's rows only.
  {
    HttpResponse bad = Call("POST", "/api/ledgers/tekun/import",
                            std::string(kTekunHeader) + kTekunRowA + kTekunRowB, &cun);
    ExpectJsonError(bad, 422, "import with a 西坑村 row");
    json error = Json(bad)["error"];
    EXPECT_EQ(error["error_count"], 1) << bad.body;
    ASSERT_EQ(error["issues"].size(), 1u) << bad.body;
    EXPECT_EQ(error["issues"][0]["row"], 3);  // the header is row 1, 罗特八 row 2
    EXPECT_EQ(error["issues"][0]["column"], "所属村");
    EXPECT_EQ(Rows("tekun"), kTekunA + kTekunB);

    ExpectJsonError(Call("POST", "/api/ledgers/tekun/import?unit=" + xikeng,
                         std::string(kTekunHeader) + kTekunRowB, &cun),
                    403, "import for 西坑村");
    EXPECT_EQ(Rows("tekun"), kTekunA + kTekunB);

    HttpResponse ok = Call("POST", "/api/ledgers/tekun/import",
                           std::string(kTekunHeader) + kTekunRowA, &cun);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(Json(ok)["imported"], 1);
    EXPECT_EQ(Rows("tekun"), kTekunA + kTekunB + 1);

    HttpResponse replaced = Call("POST", "/api/ledgers/tekun/import?mode=replace",
                                 std::string(kTekunHeader) + kTekunRowA, &cun);
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_EQ(Json(replaced)["deleted"], kTekunA + 1);  // 院前村's 5 and the one just imported
    EXPECT_EQ(Rows("tekun"), kTekunB + 1);               // 西坑村's two are still there
    EXPECT_EQ(Stored("tekun", b), before);
  }
  // An upsert naming 西坑村's household H003 as 院前村's: refused, H003 unchanged.
  {
    const int64_t h003 = IdOf("household", "户编号", "H003");
    const std::vector<std::string> h003_before = Stored("household", h003);
    HttpResponse r = Call(
        "POST", "/api/ledgers/household/import?mode=upsert",
        "户编号,户主姓名,户主身份证号,所属村,村民小组,所属网格,家庭人口数,联系电话,住址\n"
        "H003,罗冒名,360902195001011112,院前村,罗家组,G01,3,,\n",
        &cun);
    ExpectJsonError(r, 422, "upsert of 西坑村's H003");
    EXPECT_EQ(Stored("household", h003), h003_before);
    EXPECT_EQ(Rows("household"), 8);
  }
}

// A row registered to 西坑村 but placed in G01, a grid of 院前村: refused when written, and — for
// rows written before that check — never shown to the 院前村 cadre asking for `unit=G01`, by any
// path (a grid's rows are those of its village: records, export, drill-down, report).
TEST_F(AccessApiTest, VillageCadreAskingForItsGridStillSeesOnlyItsVillage) {
  SignInAll();
  const TestSession& town = As("town_cadre");
  json h = {{"cells",
             {{"户编号", "H099"}, {"户主姓名", "胡错网"}, {"户主身份证号", "360902195001011112"},
              {"所属村", "西坑村"}, {"所属网格", "G01"}, {"家庭人口数", "2"}}}};
  json d = {{"cells",
             {{"编号", "MD99"}, {"摸排日期", "2022-03-15"}, {"所属村", "西坑村"}, {"所属网格", "G01"},
              {"纠纷类型", "其他"}, {"当事人", "胡错网"}, {"调处状态", "调处中"}}}};
  // A row in 西坑村 placed in G01 (a grid of 院前村) is refused, naming the grid column.
  for (const auto& [ledger, body] : {std::pair<std::string, json>{"household", h}, {"dispute", d}}) {
    HttpResponse r = Call("POST", "/api/ledgers/" + ledger + "/records", body.dump(), &town);
    ExpectJsonError(r, 422, ledger + " with a grid of another village");
    EXPECT_NE(r.body.find("所属网格"), std::string::npos) << r.body;
  }
  // Rows like that written before the check (straight into the store) still never reach a
  // village cadre asking for the grid: a grid's rows are those of its village.
  for (const auto& [id, body] : {std::pair<std::string, json>{"household", h}, {"dispute", d}}) {
    const pack::Ledger& ledger = *db_->catalog().FindLedger(id);
    std::vector<std::string> texts(ledger.columns.size());
    for (auto& [label, v] : body["cells"].items()) {
      texts[static_cast<size_t>(ledger.ColumnIndex(label))] = v.get<std::string>();
    }
    std::vector<service::CellError> errors;
    auto values = service::ConvertRow(db_->catalog(), ledger, texts, nullptr, &errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
    store::Transaction tx(db_->store());
    ASSERT_TRUE(tx.Begin().ok());
    auto import_id = store::RecordImport(db_->store(), ledger, "test", 1);
    ASSERT_TRUE(import_id.ok());
    ASSERT_TRUE(store::InsertRow(db_->store(), ledger, *import_id, 1, values).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }

  const TestSession& cun = As("village_cadre");
  // The records lists keep the village pin: G01's 院前村 rows only (H001 H004; MD01 MD05).
  {
    HttpResponse r = Get("/api/ledgers/household/records?unit=G01", cun);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Json(r)["total"], kHouseholdG01);
    EXPECT_EQ(r.body.find("胡错网"), std::string::npos);
    HttpResponse s = Get("/api/ledgers/dispute/records?unit=G01", cun);
    ASSERT_EQ(s.status, 200) << s.body;
    EXPECT_EQ(Json(s)["total"], kDisputeG01);
    EXPECT_EQ(s.body.find("胡错网"), std::string::npos);
  }
  for (const char* url : {"/api/ledgers/household/export?format=csv&unit=G01",
                          "/api/ledgers/dispute/export?format=csv&unit=G01",
                          "/api/figures/dispute.found/records?period=2022H1&unit=G01&limit=500",
                          "/api/report/download?period=2022H1&unit=G01&format=html"}) {
    HttpResponse r = Get(url, cun);
    ASSERT_EQ(r.status, 200) << url << " " << Cut(r.body);
    EXPECT_EQ(r.body.find("胡错网"), std::string::npos)
        << "village_cadre (院前村) " << url << " holds a row of 西坑村";
  }
  // Nor does G01's grid worker: a grid's rows are those of its village too.
  const TestSession& grid = As("grid_worker");
  for (const char* url : {"/api/ledgers/household/records", "/api/ledgers/dispute/records",
                          "/api/figures/dispute.found/records?period=2022H1&limit=500"}) {
    HttpResponse r = Get(url, grid);
    ASSERT_EQ(r.status, 200) << url << " " << Cut(r.body);
    EXPECT_EQ(r.body.find("胡错网"), std::string::npos) << "grid_worker " << url;
  }
  const int64_t h099 = IdOf("household", "户编号", "H099");
  ExpectJsonError(Get("/api/ledgers/household/records/" + std::to_string(h099), grid), 403,
                  "grid_worker: H099 of 西坑村 by id");
}

TEST_F(AccessApiTest, GridWorkerSeesOnlyItsGrid) {
  SignInAll();
  const TestSession& grid = As("grid_worker");  // G01, a grid of 院前村
  {
    HttpResponse r = Get("/api/ledgers/household/records", grid);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Json(r)["total"], kHouseholdG01);
    EXPECT_EQ(SetOf(ColumnOf(Json(r), "户编号")), (std::set<std::string>{"H001", "H004"}));
    for (const std::string& g : ColumnOf(Json(r), "所属网格")) EXPECT_EQ(g, "G01");
  }
  {
    HttpResponse r = Get("/api/ledgers/dispute/records", grid);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Json(r)["total"], kDisputeG01);
    EXPECT_EQ(SetOf(ColumnOf(Json(r), "编号")), (std::set<std::string>{"MD01", "MD05"}));
  }
  // Another grid of the same village, the village itself, another village's grid: refused.
  for (const std::string& unit : {std::string("G02"), Enc("院前村"), std::string("G03")}) {
    ExpectJsonError(Get("/api/ledgers/household/records?unit=" + unit, grid), 403,
                    "household unit=" + unit);
    ExpectJsonError(Get("/api/figures?period=2022H1&unit=" + unit, grid), 403,
                    "figures unit=" + unit);
  }
  // A household of G02 by id: refused.
  const int64_t h002 = IdOf("household", "户编号", "H002");
  ExpectJsonError(Get("/api/ledgers/household/records/" + std::to_string(h002), grid), 403,
                  "G02 household");
  // A ledger without a grid column: not the grid worker's.
  ExpectJsonError(Get("/api/ledgers/tekun/records", grid), 403, "tekun");
  ExpectJsonError(Get("/api/ledgers/tekun", grid), 403, "tekun");
  // Writing into another grid: 422 naming 所属网格.
  json h = {{"cells",
             {{"户编号", "H009"}, {"户主姓名", "罗九"}, {"户主身份证号", "360902195001011112"},
              {"所属村", "院前村"}, {"所属网格", "G02"}, {"家庭人口数", "2"}}}};
  HttpResponse w = Call("POST", "/api/ledgers/household/records", h.dump(), &grid);
  ExpectJsonError(w, 422, "household in G02");
  std::set<std::string> columns;
  const json issues = Json(w)["error"]["issues"];
  for (const json& i : issues) columns.insert(i["column"].get<std::string>());
  EXPECT_TRUE(columns.count("所属网格")) << w.body;
  EXPECT_EQ(Rows("household"), 8);
  // Its own grid: written.
  h["cells"]["所属网格"] = "G01";
  HttpResponse own = Call("POST", "/api/ledgers/household/records", h.dump(), &grid);
  EXPECT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(Rows("household"), 9);
  // Figures of its grid.
  HttpResponse f = Get("/api/figures?period=2022H1", grid);
  ASSERT_EQ(f.status, 200) << f.body;
  EXPECT_EQ(Json(f)["unit"]["code"], "G01");
}

// ---------------------------------------------------------------------------------------------
// 3. Restricted ledgers.

TEST_F(AccessApiTest, RestrictedLedgersOnlyForRolesGrantedThem) {
  SignInAll();
  const TestSession& town = As("town_cadre");
  for (const char* ledger : {"petition", "discipline_case"}) {
    const std::string base = std::string("/api/ledgers/") + ledger;
    ExpectJsonError(Get(base + "/records", town), 403, std::string("town_cadre ") + ledger);
    ExpectJsonError(Get(base, town), 403, std::string("town_cadre ledger ") + ledger);
    ExpectJsonError(Get(base + "/export?format=csv", town), 403,
                    std::string("town_cadre export ") + ledger);
  }
  ExpectJsonError(Get("/api/ledgers/petition/records/" +
                          std::to_string(IdOf("petition", "编号", "XF01")),
                      town),
                  403, "town_cadre petition record");
  for (const json& l : Json(Get("/api/ledgers", town))) {
    EXPECT_NE(l["id"], "petition");
    EXPECT_NE(l["id"], "discipline_case");
    EXPECT_EQ(l["restricted"], false) << l["id"];
  }
  // Granted: the leader and the stability officer see petitions; the discipline officer its cases.
  for (const char* role : {"leader", "stability_officer"}) {
    HttpResponse r = Get("/api/ledgers/petition/records", As(role));
    ASSERT_EQ(r.status, 200) << role << " " << r.body;
    EXPECT_EQ(Json(r)["total"], kPetitionAll) << role;
  }
  HttpResponse cases = Get("/api/ledgers/discipline_case/records", As("discipline_officer"));
  ASSERT_EQ(cases.status, 200) << cases.body;
  EXPECT_EQ(Json(cases)["total"], kDisciplineAll);
  ExpectJsonError(Get("/api/ledgers/discipline_case/records", As("stability_officer")), 403,
                  "stability_officer discipline_case");
  ExpectJsonError(Get("/api/ledgers/petition/records", As("discipline_officer")), 403,
                  "discipline_officer petition");
  ExpectJsonError(Get("/api/ledgers/petition/records", As("village_cadre")), 403,
                  "village_cadre petition");

  // The figure counts petitions for anyone with `report`, but their records are withheld.
  HttpResponse d = Get("/api/figures/petition.received/records?period=2022&limit=500", town);
  ASSERT_EQ(d.status, 200) << d.body;
  ASSERT_EQ(Json(d)["aggregates"].size(), 1u);
  json a = Json(d)["aggregates"][0];
  EXPECT_EQ(a["ledger_id"], "petition");
  EXPECT_EQ(a["records_withheld"], true);
  EXPECT_TRUE(a["records"].empty()) << a.dump();
  EXPECT_EQ(a["total"], kPetition2022);
  for (const char* name : {"罗访一", "罗访二", "刘访三", "胡访四", "罗访六"}) {
    EXPECT_EQ(d.body.find(name), std::string::npos) << name;
  }
  // The leader, granted petitions, gets them.
  HttpResponse dl = Get("/api/figures/petition.received/records?period=2022&limit=500",
                        As("leader"));
  ASSERT_EQ(dl.status, 200) << dl.body;
  EXPECT_EQ(Json(dl)["aggregates"][0]["records_withheld"], false);
  EXPECT_EQ(Json(dl)["aggregates"][0]["records"].size(), static_cast<size_t>(kPetition2022));
  // The town cadre's report download (with its records appendix) holds no petitioner either.
  HttpResponse html = Get("/api/report/download?period=2022&format=html", town);
  ASSERT_EQ(html.status, 200);
  for (const char* name : {"罗访一", "罗访二", "刘访三", "胡访四", "罗访六", "张甲", "李乙"}) {
    EXPECT_EQ(html.body.find(name), std::string::npos) << name;
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Unmasking.

TEST_F(AccessApiTest, UnmaskIsForTheTownCadreAndAudited) {
  SignInAll();
  const TestSession& town = As("town_cadre");
  HttpResponse full = Get("/api/ledgers/tekun/records?unmasked=1", town);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_NE(full.body.find("360902194001013113"), std::string::npos);  // 罗特一, in full
  EXPECT_EQ(full.body.find("********"), std::string::npos);
  auto unmasks = Audit("u_town", "unmask");
  ASSERT_EQ(unmasks.size(), 1u);
  EXPECT_EQ(unmasks[0].target, "tekun");

  const int64_t one = IdOf("tekun", "姓名", "罗特一");
  HttpResponse rec = Get("/api/ledgers/tekun/records/" + std::to_string(one) + "?unmasked=1", town);
  ASSERT_EQ(rec.status, 200);
  EXPECT_EQ(Json(rec)["cells"]["身份证号"], "360902194001013113");
  EXPECT_EQ(Audit("u_town", "unmask").size(), 2u);
  EXPECT_EQ(Audit("u_town", "unmask")[0].target, "tekun/" + std::to_string(one));

  // Without the permission: 403, and the refusal is in the log.
  for (const char* role : {"village_cadre", "leader", "stability_officer"}) {
    const TestSession& s = As(role);
    const size_t denied = Audit(s.name, "denied").size();
    for (const std::string& url :
         {std::string("/api/ledgers/tekun/records?unmasked=1"),
          "/api/ledgers/tekun/records/" + std::to_string(one) + "?unmasked=1",
          std::string("/api/ledgers/tekun/export?format=csv&unmasked=1")}) {
      ExpectJsonError(Get(url, s), 403, std::string(role) + " " + url);
    }
    EXPECT_EQ(Audit(s.name, "denied").size(), denied + 3) << role;
    EXPECT_TRUE(Audit(s.name, "unmask").empty()) << role;
  }
  // The masked list stays available to them.
  HttpResponse masked = Get("/api/ledgers/tekun/records", As("village_cadre"));
  ASSERT_EQ(masked.status, 200);
  EXPECT_NE(masked.body.find("360902********3113"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// 5. No full ID number or phone without unmask: every GET route, for every role, over every
// ledger and every figure (Call checks each answer against the fixtures' values).

TEST_F(AccessApiTest, NoFullIdOrPhoneWithoutUnmask) {
  SignInAll();
  // The check itself works: the town cadre's unmasked list holds full numbers.
  EXPECT_FALSE(FullValuesIn(Send("GET", "/api/ledgers/household/records?unmasked=1", "", {},
                                 &As("town_cadre"))
                                .body)
                   .empty());
  EXPECT_FALSE(FullValuesIn(ReadText("tests/fixtures/township/grid.csv")).empty());

  const std::vector<std::string> general = {
      "/api/org", "/api/auth/me", "/api/ledgers", "/api/dashboard",
      "/api/figures?period=2022", "/api/figures?period=2022H1",
      "/api/figures/by-village?period=2022", "/api/figures/by-month?period=2022H2",
      "/api/report?period=2022", "/api/report/download?period=2022&format=md",
      "/api/report/download?period=2022&format=html",
      "/api/report/download?period=2022H1&format=html", "/api/users", "/api/roles",
      "/api/settings", "/api/audit?page_size=500", "/api/audit/verify",
      "/api/audit/export?format=csv", "/api/audit/export?format=jsonl"};
  for (size_t i = 0; i < kRoleCount; ++i) {
    const TestSession& s = sessions_[i];
    for (const std::string& url : general) Get(url, s);
    for (const pack::Ledger& l : db_->catalog().ledgers) {
      const std::string base = "/api/ledgers/" + l.id;
      Get(base, s);
      Get(base + "/export?format=csv", s);
      HttpResponse list = Get(base + "/records?page_size=500", s);
      if (list.status != 200) continue;
      const json rows = Json(list)["rows"];
      for (const json& row : rows) {
        Get(base + "/records/" + std::to_string(row["id"].get<int64_t>()), s);
      }
      // A search for a full number must not find (and so confirm) it either.
      for (const std::string& id : {std::string("360902194001013113"), std::string("13907950001")}) {
        HttpResponse q = Get(base + "/records?q=" + id, s);
        if (q.status == 200) {
          EXPECT_EQ(Json(q)["total"], 0) << kRoles[i].role << " " << l.id;
        }
      }
    }
    for (const pack::FigureDef& f : db_->catalog().figures) {
      Get("/api/figures/" + f.id + "/records?period=2022&limit=500", s);
    }
  }
  // Also the exports of the town cadre's (masked) ledgers for every village, and the 网格 ledger.
  for (const pack::OrgUnit& v : db_->catalog().org.villages) {
    Get("/api/ledgers/household/export?format=csv&unit=" + Enc(v.name), As("town_cadre"));
  }
  EXPECT_GT(calls_, 1000);
}

// ---------------------------------------------------------------------------------------------
// 6. The audit trail.

TEST_F(AccessApiTest, WritesSignInsAndSignOutsAreAudited) {
  SignInAll();
  const TestSession& town = As("town_cadre");

  HttpResponse created = Call("POST", "/api/ledgers/tekun/records", kNewTekun, &town);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = Json(created)["id"];
  const std::string url = "/api/ledgers/tekun/records/" + std::to_string(id);
  json edit = json::parse(kNewTekun);
  edit["cells"]["供养方式"] = "分散供养";
  edit["cells"]["身份证号"] = "360902********1112";  // the form sends the mask back: kept
  ASSERT_EQ(Call("PUT", url, edit.dump(), &town).status, 200);
  ASSERT_EQ(Call("DELETE", url, "", &town).status, 200);

  const std::string target = "tekun/" + std::to_string(id);
  auto one = [&](const char* action) {
    auto entries = Audit("u_town", action);
    EXPECT_EQ(entries.size(), 1u) << action;
    return entries.empty() ? auth::StoredAuditEntry{} : entries[0];
  };
  const auth::StoredAuditEntry c = one("record_create"), u = one("record_update"),
                               d = one("record_delete");
  for (const auth::StoredAuditEntry* e : {&c, &u, &d}) {
    EXPECT_EQ(e->actor, "u_town");
    EXPECT_EQ(e->target, target) << e->action;
    EXPECT_EQ(e->detail.find("360902195001011112"), std::string::npos)
        << e->action << " holds the full ID: " << e->detail;
  }
  json cd = json::parse(c.detail), ud = json::parse(u.detail), dd = json::parse(d.detail);
  EXPECT_EQ(cd["after"]["身份证号"], "360902********1112") << c.detail;
  EXPECT_EQ(cd["after"]["姓名"], "罗特八");
  EXPECT_EQ(ud["before"]["供养方式"], "集中供养") << u.detail;
  EXPECT_EQ(ud["after"]["供养方式"], "分散供养") << u.detail;
  EXPECT_FALSE(ud["after"].contains("身份证号")) << "unchanged, so not listed: " << u.detail;
  EXPECT_EQ(dd["before"]["身份证号"], "360902********1112") << d.detail;
  EXPECT_EQ(dd["before"]["供养方式"], "分散供养") << d.detail;

  // Sign-ins: the one of SignInAll, a failed one, a sign-out.
  EXPECT_EQ(Audit("u_town", "login").size(), 1u);
  json wrong = {{"user", "u_town"}, {"password", "not-the-password"}};
  ExpectJsonError(Call("POST", "/api/auth/login", wrong.dump(), nullptr), 401, "bad password");
  auto failed = Audit("u_town", "login_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].detail.find("not-the-password"), std::string::npos) << failed[0].detail;
  EXPECT_EQ(Call("POST", "/api/auth/logout", "", &town).status, 204);
  EXPECT_EQ(Audit("u_town", "logout").size(), 1u);

  // The auditor reads the same through the API; nobody else may.
  HttpResponse page = Get("/api/audit?actor=u_town&action=record_update", As("auditor"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Json(page)["total"], 1);
  EXPECT_EQ(Json(page)["entries"][0]["target"], target);
  HttpResponse verify = Get("/api/audit/verify", As("auditor"));
  ASSERT_EQ(verify.status, 200);
  EXPECT_EQ(Json(verify)["ok"], true) << verify.body;

  auto report = auth::AuditLog(db_->store()).Verify();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok()) << report->message;
  EXPECT_GT(report->checked, 8);
}

}  // namespace
}  // namespace tz::server
