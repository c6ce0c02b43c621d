#include "yaml_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <limits>
#include <system_error>
#include <tuple>

namespace secondsight::config {
namespace {

std::string cannot_read(int error) {
  if (error == EINVAL) return "cannot read: not a regular file";
  if (error == EFBIG)
    return "cannot read: larger than " + std::to_string(k_max_yaml_file_bytes >> 20) +
           " MiB, the limit for a config, policy or handovers file";
  return "cannot read: " + std::error_code(error, std::generic_category()).message();
}

// The whole file, or the errno that stopped us. Read by hand so that the message names the
// real reason (a missing file, a folder, no permission).
std::optional<std::string> read_file(const std::filesystem::path& path, int& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errno;
    return std::nullopt;
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && !S_ISREG(info.st_mode)) {
    // A FIFO or a device would be read without end; a folder cannot be.
    ::close(fd);
    error = S_ISDIR(info.st_mode) ? EISDIR : EINVAL;
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      ::close(fd);
      return std::nullopt;
    }
    if (text.size() + static_cast<std::size_t>(n) > k_max_yaml_file_bytes) {
      ::close(fd);
      error = EFBIG;
      return std::nullopt;
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

std::string in_quotes(std::string_view name) {
  return "'" + std::string(name) + "'";
}

}  // namespace

const Entry* Fields::find(std::string_view name) const {
  for (const auto& entry : m_entries)
    if (entry.name == name) return &entry;
  return nullptr;
}

YamlReader::YamlReader(std::filesystem::path path, Diagnostics& diagnostics)
    : m_path(std::move(path)), m_file(m_path.string()), m_diagnostics(diagnostics) {}

std::optional<YAML::Node> YamlReader::parse() {
  int read_error = 0;
  const auto text = read_file(m_path, read_error);
  if (!text) {
    error(Location{m_file, 0, 0}, cannot_read(read_error));
    return std::nullopt;
  }
  try {
    return YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    Location where{m_file, 0, 0};
    if (!e.mark.is_null()) where = Location{m_file, e.mark.line + 1, e.mark.column + 1};
    error(where, e.msg);
    return std::nullopt;
  }
}

Location YamlReader::at(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Location{m_file, 0, 0};
  return Location{m_file, mark.line + 1, mark.column + 1};
}

Location YamlReader::at(const Entry& entry) const {
  return entry.value.IsNull() ? at(entry.key) : at(entry.value);
}

void YamlReader::error(Location where, std::string message) {
  m_diagnostics.error(std::move(where), std::move(message));
}

void YamlReader::warning(Location where, std::string message) {
  m_diagnostics.warning(std::move(where), std::move(message));
}

void YamlReader::missing(const Fields& fields, std::string_view key, std::string_view what) {
  error(fields.where(), "missing key " + in_quotes(key) + " in " + std::string(what));
}

std::optional<Fields> YamlReader::fields(const YAML::Node& node, Location where,
                                         std::string_view what,
                                         std::span<const std::string_view> known,
                                         std::string_view wrong_type,
                                         std::span<const ForbiddenKey> forbidden) {
  if (!node.IsMap()) {
    error(std::move(where), std::string(wrong_type));
    return std::nullopt;
  }
  Fields fields(node, std::move(where));
  for (const auto& pair : node) {
    Entry entry{pair.first.IsScalar() ? pair.first.Scalar() : std::string(), pair.first,
                pair.second};
    if (!pair.first.IsScalar()) {
      error(at(entry.key), "keys in " + std::string(what) +
                               " must be names (expected one of: " + join(known) + ")");
      continue;
    }
    const auto bad = std::find_if(forbidden.begin(), forbidden.end(),
                                  [&](const ForbiddenKey& f) { return f.name == entry.name; });
    if (bad != forbidden.end()) {
      error(at(entry.key), std::string(bad->message));
      continue;
    }
    if (std::find(known.begin(), known.end(), entry.name) == known.end()) {
      error(at(entry.key), "unknown key " + in_quotes(entry.name) + " in " + std::string(what) +
                               " (expected one of: " + join(known) + ")" +
                               did_you_mean(entry.name, known));
      continue;
    }
    if (const Entry* first = fields.find(entry.name)) {
      error(at(entry.key),
            in_quotes(entry.name) + " is already set at " + format_location(at(first->key)));
      continue;
    }
    fields.add(std::move(entry));
  }
  return fields;
}

std::optional<Fields> YamlReader::fields(const Entry& entry, std::string_view what,
                                         std::span<const std::string_view> known,
                                         std::span<const ForbiddenKey> forbidden,
                                         std::string_view wrong_type) {
  const std::string message = wrong_type.empty()
                                  ? in_quotes(entry.name) + " must be a map of " + join(known)
                                  : std::string(wrong_type);
  if (!entry.value.IsMap()) {
    error(at(entry), message);
    return std::nullopt;
  }
  return fields(entry.value, at(entry.key), what, known, message, forbidden);
}

std::optional<Fields> YamlReader::fields(const YAML::Node& node, Location where,
                                         std::string_view what, std::span<const Option> options,
                                         std::string_view wrong_type,
                                         std::span<const ForbiddenKey> forbidden) {
  auto out = fields(node, std::move(where), what, keys_of(options), wrong_type, forbidden);
  if (out) out->describe(options, std::string(what));
  return out;
}

std::optional<Fields> YamlReader::fields(const Entry& entry, std::string_view what,
                                         std::span<const Option> options,
                                         std::span<const ForbiddenKey> forbidden,
                                         std::string_view wrong_type) {
  auto out = fields(entry, what, keys_of(options), forbidden, wrong_type);
  if (out) out->describe(options, std::string(what));
  return out;
}

const Entry* YamlReader::get(const Fields& fields, std::string_view key) {
  if (const Entry* entry = fields.find(key)) return entry;
  const auto& options = fields.options();
  const auto row = std::find_if(options.begin(), options.end(),
                                [&](const Option& option) { return option.key == key; });
  if (row != options.end() && row->required) missing(fields, key, fields.what());
  return nullptr;
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::optional<std::string> YamlReader::text(const Entry& entry, std::string_view expected,
                                            bool allow_empty) {
  if (!entry.value.IsScalar() || (!allow_empty && entry.value.Scalar().empty())) {
    error(at(entry), in_quotes(entry.name) + " must be " + std::string(expected));
    return std::nullopt;
  }
  return entry.value.Scalar();
}

std::optional<std::string> YamlReader::plain_text(const Entry& entry, std::string_view expected) {
  auto value = text(entry, expected);
  if (value && has_control(*value)) {
    error(at(entry),
          in_quotes(entry.name) + " must be " + std::string(expected) + k_without_controls);
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string>> YamlReader::plain_text_list(const Entry& entry,
                                                                    std::string_view expected) {
  auto items = located_text_list(entry, expected);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (auto& [item, where] : *items) {
    if (has_control(item)) {
      error(where,
            in_quotes(entry.name) + " must be " + std::string(expected) + k_without_controls);
      ok = false;
    }
    out.push_back(std::move(item));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::pair<std::string, Location>>> YamlReader::located_text_list(
    const Entry& entry, std::string_view expected) {
  const std::string message = in_quotes(entry.name) + " must be " + std::string(expected);
  if (!entry.value.IsSequence()) {
    error(at(entry), message);
    return std::nullopt;
  }
  std::vector<std::pair<std::string, Location>> items;
  bool ok = true;
  for (const auto& item : entry.value) {
    if (!item.IsScalar() || item.Scalar().empty()) {
      error(at(item), message);
      ok = false;
      continue;
    }
    items.emplace_back(item.Scalar(), at(item));
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<std::vector<std::string>> YamlReader::text_list(const Entry& entry,
                                                              std::string_view expected) {
  auto items = located_text_list(entry, expected);
  if (!items) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(items->size());
  for (auto& item : *items) out.push_back(std::move(item.first));
  return out;
}

std::optional<int> YamlReader::whole_number(const Entry& entry, int min, std::string_view expected,
                                            int max) {
  int value = 0;
  if (entry.value.IsScalar()) {
    const std::string& text = entry.value.Scalar();
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end && !text.empty() && value >= min && value <= max)
      return value;
  }
  error(at(entry), in_quotes(entry.name) + " must be " + std::string(expected));
  return std::nullopt;
}

std::optional<int> YamlReader::whole_number(const Entry& entry, const Option& option) {
  const auto min = static_cast<int>(option.min);
  if (option.max == 0) return whole_number(entry, min, "a whole number ≥ " + std::to_string(min));
  const auto max = static_cast<int>(option.max);
  return whole_number(entry, min,
                      "a whole number of " + std::string(option.unit) + " from " +
                          std::to_string(min) + " to " + std::to_string(max),
                      max);
}

std::optional<bool> YamlReader::boolean(const Entry& entry) {
  bool value = false;
  if (entry.value.IsScalar() && YAML::convert<bool>::decode(entry.value, value)) return value;
  error(at(entry), in_quotes(entry.name) + " must be true or false");
  return std::nullopt;
}

std::optional<std::string> YamlReader::choice(const Entry& entry, std::string_view noun,
                                              std::span<const std::string_view> choices) {
  if (!entry.value.IsScalar()) {
    error(at(entry), in_quotes(entry.name) + " must be one of " + join(choices));
    return std::nullopt;
  }
  const std::string& value = entry.value.Scalar();
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return value;
  error(at(entry), "unknown " + std::string(noun) + " " + in_quotes(value) +
                       " (expected one of: " + join(choices) + ")" + did_you_mean(value, choices));
  return std::nullopt;
}

std::optional<std::chrono::seconds> YamlReader::duration(const Entry& entry) {
  if (entry.value.IsScalar()) {
    const std::string& text = entry.value.Scalar();
    long long count = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, count);
    if (ec == std::errc() && ptr != text.data() && ptr + 1 == end && count >= 0) {
      long long unit = 0;
      switch (*ptr) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: break;
      }
      // A year is long enough for any interval; beyond it a typo is likelier than intent.
      if (unit != 0 && count <= 366LL * 86400 / unit) {
        if (count == 0) {
          error(at(entry), in_quotes(entry.name) + " must be longer than 0s");
          return std::nullopt;
        }
        return std::chrono::seconds(count * unit);
      }
    }
  }
  error(at(entry), in_quotes(entry.name) + " must be a duration like 30s, 5m, 1h or 1d");
  return std::nullopt;
}

namespace {

// 86400 -> "1d", 600 -> "10m", 10 -> "10s": the largest unit that writes it whole.
std::string duration_text(long long seconds) {
  if (seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

}  // namespace

std::optional<std::chrono::seconds> YamlReader::duration(const Entry& entry, const Option& option) {
  auto value = duration(entry);
  if (!value || option.max == 0) return value;
  if (value->count() < option.min || value->count() > option.max) {
    error(at(entry), in_quotes(entry.name) + " must be a duration from " +
                         duration_text(option.min) + " to " + duration_text(option.max));
    return std::nullopt;
  }
  return value;
}

void append_in_file_order(const Diagnostics& found, Diagnostics& out) {
  std::vector<Diagnostic> items = found.all();
  std::stable_sort(items.begin(), items.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.file, a.where.line, a.where.column) <
           std::tie(b.where.file, b.where.line, b.where.column);
  });
  for (auto& item : items) out.add(std::move(item));
}

std::vector<std::string_view> keys_of(std::span<const Option> options) {
  std::vector<std::string_view> keys;
  keys.reserve(options.size());
  for (const auto& option : options) keys.push_back(option.key);
  return keys;
}

std::string join(std::span<const std::string_view> words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

}  // namespace secondsight::config
