// Loading and validating secondsight.yaml and the policy files, every problem with its place.
#pragma once

#include <filesystem>
#include <optional>

#include "secondsight/config/config.hpp"
#include "secondsight/config/plugins.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/diagnostics.hpp"

namespace secondsight::config {

// Reads the config file. Problems go to `diagnostics` as FILE:LINE:COL; returns nullopt when
// any is an error. Relative paths are resolved against the config file's folder. `format:` and
// an alert's `type:` are checked against the names in `plugins`.
std::optional<Config> load_config(const std::filesystem::path& file, const Plugins& plugins,
                                  Diagnostics& diagnostics);

// The same, but the config as far as it could be read even with errors (a value in error is
// left at its default; a zone in error is UTC): for `policy check`, which reports the
// config's and the policies' problems in one pass. Never to run with.
Config load_config_as_read(const std::filesystem::path& file, const Plugins& plugins,
                           Diagnostics& diagnostics);

// Reads every *.yaml / *.yml file of config.policies (or the one file), merged in file-name
// order. Returns nullopt when any problem is an error (unknown key, wrong type, unknown
// system in need_to_know, duplicate id, bad value). Warns about systems of criticality
// normal or above with neither repositories nor activity rules, and about each activity rule
// through plugins.check_rule.
std::optional<Policy> load_policies(const Config& config, const Plugins& plugins,
                                    Diagnostics& diagnostics);

}  // namespace secondsight::config
