// The plug-in tables as the config and policy readers are told them: activity's log formats
// (and its warning about rules no log can satisfy) and alert's sink types.
#pragma once

#include "secondsight/config/plugins.hpp"

namespace secondsight::app {

const config::Plugins& plugins();

}  // namespace secondsight::app
