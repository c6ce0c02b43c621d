#include "secondsight/app/plugins.hpp"

#include "secondsight/activity/formats.hpp"
#include "secondsight/alert/sink.hpp"

namespace secondsight::app {

const config::Plugins& plugins() {
  static const config::Plugins k_plugins{activity::log_format_names(), alert::sink_type_names(),
                                         activity::warn_if_never_matched};
  return k_plugins;
}

}  // namespace secondsight::app
