// The /api routes on a real database, through Router::Dispatch: JSON shapes, query parsing and
// every bad input answered with a 4xx JSON error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "io/test_zip.h"
#include "server/api.h"
#include "server/api_test_fixture.h"
#include "service/import_service.h"
#include "service/records_service.h"

namespace tz::server {
namespace {

using nlohmann::json;

// The API as the town cadre (镇干部: every ledger but the restricted ones, every village).
// Roles, scope and sessions themselves: access_api_test.cc.
class ApiTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;  // no database (a "pg." run without a server)
    session_ = SignIn("zhen", "town_cadre");
  }
  HttpResponse Send(const std::string& method, const std::string& target, std::string body = "",
                    std::map<std::string, std::string> headers = {}) {
    return ApiFixture::Send(method, target, std::move(body), std::move(headers), &session_);
  }
  HttpResponse Get(const std::string& target) { return Send("GET", target); }

  TestSession session_;
};

// A valid new 特困 record: 罗特八 of 院前村, recognised 2022-03-01 (so active in 2022H1).
const char kNewTekun[] =
    R"({"cells": {"身份证号": "360902195001011112", "姓名": "罗特八", "所属村": "院前村",
                  "供养方式": "集中供养", "认定日期": "2022-03-01", "是否建档立卡": "是"}})";

TEST_F(ApiTest, LedgersDescribeTheirColumns) {
  HttpResponse all = Get("/api/ledgers");
  ASSERT_EQ(all.status, 200);
  // The town cadre's: every ledger but the five restricted ones (petitions, discipline, …).
  EXPECT_EQ(Json(all).size(), db_->catalog().ledgers.size() - 5);
  HttpResponse one = Get("/api/ledgers/tekun");
  ASSERT_EQ(one.status, 200);
  json t = Json(one);
  EXPECT_EQ(t["title"], "特困人员台账");
  EXPECT_EQ(t["village_column"], "所属村");
  EXPECT_TRUE(t["key"].is_null());
  EXPECT_EQ(t["columns"][0],
            (json{{"label", "身份证号"}, {"type", "id18"}, {"required", true}, {"masked", true}}));
  EXPECT_FALSE(t["columns"][1].contains("masked"));
  EXPECT_EQ(t["columns"][4]["values"], (json{"集中供养", "分散供养"}));
  EXPECT_EQ(t["columns"][2]["ref"], "household");
  // By title too, percent-encoded as a browser sends it.
  EXPECT_EQ(Get("/api/ledgers/%E7%89%B9%E5%9B%B0%E4%BA%BA%E5%91%98%E5%8F%B0%E8%B4%A6").status, 200);
  HttpResponse missing = Get("/api/ledgers/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_FALSE(Json(missing)["error"]["message"].get<std::string>().empty());
}

TEST_F(ApiTest, RecordsPageFilterSortAndMask) {
  // tests/fixtures/township/tekun.csv: 7 rows, 5 of 院前村, 2 of 西坑村.
  json page = Json(Get("/api/ledgers/tekun/records?page_size=3&page=2"));
  EXPECT_EQ(page["total"], 7);
  EXPECT_EQ(page["page"], 2);
  ASSERT_EQ(page["rows"].size(), 3u);
  EXPECT_EQ(page["columns"][1], "姓名");
  EXPECT_EQ(page["rows"][0]["cells"][1], "胡特四");              // rows 4-6 of the file
  EXPECT_EQ(page["rows"][0]["cells"][0], "360902********3416");  // masked: no way to unmask yet

  json yq = Json(Get("/api/ledgers/tekun/records?unit=%E9%99%A2%E5%89%8D%E6%9D%91"));
  EXPECT_EQ(yq["total"], 5);
  // 认定日期 in 2022: 罗特二 (06-30), 罗特六 (07-01), 罗特七 (12-31); newest first.
  json in2022 = Json(
      Get("/api/ledgers/tekun/records?f.%E8%AE%A4%E5%AE%9A%E6%97%A5%E6%9C%9F=2022-01-01..2022-12-31"
          "&sort=%E8%AE%A4%E5%AE%9A%E6%97%A5%E6%9C%9F&order=desc"));
  ASSERT_EQ(in2022["total"], 3);
  EXPECT_EQ(in2022["rows"][0]["cells"][1], "罗特七");
  EXPECT_EQ(in2022["rows"][2]["cells"][1], "罗特二");
  json search = Json(Get("/api/ledgers/tekun/records?q=%E8%83%A1"));  // 胡
  EXPECT_EQ(search["total"], 2);
}

TEST_F(ApiTest, BadQueriesAre400WithAJsonError) {
  for (const char* target : {
           "/api/ledgers/tekun/records?page_size=1000000000",
           "/api/ledgers/tekun/records?page=abc",
           "/api/ledgers/tekun/records?page=0",
           "/api/ledgers/tekun/records?order=sideways",
           "/api/ledgers/tekun/records?sort=%22%3B%20DROP%20TABLE%20l_tekun%3B--",
           "/api/ledgers/tekun/records?f.%E6%B2%A1%E6%9C%89=1",  // f.没有: no such column
           "/api/ledgers/tekun/records?f.%E8%AE%A4%E5%AE%9A%E6%97%A5%E6%9C%9F=2022-02-30",
           // 身份证号 is masked: no filter (a guess test) and no sort (a birth-date order)
           "/api/ledgers/tekun/records?f.%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7=360902194001013113",
           "/api/ledgers/tekun/records?sort=%E8%BA%AB%E4%BB%BD%E8%AF%81%E5%8F%B7",
       }) {
    HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    json body = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << target;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << target;
  }
  EXPECT_EQ(Get("/api/ledgers/nope/records").status, 404);
  EXPECT_EQ(Json(Get("/api/ledgers/tekun/records"))["total"], 7);  // nothing was dropped
}

TEST_F(ApiTest, RecordsAreCreatedReadUpdatedAndDeleted) {
  HttpResponse created = Send("POST", "/api/ledgers/tekun/records", kNewTekun);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = Json(created)["id"];
  EXPECT_TRUE(Json(created)["warnings"].is_array());
  EXPECT_EQ(Rows("tekun"), 8);

  json got = Json(Get("/api/ledgers/tekun/records/" + std::to_string(id)));
  EXPECT_EQ(got["id"], id);
  EXPECT_EQ(got["cells"]["姓名"], "罗特八");
  EXPECT_EQ(got["cells"]["身份证号"], "360902********1112");  // masked

  // The edit form sends the masked ID number back unchanged: the stored one is kept.
  json edit = {{"cells", got["cells"]}};
  edit["cells"]["供养方式"] = "分散供养";
  HttpResponse updated = Send("PUT", "/api/ledgers/tekun/records/" + std::to_string(id),
                              edit.dump());
  ASSERT_EQ(updated.status, 200) << updated.body;
  auto stored = service::GetRecord(*db_, LocalAdmin(), *db_->catalog().FindLedger("tekun"), id, true);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->cells[0], "360902195001011112");
  EXPECT_EQ(stored->cells[4], "分散供养");

  HttpResponse deleted = Send("DELETE", "/api/ledgers/tekun/records/" + std::to_string(id));
  ASSERT_EQ(deleted.status, 200);
  EXPECT_EQ(Json(deleted)["deleted"], id);
  EXPECT_EQ(Rows("tekun"), 7);
  ExpectJsonError(Send("DELETE", "/api/ledgers/tekun/records/" + std::to_string(id)), 404,
                  "deleted twice");
  ExpectJsonError(Get("/api/ledgers/tekun/records/" + std::to_string(id)), 404, "gone");
}

TEST_F(ApiTest, BadWritesAre4xxAndWriteNothing) {
  const std::string one = "/api/ledgers/tekun/records/1";
  struct Case {
    const char* method;
    std::string target;
    std::string body;
    int status;
  } cases[] = {
      {"POST", "/api/ledgers/tekun/records", "{\"cells\": {", 400},        // malformed JSON
      {"POST", "/api/ledgers/tekun/records", "", 400},                     // no body
      {"POST", "/api/ledgers/tekun/records", "[1, 2]", 400},               // not an object
      {"POST", "/api/ledgers/tekun/records", "{\"姓名\": \"x\"}", 400},     // no "cells"
      {"POST", "/api/ledgers/tekun/records", "{\"cells\": [\"x\"]}", 400},  // cells not an object
      {"POST", "/api/ledgers/tekun/records", "{\"cells\": {\"姓名\": [1]}}", 400},   // wrong type
      {"POST", "/api/ledgers/tekun/records", "{\"cells\": {\"姓名\": true}}", 400},  // wrong type
      {"POST", "/api/ledgers/nope/records", kNewTekun, 404},               // unknown ledger
      {"PUT", one, "{\"cells\": ", 400},
      {"PUT", "/api/ledgers/tekun/records/abc", kNewTekun, 400},           // not an id
      {"PUT", "/api/ledgers/tekun/records/0", kNewTekun, 400},
      {"PUT", "/api/ledgers/tekun/records/-3", kNewTekun, 400},
      {"PUT", "/api/ledgers/tekun/records/99999", kNewTekun, 404},
      {"PUT", "/api/ledgers/nope/records/1", kNewTekun, 404},
      {"DELETE", "/api/ledgers/tekun/records/abc", "", 400},
      {"DELETE", "/api/ledgers/nope/records/1", "", 404},
      {"GET", "/api/ledgers/tekun/records/1e3", "", 400},
      {"PATCH", one, kNewTekun, 405},
  };
  for (const Case& c : cases) {
    ExpectJsonError(Send(c.method, c.target, c.body), c.status,
                    std::string(c.method) + " " + c.target + " " + c.body);
  }
  // Bodies that would cost the server far more than their size: refused before parsing.
  ExpectJsonError(Send("POST", "/api/ledgers/tekun/records",
                       "{\"cells\": " + std::string(2'000'000, '[')),
                  413, "2 MB of brackets");
  ExpectJsonError(Send("PUT", one, "{\"cells\": {\"姓名\": \"" + std::string(1u << 20, 'x') + "\"}}"),
                  413, "a 1 MB name");
  ExpectJsonError(Send("POST", "/api/ledgers/tekun/records",
                       "{\"cells\": {\"a\": [[[[[[[[[[1]]]]]]]]]]}}"),
                  400, "nested 12 deep");
  // Brackets inside strings are text, not nesting.
  json brackets = json::parse(kNewTekun);
  brackets["cells"]["姓名"] = "[[[[[[[[[[[[{{{{{{{{{{";
  HttpResponse ok = Send("POST", "/api/ledgers/tekun/records", brackets.dump());
  EXPECT_EQ(ok.status, 201) << ok.body;
  ASSERT_EQ(Send("DELETE", "/api/ledgers/tekun/records/" + std::to_string(Json(ok)["id"].get<int64_t>()))
                .status,
            200);
  EXPECT_EQ(Rows("tekun"), 7);
  auto before = Get(one).body;

  // Cells the ledger refuses: 422 listing each, nothing written.
  json bad = json::parse(kNewTekun);
  bad["cells"]["身份证号"] = "360902195001011113";  // wrong check digit
  bad["cells"]["供养方式"] = "上门供养";               // not one of the values
  bad["cells"]["认定日期"] = "2022-02-30";
  bad["cells"]["没有的列"] = "x";
  for (const std::string& target : {std::string("/api/ledgers/tekun/records"), one}) {
    HttpResponse r = Send(target == one ? "PUT" : "POST", target, bad.dump());
    ExpectJsonError(r, 422, target);
    json issues = Json(r)["error"]["issues"];
    std::set<std::string> columns;
    for (const json& i : issues) columns.insert(i["column"].get<std::string>());
    for (const char* c : {"身份证号", "供养方式", "认定日期", "没有的列"}) {
      EXPECT_TRUE(columns.count(c)) << target << " " << c << " " << issues.dump();
    }
  }
  EXPECT_EQ(Rows("tekun"), 7);
  EXPECT_EQ(Get(one).body, before);
}

TEST_F(ApiTest, ImportsAnUploadedFileOrListsItsErrors) {
  const std::string header = "身份证号,姓名,户编号,所属村,供养方式,认定日期,终止日期,是否建档立卡\n";
  const std::string good = header +
                           "360902195001011112,罗特八,,院前村,集中供养,2022-03-01,,是\n"
                           "36090219510202123X,罗特九,,西坑村,分散供养,2022-04-01,,否\n";
  HttpResponse ok = Send("POST", "/api/ledgers/tekun/import?mode=append", good,
                         {{"x-filename", "%E7%89%B9%E5%9B%B0.csv"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok)["imported"], 2);
  EXPECT_EQ(Rows("tekun"), 9);

  // One bad row (row 2 of the file, under the header: a wrong check digit): 422 naming it, nothing
  // written, not even the good row after it.
  const std::string one_bad = header +
                              "360902195203031358,罗特十,,院前村,集中供养,2022-03-01,,是\n"
                              "360902195304041458,罗十一,,院前村,集中供养,2022-03-01,,是\n";
  HttpResponse bad = Send("POST", "/api/ledgers/tekun/import", one_bad);
  ExpectJsonError(bad, 422, "one bad row");
  json error = Json(bad)["error"];
  EXPECT_EQ(error["code"], "invalid_import");
  EXPECT_EQ(error["error_count"], 1);
  ASSERT_EQ(error["issues"].size(), 1u);
  EXPECT_EQ(error["issues"][0]["row"], 2);
  EXPECT_EQ(error["issues"][0]["column"], "身份证号");
  EXPECT_EQ(Rows("tekun"), 9);

  // Replace one village's rows: the other village keeps its own.
  HttpResponse replaced = Send(
      "POST", "/api/ledgers/tekun/import?mode=replace&unit=%E8%A5%BF%E5%9D%91%E6%9D%91",  // 西坑村
      header + "36090219510202123X,罗特九,,西坑村,分散供养,2022-04-01,,否\n");
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Json(replaced)["deleted"], 3);  // 胡特四, 胡特五, 罗特九
  EXPECT_EQ(Rows("tekun"), 7);

  ExpectJsonError(Send("POST", "/api/ledgers/tekun/import", ""), 400, "empty upload");
  ExpectJsonError(Send("POST", "/api/ledgers/tekun/import?mode=merge", good), 400, "bad mode");
  ExpectJsonError(Send("POST", "/api/ledgers/tekun/import?unit=%E5%8C%97%E4%BA%AC", good), 400,
                  "unknown unit");
  ExpectJsonError(Send("POST", "/api/ledgers/nope/import", good), 404, "unknown ledger");
  // Not a spreadsheet at all, and a zip that is no workbook: errors of the file, nothing written.
  ExpectJsonError(Send("POST", "/api/ledgers/tekun/import", std::string("\x00\x01\x02garbage", 10)),
                  422, "garbage");
  ExpectJsonError(Send("POST", "/api/ledgers/tekun/import", std::string("PK\x03\x04broken", 10)),
                  422, "broken zip");
  EXPECT_EQ(Rows("tekun"), 7);
  ExpectJsonError(Send("GET", "/api/ledgers/tekun/import"), 405, "GET import");
}

TEST_F(ApiTest, TemplateAndExportDownload) {
  HttpResponse t = Get("/api/ledgers/tekun/template");
  ASSERT_EQ(t.status, 200);
  EXPECT_EQ(t.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(t.body.substr(0, 2), "PK");
  EXPECT_NE(HeaderOf(t, "Content-Disposition").find("filename*=UTF-8''%E7%89%B9"),
            std::string::npos)
      << HeaderOf(t, "Content-Disposition");

  HttpResponse x = Get("/api/ledgers/tekun/export");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  EXPECT_EQ(HeaderOf(x, "X-Rows"), "7");

  // CSV of 院前村 in 2022: masked, and only its rows.
  HttpResponse csv =
      Get("/api/ledgers/tekun/export?format=csv&period=2022&unit=%E9%99%A2%E5%89%8D%E6%9D%91");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("身份证号,姓名"), std::string::npos);
  EXPECT_NE(csv.body.find("360902********3214"), std::string::npos);  // 罗特二, masked
  EXPECT_EQ(csv.body.find("360902194102023214"), std::string::npos);
  EXPECT_EQ(csv.body.find("胡特"), std::string::npos);  // 西坑村's rows are not in it

  ExpectJsonError(Get("/api/ledgers/tekun/export?format=pdf"), 400, "bad format");
  EXPECT_EQ(Get("/api/ledgers/tekun/export?format=").status, 200);  // empty: the default, xlsx
  ExpectJsonError(Get("/api/ledgers/tekun/export?period=2022H3"), 400, "bad period");
  ExpectJsonError(Get("/api/ledgers/nope/export"), 404, "unknown ledger");
  ExpectJsonError(Get("/api/ledgers/nope/template"), 404, "unknown ledger");
}

// Hand-computed from the fixtures (tests/township_figures_test.cc explains each row):
// tekun.persons, active at the period's end: 2022H1 town {1,2,3,5} = 4, 院前村 {1,2,3} = 3,
// 西坑村 {5} = 1. dispute.found (摸排日期 in P): 2022H1 town {1,2,3,6} = 4; by month Jan {1},
// Mar {3}, May {6}, Jun {2}.
TEST_F(ApiTest, FiguresForAPeriodAndUnit) {
  json all = Json(Get("/api/figures?period=2022H1"));
  EXPECT_EQ(all["period"]["start"], "2022-01-01");
  EXPECT_EQ(all["period"]["end"], "2022-06-30");
  EXPECT_EQ(all["unit"]["name"], "辽市镇");
  EXPECT_EQ(all["figures"].size(), db_->catalog().figures.size());

  json some = Json(Get("/api/figures?period=2022H1&ids=tekun.persons,dispute.rate,medins.rate"));
  ASSERT_EQ(some["figures"].size(), 3u);  // only those asked, in that order
  EXPECT_EQ(some["figures"][0]["id"], "tekun.persons");
  EXPECT_EQ(some["figures"][0]["value"], 4);
  EXPECT_EQ(some["figures"][0]["display"], "4");
  EXPECT_EQ(some["figures"][0]["rule"], "int");
  EXPECT_EQ(some["figures"][0]["records"], true);
  EXPECT_EQ(some["figures"][1]["rule"], "percent");
  EXPECT_EQ(some["figures"][1]["value"], 25);  // 100 × 1 / 4
  // No medical_insurance rows: a rate over 0 has no value, with a note, never 0.
  EXPECT_TRUE(some["figures"][2]["value"].is_null());
  EXPECT_EQ(some["figures"][2]["display"], "—");
  EXPECT_FALSE(some["figures"][2]["note"].get<std::string>().empty());

  json village = Json(Get("/api/figures?period=2022H1&unit=%E9%99%A2%E5%89%8D%E6%9D%91&ids=tekun.persons"));
  EXPECT_EQ(village["unit"]["name"], "院前村");
  EXPECT_EQ(village["figures"][0]["value"], 3);

  ExpectJsonError(Get("/api/figures"), 400, "no period");
  ExpectJsonError(Get("/api/figures?period=2022H3"), 400, "bad period");
  ExpectJsonError(Get("/api/figures?period=2022H1&ids=no.such"), 404, "unknown figure");
  ExpectJsonError(Get("/api/figures?period=2022H1&unit=%E5%8C%97%E4%BA%AC"), 400, "北京: no such unit (a bad parameter)");
}

TEST_F(ApiTest, FiguresByVillageAndByMonth) {
  json v = Json(Get("/api/figures/by-village?period=2022H1&ids=tekun.persons"));
  ASSERT_EQ(v["villages"].size(), 10u);
  EXPECT_EQ(v["villages"][1], "院前村");
  json values = v["figures"][0]["values"];
  EXPECT_EQ(values[1], 3);  // 院前村
  EXPECT_EQ(values[2], 1);  // 西坑村
  EXPECT_EQ(values[0], 0);  // 辽市村: none
  ExpectJsonError(Get("/api/figures/by-village?period=2022H1&unit=%E9%99%A2%E5%89%8D%E6%9D%91"),
                  400, "by-village with a unit");

  json m = Json(Get("/api/figures/by-month?period=2022H1&ids=dispute.found"));
  EXPECT_EQ(m["months"], (json{"2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"}));
  EXPECT_EQ(m["figures"][0]["values"], (json{1, 0, 1, 0, 1, 1}));
  ExpectJsonError(Get("/api/figures/by-month?period=2019-01-01..2022-12-31"), 400, "48 months");
  ExpectJsonError(Get("/api/figures/by-month?period=x"), 400, "bad period");
}

TEST_F(ApiTest, AFigureOpensItsRecords) {
  json d = Json(Get("/api/figures/tekun.persons/records?period=2022H1&unit=%E9%99%A2%E5%89%8D%E6%9D%91"));
  EXPECT_EQ(d["figure"]["label"], "特困人员人数");
  EXPECT_EQ(d["figure"]["rule"], "int");
  EXPECT_EQ(d["value"], 3);
  ASSERT_EQ(d["aggregates"].size(), 1u);
  json a = d["aggregates"][0];
  EXPECT_EQ(a["ledger_id"], "tekun");
  EXPECT_EQ(a["total"], 3);
  ASSERT_EQ(a["records"].size(), 3u);
  std::string all = a["records"].dump();
  EXPECT_NE(all.find("罗特一"), std::string::npos);
  EXPECT_EQ(all.find("360902194001013113"), std::string::npos);  // masked
  EXPECT_EQ(Json(Get("/api/figures/tekun.persons/records?period=2022H1&limit=1"))["aggregates"][0]
                ["records"].size(),
            1u);
  ExpectJsonError(Get("/api/figures/tekun.persons/records?period=2022H1&limit=1000000000"), 400,
                  "limit 10^9");
  ExpectJsonError(Get("/api/figures/tekun.persons/records?period=2022H1&limit=-1"), 400, "limit");
  ExpectJsonError(Get("/api/figures/no.such/records?period=2022H1"), 404, "unknown figure");
  ExpectJsonError(Get("/api/figures/tekun.persons/records"), 400, "no period");
}

TEST_F(ApiTest, DashboardComesFromThePack) {
  json d = Json(Get("/api/dashboard"));
  ASSERT_EQ(d["cards"].size(), db_->catalog().dashboard.cards.size());
  EXPECT_EQ(d["cards"][0]["title"], db_->catalog().dashboard.cards[0].title);
  EXPECT_EQ(d["trend"].size(), db_->catalog().dashboard.trend.size());
  // Events lie in 2021-12-31 (dispute 5) … 2022-12-31: the default is the latest half-year.
  EXPECT_EQ(d["data_from"], "2021-12-31");
  EXPECT_EQ(d["data_until"], "2022-12-31");
  EXPECT_EQ(d["default_period"], "2022H2");
  EXPECT_EQ(d["years"], (json{2021, 2022}));
}

TEST_F(ApiTest, ReportAsBlocksAndAsFiles) {
  HttpResponse r = Get("/api/report?period=2022H1");
  ASSERT_EQ(r.status, 200) << r.body;
  json report = Json(r);
  EXPECT_FALSE(report["title"].get<std::string>().empty());
  EXPECT_EQ(report["period"]["name"], "2022H1");
  EXPECT_EQ(report["unit"]["name"], "辽市镇");
  EXPECT_EQ(Json(Get("/api/report?period=2022H1&unit=%E9%99%A2%E5%89%8D%E6%9D%91"))["unit"]["name"],
            "院前村");
  // The template's "## " lines are headings: 一、二、三、 of the seed report.
  int headings = 0;
  for (const json& b : report["blocks"]) headings += b["kind"] == "h2";
  EXPECT_EQ(headings, 3);
  ASSERT_FALSE(report["blocks"].empty());
  // Every figure piece names a figure of the pack; tekun.persons is there with its value.
  bool found = false;
  for (const json& b : report["blocks"]) {
    EXPECT_TRUE(b["kind"] == "p" || b["kind"] == "h2" || b["kind"] == "h3") << b.dump();
    for (const json& p : b["pieces"]) {
      if (!p.contains("figure")) continue;
      EXPECT_NE(db_->catalog().FindFigure(p["figure"].get<std::string>()), nullptr);
      if (p["figure"] == "period.year") {
        EXPECT_EQ(p["records"], false);
      }
      if (p["figure"] == "tekun.persons") {
        found = true;
        EXPECT_EQ(p["records"], true);
        EXPECT_EQ(p["text"], "4");
        EXPECT_EQ(p["has_value"], true);
      }
    }
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(report["notes"].empty());  // most ledgers are empty here: figures without value

  HttpResponse md = Get("/api/report/download?period=2022H1&format=md");
  ASSERT_EQ(md.status, 200);
  EXPECT_EQ(md.body.rfind("# ", 0), 0u);
  EXPECT_NE(HeaderOf(md, "Content-Disposition").find(".md"), std::string::npos);
  HttpResponse html = Get("/api/report/download?period=2022H1&format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.body.rfind("<!DOCTYPE html>", 0), 0u);
  ExpectJsonError(Get("/api/report/download?period=2022H1&format=rtf"), 400, "bad format");
  ExpectJsonError(Get("/api/report/download?period=2022H1&format=docx&appendix=maybe"), 400,
                  "bad appendix flag");
  // DOCX (a zip) with the 数据来源 appendix; its layout is report/docx_test's, its text
  // cli/office_e2e_test's.
  HttpResponse docx = Get("/api/report/download?period=2022H1&format=docx&appendix=1");
  ASSERT_EQ(docx.status, 200) << docx.body.substr(0, 300);
  EXPECT_EQ(docx.body.rfind("PK\x03\x04", 0), 0u);
  EXPECT_EQ(docx.content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_NE(HeaderOf(docx, "Content-Disposition").find(".docx"), std::string::npos);
  ExpectJsonError(Get("/api/report?period=2022Q5"), 400, "bad period");
  ExpectJsonError(Get("/api/report?period=2022H1&template=nope"), 404, "unknown template");
  EXPECT_EQ(Get("/api/report?period=2022H1&template=").status, 200);  // empty: the seed report
}

// The Word-made template of tests/fixtures/docx/word_template as a .docx file's bytes, with
// `replace`'s parts in place of the fixture's.
std::string WordTemplateBytes(const std::map<std::string, std::string>& replace = {}) {
  io::testing::Entries entries = io::testing::ReadDirectory("tests/fixtures/docx/word_template");
  for (auto& [name, bytes] : entries) {
    if (auto it = replace.find(name); it != replace.end()) bytes = it->second;
  }
  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("tz_api_word_template_" + std::to_string(getpid()) + ".docx"))
          .string();
  io::testing::WriteZip(path, entries);
  std::ifstream in(path, std::ios::binary);
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(path);
  return bytes;
}

TEST_F(ApiTest, AWordTemplateIsFilledAndSentBack) {
  const std::string tmpl = WordTemplateBytes();
  ASSERT_FALSE(tmpl.empty());
  const std::map<std::string, std::string> named = {{"x-filename", "%E6%A8%A1%E6%9D%BF.docx"}};
  HttpResponse filled = Send("POST", "/api/report/fill?period=2022H1", tmpl, named);
  ASSERT_EQ(filled.status, 200) << filled.body.substr(0, 300);
  EXPECT_EQ(filled.body.rfind("PK\x03\x04", 0), 0u);
  EXPECT_EQ(filled.content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  // Named after the template: 模板.docx.
  EXPECT_NE(HeaderOf(filled, "Content-Disposition").find("%E6%A8%A1%E6%9D%BF.docx"),
            std::string::npos)
      << HeaderOf(filled, "Content-Disposition");
  // No placeholder is left, and the text box holds the year (split placeholders are the
  // report layer's tests; LibreOffice reads the result in cli/office_e2e_test).
  // Named by the process: the SQLite and the "pg." copy of this test may run at the same time.
  const std::string out = (std::filesystem::temp_directory_path() /
                           ("tz_api_filled_" + std::to_string(getpid()) + ".docx"))
                              .string();
  {
    std::ofstream f(out, std::ios::binary);
    f << filled.body;
  }
  const std::string doc = io::testing::Entry(io::testing::ReadZip(out), "word/document.xml");
  std::filesystem::remove(out);
  EXPECT_EQ(doc.find("{{"), std::string::npos);
  EXPECT_NE(doc.find("<w:t>2022</w:t>"), std::string::npos);

  ExpectJsonError(Send("POST", "/api/report/fill?period=2022H1", "not a docx", named), 400,
                  "not a docx");
  ExpectJsonError(Send("POST", "/api/report/fill?period=2022H1", "", named), 400, "empty body");
  ExpectJsonError(Send("POST", "/api/report/fill?period=2022H1&format=md", tmpl, named), 400,
                  "a text format");
  ExpectJsonError(Send("POST", "/api/report/fill?period=2022H1&appendix=1", tmpl, named), 400,
                  "appendix with a Word template");
  ExpectJsonError(Send("POST", "/api/report/fill?period=2022Q9", tmpl, named), 400, "bad period");
}

// LibreOffice would fetch a linked picture while making the PDF, from the server's network: a
// template linking outside itself is refused for PDF before anything is converted, and filled
// as a Word document, whose reader decides.
TEST_F(ApiTest, AWordTemplateLinkingOutsideIsRefusedForPdf) {
  const std::string rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
      "Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
      "header\" Target=\"header1.xml\"/><Relationship Id=\"rId9\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" "
      "Target=\"footer1.xml\"/><Relationship Id=\"rIdImg\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" "
      "Target=\"http://127.0.0.1:9/probe.png\" TargetMode=\"External\"/></Relationships>";
  const std::string tmpl = WordTemplateBytes({{"word/_rels/document.xml.rels", rels}});
  const std::map<std::string, std::string> named = {{"x-filename", "linked.docx"}};
  HttpResponse pdf = Send("POST", "/api/report/fill?period=2022H1&format=pdf", tmpl, named);
  ExpectJsonError(pdf, 400, "linked picture for pdf");
  EXPECT_NE(pdf.body.find("外部"), std::string::npos) << pdf.body;
  EXPECT_EQ(Send("POST", "/api/report/fill?period=2022H1&format=docx", tmpl, named).status, 200);
}

TEST_F(ApiTest, PathsOutsideTheApiGoToTheWebApp) {
  ExpectJsonError(Get("/api/nope"), 404, "no route, no fallback");
  router_.SetFallback([](const HttpRequest& r, const PathParams&) {
    HttpResponse res;
    res.content_type = "text/html";
    res.body = "app:" + r.path;
    return res;
  });
  EXPECT_EQ(Get("/ledgers/tekun").body, "app:/ledgers/tekun");
  EXPECT_EQ(Get("/").body, "app:/");
  ExpectJsonError(Get("/api/nope"), 404, "an /api path never falls back");
  ExpectJsonError(Get("/api"), 404, "nor /api itself");
}

}  // namespace
}  // namespace tz::server
