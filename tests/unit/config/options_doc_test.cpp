// The documentation of the config and policy files holds the option tables' facts: every
// option of a section is a row of its table in the docs, with the table's default, and the docs
// name no option a table does not have.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "secondsight/config/options.hpp"

namespace secondsight::config {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trimmed(std::string text) {
  const auto first = text.find_first_not_of(' ');
  const auto last = text.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// The cells of a Markdown table row; `\|` stays inside its cell.
std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|') {
      out.push_back(trimmed(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return out;
}

std::string without_backticks(std::string text) {
  std::erase(text, '`');
  return text;
}

// A documented table: the default of each key it names ("" when it has no default column).
struct DocTable {
  std::map<std::string, std::string> defaults;
  bool has_default = false;
};

// The first table after the line `anchor` of `file`.
DocTable table_after(const fs::path& file, const std::string& anchor) {
  const auto lines = lines_of(file);
  DocTable table;
  std::size_t i = 0;
  while (i < lines.size() && lines[i] != anchor) ++i;
  EXPECT_LT(i, lines.size()) << file.filename() << " has no line '" << anchor << "'";
  while (i < lines.size() && !lines[i].starts_with('|')) ++i;
  if (i >= lines.size()) return table;
  const auto header = cells(lines[i]);
  const auto column = std::find(header.begin(), header.end(), "default");
  table.has_default = column != header.end();
  for (i += 2; i < lines.size() && lines[i].starts_with('|'); ++i) {
    const auto row = cells(lines[i]);
    const std::string fallback =
        table.has_default
            ? without_backticks(row[static_cast<std::size_t>(column - header.begin())])
            : std::string();
    // "`client_cert_file`, `client_key_file`": one row for two keys.
    std::stringstream keys(without_backticks(row[0]));
    for (std::string key; std::getline(keys, key, ',');) table.defaults[trimmed(key)] = fallback;
  }
  return table;
}

struct Section {
  const char* doc;  // relative to the source folder
  const char* anchor;
  std::span<const Option> options;
};

const fs::path k_source(SECONDSIGHT_SOURCE_DIR);

const Section k_sections[] = {
    {"docs/configuration.md", "## Top level", options::k_config_options},
    {"docs/configuration.md", "## `directory`", options::k_directory_options},
    {"docs/configuration.md", "### `people` and `groups`", options::k_scope_options},
    {"docs/configuration.md", "### `directory.attributes`", options::k_attribute_options},
    {"docs/configuration.md", "### `end_date`", options::k_end_date_options},
    {"docs/configuration.md", "### `disabled`", options::k_disabled_options},
    {"docs/configuration.md", "## `audit_logs`", options::k_log_options},
    {"docs/configuration.md", "### `fields`", options::k_field_options},
    {"docs/configuration.md", "## `alerts`", options::k_alert_options},
    {"docs/configuration.md", "### `api`", options::k_api_options},
    {"docs/configuration.md", "## The daemon", options::k_daemon_options},
    {"policies/README.md", "## Top-level keys", options::k_policy_options},
    {"policies/README.md", "## `defaults`", options::k_defaults_options},
    {"policies/README.md", "## `staff`", options::k_staff_options},
    {"policies/README.md", "## `systems`", options::k_system_options},
    {"policies/README.md", "An activity rule:", options::k_rule_options},
    {"policies/README.md", "## `engagements`", options::k_engagement_options},
};

TEST(OptionDocs, EveryOptionIsDocumentedWithItsDefault) {
  for (const auto& section : k_sections) {
    const DocTable table = table_after(k_source / section.doc, section.anchor);
    for (const auto& option : section.options) {
      const auto row = table.defaults.find(std::string(option.key));
      ASSERT_NE(row, table.defaults.end())
          << section.doc << ", " << section.anchor << ": no row for '" << option.key << "'";
      if (!table.has_default) continue;
      if (option.required)
        EXPECT_THAT(row->second, ::testing::HasSubstr("required"))
            << section.doc << ", " << section.anchor << ": " << option.key;
      else
        EXPECT_EQ(row->second, option.fallback)
            << section.doc << ", " << section.anchor << ": " << option.key;
    }
  }
}

TEST(OptionDocs, TheDocsNameNoOptionThatIsNotInATable) {
  for (const auto& section : k_sections) {
    const DocTable table = table_after(k_source / section.doc, section.anchor);
    for (const auto& entry : table.defaults) {
      const std::string& key = entry.first;
      const bool known = std::any_of(section.options.begin(), section.options.end(),
                                     [&](const Option& option) { return option.key == key; });
      EXPECT_TRUE(known) << section.doc << ", " << section.anchor << ": '" << key
                         << "' is in no option table";
    }
  }
}

}  // namespace
}  // namespace secondsight::config
