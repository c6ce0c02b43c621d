// The command line: parses arguments and dispatches to the commands.
#pragma once

namespace secondsight::app {

// Runs secondsight with the process's arguments; returns the exit code (its man page lists them).
int run_cli(int argc, char** argv);

}  // namespace secondsight::app
