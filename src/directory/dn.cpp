#include "secondsight/directory/dn.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>

#include "secondsight/directory/entry.hpp"

namespace secondsight::directory {
namespace {

bool is_space(char c) {
  return c == ' ';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<int> hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Characters RFC 4514 lets a backslash escape as themselves (besides hex pairs).
bool is_escapable(char c) {
  switch (c) {
    case ',':
    case '+':
    case '"':
    case '\\':
    case '<':
    case '>':
    case ';':
    case '=':
    case ' ':
    case '#': return true;
    default: return false;
  }
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// A cursor over the DN text that formats errors with the whole DN and the offset.
class DnParser {
 public:
  explicit DnParser(std::string_view text) : m_text(text) {}

  Result<std::vector<Rdn>> parse() {
    std::vector<Rdn> rdns;
    skip_spaces();
    if (at_end()) return rdns;  // the root DN
    while (true) {
      Rdn rdn;
      while (true) {
        auto ava = parse_ava();
        if (!ava) return ava.error();
        rdn.push_back(std::move(*ava));
        skip_spaces();
        if (!at_end() && peek() == '+') {
          ++m_pos;
          continue;
        }
        break;
      }
      rdns.push_back(std::move(rdn));
      if (at_end()) return rdns;
      const char separator = peek();
      if (separator != ',' && separator != ';')
        return fail("expected ',' between RDNs but found '" + std::string(1, separator) + "'");
      ++m_pos;
      skip_spaces();
      if (at_end()) return fail("trailing '" + std::string(1, separator) + "' without an RDN");
    }
  }

 private:
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return m_text[m_pos]; }
  void skip_spaces() {
    while (!at_end() && is_space(peek())) ++m_pos;
  }

  Error fail(const std::string& what) const { return fail_at(what, m_pos); }
  Error fail_at(const std::string& what, std::size_t offset) const {
    return make_error("bad DN '" + std::string(m_text) + "': " + what + " at offset " +
                      std::to_string(offset));
  }

  Result<Ava> parse_ava() {
    skip_spaces();
    const std::size_t type_start = m_pos;
    if (at_end() || peek() == ',' || peek() == ';' || peek() == '+')
      return fail("empty RDN (an attribute type is expected)");
    if (peek() == '=') return fail("missing attribute type before '='");
    while (!at_end() && peek() != '=' && !is_space(peek()) && peek() != ',' && peek() != ';' &&
           peek() != '+')
      ++m_pos;
    std::string type = to_lower(m_text.substr(type_start, m_pos - type_start));
    // "OID.2.5.4.3" is the RFC 1779 spelling of a numeric type.
    if (type.size() > 4 && type.compare(0, 4, "oid.") == 0 && is_digit(type[4])) type.erase(0, 4);
    if (auto problem = check_type(type)) return fail_at(*problem, type_start);
    skip_spaces();
    if (at_end() || peek() != '=') return fail("missing '=' after attribute type '" + type + "'");
    ++m_pos;
    skip_spaces();

    Ava ava;
    ava.type = std::move(type);
    if (!at_end() && peek() == '#') {
      auto hex = parse_hex_value();
      if (!hex) return hex.error();
      ava.value = std::move(*hex);
      ava.ber = true;
      return ava;
    }
    if (!at_end() && peek() == '"') {
      auto quoted = parse_quoted_value();
      if (!quoted) return quoted.error();
      ava.value = std::move(*quoted);
      return ava;
    }
    auto value = parse_string_value();
    if (!value) return value.error();
    ava.value = std::move(*value);
    return ava;
  }

  static std::optional<std::string> check_type(const std::string& type) {
    if (type.empty()) return "missing attribute type";
    if (is_alpha(type[0])) {
      for (char c : type)
        if (!is_alpha(c) && !is_digit(c) && c != '-')
          return "bad character '" + std::string(1, c) + "' in attribute type '" + type + "'";
      return std::nullopt;
    }
    // numericoid: digits separated by single dots
    bool previous_dot = true;
    for (char c : type) {
      if (c == '.') {
        if (previous_dot) return "bad numeric attribute type '" + type + "'";
        previous_dot = true;
      } else if (is_digit(c)) {
        previous_dot = false;
      } else {
        return "bad attribute type '" + type + "'";
      }
    }
    if (previous_dot) return "bad numeric attribute type '" + type + "'";
    return std::nullopt;
  }

  // '#' followed by the hex of a BER value: kept as text, since we have no schema to decode it.
  Result<std::string> parse_hex_value() {
    const std::size_t start = m_pos;
    ++m_pos;
    std::string out = "#";
    while (!at_end() && hex_digit(peek())) out += ascii_lower(m_text[m_pos++]);
    const std::size_t digits = out.size() - 1;
    skip_spaces();
    if (!at_end() && peek() != ',' && peek() != ';' && peek() != '+')
      return fail("bad character '" + std::string(1, peek()) + "' in '#' hex value");
    if (digits == 0 || digits % 2 != 0)
      return fail_at("'#' hex value needs an even, non-zero number of hex digits", start);
    return out;
  }

  // The RFC 2253 quoted form ("cn=\"Smith, J\""), which older tools still write.
  Result<std::string> parse_quoted_value() {
    const std::size_t start = m_pos;
    ++m_pos;
    std::string out;
    while (true) {
      if (at_end()) return fail_at("unterminated quoted value", start);
      const char c = peek();
      if (c == '"') {
        ++m_pos;
        break;
      }
      if (c == '\\') {
        auto problem = take_escape(out);
        if (problem) return *problem;
        continue;
      }
      out += c;
      ++m_pos;
    }
    skip_spaces();
    if (!at_end() && peek() != ',' && peek() != ';' && peek() != '+')
      return fail("unexpected text after quoted value");
    return out;
  }

  Result<std::string> parse_string_value() {
    std::string out;
    // Length of `out` up to its last escaped or non-space character: unescaped trailing
    // spaces are not part of the value, escaped ones are.
    std::size_t kept = 0;
    while (!at_end()) {
      const char c = peek();
      if (c == ',' || c == ';' || c == '+') break;
      if (c == '\\') {
        auto problem = take_escape(out);
        if (problem) return *problem;
        kept = out.size();
        continue;
      }
      out += c;
      ++m_pos;
      if (!is_space(c)) kept = out.size();
    }
    out.resize(kept);
    return out;
  }

  // Consumes a backslash escape at m_pos and appends the byte it stands for.
  std::optional<Error> take_escape(std::string& out) {
    const std::size_t start = m_pos;
    ++m_pos;
    if (at_end()) return fail_at("unterminated escape '\\' at the end", start);
    const auto high = hex_digit(peek());
    if (high && m_pos + 1 < m_text.size()) {
      if (const auto low = hex_digit(m_text[m_pos + 1])) {
        out += static_cast<char>(*high * 16 + *low);
        m_pos += 2;
        return std::nullopt;
      }
    }
    if (is_escapable(peek())) {
      out += m_text[m_pos++];
      return std::nullopt;
    }
    const std::size_t length = std::min<std::size_t>(3, m_text.size() - start);
    return fail_at("bad escape '" + std::string(m_text.substr(start, length)) +
                       "' (expected two hex digits or one of ,+\"\\<>;= #)",
                   start);
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

// The one canonical way to write a value back: RFC 4514's required escapes, and hex for
// control bytes, so equal values always produce equal text.
std::string escape_value(std::string_view value) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size() + 4);
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const auto byte = static_cast<unsigned char>(c);
    const bool first = i == 0;
    const bool last = i + 1 == value.size();
    if (c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' ||
        c == '=' || (first && c == '#') || ((first || last) && c == ' ')) {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += '\\';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

std::string trim_spaces(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

Result<std::vector<Rdn>> parse_dn(std::string_view text) {
  return DnParser(text).parse();
}

namespace {

// True when `text` is already its own normal form but for case: RDNs "type=value" joined by ','
// with a letter-led type, one AVA each, and values of letters, digits, '-', '_', '.', '@' and
// inner spaces, as servers write nearly every DN. Such a DN needs no parsing, only lower case.
bool is_plain_dn(std::string_view text) {
  enum class At { type_start, type, value_start, value } at = At::type_start;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool alnum = alpha || (c >= '0' && c <= '9');
    switch (at) {
      case At::type_start:
        if (!alpha) return false;
        at = At::type;
        break;
      case At::type:
        if (c == '=') {
          at = At::value_start;
        } else if (!alnum && c != '-') {
          return false;
        }
        break;
      case At::value_start:
      case At::value: {
        if (c == ',') {
          if (at == At::value_start || text[i - 1] == ' ') return false;
          at = At::type_start;
          break;
        }
        const bool inner_space = c == ' ' && at == At::value;
        if (!alnum && c != '-' && c != '_' && c != '.' && c != '@' && !inner_space) return false;
        at = At::value;
        break;
      }
    }
  }
  return at == At::value && text.back() != ' ';
}

}  // namespace

void normalize_dn_into(std::string_view text, std::string& out) {
  if (!is_plain_dn(text)) {
    out = normalize_dn(text);
    return;
  }
  out.assign(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
}

std::string normalize_dn(std::string_view text) {
  if (is_plain_dn(text)) return to_lower(text);
  auto rdns = parse_dn(text);
  if (!rdns) {
    // A tab or line end around a DN is no part of it: what parses without them is normalised
    // as such, so that a normal form normalises to itself.
    const std::string trimmed = trim_spaces(text);
    if (trimmed.size() != text.size()) return normalize_dn(trimmed);
    return to_lower(trimmed);
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t r = 0; r < rdns->size(); ++r) {
    std::vector<std::string> avas;
    avas.reserve((*rdns)[r].size());
    for (const Ava& ava : (*rdns)[r]) {
      // BER values are already lower-case hex and must not be escaped ('#' is their marker).
      avas.push_back(ava.type + "=" + (ava.ber ? ava.value : escape_value(to_lower(ava.value))));
    }
    // The order of AVAs in a multi-valued RDN carries no meaning.
    std::sort(avas.begin(), avas.end());
    if (r > 0) out += ',';
    for (std::size_t a = 0; a < avas.size(); ++a) {
      if (a > 0) out += '+';
      out += avas[a];
    }
  }
  return out;
}

bool dn_is_within(std::string_view normalized_dn, std::string_view normalized_base) {
  if (normalized_base.empty()) return true;  // everything is below the root DN
  if (normalized_dn.size() == normalized_base.size()) return normalized_dn == normalized_base;
  if (normalized_dn.size() < normalized_base.size() + 2) return false;
  const std::size_t comma = normalized_dn.size() - normalized_base.size() - 1;
  if (normalized_dn[comma] != ',' || normalized_dn.substr(comma + 1) != normalized_base)
    return false;
  // The comma must separate RDNs, not be an escaped "\," inside a value: an even run of
  // backslashes before it are escaped backslashes.
  std::size_t backslashes = 0;
  for (std::size_t i = comma; i > 0 && normalized_dn[i - 1] == '\\'; --i) ++backslashes;
  return backslashes % 2 == 0;
}

std::string dn_leaf_value(std::string_view text) {
  auto rdns = parse_dn(text);
  if (!rdns || rdns->empty() || rdns->front().empty()) return {};
  return rdns->front().front().value;
}

}  // namespace secondsight::directory
