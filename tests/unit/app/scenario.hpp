// The acceptance scenario and the bundled sample, materialised in a temporary folder.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

namespace secondsight::testing {

namespace fs = std::filesystem;

inline fs::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  char* made = mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  return fs::path(pattern);
}

inline int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ../shared/scenarios/acme set up (git repositories built) in a new folder.
inline fs::path setup_acme() {
  fs::path dest = make_temp_dir("acme");
  std::string setup = std::string(SECONDSIGHT_SHARED_DIR) + "/scenarios/acme/setup.sh";
  EXPECT_EQ(shell("'" + setup + "' '" + dest.string() + "' >/dev/null"), 0);
  return dest;
}

inline fs::path copy_sample() {
  fs::path dest = make_temp_dir("sample");
  fs::copy(fs::path(SECONDSIGHT_SOURCE_DIR) / "sample", dest, fs::copy_options::recursive);
  fs::remove_all(dest / "state");
  return dest;
}

using FindingKey = std::tuple<std::string, std::string, std::string, std::string>;

inline std::string or_dash(const nlohmann::json& value) {
  return value.is_null() ? "-" : value.get<std::string>();
}

// (kind, person, system, severity) of each jsonl line.
inline std::set<FindingKey> finding_keys(std::istream& in) {
  std::set<FindingKey> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto o = nlohmann::json::parse(line);
    out.emplace(o["kind"], or_dash(o["person"]), or_dash(o["system"]), o["severity"]);
  }
  return out;
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

struct Process {
  int code;
  std::string out;  // standard output and error together
};

// Runs the real binary with `arguments` (shell words), after `environment` ("NAME=value ...").
inline Process run_binary(const std::string& arguments, const std::string& environment = "") {
  fs::path out = make_temp_dir("cli") / "out";
  int code = shell(environment + " '" + std::string(SECONDSIGHT_BINARY) + "' " + arguments + " >'" +
                   out.string() + "' 2>&1");
  std::string text = read_file(out);
  fs::remove_all(out.parent_path());
  return {code, text};
}

// A company of a test's own in a new folder: each (relative path, content) written.
inline fs::path write_company(const std::string& prefix,
                              std::initializer_list<std::pair<const char*, std::string>> files) {
  const fs::path dir = make_temp_dir(prefix);
  for (const auto& [path, content] : files) {
    fs::create_directories((dir / path).parent_path());
    write_file(dir / path, content);
  }
  return dir;
}

}  // namespace secondsight::testing
