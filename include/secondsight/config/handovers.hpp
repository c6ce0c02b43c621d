// Handover records: "person handed system over to receiver on date", from handovers_file
// (exported from a ticket system) and from `secondsight handover record` (kept in the store).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/diagnostics.hpp"

namespace secondsight::config {

struct HandoverRecord {
  std::string person;    // id or alias, as written
  std::string system;    // system id
  std::string receiver;  // id or alias, as written
  std::string date;      // YYYY-MM-DD, the day the handover took place
  std::string doc;       // where the documentation is; may be empty
  std::string origin;    // "FILE:LINE" or "recorded by USER at TIME", for evidence
};

// Reads config.handovers_file (none configured: an empty list). A list of maps with keys
// person, system, receiver, date and optional doc; an unknown key, a missing key, a bad date
// or a system the policies do not know is an error at its FILE:LINE:COL. Returns nullopt when
// there is any error.
std::optional<std::vector<HandoverRecord>> load_handovers(const Config& config,
                                                          const Policy& policy,
                                                          Diagnostics& diagnostics);

}  // namespace secondsight::config
