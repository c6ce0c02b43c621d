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
nlohmann::json render_json(const Checklist& list, Zone zone);

// Inert in CommonMark / GitHub Markdown: punctuation that could start markup is escaped with a
// backslash, line breaks become spaces.
std::string escape_markdown(std::string_view text);
// &, <, >, " and ' as entities; control characters dropped.
std::string escape_html(std::string_view text);

}  // namespace secondsight::checklist
