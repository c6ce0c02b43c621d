#include <array>
#include <cerrno>
#include <cstdint>
#include <exception>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/ldif.hpp"

namespace secondsight::directory {
namespace {

constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

// One unfolded line and the physical line it starts on.
struct LogicalLine {
  int number = 0;
  std::string text;
};

enum class ValueForm { plain, base64, url };

// "name: value", "name:: base64", "name:< url", split but not yet decoded.
struct LineParts {
  std::string_view name;
  ValueForm form = ValueForm::plain;
  std::string_view value;
};

bool is_attribute_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == ';' || c == '_';
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// What to show of a user's line in a message: enough to find it, never a whole blob.
std::string excerpt(std::string_view text) {
  constexpr std::size_t k_max = 60;
  if (text.size() <= k_max) return std::string(text);
  return std::string(text.substr(0, k_max)) + "...";
}

std::optional<int> base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return std::nullopt;
}

// Strict RFC 4648 decoding, except that missing '=' padding is tolerated.
Result<std::string> decode_base64(std::string_view text) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (padding > 0 && (text.size() + padding) % 4 != 0) return make_error("wrong '=' padding");
  if (text.size() % 4 == 1) return make_error("truncated (length is not a multiple of 4)");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto digit = base64_digit(text[i]);
    if (!digit)
      return make_error("bad character '" + std::string(1, text[i]) + "' at position " +
                        std::to_string(i + 1));
    buffer = (buffer << 6) | static_cast<std::uint32_t>(*digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xffu);
    }
  }
  return out;
}

// "${name}" left by a template engine that was never run; such a value is certainly wrong.
std::optional<std::string_view> find_template(std::string_view text) {
  const auto open = text.find("${");
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = text.find('}', open + 2);
  if (close == std::string_view::npos) return std::nullopt;
  return text.substr(open, close - open + 1);
}

bool is_change_type(std::string_view type) {
  static constexpr std::array<std::string_view, 4> k_changes = {"modify", "delete", "moddn",
                                                                "modrdn"};
  for (auto change : k_changes)
    if (iequals(type, change)) return true;
  return false;
}

// What `ldapsearch -L` prints after the entries ("search: 2", "result: 0 Success").
bool is_trailer_attribute(std::string_view name) {
  return iequals(name, "search") || iequals(name, "result") || iequals(name, "text") ||
         iequals(name, "matchedDN") || iequals(name, "ref") || iequals(name, "control");
}

class LdifReader {
 public:
  LdifReader(std::istream& in, const std::string& file_name) : m_in(in), m_file(file_name) {}

  Result<LdifContent> read() {
    std::string raw;
    bool in_comment = false;
    int number = 0;
    while (std::getline(m_in, raw)) {
      ++number;
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      if (number == 1 && raw.compare(0, k_byte_order_mark.size(), k_byte_order_mark) == 0)
        raw.erase(0, k_byte_order_mark.size());
      // A line of spaces only is taken as the blank line its author meant, not as a fold:
      // no exporter folds onto an empty continuation, but hand edits leave such lines.
      if (raw.find_first_not_of(' ') == std::string::npos) {
        if (auto done = finish_record(); !done) return done.error();
        in_comment = false;
        continue;
      }
      if (raw.front() == ' ') {
        if (in_comment) continue;  // a folded comment stays a comment
        if (m_record.empty())
          return fail(number,
                      "continuation line (starting with a space) without a line to continue");
        m_record.back().text.append(raw, 1, std::string::npos);
        continue;
      }
      in_comment = raw.front() == '#';
      if (in_comment) continue;
      m_record.push_back({number, std::move(raw)});
      raw.clear();
    }
    if (m_in.bad()) return make_error(m_file + ":" + std::to_string(number) + ": read error");
    if (auto done = finish_record(); !done) return done.error();
    return std::move(m_content);
  }

 private:
  Error fail(int line, const std::string& message) const {
    return make_error(m_file + ":" + std::to_string(line) + ": " + message);
  }

  Result<LineParts> split(const LogicalLine& line) const {
    const std::string_view text = line.text;
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
      return fail(line.number, "expected 'attribute: value' but found '" + excerpt(text) + "'");
    LineParts parts;
    parts.name = text.substr(0, colon);
    if (parts.name.empty()) return fail(line.number, "missing attribute name before ':'");
    // Options may carry '=' ("member;range=0-1499", as AD pages large groups); the type not.
    const auto options = parts.name.find(';');
    for (std::size_t i = 0; i < parts.name.size(); ++i) {
      const char c = parts.name[i];
      if (!is_attribute_char(c) && !(c == '=' && options < i))
        return fail(line.number, "bad attribute description '" + excerpt(parts.name) + "'");
    }
    std::string_view rest = text.substr(colon + 1);
    if (!rest.empty() && rest.front() == ':') {
      parts.form = ValueForm::base64;
      rest.remove_prefix(1);
    } else if (!rest.empty() && rest.front() == '<') {
      parts.form = ValueForm::url;
      rest.remove_prefix(1);
    }
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    parts.value = rest;
    return parts;
  }

  Result<std::string> decode(const LogicalLine& line, const LineParts& parts) const {
    switch (parts.form) {
      case ValueForm::plain: {
        if (auto found = find_template(parts.value))
          return fail(line.number, "unexpanded template '" + excerpt(*found) + "'");
        return std::string(parts.value);
      }
      case ValueForm::base64: {
        auto decoded = decode_base64(trim_spaces(parts.value));
        if (!decoded)
          return fail(line.number, "bad base64 in value of '" + std::string(parts.name) +
                                       "': " + decoded.error().message);
        return std::move(*decoded);
      }
      case ValueForm::url: break;
    }
    return fail(line.number, "value of '" + std::string(parts.name) + "' is the URL '" +
                                 excerpt(trim_spaces(parts.value)) +
                                 "'; secondsight does not fetch files or URLs, so put the value "
                                 "itself in the export");
  }

  Result<void> finish_record() {
    if (m_record.empty()) return {};
    auto done = read_record();
    m_record.clear();
    return done;
  }

  Result<void> read_record() {
    if (!m_seen_record) {
      m_seen_record = true;
      auto first = split(m_record.front());
      if (first && iequals(first->name, "version")) {
        if (trim_spaces(first->value) != "1")
          return fail(m_record.front().number,
                      "unsupported LDIF version '" + excerpt(first->value) + "' (expected 1)");
        m_record.erase(m_record.begin());
        if (m_record.empty()) return {};
      }
    }

    const LogicalLine& head = m_record.front();
    auto first = split(head);
    if (!first) return first.error();
    if (iequals(first->name, "dn")) return read_entry(*first);
    if (iequals(first->name, "ref")) return skip_reference();
    if (iequals(first->name, "search") || iequals(first->name, "result")) return read_trailer();
    return fail(head.number, "expected 'dn:' at the start of a record but found '" +
                                 std::string(first->name) + ":'");
  }

  Result<void> read_entry(const LineParts& dn_parts) {
    const LogicalLine& head = m_record.front();
    auto dn = decode(head, dn_parts);
    if (!dn) return dn.error();
    if (auto found = find_template(*dn))
      return fail(head.number, "unexpanded template '" + excerpt(*found) + "'");
    if (auto parsed = parse_dn(*dn); !parsed) return fail(head.number, parsed.error().message);

    Entry entry;
    entry.dn = std::move(*dn);
    entry.line = head.number;
    for (std::size_t i = 1; i < m_record.size(); ++i) {
      const LogicalLine& line = m_record[i];
      auto parts = split(line);
      if (!parts) return parts.error();
      if (iequals(parts->name, "control")) continue;  // request controls mean nothing here
      if (iequals(parts->name, "changetype")) {
        const std::string_view type = trim_spaces(parts->value);
        if (iequals(type, "add")) continue;  // ldifde writes it on every entry
        if (is_change_type(type))
          return fail(line.number, "change records (changetype: " + std::string(type) +
                                       ") are not a directory export; export with ldapsearch, "
                                       "slapcat or ldifde");
        return fail(line.number, "unknown changetype '" + excerpt(type) + "'");
      }
      if (iequals(parts->name, "dn"))
        return fail(line.number,
                    "second 'dn:' in one record (is the blank line before it "
                    "missing?)");
      auto value = decode(line, *parts);
      if (!value) return value.error();
      entry.add(parts->name, std::move(*value));
    }
    m_content.entries.push_back(std::move(entry));
    return {};
  }

  // AD answers a subtree search with referrals to its partitions; they hold no entries of ours.
  Result<void> skip_reference() {
    for (const auto& line : m_record) {
      auto parts = split(line);
      if (!parts) return parts.error();
      if (!iequals(parts->name, "ref")) continue;
      auto url = decode(line, *parts);
      if (!url) return url.error();
      m_content.warnings.push_back(m_file + ":" + std::to_string(line.number) +
                                   ": search reference skipped: " + *url);
    }
    return {};
  }

  // The result lines `ldapsearch -L` prints at the end. A result other than 0 means the
  // server stopped early (size or time limit): the export lacks entries, so say so.
  Result<void> read_trailer() {
    for (const auto& line : m_record) {
      auto parts = split(line);
      if (!parts) return parts.error();
      if (!is_trailer_attribute(parts->name))
        return fail(line.number, "'" + std::string(parts->name) +
                                     ":' in a search result record, which has no 'dn:' line");
      if (iequals(parts->name, "result")) {
        const std::string_view result = trim_spaces(parts->value);
        if (result != "0" && result.substr(0, 2) != "0 ")
          m_content.warnings.push_back(m_file + ":" + std::to_string(line.number) +
                                       ": the export ends with 'result: " + excerpt(result) +
                                       "'; it may be incomplete");
      }
    }
    return {};
  }

  std::istream& m_in;
  std::string m_file;
  std::vector<LogicalLine> m_record;
  bool m_seen_record = false;
  LdifContent m_content;
};

}  // namespace

Result<LdifContent> read_ldif(std::istream& in, const std::string& file_name) {
  try {
    return LdifReader(in, file_name).read();
  } catch (const std::exception& e) {
    return make_error(file_name + ": cannot read LDIF: " + e.what());
  }
}

Result<LdifContent> read_ldif_file(const std::filesystem::path& path) {
  try {
    const std::string name = path.string();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      return make_error("cannot read LDIF export " + name + ": " +
                        std::generic_category().message(EISDIR));
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      const int error = errno != 0 ? errno : ENOENT;
      return make_error("cannot read LDIF export " + name + ": " +
                        std::generic_category().message(error));
    }
    return read_ldif(in, name);
  } catch (const std::exception& e) {
    return make_error("cannot read LDIF export " + path.string() + ": " + e.what());
  }
}

}  // namespace secondsight::directory
