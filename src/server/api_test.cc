// The /api routes on a real database, through Router::Dispatch: JSON shapes, query parsing and
// every bad input answered with a 4xx JSON error.
#include "server/api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "service/import_service.h"

namespace tz::server {
namespace {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_api_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    auto db = service::Database::Init(dir_ + "/t.db", "packs/township");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    auto report =
        service::ImportCsvFile(db_->store(), db_->catalog(), *db_->catalog().FindLedger("tekun"),
                               "tests/fixtures/township/tekun.csv");
    ASSERT_TRUE(report.ok() && report->ok());
    AddApiRoutes(router_, *db_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // GET `target` (path and query, percent-encoded as a browser sends it).
  HttpResponse Get(const std::string& target) {
    HttpRequest req;
    req.method = "GET";
    req.raw_target = target;
    ParseTarget(target, &req.path, &req.query);
    return router_.Dispatch(req);
  }
  json Json(const HttpResponse& r) { return json::parse(r.body); }

  std::string dir_;
  std::unique_ptr<service::Database> db_;
  Router router_;
};

TEST_F(ApiTest, LedgersDescribeTheirColumns) {
  HttpResponse all = Get("/api/ledgers");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(Json(all).size(), db_->catalog().ledgers.size());
  HttpResponse one = Get("/api/ledgers/tekun");
  ASSERT_EQ(one.status, 200);
  json t = Json(one);
  EXPECT_EQ(t["title"], "特困人员台账");
  EXPECT_EQ(t["village_column"], "所属村");
  EXPECT_TRUE(t["key"].is_null());
  EXPECT_EQ(t["columns"][0], (json{{"label", "身份证号"}, {"type", "id18"}, {"required", true}}));
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

}  // namespace
}  // namespace tz::server
