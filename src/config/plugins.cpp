#include "secondsight/config/plugins.hpp"

#include <algorithm>

namespace secondsight::config {

const LogFormatName* find_format(std::span<const LogFormatName> formats, std::string_view name) {
  const auto it = std::find_if(formats.begin(), formats.end(),
                               [&](const LogFormatName& format) { return format.name == name; });
  return it == formats.end() ? nullptr : &*it;
}

}  // namespace secondsight::config
