// The text of an LDIF export as UTF-8, in whichever encoding its exporter wrote it: UTF-8 with or
// without a byte-order mark, or UTF-16 with one (`ldifde -u`, needed for names outside ASCII).
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace secondsight::directory {

// Where and why an export's bytes are not text in its encoding.
struct EncodingProblem {
  int line = 0;         // the physical line it is on, counted as the reader counts them
  std::string message;  // without file and line, and without the bad bytes themselves
};

// Decodes an export a block at a time, so that a large export is never held twice. The
// byte-order mark is read and dropped; what is read is well-formed UTF-8 up to the end of the
// input or up to the first bytes that cannot be decoded, whose problem() then says why.
class ExportText {
 public:
  explicit ExportText(std::istream& in);

  // Up to `size` bytes of UTF-8 into `into`; 0 at the end of the text or at an encoding problem.
  // Fewer than 4 bytes of room may go unused: a character is never split between two reads.
  std::size_t read(char* into, std::size_t size);

  const std::optional<EncodingProblem>& problem() const { return m_problem; }

 private:
  enum class Encoding { utf8, utf16le, utf16be };

  void start();
  bool refill();
  std::size_t check_utf8(char* into, std::size_t size);
  std::size_t decode_utf16(char* into, std::size_t size);
  char32_t unit_at(std::size_t at) const;  // the UTF-16 code unit at m_raw[at]
  void report_cut();
  void set_problem(std::string message);
  std::string encoding_name() const;
  std::string at_offset(std::size_t at) const;

  std::istream& m_in;
  std::vector<char> m_raw;     // undecoded bytes of the input
  std::size_t m_at = 0;        // the next undecoded byte in m_raw
  std::size_t m_end = 0;       // the end of what m_raw holds
  std::uint64_t m_offset = 0;  // the offset in the input of m_raw[0]
  bool m_started = false;
  bool m_ended = false;  // the input has nothing more
  Encoding m_encoding = Encoding::utf8;
  int m_line = 1;  // the line of the next byte decoded
  std::optional<EncodingProblem> m_problem;
};

}  // namespace secondsight::directory
