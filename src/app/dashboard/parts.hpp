// What the dashboard's pages share: the layout of a session's page, the findings table with its
// ack forms, counts tables, and the figures read from the state database for them.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pages.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/findings/change.hpp"
#include "svg.hpp"

namespace secondsight::app::dashboard {

// The days the pictures cover: the last 90 local calendar days, today included.
inline constexpr int k_window_days = 90;
// How long a resolved finding stays on a person's and a system's page.
inline constexpr int k_recently_resolved_days = 30;

// The view's zone; UTC for an empty view that has none.
Zone zone_of(const View& view);

// A complete page of a session: header with the navigation, the user and the logout form, the
// notice when there is one, then `body` (which starts with the page's <h1>) inside <main>.
Page session_page(const PageContext& context, std::string_view title, std::string_view body,
                  unsigned status = 200);
// A page that says what a path names is not there (status 404): `title` as its heading, then
// "`text` “`value`”. See the `back`." with the value escaped and `back` linking to `back_path`.
Page no_such_page(const PageContext& context, std::string_view title, std::string_view text,
                  std::string_view value, std::string_view back_path, std::string_view back);
// A page that says the state database could not be read (status 500), with the error escaped.
Page database_error_page(const PageContext& context, const Error& error);

// Whether a finding is acked now.
bool acked_now(const findings::StoredFinding& stored, Instant now);

// A findings table: one row per finding (data-fingerprint), its ack form when it is open and
// not acked, and `next` (the current page's path) for the form to come back to.
std::string findings_table(const PageContext& context,
                           std::span<const findings::StoredFinding> rows, std::string_view caption,
                           std::string_view next);

// How many findings one page of a long list shows.
inline constexpr std::size_t k_findings_per_page = 100;
// A long list of findings, k_findings_per_page at a time: the table of the page the context
// asks for, with the range it shows in its caption, and links to the first, previous, next and
// last pages (`path?page=N`) in a <nav>. A list that fits one page is findings_table's.
std::string paged_findings_table(const PageContext& context,
                                 std::span<const findings::StoredFinding> rows,
                                 std::string_view caption, std::string_view path);

// Of a person's or a system's findings: the open ones, then those resolved in the last
// k_recently_resolved_days, each in the order given.
std::vector<findings::StoredFinding> current_findings(std::vector<findings::StoredFinding> all,
                                                      Instant now);

// A two-column table of counts inside a scrolling wrapper: `header` names the first column;
// each entry is (cell HTML already escaped, count).
std::string counts_table(std::string_view caption, std::string_view header,
                         const std::vector<std::pair<std::string, std::int64_t>>& rows);

// Wraps a table so it scrolls sideways on a narrow screen or at 200% zoom.
std::string scroll(std::string_view table);

// A person's name linked to their page, the id when the view does not know them.
std::string person_link(const View& view, std::string_view person_id);
// A system's name linked to its page, the id when the view does not know it.
std::string system_link(const View& view, std::string_view system_id);
std::string agency_link(std::string_view name);

// Open findings per local calendar day over the last `days` days up to now's day, from the
// history of changes (opened and reopened +1, resolved -1).
Result<std::vector<svg::DayCount>> open_findings_per_day(store::Database& database, Instant now,
                                                         Zone zone, int days);

// "12 days", "ends today", "3 days past the end".
std::string days_left_text(int days);
// A local date (YYYY-MM-DD) of an instant in the zone.
std::string local_day(Instant at, Zone zone);

}  // namespace secondsight::app::dashboard
