// The one translation unit that includes Boost.Beast. Everything about sockets, parsing, limits
// and timeouts is here; requests leave it as HttpRequest and come back as HttpResponse.
#include "server/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tz::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = beast::error_code;

// After an error response the connection is closed; a client still sending its request would get
// a reset that can destroy the response before it reads it. So we shut down our side and discard
// what still arrives, for at most this long or this much, before closing (a "lingering close").
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr size_t kLingerBytes = 1u << 20;

class Session;

// What the sessions share with the server. Held by shared_ptr so that sessions destroyed late
// (with the io_context) still find it.
struct ServerState {
  ServerState(Router r, HttpServerOptions o) : router(std::move(r)), options(std::move(o)) {}

  const Router router;
  const HttpServerOptions options;
  std::atomic<bool> stopping{false};

  std::mutex mu;
  std::condition_variable all_closed;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu

  void Register(Session* s, std::weak_ptr<Session> w) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.emplace(s, std::move(w));
  }
  void Unregister(Session* s) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(s);
    if (sessions.empty()) all_closed.notify_all();
  }
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Beast 1.74 uses boost::string_view.
std::string_view Std(beast::string_view s) { return {s.data(), s.size()}; }

bool IsHttpError(const ErrorCode& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {
    ErrorCode ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~Session() { state_->Unregister(this); }

  void Start() {
    state_->Register(this, weak_from_this());
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // From Stop(): a connection waiting for a request (or lingering after an error) is closed now;
  // one with a request in flight finishes it (its response says Connection: close), then closes.
  void Shutdown() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->waiting_for_header_ || self->lingering_) self->Close();
    });
  }

 private:
  void ReadHeader() {
    if (state_->stopping) return Close();
    const HttpServerOptions& o = state_->options;
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<size_t>(o.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(o.max_body_bytes);
    waiting_for_header_ = true;
    stream_.expires_after(o.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(ErrorCode ec, size_t) {
    waiting_for_header_ = false;
    if (ec) return OnReadError(ec);
    auto& req = parser_->get();
    if (!parser_->is_done() && beast::iequals(req[http::field::expect], "100-continue")) {
      // Clients uploading a file wait for this before sending the body.
      continue_.emplace(http::status::continue_, req.version());
      stream_.expires_after(state_->options.write_timeout);
      http::async_write(stream_, *continue_, [self = shared_from_this()](ErrorCode ec, size_t) {
        if (ec) return self->Close();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(state_->options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(ErrorCode ec, size_t) {
    if (ec) return OnReadError(ec);
    Handle();
  }

  void OnReadError(const ErrorCode& ec) {
    if (ec == http::error::body_limit) {
      return SendError(ErrorResponse(
          413, "payload_too_large",
          "上传的内容太大，上限为 " + std::to_string(state_->options.max_body_bytes >> 20) + " MB",
          "body over " + std::to_string(state_->options.max_body_bytes) + " bytes"));
    }
    if (ec == http::error::header_limit) {
      return SendError(ErrorResponse(
          431, "header_too_large", "请求头太大",
          "header over " + std::to_string(state_->options.max_header_bytes) + " bytes"));
    }
    // A client that closes between requests, or mid-way, is not an error worth answering.
    if (IsHttpError(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return SendError(ErrorResponse(400, "bad_request", "请求格式不正确", ec.message()));
    }
    Close();
  }

  void Handle() {
    auto& req = parser_->get();
    HttpRequest r;
    r.method = std::string(Std(req.method_string()));
    r.raw_target = std::string(Std(req.target()));
    ParseTarget(r.raw_target, &r.path, &r.query);
    for (const auto& field : req) {
      std::string name = Lower(Std(field.name_string()));
      auto [it, inserted] = r.headers.emplace(name, std::string(Std(field.value())));
      if (!inserted) it->second += ", " + std::string(Std(field.value()));
    }
    r.body = std::move(req.body());
    r.remote = remote_;
    const bool head = req.method() == http::verb::head;
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    parser_.reset();

    HttpResponse res;
    try {
      res = state_->router.Dispatch(r);
    } catch (const std::exception& e) {
      res = InternalErrorResponse(r.method + " " + r.path + ": " + e.what());
    } catch (...) {
      res = InternalErrorResponse(r.method + " " + r.path + ": unknown exception");
    }
    Send(std::move(res), keep_alive && !state_->stopping, head, version);
  }

  void Send(HttpResponse res, bool keep_alive, bool head, unsigned version, bool linger = false) {
    response_.emplace();
    response_->version(version);
    response_->result(static_cast<unsigned>(res.status));
    response_->set(http::field::content_type, res.content_type);
    for (const auto& [name, value] : res.headers) response_->set(name, value);
    response_->keep_alive(keep_alive);
    const size_t length = res.body.size();
    if (!head) response_->body() = std::move(res.body);
    response_->content_length(length);
    stream_.expires_after(state_->options.write_timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive, linger](ErrorCode ec, size_t) {
                        self->response_.reset();
                        if (ec) return self->Close();
                        if (linger) return self->LingerClose();
                        if (!keep_alive) return self->Close();
                        self->ReadHeader();
                      });
  }

  // A transport error: answered, then the connection is closed (what follows in the stream
  // cannot be trusted to start a request).
  void SendError(HttpResponse res) {
    parser_.reset();
    Send(std::move(res), /*keep_alive=*/false, /*head=*/false, 11, /*linger=*/true);
  }

  void LingerClose() {
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    lingering_ = true;
    linger_until_ = std::chrono::steady_clock::now() + kLingerTime;
    Drain();
  }

  void Drain() {
    auto left = linger_until_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero() || drained_ > kLingerBytes) {
      return Close();
    }
    stream_.expires_after(left);
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](ErrorCode ec, size_t n) {
                              if (ec) return self->Close();
                              self->drained_ += n;
                              self->Drain();
                            });
  }

  void Close() {
    ErrorCode ec;
    if (!stream_.socket().is_open()) return;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> state_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  // Only touched on the session's strand.
  bool waiting_for_header_ = false;
  bool lingering_ = false;
  std::chrono::steady_clock::time_point linger_until_;
  size_t drained_ = 0;
  std::array<char, 16384> drain_buffer_;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(Router router, HttpServerOptions options)
      : state_(std::make_shared<ServerState>(std::move(router), std::move(options))),
        acceptor_(asio::make_strand(ioc_)) {}

  ~Impl() { Stop(); }

  Result<uint16_t> Start() {
    if (started_) return Status::FailedPrecondition("服务已启动", "HttpServer started twice");
    const HttpServerOptions& o = state_->options;
    ErrorCode ec;
    auto address = asio::ip::make_address(o.host, ec);
    if (ec) {
      return Status::InvalidArgument("无效的监听地址：" + o.host, "bad host " + o.host);
    }
    tcp::endpoint endpoint(address, o.port);
    const std::string where = o.host + ":" + std::to_string(o.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      ErrorCode ignored;
      acceptor_.close(ignored);
      return Status::IoError("无法在 " + where + " 上监听：" + ec.message(),
                             "listen " + where + ": " + ec.message());
    }
    const uint16_t port = acceptor_.local_endpoint(ec).port();
    started_ = true;
    Accept();
    const int n = std::max(1, o.threads);
    threads_.reserve(n);
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { ioc_.run(); });
    return port;
  }

  void Stop() {
    if (!started_ || stopped_) return;
    stopped_ = true;
    state_->stopping = true;
    asio::post(acceptor_.get_executor(), [this] {
      ErrorCode ec;
      acceptor_.close(ec);
      accept_backoff_.cancel();
    });
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      for (auto& [ptr, weak] : state_->sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->Shutdown();
    live.clear();  // our references must not keep the sessions alive
    {
      std::unique_lock<std::mutex> lock(state_->mu);
      if (!state_->all_closed.wait_for(lock, state_->options.stop_timeout,
                                       [this] { return state_->sessions.empty(); })) {
        LogLine("stop: " + std::to_string(state_->sessions.size()) +
                " connection(s) still busy after the stop timeout; dropping them");
      }
    }
    work_.reset();
    ioc_.stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](ErrorCode ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        if (!state_->stopping) std::make_shared<Session>(std::move(socket), state_)->Start();
        return Accept();
      }
      // E.g. out of file descriptors: log, back off a little rather than spin, keep accepting.
      LogLine("accept: " + ec.message());
      accept_backoff_.expires_after(std::chrono::milliseconds(100));
      accept_backoff_.async_wait([this](ErrorCode ec) {
        if (!ec) Accept();
      });
    });
  }

  std::shared_ptr<ServerState> state_;  // before ioc_: sessions destroyed with ioc_ use it
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  tcp::acceptor acceptor_;
  asio::steady_timer accept_backoff_{acceptor_.get_executor()};
  std::vector<std::thread> threads_;
  bool started_ = false;
  bool stopped_ = false;
};

HttpServer::HttpServer(Router router, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(router), std::move(options))) {}

HttpServer::~HttpServer() = default;

Result<uint16_t> HttpServer::Start() { return impl_->Start(); }

void HttpServer::Stop() { impl_->Stop(); }

}  // namespace tz::server
