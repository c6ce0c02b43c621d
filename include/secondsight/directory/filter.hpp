// LDAP search filters (RFC 4515), parsed once and evaluated against entries without a schema.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "secondsight/core/result.hpp"
#include "secondsight/directory/entry.hpp"

namespace secondsight::directory {

struct FilterNode;

class Filter {
 public:
  // Parses "(&(objectClass=person)(!(uid=x*)))". Errors name the offset and what is wrong.
  static Result<Filter> parse(std::string_view text);

  // Evaluated as a server would without schema knowledge: attribute names and values
  // compared case-insensitively; DN-valued attributes (member, memberOf, manager, ...)
  // compared as normalised DNs; objectClass matches the classes listed in the entry;
  // the AD bit rules 1.2.840.113556.1.4.803 (AND) and .804 (OR) are supported. An item on
  // an attribute the entry lacks is false and '!' makes it true: no three-valued logic.
  bool matches(const Entry& entry) const;

  const std::string& text() const { return m_text; }

 private:
  std::shared_ptr<const FilterNode> m_root;
  std::string m_text;
};

// Escapes a value for use inside a filter (RFC 4515: * ( ) \ NUL as \2a \28 \29 \5c \00).
std::string escape_filter_value(std::string_view value);

}  // namespace secondsight::directory
