// A directory entry as a search returns it: a DN and attributes with their values.
#pragma once

#include <cstddef>
#include <cstdint>
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

// The attributes of an entry packed into one buffer, for holding many entries at once (the
// people of a snapshot): a few hundred bytes where an Entry takes one allocation per
// attribute and per long value. Read only.
class PackedAttributes {
 public:
  PackedAttributes() = default;
  explicit PackedAttributes(const Entry& entry);

  int line = 0;  // as the entry's

  // Calls `each(value)` for every value of the attribute `name` (case-insensitive); false when
  // the entry has no such attribute.
  template <class Each>
  bool for_each_value(std::string_view name, Each&& each) const {
    const std::size_t at = find(name);
    if (at == k_none) return false;
    for_each_value_at(at, [&](std::string_view value) {
      each(value);
      return true;
    });
    return true;
  }
  std::size_t bytes() const { return m_buffer.capacity(); }

 private:
  static constexpr std::size_t k_none = static_cast<std::size_t>(-1);
  // The offset of the attribute's value count, or k_none.
  std::size_t find(std::string_view name) const;
  template <class Each>
  void for_each_value_at(std::size_t at, Each&& each) const;
  std::uint32_t read32(std::size_t at) const {
    std::uint32_t n = 0;
    for (std::size_t i = 4; i-- > 0;) n = (n << 8) | static_cast<unsigned char>(m_buffer[at + i]);
    return n;
  }

  // Per attribute: its name's length (2 bytes), the name, the length of what follows (4 bytes:
  // a search steps over it), its value count (4 bytes), then per value its length (4 bytes)
  // and its bytes.
  std::string m_buffer;
};

template <class Each>
void PackedAttributes::for_each_value_at(std::size_t at, Each&& each) const {
  const std::uint32_t count = read32(at);
  at += 4;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t length = read32(at);
    at += 4;
    if (!each(std::string_view(m_buffer).substr(at, length))) return;
    at += length;
  }
}

// ASCII case-insensitive comparison, as LDAP compares attribute names.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view text);

}  // namespace secondsight::directory
