// The checklist in three forms: Markdown for tickets, self-contained HTML to print on A4, and
// JSON for automation (schema in docs/checklist.md). Everything from the directory or the logs
// is escaped for the form it goes into.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "secondsight/checklist/checklist.hpp"

namespace secondsight::checklist {

std::string render_markdown(const Checklist& list, Zone zone);
std::string render_html(const Checklist& list, Zone zone);
// What render_html puts in <body>: the checklist from its <h1> on, without the document around
// it or its style sheet, for pages that bring their own (the dashboard).
std::string render_html_body(const Checklist& list, Zone zone);
nlohmann::json render_json(const Checklist& list, Zone zone);

// Inert in CommonMark / GitHub Markdown: punctuation that could start markup is escaped with a
// backslash, line breaks become spaces.
std::string escape_markdown(std::string_view text);
// &, <, >, " and ' as entities; control characters dropped.
std::string escape_html(std::string_view text);

// The name of a person's checklist files without the extension (docs/checklist.md): the id
// itself when it is plain ([A-Za-z0-9._-], not starting with '.', at most 64 bytes); otherwise
// a readable prefix, '~' (never in a plain id) and 16 hex digits of the id's SHA-256. One per
// person, whatever the id's length or bytes, and short enough for any file name limit.
std::string file_stem(std::string_view person);

}  // namespace secondsight::checklist
