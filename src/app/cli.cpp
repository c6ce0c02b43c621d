#include "secondsight/app/cli.hpp"

namespace secondsight::app {

int run_cli(int, char**) { return 0; }

}  // namespace secondsight::app
