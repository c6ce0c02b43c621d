#include "secondsight/directory/entry.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace secondsight::directory {

namespace {

// ASCII only, as LDAP compares attribute names and DNs' ASCII parts; no locale lookups.
constexpr char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

const std::vector<std::string>* Entry::find(std::string_view name) const {
  for (const auto& attribute : m_attributes)
    if (iequals(attribute.name, name)) return &attribute.values;
  return nullptr;
}

std::string_view Entry::first(std::string_view name) const {
  const auto* values = find(name);
  return values && !values->empty() ? std::string_view(values->front()) : std::string_view();
}

void Entry::add(std::string_view name, std::string value) {
  // The values of an attribute mostly come one after the other.
  if (!m_attributes.empty() && iequals(m_attributes.back().name, name)) {
    m_attributes.back().values.push_back(std::move(value));
    return;
  }
  for (auto& attribute : m_attributes) {
    if (iequals(attribute.name, name)) {
      attribute.values.push_back(std::move(value));
      return;
    }
  }
  m_attributes.push_back({std::string(name), {std::move(value)}});
}

void Entry::add_values(std::string_view name, std::vector<std::string> values) {
  for (auto& attribute : m_attributes) {
    if (iequals(attribute.name, name)) {
      if (attribute.values.empty()) {
        attribute.values = std::move(values);
      } else {
        attribute.values.insert(attribute.values.end(), std::make_move_iterator(values.begin()),
                                std::make_move_iterator(values.end()));
      }
      return;
    }
  }
  m_attributes.push_back({std::string(name), std::move(values)});
}

namespace {

void append32(std::string& out, std::size_t n) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((n >> (8 * i)) & 0xFFu);
}

}  // namespace

PackedAttributes::PackedAttributes(const Entry& entry) : line(entry.line) {
  std::size_t size = 0;
  for (const auto& attribute : entry.attributes()) {
    size += 2 + attribute.name.size() + 4 + 4;
    for (const auto& value : attribute.values) size += 4 + value.size();
  }
  m_buffer.reserve(size);
  for (const auto& attribute : entry.attributes()) {
    // Names are short; one longer than two bytes can count is cut (no schema has one).
    const std::size_t name = std::min<std::size_t>(attribute.name.size(), 0xFFFF);
    m_buffer += static_cast<char>(name & 0xFFu);
    m_buffer += static_cast<char>(name >> 8);
    m_buffer.append(attribute.name, 0, name);
    const std::size_t length_at = m_buffer.size();
    append32(m_buffer, 0);  // written below
    append32(m_buffer, attribute.values.size());
    for (const auto& value : attribute.values) {
      append32(m_buffer, value.size());
      m_buffer += value;
    }
    const std::size_t length = m_buffer.size() - length_at - 4;
    for (std::size_t i = 0; i < 4; ++i)
      m_buffer[length_at + i] = static_cast<char>((length >> (8 * i)) & 0xFFu);
  }
}

std::size_t PackedAttributes::find(std::string_view name) const {
  const std::string_view buffer = m_buffer;
  std::size_t at = 0;
  while (at < buffer.size()) {
    const std::size_t length = static_cast<unsigned char>(buffer[at]) |
                               static_cast<std::size_t>(static_cast<unsigned char>(buffer[at + 1]))
                                   << 8;
    const std::string_view found = buffer.substr(at + 2, length);
    at += 2 + length;
    if (iequals(found, name)) return at + 4;
    at += 4 + read32(at);
  }
  return k_none;
}

}  // namespace secondsight::directory
