// Writing HTML for the dashboard: the one escape function every outside value goes through (in
// text and in attributes alike), the one percent-encoding of path segments, the links to the
// pages, and a few small elements.
//
// Links: /people/ID, /systems/ID, /agencies/NAME and /checklists/ID, each value one path
// segment, percent-encoded (every byte outside [A-Za-z0-9._~-]). The agency of seconded people
// without one (the name "") is /agencies/- ; an agency literally named "-" takes that path only
// when there is no such empty agency.
#pragma once

#include <string>
#include <string_view>

namespace secondsight::app::dashboard::html {

// Text for HTML, in element content and in quoted attribute values: & < > " ' as entities;
// bytes that are not UTF-8 as U+FFFD; control characters dropped (tabs and line breaks become
// a space); invisible and bidirectional formatting characters shown as \u{202e}, as on a terminal.
std::string escape(std::string_view text);

// One path segment: every byte outside [A-Za-z0-9._~-] as %XX (upper-case hex).
std::string path_segment(std::string_view value);

// The path segment that names an agency: "-" for the empty name.
inline constexpr std::string_view k_no_agency_segment = "-";
inline constexpr std::string_view k_no_agency_label = "(no agency)";

std::string person_path(std::string_view id);
std::string system_path(std::string_view id);
std::string agency_path(std::string_view name);
std::string checklist_path(std::string_view person_id);
std::string ack_path(std::string_view fingerprint);

// <a href="PATH">TEXT</a>, both escaped.
std::string link(std::string_view path, std::string_view text);
// An agency's name as shown: "(no agency)" for the empty name.
std::string_view agency_label(std::string_view name);

}  // namespace secondsight::app::dashboard::html
