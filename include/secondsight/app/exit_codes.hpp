// The exit codes of the command line: one table from the kinds of Error, and the two outcomes
// that are not errors.
#pragma once

#include <array>
#include <ostream>
#include <string_view>

#include "secondsight/core/result.hpp"

namespace secondsight::app {

struct ExitCode {
  ErrorKind kind;
  int code;
  std::string_view meaning;  // for --help and the man page
};

inline constexpr std::array<ExitCode, 4> k_exit_codes{{
    {ErrorKind::invalid, 2, "bad usage, configuration or input"},
    {ErrorKind::unavailable, 3, "a source or the state could not be read or written"},
    {ErrorKind::tampered, 4, "the evidence log was tampered with"},
    {ErrorKind::clock_behind, 5, "the clock is behind the latest scan of the state"},
}};

constexpr int exit_code(ErrorKind kind) {
  for (const auto& row : k_exit_codes)
    if (row.kind == kind) return row.code;
  return 3;
}

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_findings = 1;  // findings at or above --fail-on
inline constexpr int k_exit_usage = exit_code(ErrorKind::invalid);
inline constexpr int k_exit_source = exit_code(ErrorKind::unavailable);
inline constexpr int k_exit_tampered = exit_code(ErrorKind::tampered);
inline constexpr int k_exit_clock = exit_code(ErrorKind::clock_behind);

// Prints "secondsight: MESSAGE" (escaped, one line) to `err` and returns the error's exit code.
int report_error(std::ostream& err, const Error& error);

}  // namespace secondsight::app
