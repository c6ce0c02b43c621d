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

}  // namespace secondsight::directory
