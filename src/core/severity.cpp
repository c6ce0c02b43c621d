#include "secondsight/core/severity.hpp"

#include <string>

namespace secondsight {

std::string_view to_string(Severity severity) {
  const auto index = static_cast<std::size_t>(severity);
  return index < k_severity_names.size() ? k_severity_names[index] : k_severity_names.front();
}

Result<Severity> parse_severity(std::string_view text) {
  for (std::size_t i = 0; i < k_severity_names.size(); ++i)
    if (k_severity_names[i] == text) return static_cast<Severity>(i);
  std::string names;
  for (auto name : k_severity_names) names += (names.empty() ? "" : ", ") + std::string(name);
  return make_error("'" + std::string(text) + "' is not a severity (" + names + ")");
}

}  // namespace secondsight
