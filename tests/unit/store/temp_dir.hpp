// The store's tests use the tests' one temporary-folder helper: the store is tested on real
// SQLite files.
#pragma once

#include "fixtures/temp_dir.hpp"

namespace secondsight::store::testing {

using secondsight::testing::mode_of;
using secondsight::testing::TempDir;

}  // namespace secondsight::store::testing
