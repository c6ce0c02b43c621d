#include "secondsight/directory/filter.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <exception>
#include <optional>
#include <vector>

#include "secondsight/directory/dn.hpp"

namespace secondsight::directory {

enum class FilterKind {
  all_of,      // (&...)
  any_of,      // (|...)
  negation,    // (!...)
  equality,    // (a=v), (a~=v), (a:caseIgnoreMatch:=v)
  exact,       // (a:caseExactMatch:=v)
  present,     // (a=*)
  substrings,  // (a=ab*cd*ef)
  greater_or_equal,
  less_or_equal,
  bit_and,  // (a:1.2.840.113556.1.4.803:=n)
  bit_or,   // (a:1.2.840.113556.1.4.804:=n)
};

struct FilterNode {
  FilterKind kind = FilterKind::equality;
  std::vector<std::shared_ptr<const FilterNode>> children;  // and, or, not
  std::string attribute;  // options stripped ("cn;lang-en" -> "cn"), as written otherwise
  bool dn_valued = false;
  std::string value;  // unescaped assertion value as written
  std::string match;  // what entry values are compared with: lower-cased, or a normalised DN
  // substrings, lower-cased
  std::optional<std::string> initial;
  std::vector<std::string> any;
  std::optional<std::string> final_part;
  std::uint64_t bits = 0;
};

namespace {

// Attributes whose values are DNs: compared as normalised DNs, as a server with the standard
// schema would, so "uid=A, ou=People,..." finds "uid=a,ou=people,...".
constexpr std::array<std::string_view, 9> k_dn_valued_attributes = {
    "member",  "uniqueMember", "memberOf",     "manager",          "owner",
    "seeAlso", "secretary",    "roleOccupant", "distinguishedName"};

constexpr std::string_view k_rule_bit_and = "1.2.840.113556.1.4.803";
constexpr std::string_view k_rule_bit_or = "1.2.840.113556.1.4.804";
constexpr std::string_view k_rule_in_chain = "1.2.840.113556.1.4.1941";

struct MatchingRule {
  std::string_view name;
  std::string_view oid;
  FilterKind kind;
};

// Equality rules a schema-less evaluator can honour; the rest must fail loudly, since silently
// treating an unknown rule as equality would select the wrong people.
constexpr std::array<MatchingRule, 12> k_matching_rules = {{
    {"caseIgnoreMatch", "2.5.13.2", FilterKind::equality},
    {"caseIgnoreIA5Match", "1.3.6.1.4.1.1466.109.114.2", FilterKind::equality},
    {"caseIgnoreListMatch", "2.5.13.11", FilterKind::equality},
    {"distinguishedNameMatch", "2.5.13.1", FilterKind::equality},
    {"numericStringMatch", "2.5.13.8", FilterKind::equality},
    {"integerMatch", "2.5.13.14", FilterKind::equality},
    {"telephoneNumberMatch", "2.5.13.20", FilterKind::equality},
    {"objectIdentifierMatch", "2.5.13.0", FilterKind::equality},
    {"caseExactMatch", "2.5.13.5", FilterKind::exact},
    {"caseExactIA5Match", "1.3.6.1.4.1.1466.109.114.1", FilterKind::exact},
    {"octetStringMatch", "2.5.13.17", FilterKind::exact},
    {"booleanMatch", "2.5.13.13", FilterKind::equality},
}};

std::string_view strip_options(std::string_view name) {
  return name.substr(0, std::min(name.find(';'), name.size()));
}

bool is_dn_valued(std::string_view attribute) {
  return std::any_of(k_dn_valued_attributes.begin(), k_dn_valued_attributes.end(),
                     [&](std::string_view known) { return iequals(known, attribute); });
}

std::optional<int> hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

bool is_attribute_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == ';' || c == '_';
}

bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// "-0042" -> ("-", "42"); nullopt when not an integer.
struct IntegerText {
  bool negative = false;
  std::string_view digits;
};
std::optional<IntegerText> as_integer(std::string_view text) {
  IntegerText out;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    out.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  while (text.size() > 1 && text[0] == '0') text.remove_prefix(1);
  out.digits = text;
  if (out.digits == "0") out.negative = false;
  return out;
}

// Compares integers of any length (AD FILETIMEs and 64-bit counters do not fit every type).
int compare_integers(const IntegerText& a, const IntegerText& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = 0;
  if (a.digits.size() != b.digits.size())
    magnitude = a.digits.size() < b.digits.size() ? -1 : 1;
  else
    magnitude = a.digits.compare(b.digits) < 0 ? -1 : (a.digits == b.digits ? 0 : 1);
  return a.negative ? -magnitude : magnitude;
}

int compare_ordering(std::string_view entry_value, std::string_view assertion) {
  const auto a = as_integer(entry_value);
  const auto b = as_integer(assertion);
  if (a && b) return compare_integers(*a, *b);
  const std::string left = to_lower(entry_value);
  const std::string right = to_lower(assertion);
  return left < right ? -1 : (left == right ? 0 : 1);
}

// AD writes flags as signed 32-bit numbers (groupType -2147483646); their bits are the two's
// complement, so a negative value is taken as such rather than refused.
std::optional<std::uint64_t> as_bits(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (text[0] == '-') {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end) return std::nullopt;
    return static_cast<std::uint64_t>(value);
  }
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool matches_substrings(const FilterNode& node, std::string_view value) {
  const std::string lowered = to_lower(value);
  std::string_view rest = lowered;
  if (node.initial) {
    if (rest.substr(0, node.initial->size()) != *node.initial) return false;
    rest.remove_prefix(node.initial->size());
  }
  for (const auto& part : node.any) {
    const auto at = rest.find(part);
    if (at == std::string_view::npos) return false;
    rest.remove_prefix(at + part.size());
  }
  if (node.final_part) {
    if (rest.size() < node.final_part->size()) return false;
    return rest.substr(rest.size() - node.final_part->size()) == *node.final_part;
  }
  return true;
}

bool matches_value(const FilterNode& node, std::string_view value) {
  switch (node.kind) {
    case FilterKind::equality:
      if (node.dn_valued) return normalize_dn(value) == node.match;
      return iequals(value, node.match);
    case FilterKind::exact: return value == node.value;
    case FilterKind::substrings: return matches_substrings(node, value);
    case FilterKind::greater_or_equal: return compare_ordering(value, node.value) >= 0;
    case FilterKind::less_or_equal: return compare_ordering(value, node.value) <= 0;
    case FilterKind::bit_and: {
      const auto bits = as_bits(value);
      return bits && (*bits & node.bits) == node.bits;
    }
    case FilterKind::bit_or: {
      const auto bits = as_bits(value);
      return bits && (*bits & node.bits) != 0;
    }
    case FilterKind::present: return true;
    case FilterKind::all_of:
    case FilterKind::any_of:
    case FilterKind::negation: return false;
  }
  return false;
}

// No three-valued logic: an item on an attribute the entry lacks is FALSE (not Undefined),
// so "(!(employeeType=contractor))" selects entries without employeeType too. That is what
// people filtering an export expect, even though a server would leave such entries out.
bool evaluate(const FilterNode& node, const Entry& entry) {
  switch (node.kind) {
    case FilterKind::all_of:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](const auto& child) { return evaluate(*child, entry); });
    case FilterKind::any_of:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](const auto& child) { return evaluate(*child, entry); });
    case FilterKind::negation: return !evaluate(*node.children.front(), entry);
    default: break;
  }
  // An entry attribute "cn;lang-en" answers a filter on "cn".
  for (const auto& attribute : entry.attributes()) {
    if (!iequals(strip_options(attribute.name), node.attribute)) continue;
    if (node.kind == FilterKind::present) return true;
    for (const auto& value : attribute.values)
      if (matches_value(node, value)) return true;
  }
  return false;
}

class FilterParser {
 public:
  explicit FilterParser(std::string_view text) : m_text(text) {}

  Result<std::shared_ptr<const FilterNode>> parse() {
    if (m_text.empty()) return fail("empty filter");
    // Servers and tools accept "objectClass=person" without the outer parentheses.
    if (m_text.front() != '(') {
      auto item = parse_item(/*parenthesised=*/false);
      if (!item) return item;
      if (!at_end()) return fail("unexpected ')'");
      return item;
    }
    auto root = parse_filter();
    if (!root) return root;
    skip_whitespace();
    if (!at_end()) return fail("unexpected text after the filter");
    return root;
  }

 private:
  using NodeResult = Result<std::shared_ptr<const FilterNode>>;

  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return m_text[m_pos]; }
  void skip_whitespace() {
    while (!at_end() && is_whitespace(peek())) ++m_pos;
  }
  Error fail(const std::string& what) const { return fail_at(what, m_pos); }
  Error fail_at(const std::string& what, std::size_t offset) const {
    return make_error("bad LDAP filter '" + std::string(m_text) + "': " + what + " at offset " +
                      std::to_string(offset));
  }

  NodeResult parse_filter() {
    skip_whitespace();
    if (at_end()) return fail("missing '('");
    if (peek() != '(') return fail("expected '(' but found '" + std::string(1, peek()) + "'");
    ++m_pos;
    skip_whitespace();
    if (at_end()) return fail("missing ')'");
    const char op = peek();
    if (op == '&' || op == '|' || op == '!') {
      ++m_pos;
      auto node = std::make_shared<FilterNode>();
      node->kind =
          op == '&' ? FilterKind::all_of : (op == '|' ? FilterKind::any_of : FilterKind::negation);
      while (true) {
        skip_whitespace();
        if (at_end()) return fail("missing ')'");
        if (peek() == ')') break;
        auto child = parse_filter();
        if (!child) return child;
        node->children.push_back(std::move(*child));
      }
      if (node->kind == FilterKind::negation && node->children.size() != 1)
        return fail("'!' needs exactly one filter");
      ++m_pos;  // ')'
      return std::shared_ptr<const FilterNode>(std::move(node));
    }
    auto item = parse_item(/*parenthesised=*/true);
    if (!item) return item;
    if (at_end()) return fail("missing ')'");
    ++m_pos;  // ')', checked by parse_item
    return item;
  }

  // attr=value, attr>=value, attr:rule:=value ...; stops before ')' or at the end.
  NodeResult parse_item(bool parenthesised) {
    const std::size_t start = m_pos;
    while (!at_end() && is_attribute_char(peek())) ++m_pos;
    std::string_view description = m_text.substr(start, m_pos - start);
    if (at_end())
      return fail(description.empty()
                      ? "missing attribute"
                      : "missing '=' after attribute '" + std::string(description) + "'");
    auto node = std::make_shared<FilterNode>();
    bool wildcards = false;  // only "attr=..." may be presence or substrings
    const char c = peek();
    if (c == ':') {
      auto problem = parse_extensible(*node, description);
      if (problem) return *problem;
    } else {
      if (c == ')' && !description.empty())
        return fail("missing '=' after attribute '" + std::string(description) + "'");
      if (description.empty()) {
        if (c == '=' || c == '>' || c == '<' || c == '~' || c == ')')
          return fail("missing attribute");
        return fail("bad character '" + std::string(1, c) + "' in attribute");
      }
      if (c == '=') {
        ++m_pos;
        node->kind = FilterKind::equality;
        wildcards = true;
      } else if ((c == '>' || c == '<' || c == '~') && m_pos + 1 < m_text.size() &&
                 m_text[m_pos + 1] == '=') {
        m_pos += 2;
        node->kind = c == '>'   ? FilterKind::greater_or_equal
                     : c == '<' ? FilterKind::less_or_equal
                                : FilterKind::equality;  // approximate: no phonetics here
      } else {
        return fail("bad character '" + std::string(1, c) + "' in attribute");
      }
    }
    node->attribute = std::string(strip_options(description));
    node->dn_valued = is_dn_valued(node->attribute);

    auto problem = parse_value(*node, wildcards);
    if (problem) return *problem;
    if (parenthesised && at_end()) return fail("missing ')'");
    return std::shared_ptr<const FilterNode>(std::move(node));
  }

  // After the attribute: ":dn:rule:=v", ":rule:=v", ":=v".
  std::optional<Error> parse_extensible(FilterNode& node, std::string_view description) {
    const std::size_t start = m_pos;
    if (description.empty())
      return fail("an extensible match without an attribute is not supported");
    std::vector<std::string_view> parts;  // between the colons before ":="
    while (true) {
      if (at_end() || peek() != ':') return fail("expected ':=' in extensible match");
      ++m_pos;
      if (!at_end() && peek() == '=') {
        ++m_pos;
        break;
      }
      const std::size_t part_start = m_pos;
      while (!at_end() && is_attribute_char(peek())) ++m_pos;
      if (m_pos == part_start) return fail("expected a matching rule or ':='");
      parts.push_back(m_text.substr(part_start, m_pos - part_start));
    }
    if (!parts.empty() && iequals(parts.front(), "dn"))
      return fail_at("the ':dn:' extensible match is not supported", start);
    if (parts.size() > 1) return fail_at("too many parts in extensible match", start);
    node.kind = FilterKind::equality;
    if (parts.empty()) return std::nullopt;
    const std::string_view rule = parts.front();
    if (rule == k_rule_bit_and) {
      node.kind = FilterKind::bit_and;
      return std::nullopt;
    }
    if (rule == k_rule_bit_or) {
      node.kind = FilterKind::bit_or;
      return std::nullopt;
    }
    if (rule == k_rule_in_chain)
      return fail_at("matching rule " + std::string(rule) +
                         " (in chain) is not supported; nested groups are resolved by "
                         "secondsight itself",
                     start);
    for (const auto& known : k_matching_rules) {
      if (iequals(rule, known.name) || rule == known.oid) {
        node.kind = known.kind;
        return std::nullopt;
      }
    }
    return fail_at("unknown matching rule '" + std::string(rule) + "'", start);
  }

  // The assertion value up to ')': escapes decoded, unescaped '*' splitting substrings.
  std::optional<Error> parse_value(FilterNode& node, bool wildcards) {
    const std::size_t start = m_pos;
    std::vector<std::string> pieces(1);
    while (!at_end() && peek() != ')') {
      const char c = peek();
      if (c == '(') return fail("unescaped '(' in value (write \\28)");
      if (c == '*') {
        pieces.emplace_back();
        ++m_pos;
        continue;
      }
      if (c == '\\') {
        const std::size_t escape = m_pos;
        ++m_pos;
        if (at_end()) return fail_at("unterminated escape '\\'", escape);
        const auto high = hex_digit(peek());
        const auto low = m_pos + 1 < m_text.size() ? hex_digit(m_text[m_pos + 1]) : std::nullopt;
        if (high && low) {
          pieces.back() += static_cast<char>(*high * 16 + *low);
          m_pos += 2;
        } else if (peek() == '*' || peek() == '(' || peek() == ')' || peek() == '\\') {
          pieces.back() += m_text[m_pos++];  // RFC 1960 style "\*", still written by old tools
        } else {
          return fail_at("bad escape (expected two hex digits after '\\')", escape);
        }
        continue;
      }
      pieces.back() += c;
      ++m_pos;
    }

    if (pieces.size() == 1) {
      node.value = std::move(pieces.front());
      if (node.kind == FilterKind::bit_and || node.kind == FilterKind::bit_or) {
        const auto bits = as_bits(node.value);
        if (!bits) return fail_at("bitwise matching rule needs an integer value", start);
        node.bits = *bits;
      }
      node.match = node.dn_valued ? normalize_dn(node.value) : to_lower(node.value);
      return std::nullopt;
    }
    if (!wildcards)
      return fail_at("'*' is only allowed in equality or substring filters (write \\2a)", start);
    if (pieces.size() == 2 && pieces[0].empty() && pieces[1].empty()) {
      node.kind = FilterKind::present;
      return std::nullopt;
    }
    node.kind = FilterKind::substrings;
    for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
      if (pieces[i].empty()) return fail_at("empty substring between '**'", start);
      node.any.push_back(to_lower(pieces[i]));
    }
    if (!pieces.front().empty()) node.initial = to_lower(pieces.front());
    if (!pieces.back().empty()) node.final_part = to_lower(pieces.back());
    return std::nullopt;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_whitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_whitespace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<Filter> Filter::parse(std::string_view text) {
  try {
    const std::string_view trimmed = trim(text);
    auto root = FilterParser(trimmed).parse();
    if (!root) return root.error();
    Filter filter;
    filter.m_root = std::move(*root);
    filter.m_text = std::string(trimmed);
    return filter;
  } catch (const std::exception& e) {
    return make_error("cannot parse LDAP filter: " + std::string(e.what()));
  }
}

bool Filter::matches(const Entry& entry) const {
  return m_root != nullptr && evaluate(*m_root, entry);
}

std::string escape_filter_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '*': out += "\\2a"; break;
      case '(': out += "\\28"; break;
      case ')': out += "\\29"; break;
      case '\\': out += "\\5c"; break;
      case '\0': out += "\\00"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace secondsight::directory
