#include "export_text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

namespace secondsight::directory {
namespace {

constexpr std::size_t k_block_bytes = std::size_t{64} << 10;
// The most bytes one character takes in UTF-8, and so the least room a read needs.
constexpr std::size_t k_max_char_bytes = 4;

std::string hex(unsigned value, int digits) {
  static constexpr char k_digits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
    out += k_digits[(value >> shift) & 0xF];
  return out;
}

// How many of the `size` bytes at `bytes` are ASCII before the first that is not: eight at a
// time while they last.
std::size_t ascii_run(const unsigned char* bytes, std::size_t size) {
  std::size_t at = 0;
  for (; size - at >= 8; at += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + at, sizeof word);
    if (word & 0x8080808080808080ULL) break;
  }
  while (at < size && bytes[at] < 0x80) ++at;
  return at;
}

// The length of the well-formed UTF-8 sequence at `bytes` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF); 0 when the `available` bytes begin one but end too soon,
// -1 when they cannot begin one.
int utf8_sequence(const unsigned char* bytes, std::size_t available) {
  const unsigned char lead = bytes[0];
  if (lead < 0x80) return 1;
  std::size_t need = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return -1;
  }
  for (std::size_t i = 1; i <= need; ++i) {
    if (i >= available) return 0;
    const unsigned char next = bytes[i];
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) return -1;
  }
  return static_cast<int>(need + 1);
}

std::size_t append_utf8(char* into, char32_t code) {
  if (code < 0x80) {
    into[0] = static_cast<char>(code);
    return 1;
  }
  if (code < 0x800) {
    into[0] = static_cast<char>(0xC0 | (code >> 6));
    into[1] = static_cast<char>(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    into[0] = static_cast<char>(0xE0 | (code >> 12));
    into[1] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    into[2] = static_cast<char>(0x80 | (code & 0x3F));
    return 3;
  }
  into[0] = static_cast<char>(0xF0 | (code >> 18));
  into[1] = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
  into[2] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  into[3] = static_cast<char>(0x80 | (code & 0x3F));
  return 4;
}

bool is_surrogate(char32_t unit) {
  return unit >= 0xD800 && unit <= 0xDFFF;
}

bool is_high_surrogate(char32_t unit) {
  return unit >= 0xD800 && unit <= 0xDBFF;
}

}  // namespace

ExportText::ExportText(std::istream& in) : m_in(in), m_raw(k_block_bytes) {}

std::size_t ExportText::read(char* into, std::size_t size) {
  if (!m_started) start();
  std::size_t done = 0;
  while (!m_problem && size - done >= k_max_char_bytes) {
    done += m_encoding == Encoding::utf8 ? check_utf8(into + done, size - done)
                                         : decode_utf16(into + done, size - done);
    if (m_problem || size - done < k_max_char_bytes) break;
    if (refill()) continue;
    if (m_at < m_end) report_cut();
    break;
  }
  return done;
}

// Reads the byte-order mark, if any. The marks are those of RFC 3629 section 6 and of UTF-16
// (RFC 2781); without one the text is UTF-8, as RFC 2849 has it.
void ExportText::start() {
  m_started = true;
  while (m_end < 4 && refill()) {
  }
  const std::string_view head(m_raw.data(), m_end);
  const auto starts = [&](std::string_view mark) { return head.substr(0, mark.size()) == mark; };
  using namespace std::string_view_literals;
  if (starts("\xFF\xFE\0\0"sv) || starts("\0\0\xFE\xFF"sv)) {
    set_problem("UTF-32 (its byte-order mark) is not supported; convert the export to UTF-8");
  } else if (starts("\xEF\xBB\xBF"sv)) {
    m_at = 3;
  } else if (starts("\xFF\xFE"sv)) {
    m_encoding = Encoding::utf16le;
    m_at = 2;
  } else if (starts("\xFE\xFF"sv)) {
    m_encoding = Encoding::utf16be;
    m_at = 2;
  } else if (head.size() >= 2 && ((head[0] == '\0') != (head[1] == '\0'))) {
    // No LDIF text starts with a NUL byte next to a character: this is UTF-16 whose byte order
    // cannot be known for sure, and guessing could read every name wrong.
    set_problem(
        "looks like UTF-16 without a byte-order mark (NUL bytes between the characters); "
        "export with ldifde -u, which writes one, or convert the file to UTF-8");
  }
}

// Moves what is left undecoded to the front and reads after it; false when nothing more came.
bool ExportText::refill() {
  if (m_ended) return false;
  const std::size_t left = m_end - m_at;
  std::memmove(m_raw.data(), m_raw.data() + m_at, left);
  m_offset += m_at;
  m_at = 0;
  m_end = left;
  m_in.read(m_raw.data() + left, static_cast<std::streamsize>(m_raw.size() - left));
  const auto got = static_cast<std::size_t>(m_in.gcount());
  m_end += got;
  m_ended = got == 0;
  return got > 0;
}

std::size_t ExportText::check_utf8(char* into, std::size_t size) {
  const auto* raw = reinterpret_cast<const unsigned char*>(m_raw.data());
  std::size_t done = 0;
  while (m_at < m_end && size - done >= k_max_char_bytes) {
    // Most of an export is ASCII: a run of it is copied, and its lines counted, at once.
    if (const auto run = ascii_run(raw + m_at, std::min(m_end - m_at, size - done)); run > 0) {
      std::memcpy(into + done, raw + m_at, run);
      m_line += static_cast<int>(std::count(raw + m_at, raw + m_at + run, '\n'));
      done += run;
      m_at += run;
      continue;
    }
    const unsigned char byte = raw[m_at];
    const int length = utf8_sequence(raw + m_at, m_end - m_at);
    if (length == 0) break;  // the rest of the character is in the next block
    if (length < 0) {
      set_problem("not UTF-8: byte " + hex(byte, 2) + " " + at_offset(m_at) +
                  "; LDIF is UTF-8 text, and a value in another encoding must be written in "
                  "base64 ('name:: ...')");
      break;
    }
    std::memcpy(into + done, raw + m_at, static_cast<std::size_t>(length));
    done += static_cast<std::size_t>(length);
    m_at += static_cast<std::size_t>(length);
  }
  return done;
}

std::size_t ExportText::decode_utf16(char* into, std::size_t size) {
  std::size_t done = 0;
  while (m_end - m_at >= 2 && size - done >= k_max_char_bytes) {
    char32_t code = unit_at(m_at);
    std::size_t bytes = 2;
    if (is_surrogate(code)) {
      if (is_high_surrogate(code) && m_end - m_at < 4) break;  // its pair is in the next block
      const char32_t low = is_high_surrogate(code) ? unit_at(m_at + 2) : 0;
      if (low < 0xDC00 || low > 0xDFFF) {
        set_problem(encoding_name() + ": unpaired surrogate " +
                    hex(static_cast<unsigned>(code), 4) + " " + at_offset(m_at));
        break;
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
      bytes = 4;
    }
    if (code == '\n') ++m_line;
    done += append_utf8(into + done, code);
    m_at += bytes;
  }
  return done;
}

// The input ended inside a character.
void ExportText::report_cut() {
  const auto byte = static_cast<unsigned char>(m_raw[m_at]);
  if (m_encoding == Encoding::utf8) {
    set_problem("not UTF-8: the file ends inside a character (byte " + hex(byte, 2) + " " +
                at_offset(m_at) + ")");
  } else if ((m_end - m_at) % 2 == 1) {
    set_problem(encoding_name() + ": an odd number of bytes (a lone byte " + at_offset(m_end - 1) +
                " ends the file)");
  } else {
    set_problem(encoding_name() + ": unpaired surrogate " +
                hex(static_cast<unsigned>(unit_at(m_at)), 4) + " " + at_offset(m_at));
  }
}

char32_t ExportText::unit_at(std::size_t at) const {
  const auto first = static_cast<unsigned char>(m_raw[at]);
  const auto second = static_cast<unsigned char>(m_raw[at + 1]);
  return m_encoding == Encoding::utf16le ? char32_t{second} << 8 | first
                                         : char32_t{first} << 8 | second;
}

void ExportText::set_problem(std::string message) {
  m_problem = EncodingProblem{m_line, std::move(message)};
}

std::string ExportText::encoding_name() const {
  return m_encoding == Encoding::utf16le ? "invalid UTF-16LE" : "invalid UTF-16BE";
}

std::string ExportText::at_offset(std::size_t at) const {
  return "at offset " + std::to_string(m_offset + at);
}

}  // namespace secondsight::directory
