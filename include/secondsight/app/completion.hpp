// Shell completion and the list of commands, written from the command line's own definitions
// (so they cannot fall behind it): `secondsight completion bash|zsh|commands`.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace secondsight::app {

enum class Shell { bash, zsh };

// A completion script for `shell`: commands, their options, the words of each choice, files
// after --config.
std::string completion_script(const CLI::App& root, Shell shell);

// Every command that does something, one per line: its words, a tab, its description
// ("policy check\tValidate the config and policies"). For the manual pages.
std::string command_list(const CLI::App& root);

}  // namespace secondsight::app
