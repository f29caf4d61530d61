// The HTTP/1.1 transport: a small thread pool serving a Router. Boost.Beast lives only in
// http_server.cc (a Beast translation unit takes ~13 s to compile); this header names none of it.
#ifndef TAIZHANG_SERVER_HTTP_SERVER_H_
#define TAIZHANG_SERVER_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "server/http.h"

namespace tz::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port, reported by Start()
  int threads = 2;
  size_t max_body_bytes = 70u << 20;   // uploads; larger → 413 as soon as the header says so
  size_t max_header_bytes = 8u << 10;  // request line and fields; larger → 431
  // A connection waiting for a request (keep-alive or new), until its header has arrived.
  std::chrono::milliseconds idle_timeout{30'000};
  // Receiving the body once the header is in.
  std::chrono::milliseconds read_timeout{60'000};
  // Sending one response.
  std::chrono::milliseconds write_timeout{60'000};
  // How long Stop() waits for in-flight requests before dropping them.
  std::chrono::milliseconds stop_timeout{10'000};
};

// Serves HTTP/1.1 with keep-alive. Each request becomes an HttpRequest, goes through
// Router::Dispatch on a pool thread, and its HttpResponse is written back. The transport answers
// by itself: 400 for malformed HTTP (then closes), 413 when the body is over max_body_bytes
// (without reading it), 431 when the header is over max_header_bytes, 500 when a handler throws;
// all as JSON errors. HEAD is answered like GET without the body.
class HttpServer {
 public:
  HttpServer(Router router, HttpServerOptions options);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads; returns the bound port. IoError when the address
  // cannot be bound. Call once.
  Result<uint16_t> Start();
  // Graceful: stops accepting, closes idle keep-alive connections, lets requests being handled
  // finish and be answered (with `Connection: close`), then stops the threads. Waits at most
  // stop_timeout for them. Idempotent. Must not be called from a handler.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tz::server

#endif  // TAIZHANG_SERVER_HTTP_SERVER_H_
