#include "secondsight/app/completion.hpp"

#include <CLI/CLI.hpp>
#include <vector>

namespace secondsight::app {
namespace {

// What one command takes, as completion needs it.
struct OptionWords {
  std::string name;                // --format
  std::vector<std::string> words;  // its choices; empty: any value
  bool takes_value = false;
  bool file = false;  // a path
};

struct CommandWords {
  std::string path;  // "" for the program, "policy check" for a subcommand
  std::vector<std::string> subcommands;
  std::vector<OptionWords> options;
  std::string description;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string part;
  for (char c : text) {
    if (c == separator) {
      out.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  out.push_back(part);
  return out;
}

// Every visible command (hidden ones have an empty group), depth first.
void collect(const CLI::App& app, const std::string& path, std::vector<CommandWords>& out) {
  CommandWords command;
  command.path = path;
  command.description = app.get_description();
  for (const auto* sub :
       app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
    command.subcommands.push_back(sub->get_name());
  for (const auto* option : app.get_options()) {
    if (!option->nonpositional()) continue;
    const bool takes_value = option->get_expected_max() > 0 && option->get_type_size() > 0;
    const std::string type = option->get_type_name();
    for (const auto& name : option->get_lnames()) {
      OptionWords words{"--" + name, {}, takes_value, type == "FILE" || type == "DIR"};
      if (takes_value && type.find('|') != std::string::npos) words.words = split(type, '|');
      command.options.push_back(std::move(words));
    }
  }
  out.push_back(std::move(command));
  for (const auto* sub :
       app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
    collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

// The shell code both scripts share: find the command path in the words before the cursor,
// then complete an option's value or the command's words. Only the names of the array of
// words, of the cursor and of the result differ.
std::string body(const std::vector<CommandWords>& commands, Shell shell) {
  const bool bash = shell == Shell::bash;
  std::string out;
  out += "  local path=\"\" word i\n";
  out += bash ? "  for ((i = 1; i < COMP_CWORD; i++)); do\n    word=${COMP_WORDS[i]}\n"
              : "  for ((i = 2; i < CURRENT; i++)); do\n    word=${words[i]}\n";
  out += "    case \"$path/$word\" in\n";
  for (const auto& command : commands)
    for (const auto& sub : command.subcommands)
      out += "      \"" + command.path + "/" + sub + "\") path=\"" +
             (command.path.empty() ? sub : command.path + " " + sub) + "\" ;;\n";
  out += "    esac\n  done\n";
  out += bash ? "  local current=${COMP_WORDS[COMP_CWORD]} previous=${COMP_WORDS[COMP_CWORD-1]}\n"
              : "  local current=${words[CURRENT]} previous=${words[CURRENT-1]}\n";
  const std::string files = bash ? "      COMPREPLY=($(compgen -f -- \"$current\")); return ;;\n"
                                 : "      _files; return ;;\n";
  const auto offer = [&](const std::string& list) {
    return bash ? "COMPREPLY=($(compgen -W \"" + list + "\" -- \"$current\")); return"
                : "compadd -- " + list + "; return";
  };
  out += "  case \"$path/$previous\" in\n";
  for (const auto& command : commands)
    for (const auto& option : command.options) {
      if (!option.takes_value) continue;
      out += "    \"" + command.path + "/" + option.name + "\")\n";
      if (option.file)
        out += files;
      else if (!option.words.empty())
        out += "      " + offer(join(option.words)) + " ;;\n";
      else
        out += "      return ;;\n";
    }
  out += "  esac\n";
  out += "  case \"$path\" in\n";
  for (const auto& command : commands) {
    std::vector<std::string> words = command.subcommands;
    for (const auto& option : command.options) words.push_back(option.name);
    out += "    \"" + command.path + "\") " + offer(join(words)) + " ;;\n";
  }
  out += "  esac\n";
  return out;
}

}  // namespace

std::string completion_script(const CLI::App& root, Shell shell) {
  std::vector<CommandWords> commands;
  collect(root, "", commands);
  if (shell == Shell::bash)
    return "# bash completion for secondsight (written by `secondsight completion bash`)\n"
           "_secondsight() {\n  COMPREPLY=()\n" +
           body(commands, shell) + "}\ncomplete -F _secondsight secondsight\n";
  return "#compdef secondsight\n# zsh completion for secondsight (written by `secondsight "
         "completion zsh`)\n_secondsight() {\n" +
         body(commands, shell) + "}\n_secondsight \"$@\"\n";
}

std::string command_list(const CLI::App& root) {
  std::vector<CommandWords> commands;
  collect(root, "", commands);
  std::string out;
  for (const auto& command : commands)
    if (command.subcommands.empty())  // a group (policy, findings) only holds commands
      out += command.path + "\t" + command.description + "\n";
  return out;
}

}  // namespace secondsight::app
