// How text from outside — directory values, log fields, git names, config strings — is written
// into each output medium. Values are kept as read, any bytes; each medium encodes at its edge,
// through the one function here that belongs to it.
#pragma once

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

namespace secondsight {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` as well-formed UTF-8: every byte that is not part of a well-formed sequence becomes
// U+FFFD. What JSON output and HTML carry.
std::string to_valid_utf8(std::string_view text);

// For terminals, command-line messages and log lines: one line, nothing that can move the
// cursor, change colours or reorder what is shown. Control characters (C0 and DEL, line breaks
// and tabs included) and bytes that are not UTF-8 become \xNN; C1 controls and invisible or
// bidirectional formatting characters (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069, U+2028,
// U+2029, U+061C, U+FEFF) become \u{NNNN}. Everything else, non-ASCII letters included, stays.
std::string escape_terminal(std::string_view text);

// One code point of outside text, as the escaping functions of each medium classify it: the
// one table of what cannot be shown as it is, shared by terminals and HTML.
struct TextUnit {
  enum class Kind {
    plain,       // shown as it is
    invalid,     // a byte that is not part of well-formed UTF-8 (`code` is the byte)
    control,     // C0 controls (line breaks and tabs included) and DEL
    c1_control,  // U+0080-U+009F
    invisible,   // invisible or bidirectional formatting characters (the list above)
  };
  Kind kind = Kind::plain;
  char32_t code = 0;
  std::size_t length = 1;  // bytes of `text` it takes
};
// The unit of `text` that starts at byte `at` (< text.size()).
TextUnit text_unit_at(std::string_view text, std::size_t at);
// "\u{202e}": how escape_terminal shows an invisible or bidirectional character.
std::string visible_code_point(char32_t code);

// One line for a terminal or a log from pieces, each written as by operator<<, the whole
// escaped by escape_terminal and ended with a line feed. Every message secondsight prints to
// a terminal goes through here.
template <class... Pieces>
std::string message_line(const Pieces&... pieces) {
  std::ostringstream out;
  (out << ... << pieces);
  return escape_terminal(out.str()) + '\n';
}

// The JSON text of `value` (compact with indent < 0). Never throws: a string that is not UTF-8
// has each bad byte written as U+FFFD. Every JSON that secondsight writes goes through here.
std::string json_text(const nlohmann::json& value, int indent = -1);
std::string json_text(const nlohmann::ordered_json& value, int indent = -1);

// The one place JSON input is read from text that secondsight did not write itself with
// json_text: a text that is not UTF-8 is read with bad bytes as U+FFFD rather than refused;
// nullopt-like discarded value (is_discarded()) for text that is not JSON.
nlohmann::json parse_json(std::string_view text);

}  // namespace secondsight
