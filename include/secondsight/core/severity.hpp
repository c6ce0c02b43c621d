// How severe a finding is. The names are written once here: config (an alert's min_severity),
// the command line (--fail-on), findings and alert sinks all read them from this table.
#pragma once

#include <array>
#include <string_view>

#include "secondsight/core/result.hpp"

namespace secondsight {

// Ordered: a higher value is more severe.
enum class Severity { info, low, medium, high, critical };

// Every severity's name, least severe first.
inline constexpr std::array<std::string_view, 5> k_severity_names{"info", "low", "medium", "high",
                                                                  "critical"};

// The severity named `name`, at compile time; a name not in the table does not compile.
consteval Severity severity_named(std::string_view name) {
  for (std::size_t i = 0; i < k_severity_names.size(); ++i)
    if (k_severity_names[i] == name) return static_cast<Severity>(i);
  throw "no such severity";  // a compile error
}

std::string_view to_string(Severity severity);
Result<Severity> parse_severity(std::string_view text);

}  // namespace secondsight
