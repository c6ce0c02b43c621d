// Reading the handover records of handovers_file (the record type and who may receive a
// handover are knowledge/handovers.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/diagnostics.hpp"
#include "secondsight/knowledge/handovers.hpp"

namespace secondsight::config {

// Reads config.handovers_file (none configured: an empty list). A list of maps with keys
// person, system, receiver, date and optional doc; an unknown key, a missing key, a bad date
// or a system the policies do not know is an error at its FILE:LINE:COL. Returns nullopt when
// there is any error.
std::optional<std::vector<knowledge::HandoverRecord>> load_handovers(const Config& config,
                                                                     const Policy& policy,
                                                                     Diagnostics& diagnostics);

}  // namespace secondsight::config
