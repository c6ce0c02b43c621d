// A scratch folder of config and policy files for the loader tests, removed afterwards.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fixtures/temp_dir.hpp"
#include "secondsight/core/diagnostics.hpp"

namespace secondsight::config::testing {

using secondsight::testing::TempDir;

inline std::vector<std::string> formatted(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const auto& diagnostic : diagnostics.all()) out.push_back(diagnostic.format());
  return out;
}

}  // namespace secondsight::config::testing
