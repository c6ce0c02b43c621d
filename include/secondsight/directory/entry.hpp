// A directory entry as a search returns it: a DN and attributes with their values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secondsight::directory {

struct Attribute {
  std::string name;  // as the server wrote it, options included ("member;range=0-1499")
  std::vector<std::string> values;
};

class Entry {
 public:
  std::string dn;  // as written by the source
  int line = 0;    // first line in the source file (LDIF); 0 when not from a file

  // Values of an attribute, its name compared case-insensitively; nullptr when absent.
  const std::vector<std::string>* find(std::string_view name) const;
  // The first value, or "" when absent.
  std::string_view first(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Appends a value, merging with an attribute of the same name (case-insensitive).
  void add(std::string_view name, std::string value);
  // Appends an attribute's values, merging with one of the same name (case-insensitive).
  void add_values(std::string_view name, std::vector<std::string> values);

  const std::vector<Attribute>& attributes() const { return m_attributes; }
  // Takes the attributes out, leaving none: for rewriting them.
  std::vector<Attribute> take_attributes() { return std::exchange(m_attributes, {}); }

 private:
  std::vector<Attribute> m_attributes;
};

// ASCII case-insensitive comparison, as LDAP compares attribute names.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);

}  // namespace secondsight::directory
