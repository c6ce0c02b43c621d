#include "html.hpp"

#include "secondsight/core/text.hpp"

namespace secondsight::app::dashboard::html {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t at = 0; at < text.size();) {
    const TextUnit unit = text_unit_at(text, at);
    switch (unit.kind) {
      case TextUnit::Kind::invalid: out += "\xEF\xBF\xBD"; break;
      case TextUnit::Kind::control:
        if (unit.code == '\t' || unit.code == '\n' || unit.code == '\r') out += ' ';
        break;
      case TextUnit::Kind::c1_control: break;
      case TextUnit::Kind::invisible: out += visible_code_point(unit.code); break;
      case TextUnit::Kind::plain:
        switch (text[at]) {
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '"': out += "&quot;"; break;
          case '\'': out += "&#39;"; break;
          default: out.append(text.substr(at, unit.length));
        }
        break;
    }
    at += unit.length;
  }
  return out;
}

std::string path_segment(std::string_view value) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '.' || c == '_' || c == '~' || c == '-') {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 0xF];
    }
  }
  // "." and ".." are segments a client would resolve away.
  if (out == ".") return "%2E";
  if (out == "..") return "%2E%2E";
  return out;
}

std::string person_path(std::string_view id) {
  return "/people/" + path_segment(id);
}
std::string system_path(std::string_view id) {
  return "/systems/" + path_segment(id);
}
std::string agency_path(std::string_view name) {
  return "/agencies/" + (name.empty() ? std::string(k_no_agency_segment) : path_segment(name));
}
std::string checklist_path(std::string_view person_id) {
  return "/checklists/" + path_segment(person_id);
}
std::string ack_path(std::string_view fingerprint) {
  return "/findings/" + path_segment(fingerprint) + "/ack";
}

std::string link(std::string_view path, std::string_view text) {
  return "<a href=\"" + escape(path) + "\">" + escape(text) + "</a>";
}

std::string_view agency_label(std::string_view name) {
  return name.empty() ? k_no_agency_label : name;
}

}  // namespace secondsight::app::dashboard::html
