#include "secondsight/app/exit_codes.hpp"

#include "secondsight/core/text.hpp"

namespace secondsight::app {

int report_error(std::ostream& err, const Error& error) {
  err << message_line("secondsight: ", error.message);
  return exit_code(error.kind);
}

}  // namespace secondsight::app
