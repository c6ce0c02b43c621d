// Reading a user's YAML file with every problem reported at its FILE:LINE:COL (private to
// src/config: the config and policy loaders share it).
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/config/options.hpp"
#include "secondsight/core/diagnostics.hpp"
#include "secondsight/core/suggest.hpp"

namespace secondsight::config {

// The largest config, policy or handovers file read: far above any real one, small enough
// that no file can make secondsight hold much.
// C0 controls and DEL.
bool has_control(std::string_view text);
// How a message about a value with them ends.
inline const std::string k_without_controls =
    " without control characters (line breaks, tabs, escapes)";

inline constexpr std::size_t k_max_yaml_file_bytes = std::size_t{16} << 20;

// One key: value pair of a YAML map, the key as written.
struct Entry {
  std::string name;
  YAML::Node key;
  YAML::Node value;
};

// The entries of a map whose keys were checked against the keys it may hold.
class Fields {
 public:
  Fields(YAML::Node node, Location where) : m_node(std::move(node)), m_where(std::move(where)) {}

  const Entry* find(std::string_view name) const;
  const YAML::Node& node() const { return m_node; }
  // Where the map is named (its key), for what is missing from it.
  const Location& where() const { return m_where; }
  void add(Entry entry) { m_entries.push_back(std::move(entry)); }
  // The section's option table and its name in messages, when read through one.
  std::span<const Option> options() const { return m_options; }
  const std::string& what() const { return m_what; }
  void describe(std::span<const Option> options, std::string what) {
    m_options = options;
    m_what = std::move(what);
  }

 private:
  YAML::Node m_node;
  Location m_where;
  std::span<const Option> m_options;
  std::string m_what;
  std::vector<Entry> m_entries;
};

class YamlReader {
 public:
  YamlReader(std::filesystem::path path, Diagnostics& diagnostics);

  const std::string& file() const { return m_file; }
  // The file's root node; nullopt (reported) when it cannot be read or is no valid YAML.
  std::optional<YAML::Node> parse();

  Location at(const YAML::Node& node) const;
  // Where the entry's value is, or its key when the value was left empty (yaml-cpp places an
  // empty value on the next line, which would point at the wrong key).
  Location at(const Entry& entry) const;

  void error(Location where, std::string message);
  void warning(Location where, std::string message);
  // "missing key 'uri' in directory", where the map is named.
  void missing(const Fields& fields, std::string_view key, std::string_view what);

  // `node` must be a map (else `wrong_type` is reported at `where`, which also locates what
  // is missing from it); its keys must be in
  // `known` (reported with the closest known key) and appear once.
  std::optional<Fields> fields(const YAML::Node& node, Location where, std::string_view what,
                               std::span<const std::string_view> known, std::string_view wrong_type,
                               std::span<const ForbiddenKey> forbidden = {});
  // The same for an entry's value: "'KEY' must be a map of ..." unless `wrong_type` is given.
  std::optional<Fields> fields(const Entry& entry, std::string_view what,
                               std::span<const std::string_view> known,
                               std::span<const ForbiddenKey> forbidden = {},
                               std::string_view wrong_type = {});

  // The same, the known keys being a section's option table.
  std::optional<Fields> fields(const YAML::Node& node, Location where, std::string_view what,
                               std::span<const Option> options, std::string_view wrong_type,
                               std::span<const ForbiddenKey> forbidden = {});
  std::optional<Fields> fields(const Entry& entry, std::string_view what,
                               std::span<const Option> options,
                               std::span<const ForbiddenKey> forbidden = {},
                               std::string_view wrong_type = {});
  // The entry of `key`; when it is missing and its option is required, "missing key" is
  // reported where the map is named.
  const Entry* get(const Fields& fields, std::string_view key);

  // A scalar; "'KEY' must be EXPECTED" otherwise. An empty text is wrong unless allowed.
  std::optional<std::string> text(const Entry& entry, std::string_view expected,
                                  bool allow_empty = false);
  // A list of non-empty scalars; "'KEY' must be EXPECTED" otherwise.
  std::optional<std::vector<std::string>> text_list(const Entry& entry, std::string_view expected);
  // text() and text_list() for what names a thing (a path, a host, a pattern of them): a control
  // character in it (a line break, a tab, an escape) is an error, as it could forge a log line, a
  // header or a request wherever the value is shown or sent.
  std::optional<std::string> plain_text(const Entry& entry, std::string_view expected);
  std::optional<std::vector<std::string>> plain_text_list(const Entry& entry,
                                                          std::string_view expected);
  // The same, each item's location alongside.
  std::optional<std::vector<std::pair<std::string, Location>>> located_text_list(
      const Entry& entry, std::string_view expected);
  std::optional<int> whole_number(const Entry& entry, int min, std::string_view expected,
                                  int max = std::numeric_limits<int>::max());
  // A whole number within its option's range: "'KEY' must be a whole number ≥ MIN" or "... of
  // UNIT from MIN to MAX".
  std::optional<int> whole_number(const Entry& entry, const Option& option);
  std::optional<bool> boolean(const Entry& entry);
  // One of `choices`; "unknown NOUN 'x' (expected one of: ...)" otherwise.
  std::optional<std::string> choice(const Entry& entry, std::string_view noun,
                                    std::span<const std::string_view> choices);
  // 30s, 5m, 1h, 1d.
  std::optional<std::chrono::seconds> duration(const Entry& entry);
  // A duration within its option's bounds, when it has them: "'KEY' must be a duration from 1s
  // to 1d".
  std::optional<std::chrono::seconds> duration(const Entry& entry, const Option& option);

 private:
  std::filesystem::path m_path;
  std::string m_file;
  Diagnostics& m_diagnostics;
};

// Adds `found` to `out` in file and line order, the order a user fixes them in.
void append_in_file_order(const Diagnostics& found, Diagnostics& out);

// "a, b, c"
std::string join(std::span<const std::string_view> words);
// The keys of an option table, in its order.
std::vector<std::string_view> keys_of(std::span<const Option> options);

}  // namespace secondsight::config
