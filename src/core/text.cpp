#include "secondsight/core/text.hpp"

#include <cstdint>

namespace secondsight {
namespace {

constexpr char32_t k_invalid = 0xFFFFFFFF;

// Decodes one well-formed UTF-8 sequence at `at`; k_invalid (and length 1) when the byte there
// does not start one.
char32_t decode(std::string_view text, std::size_t at, std::size_t& length) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const unsigned char lead = byte(0);
  length = 1;
  if (lead < 0x80) return lead;
  std::size_t need = 0;
  char32_t code = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte (RFC 3629 table)
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    code = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    code = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return k_invalid;
  }
  if (at + need >= text.size()) return k_invalid;
  for (std::size_t i = 1; i <= need; ++i) {
    const unsigned char next = byte(i);
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) return k_invalid;
    code = (code << 6) | (next & 0x3F);
  }
  length = need + 1;
  return code;
}

bool invisible_format(char32_t code) {
  return code == 0x061C || (code >= 0x200B && code <= 0x200F) ||
         (code >= 0x2028 && code <= 0x202E) || (code >= 0x2060 && code <= 0x2069) || code == 0xFEFF;
}

void append_hex(std::string& out, unsigned value, int width) {
  static constexpr char k_digits[] = "0123456789abcdef";
  for (int shift = (width - 1) * 4; shift >= 0; shift -= 4) out += k_digits[(value >> shift) & 0xF];
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t at = 0, length = 0; at < text.size(); at += length)
    if (decode(text, at, length) == k_invalid) return false;
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t at = 0, length = 0; at < text.size(); at += length) {
    if (decode(text, at, length) == k_invalid)
      out += "\xEF\xBF\xBD";
    else
      out.append(text.substr(at, length));
  }
  return out;
}

TextUnit text_unit_at(std::string_view text, std::size_t at) {
  TextUnit unit;
  const char32_t code = decode(text, at, unit.length);
  unit.code = code;
  if (code == k_invalid) {
    unit.kind = TextUnit::Kind::invalid;
    unit.code = static_cast<unsigned char>(text[at]);
  } else if (code < 0x20 || code == 0x7F) {
    unit.kind = TextUnit::Kind::control;
  } else if (code >= 0x80 && code <= 0x9F) {
    unit.kind = TextUnit::Kind::c1_control;
  } else if (invisible_format(code)) {
    unit.kind = TextUnit::Kind::invisible;
  }
  return unit;
}

std::string visible_code_point(char32_t code) {
  std::string out = "\\u{";
  append_hex(out, static_cast<unsigned>(code), 4);
  out += '}';
  return out;
}

std::string escape_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const TextUnit unit = text_unit_at(text, at);
    switch (unit.kind) {
      case TextUnit::Kind::invalid:
      case TextUnit::Kind::control:
        out += "\\x";
        append_hex(out, static_cast<unsigned char>(text[at]), 2);
        break;
      case TextUnit::Kind::c1_control:
      case TextUnit::Kind::invisible: out += visible_code_point(unit.code); break;
      case TextUnit::Kind::plain: out.append(text.substr(at, unit.length)); break;
    }
    at += unit.length;
  }
  return out;
}

std::string json_text(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_text(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::json parse_json(std::string_view text) {
  if (is_valid_utf8(text)) return nlohmann::json::parse(text, nullptr, false);
  return nlohmann::json::parse(to_valid_utf8(text), nullptr, false);
}

}  // namespace secondsight
