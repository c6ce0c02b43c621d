// Findings: what a check reports, with the evidence a security engineer can act on.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "secondsight/core/severity.hpp"

namespace secondsight::findings {

using secondsight::Severity;

struct Finding {
  std::string kind;  // access_after_end, need_to_know_violation, ...
  Severity severity = Severity::info;
  std::optional<std::string> person;  // person id
  std::optional<std::string> system;  // system id
  std::string summary;                // one sentence for people
  nlohmann::json evidence = nlohmann::json::object();

  // Stable identity across scans: SHA-256 of kind, person and system (hex, 32 characters).
  std::string fingerprint() const;
};

std::string finding_fingerprint(std::string_view kind, const std::optional<std::string>& person,
                                const std::optional<std::string>& system);

}  // namespace secondsight::findings
