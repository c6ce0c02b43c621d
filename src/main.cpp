// secondsight: parses the command line and dispatches to the commands of the core library.
#include "secondsight/app/cli.hpp"

int main(int argc, char** argv) {
  return secondsight::app::run_cli(argc, argv);
}
