// A compact index from strings to small numbers: open addressing over one flat table, the
// keys kept one after the other in one buffer. Built for the directory's large lookups (a
// million member DNs against a hundred thousand people), where a node-based map spends its
// time in cache misses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secondsight {

class StringIndex {
 public:
  // Adds `key` with `value` unless the key is present. Returns the value now stored for the
  // key and whether it was added.
  std::pair<std::uint32_t, bool> insert(std::string_view key, std::uint32_t value);
  // Replaces the value of a present key; does nothing when the key is absent.
  void assign(std::string_view key, std::uint32_t value);
  std::optional<std::uint32_t> find(std::string_view key) const;

  std::size_t size() const { return m_size; }
  void reserve(std::size_t keys);
  void clear();

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t key = 0;  // offset of the key in m_keys, plus one; 0: empty slot
    std::uint32_t value = 0;
  };
  // The slot holding `key`, or the empty slot where it would go.
  std::size_t locate(std::string_view key, std::uint64_t hash) const;
  bool key_equals(const Slot& slot, std::string_view key) const;
  void grow(std::size_t capacity);

  std::vector<Slot> m_slots;  // a power of two in size, at most 7/8 full
  std::string m_keys;         // each key followed by its length as four bytes
  std::size_t m_size = 0;
};

}  // namespace secondsight
