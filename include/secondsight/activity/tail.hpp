// Reading a growing log file incrementally: complete lines from a saved position, across
// rotation by rename, copytruncate, and files replaced or shrunk.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::activity {

// Where reading a file stopped, and which file that was.
struct TailPosition {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::string fingerprint;  // hex SHA-256 of the file's first bytes (up to k_fingerprint_bytes)
  std::uint64_t fingerprint_length = 0;  // how many bytes the fingerprint covers
  std::uint64_t offset = 0;              // bytes consumed: always just after a line end
  bool known = false;                    // false: never read; start at the beginning
};

// Lines as spans of one text that the file was read into: a batch of a million lines is two
// allocations and no copy. Lines are views computed on access, so moving the block keeps them
// valid. The text may hold bytes between lines that belong to none (line ends, a partial line).
class LineBlock {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    const_iterator() = default;
    const_iterator(const LineBlock* block, std::size_t index) : m_block(block), m_index(index) {}
    std::string_view operator*() const { return (*m_block)[m_index]; }
    const_iterator& operator++() {
      ++m_index;
      return *this;
    }
    const_iterator operator++(int) {
      auto copy = *this;
      ++m_index;
      return copy;
    }
    bool operator==(const const_iterator& other) const { return m_index == other.m_index; }

   private:
    const LineBlock* m_block = nullptr;
    std::size_t m_index = 0;
  };

  // The text read so far; lines are named by their spans in it.
  std::string_view text() const { return {m_text.get(), m_size}; }
  // Room for `count` more bytes at the end of the text, left uninitialised for a read to fill;
  // truncate() then sets how many were filled.
  char* extend(std::size_t count) {
    if (m_size + count > m_capacity) {
      const std::size_t capacity = std::max(m_size + count, m_capacity * 2);
      auto grown = std::make_unique_for_overwrite<char[]>(capacity);
      if (m_size > 0) std::memcpy(grown.get(), m_text.get(), m_size);
      m_text = std::move(grown);
      m_capacity = capacity;
    }
    char* at = m_text.get() + m_size;
    m_size += count;
    return at;
  }
  void truncate(std::size_t size) { m_size = std::min(size, m_size); }
  // Removes text[begin, end), moving what follows down; only text after every line's span.
  void erase(std::size_t begin, std::size_t end) {
    std::memmove(m_text.get() + begin, m_text.get() + end, m_size - end);
    m_size -= end - begin;
  }
  void reserve(std::size_t bytes) {
    if (bytes > m_capacity) {
      const std::size_t size = m_size;
      extend(bytes - size);
      m_size = size;
    }
  }
  void add_span(std::size_t begin, std::size_t end) { m_spans.push_back({begin, end}); }
  void add(std::string_view line) {
    const std::size_t begin = m_size;
    if (!line.empty()) std::memcpy(extend(line.size()), line.data(), line.size());
    add_span(begin, m_size);
  }
  std::size_t size() const { return m_spans.size(); }
  bool empty() const { return m_spans.empty(); }
  std::string_view operator[](std::size_t index) const {
    const auto& [begin, end] = m_spans[index];
    return text().substr(begin, end - begin);
  }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, m_spans.size()}; }
  std::vector<std::string> to_strings() const { return {begin(), end()}; }

 private:
  std::unique_ptr<char[]> m_text;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;
  std::vector<std::pair<std::size_t, std::size_t>> m_spans;
};

struct TailBatch {
  LineBlock lines;                    // complete lines, line ends (LF, CR LF) removed
  std::uint64_t skipped = 0;          // lines over k_max_line_bytes, read past and left out
  TailPosition after;                 // the position after these lines: save it with their effects
  bool more = false;                  // more data is ready now (call again)
  std::vector<std::string> notes;     // what happened: rotation followed, first start, ...
  std::vector<std::string> warnings;  // what may have lost lines, or a file that is missing
  bool missing = false;               // nothing is at the path (nor the saved file beside it)
};

class FileTailer {
 public:
  static constexpr std::size_t k_fingerprint_bytes = 256;

  FileTailer(std::filesystem::path path, TailPosition saved);

  // The next complete lines, up to about `max_bytes`. A line over k_max_line_bytes
  // (activity/limits.hpp) is counted in `skipped` with a warning and its bytes are dropped as
  // they are read, so it never takes more memory than the limit. A last line without LF is returned
  // only when the file has not changed for 5 seconds (by `wall_now`) or was rotated away. After a
  // rotation by rename, the rest of the old file (found beside it by device and inode) is read
  // before the new file. A file that shrank below the position, or whose first bytes changed,
  // is read again from its start (copytruncate, replacement). A missing file is no error: an
  // empty batch that says so (`missing`). Errors (permission denied, I/O) name the file.
  Result<TailBatch> next_batch(std::size_t max_bytes, Instant wall_now);

  const std::filesystem::path& path() const { return m_path; }
  const TailPosition& position() const { return m_position; }

 private:
  // next_batch without its guarantee that a failed batch leaves the position alone.
  Result<TailBatch> read_batch(std::size_t max_bytes, Instant wall_now);

  std::filesystem::path m_path;
  TailPosition m_position;
  // Where the file of m_position was last found beside m_path after a rotation: checked
  // first, so reading a large rotated rest in many batches does not list the folder each time.
  std::filesystem::path m_rotated_hint;
  // The file being finished is a copytruncate copy: the newest rotation, with nothing rotated
  // between it and the file at the path.
  bool m_reading_copy = false;
};

}  // namespace secondsight::activity
