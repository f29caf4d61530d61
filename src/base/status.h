// Status: the outcome of an operation that can fail. Errors are values below the adapters (CLI,
// HTTP); those map a Status to an exit code or HTTP status in exactly one place.
//
// A Status carries a message for people (Chinese, shown to cadres) and, optionally, a message for
// logs (English). When no log message is given the user message is used for both.
#ifndef TAIZHANG_BASE_STATUS_H_
#define TAIZHANG_BASE_STATUS_H_

#include <string>
#include <string_view>
#include <utility>

namespace tz {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (bad file, bad period, bad expression)
  kNotFound,            // a named thing does not exist (ledger, figure, unit, file)
  kAlreadyExists,       // a key or database that must be new already exists
  kFailedPrecondition,  // the system is not in a state to do this (database not initialised)
  kIoError,             // the file system or database failed
  kCorruption,          // stored data is not what we wrote
  kInternal,            // a bug
  kUnauthenticated,     // no valid session or credentials (log in first)
  kPermissionDenied,    // the caller is known but may not do this (role, scope, restricted)
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string log = {}) {
    return Status(StatusCode::kInvalidArgument, std::move(msg), std::move(log));
  }
  static Status NotFound(std::string msg, std::string log = {}) {
    return Status(StatusCode::kNotFound, std::move(msg), std::move(log));
  }
  static Status AlreadyExists(std::string msg, std::string log = {}) {
    return Status(StatusCode::kAlreadyExists, std::move(msg), std::move(log));
  }
  static Status FailedPrecondition(std::string msg, std::string log = {}) {
    return Status(StatusCode::kFailedPrecondition, std::move(msg), std::move(log));
  }
  static Status IoError(std::string msg, std::string log = {}) {
    return Status(StatusCode::kIoError, std::move(msg), std::move(log));
  }
  static Status Corruption(std::string msg, std::string log = {}) {
    return Status(StatusCode::kCorruption, std::move(msg), std::move(log));
  }
  static Status Internal(std::string msg, std::string log = {}) {
    return Status(StatusCode::kInternal, std::move(msg), std::move(log));
  }
  static Status Unauthenticated(std::string msg, std::string log = {}) {
    return Status(StatusCode::kUnauthenticated, std::move(msg), std::move(log));
  }
  static Status PermissionDenied(std::string msg, std::string log = {}) {
    return Status(StatusCode::kPermissionDenied, std::move(msg), std::move(log));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // For people: Chinese where the user can act on it.
  const std::string& message() const { return message_; }
  // For logs: English; falls back to message().
  const std::string& log_message() const { return log_.empty() ? message_ : log_; }

  // A copy with context put in front of both messages (e.g. "导入失败：" + message).
  Status WithContext(std::string_view user_prefix, std::string_view log_prefix = {}) const;

  std::string ToString() const;  // "InvalidArgument: <log message>"

 private:
  Status(StatusCode code, std::string msg, std::string log)
      : code_(code), message_(std::move(msg)), log_(std::move(log)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string log_;
};

const char* StatusCodeName(StatusCode code);

}  // namespace tz

#define TZ_CONCAT_INNER_(a, b) a##b
#define TZ_CONCAT_(a, b) TZ_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define TZ_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::tz::Status tz_status_ = (expr);        \
    if (!tz_status_.ok()) return tz_status_; \
  } while (0)

// `TZ_ASSIGN_OR_RETURN(auto x, MakeX());` — unwraps a Result or returns its Status.
#define TZ_ASSIGN_OR_RETURN(lhs, expr) \
  TZ_ASSIGN_OR_RETURN_IMPL_(TZ_CONCAT_(tz_result_, __LINE__), lhs, expr)
#define TZ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // TAIZHANG_BASE_STATUS_H_
