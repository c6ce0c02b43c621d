// secondsight: parses the command line and dispatches to the commands of the core library.
#include <csignal>

#include "secondsight/app/cli.hpp"

int main(int argc, char** argv) {
  // A write past the file size limit (RLIMIT_FSIZE, a quota) is an error the store reports and
  // rolls back, not a signal that ends the process with the transaction half done.
  std::signal(SIGXFSZ, SIG_IGN);
  return secondsight::app::run_cli(argc, argv);
}
