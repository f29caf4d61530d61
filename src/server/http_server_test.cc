// The transport and the router, over real sockets: routing, limits, timeouts, errors, shutdown.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "server/json_response.h"
#include "server/test_http_client.h"

namespace tz::server {
namespace {

using nlohmann::json;
using testing::Fetch;
using testing::RawResponse;
using testing::TestConnection;

json Json(const RawResponse& r) { return json::parse(r.body, nullptr, /*allow_exceptions=*/false); }

// The error code of a JSON error body, "" when it is not one.
std::string ErrorCode(const RawResponse& r) {
  json j = Json(r);
  if (!j.is_object() || !j.contains("error")) return "";
  EXPECT_TRUE(j["error"]["message"].is_string());
  return j["error"].value("code", "");
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/api/hello", RouteRule::Public(), [](const HttpRequest& req, const PathParams&) {
      return JsonResponse(
          {{"hello", "世界"}, {"q", req.Query("q").value_or("")}, {"path", req.path}});
    });
    router_.Get("/api/items/{id}", RouteRule::Public(), [](const HttpRequest&, const PathParams& p) {
      return JsonResponse({{"id", p.at("id")}});
    });
    router_.Get("/api/items/special", RouteRule::Public(), [](const HttpRequest&, const PathParams&) {
      return JsonResponse({{"special", true}});
    });
    router_.Post("/api/items/{id}", RouteRule::Public(), [](const HttpRequest& req, const PathParams& p) {
      return JsonResponse({{"id", p.at("id")}, {"size", req.body.size()}}, 201);
    });
    router_.Get("/api/throw", RouteRule::Public(), [](const HttpRequest&, const PathParams&) -> HttpResponse {
      throw std::runtime_error("boom");
    });
    router_.Get("/api/missing", RouteRule::Public(), [](const HttpRequest&, const PathParams&) {
      return StatusResponse(Status::NotFound("没有这个台账：x", "no ledger x"));
    });
    router_.Get("/api/broken", RouteRule::Public(), [](const HttpRequest&, const PathParams&) {
      return StatusResponse(Status::IoError("磁盘坏了", "disk failed: secret path"));
    });
    router_.Get("/api/slow", RouteRule::Public(), [this](const HttpRequest&, const PathParams&) {
      slow_started_ = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      return JsonResponse({{"slow", "done"}});
    });
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  uint16_t StartServer(HttpServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(router_, options);
    auto port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    return port.ok() ? *port : 0;
  }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::atomic<bool> slow_started_{false};
};

TEST_F(HttpServerTest, GetRouteReturnsJson) {
  uint16_t port = StartServer();
  ASSERT_NE(port, 0);
  RawResponse r = Fetch(port, "GET", "/api/hello");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
  EXPECT_EQ(Json(r)["hello"], "世界");
}

TEST_F(HttpServerTest, QueryParamsAndPathAreDecoded) {
  uint16_t port = StartServer();
  RawResponse r = Fetch(port, "GET", "/api/hello?q=%E9%99%A2%E5%89%8D+%E6%9D%91&x=1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["q"], "院前 村");
  RawResponse p = Fetch(port, "GET", "/api/items/%E9%99%A2%2F1");
  ASSERT_EQ(p.status, 200);
  EXPECT_EQ(Json(p)["id"], "院/1");  // an encoded '/' stays inside its segment
}

TEST_F(HttpServerTest, PathParamsAndLiteralSegmentsWin) {
  uint16_t port = StartServer();
  EXPECT_EQ(Json(Fetch(port, "GET", "/api/items/42"))["id"], "42");
  EXPECT_EQ(Json(Fetch(port, "GET", "/api/items/special"))["special"], true);
  EXPECT_EQ(Json(Fetch(port, "GET", "/api/items/42/"))["id"], "42");  // trailing slash ignored
  RawResponse post = Fetch(port, "POST", "/api/items/7", "abc");
  EXPECT_EQ(post.status, 201);
  EXPECT_EQ(Json(post)["size"], 3);
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  uint16_t port = StartServer();
  TestConnection c(port);
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send("GET /api/items/1 HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawResponse a = c.Read();
  ASSERT_TRUE(c.Send("GET /api/items/2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawResponse b = c.Read();
  EXPECT_EQ(Json(a)["id"], "1");
  EXPECT_EQ(Json(b)["id"], "2");
  // Pipelined: both requests in one write, answered in order.
  ASSERT_TRUE(
      c.Send("GET /api/items/3 HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /api/items/4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(Json(c.Read())["id"], "3");
  RawResponse last = c.Read();
  EXPECT_EQ(Json(last)["id"], "4");
  EXPECT_EQ(last.headers["connection"], "close");
  EXPECT_TRUE(c.ClosedWithin(2000));
}

TEST_F(HttpServerTest, HeadIsGetWithoutBody) {
  uint16_t port = StartServer();
  RawResponse get = Fetch(port, "GET", "/api/hello");
  TestConnection c(port);
  ASSERT_TRUE(
      c.Send("HEAD /api/hello HTTP/1.1\r\nHost: x\r\n\r\n"
             "GET /api/items/5 HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawResponse head = c.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], std::to_string(get.body.size()));
  EXPECT_TRUE(head.body.empty());
  // No body bytes were sent: the next response starts right after the header.
  EXPECT_EQ(Json(c.Read())["id"], "5");
}

TEST_F(HttpServerTest, UnknownRouteIs404AndWrongMethodIs405WithAllow) {
  uint16_t port = StartServer();
  RawResponse missing = Fetch(port, "GET", "/api/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCode(missing), "route_not_found");
  RawResponse wrong = Fetch(port, "DELETE", "/api/items/1");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(ErrorCode(wrong), "method_not_allowed");
  EXPECT_EQ(wrong.headers["allow"], "GET, HEAD, POST");
}

TEST_F(HttpServerTest, StatusMapsToHttpInOnePlace) {
  uint16_t port = StartServer();
  RawResponse nf = Fetch(port, "GET", "/api/missing");
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(ErrorCode(nf), "not_found");
  EXPECT_EQ(Json(nf)["error"]["message"], "没有这个台账：x");
  EXPECT_EQ(Json(nf)["error"]["detail"], "no ledger x");
  RawResponse io = Fetch(port, "GET", "/api/broken");
  EXPECT_EQ(io.status, 500);
  EXPECT_EQ(ErrorCode(io), "internal");
  EXPECT_EQ(io.body.find("secret"), std::string::npos);  // the detail goes to the log only

  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kCorruption), 500);
}

TEST_F(HttpServerTest, HandlerThatThrowsIs500Json) {
  uint16_t port = StartServer();
  RawResponse r = Fetch(port, "GET", "/api/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(ErrorCode(r), "internal");
  EXPECT_EQ(r.body.find("boom"), std::string::npos);
  // The server survives it.
  EXPECT_EQ(Fetch(port, "GET", "/api/hello").status, 200);
}

TEST_F(HttpServerTest, OversizedBodyIs413WithoutSendingIt) {
  uint16_t port = StartServer();  // default cap: 70 MB
  TestConnection c(port);
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(c.Send("POST /api/items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n"));
  RawResponse r = c.Read(false, 2000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r), "payload_too_large");
  EXPECT_TRUE(c.ClosedWithin(3000));
}

TEST_F(HttpServerTest, BodyUnderACapIsServedAndOverItIsRefused) {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  uint16_t port = StartServer(options);
  EXPECT_EQ(Fetch(port, "POST", "/api/items/1", std::string(1000, 'x')).status, 201);
  EXPECT_EQ(Fetch(port, "POST", "/api/items/1", std::string(1001, 'x')).status, 413);
  // A chunked body is counted as it arrives.
  TestConnection c(port);
  std::string chunk(600, 'y');
  ASSERT_TRUE(
      c.Send("POST /api/items/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "258\r\n" +
             chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 413);
}

TEST_F(HttpServerTest, ExpectContinueGetsA100First) {
  uint16_t port = StartServer();
  TestConnection c(port);
  ASSERT_TRUE(
      c.Send("POST /api/items/9 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
             "Expect: 100-continue\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 100);
  ASSERT_TRUE(c.Send("hello"));
  RawResponse r = c.Read();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(Json(r)["size"], 5);
}

TEST_F(HttpServerTest, OversizedHeaderIs431) {
  uint16_t port = StartServer();  // default cap: 8 KB
  TestConnection c(port);
  ASSERT_TRUE(c.Send("GET /api/hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(16 * 1024, 'a') +
                     "\r\n\r\n"));
  RawResponse r = c.Read();
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(ErrorCode(r), "header_too_large");
}

TEST_F(HttpServerTest, GarbageIs400AndCloses) {
  uint16_t port = StartServer();
  TestConnection c(port);
  ASSERT_TRUE(c.Send("HELLO THERE\x01\r\n\r\n"));
  RawResponse r = c.Read();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), "bad_request");
  EXPECT_TRUE(c.ClosedWithin(3000));
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterTheIdleTimeout) {
  HttpServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(300);
  uint16_t port = StartServer(options);
  TestConnection idle(port);
  ASSERT_TRUE(idle.connected());
  EXPECT_TRUE(idle.ClosedWithin(2000));
  // Between keep-alive requests too.
  TestConnection c(port);
  ASSERT_TRUE(c.Send("GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_TRUE(c.ClosedWithin(2000));
}

TEST_F(HttpServerTest, StopLetsARunningRequestFinish) {
  uint16_t port = StartServer();
  TestConnection idle(port);  // a keep-alive connection with nothing to do: closed by Stop
  ASSERT_TRUE(idle.Send("GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(idle.Read().status, 200);

  TestConnection c(port);
  ASSERT_TRUE(c.Send("GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (!slow_started_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto stopped = std::async(std::launch::async, [this] { server_->Stop(); });
  RawResponse r = c.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["slow"], "done");
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_TRUE(c.ClosedWithin(2000));
  EXPECT_TRUE(idle.ClosedWithin(2000));
  EXPECT_FALSE(TestConnection(port).connected());  // no longer accepting
}

TEST_F(HttpServerTest, BindFailureIsAnIoError) {
  uint16_t port = StartServer();
  HttpServerOptions options;
  options.port = port;
  HttpServer second(router_, options);
  auto r = second.Start();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
}

TEST(RouterTest, ParseTargetDecodes) {
  std::string path;
  std::multimap<std::string, std::string> query;
  ParseTarget("/a/%E9%99%A2?x=1&x=2&name=%E9%99%A2+%E5%89%8D&flag&bad=%zz", &path, &query);
  EXPECT_EQ(path, "/a/院");
  EXPECT_EQ(query.count("x"), 2u);
  EXPECT_EQ(query.find("name")->second, "院 前");
  EXPECT_EQ(query.find("flag")->second, "");
  EXPECT_EQ(query.find("bad")->second, "%zz");
}

}  // namespace
}  // namespace tz::server
