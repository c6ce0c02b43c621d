// The one error idiom of secondsight: an Error with one clear sentence, and Result<T>.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace secondsight {

// What kind of failure an Error is; the command line maps each kind to its exit code in one
// table (app/exit_codes.hpp).
enum class ErrorKind {
  unavailable,   // a source, the state or a receiver could not be read or written
  invalid,       // bad usage, configuration or input given by the user
  tampered,      // the evidence log's chain is broken
  clock_behind,  // the clock is behind the latest scan of the state
};

// A failure a user can act on. `message` is one sentence; when the failure is about
// a place in a file it starts with "FILE:LINE: " (or "FILE:LINE:COL: ").
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::unavailable;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(m_state); }
  const T& value() const& { return std::get<0>(m_state); }
  T&& value() && { return std::get<0>(std::move(m_state)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(m_state); }

 private:
  std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : m_error(std::move(error)), m_failed(true) {}  // NOLINT(implicit)

  bool ok() const { return !m_failed; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return m_error; }

 private:
  Error m_error;
  bool m_failed = false;
};

inline Error make_error(std::string message, ErrorKind kind = ErrorKind::unavailable) {
  return Error{std::move(message), kind};
}

}  // namespace secondsight
