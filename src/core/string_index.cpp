#include "secondsight/core/string_index.hpp"

#include <cstring>
#include <functional>
#include <stdexcept>

namespace secondsight {

namespace {

std::uint64_t hash_of(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

}  // namespace

bool StringIndex::key_equals(const Slot& slot, std::string_view key) const {
  const std::size_t offset = slot.key - 1;
  std::uint32_t length = 0;
  std::memcpy(&length, m_keys.data() + offset, sizeof length);
  return length == key.size() &&
         std::memcmp(m_keys.data() + offset + sizeof length, key.data(), key.size()) == 0;
}

std::size_t StringIndex::locate(std::string_view key, std::uint64_t hash) const {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = m_slots[i];
    if (slot.key == 0 || (slot.hash == hash && key_equals(slot, key))) return i;
  }
}

void StringIndex::grow(std::size_t capacity) {
  std::vector<Slot> old = std::move(m_slots);
  m_slots.assign(capacity, Slot{});
  const std::size_t mask = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.key == 0) continue;
    std::size_t i = slot.hash & mask;
    while (m_slots[i].key != 0) i = (i + 1) & mask;
    m_slots[i] = slot;
  }
}

void StringIndex::reserve(std::size_t keys) {
  std::size_t capacity = 16;
  while (capacity / 8 * 7 < keys) capacity *= 2;
  if (capacity > m_slots.size()) grow(capacity);
}

void StringIndex::clear() {
  m_slots.clear();
  m_keys.clear();
  m_size = 0;
}

std::pair<std::uint32_t, bool> StringIndex::insert(std::string_view key, std::uint32_t value) {
  if ((m_size + 1) * 8 > m_slots.size() * 7) reserve(m_size + 1 > 16 ? (m_size + 1) * 2 : 16);
  const std::uint64_t hash = hash_of(key);
  Slot& slot = m_slots[locate(key, hash)];
  if (slot.key != 0) return {slot.value, false};
  const auto length = static_cast<std::uint32_t>(key.size());
  if (m_keys.size() + sizeof length + key.size() >= UINT32_MAX)
    throw std::length_error("StringIndex: keys exceed 4 GiB");
  slot.hash = hash;
  slot.key = static_cast<std::uint32_t>(m_keys.size() + 1);
  slot.value = value;
  m_keys.append(reinterpret_cast<const char*>(&length), sizeof length);
  m_keys.append(key);
  ++m_size;
  return {value, true};
}

void StringIndex::assign(std::string_view key, std::uint32_t value) {
  if (m_slots.empty()) return;
  Slot& slot = m_slots[locate(key, hash_of(key))];
  if (slot.key != 0) slot.value = value;
}

std::optional<std::uint32_t> StringIndex::find(std::string_view key) const {
  if (m_slots.empty()) return std::nullopt;
  const Slot& slot = m_slots[locate(key, hash_of(key))];
  if (slot.key == 0) return std::nullopt;
  return slot.value;
}

}  // namespace secondsight
