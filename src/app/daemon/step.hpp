// What one step of the daemon's start says: go on to the next, exit with a code (its messages
// already written), or fail with an Error that the caller writes, exiting with its kind's code.
#pragma once

#include <optional>
#include <utility>

#include "secondsight/app/commands.hpp"
#include "secondsight/core/result.hpp"

namespace secondsight::app {

class StepResult {
 public:
  static StepResult go_on() { return StepResult(k_exit_ok, std::nullopt, true); }
  static StepResult exit(int code) { return StepResult(code, std::nullopt, false); }
  // The exit code is the error kind's (exit_codes.hpp).
  static StepResult fail(Error error) {
    const int code = app::exit_code(error.kind);
    return StepResult(code, std::move(error), false);
  }

  bool goes_on() const { return m_go_on; }
  int exit_code() const { return m_code; }
  const std::optional<Error>& error() const { return m_error; }

 private:
  StepResult(int code, std::optional<Error> error, bool go_on)
      : m_code(code), m_error(std::move(error)), m_go_on(go_on) {}

  int m_code;
  std::optional<Error> m_error;
  bool m_go_on;
};

}  // namespace secondsight::app
