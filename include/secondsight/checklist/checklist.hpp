// The offboarding checklist of a seconded person: what to revoke, what to hand over, what to
// collect, each item with its due date relative to the end. Items about access and handover
// tick themselves when a later scan sees them done.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "secondsight/activity/view.hpp"
#include "secondsight/checks/context.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::checklist {

enum class Section { access, knowledge, other };
std::string_view to_string(Section section);

struct Item {
  // Stable across scans: "account", "group:<normalised DN>", "handover:<system>", "policy:<n>".
  std::string id;
  Section section = Section::other;
  std::string text;  // one sentence, plain text: renderers escape it
  std::optional<Instant> due;
  std::string due_rule;    // "at the end", "7 days before the end"
  bool automatic = false;  // ticks itself; manual items are ticked with --done
  bool done = false;
  std::string done_how;  // what showed it done ("the account is disabled", "ticked by carol")
  std::optional<Instant> done_at;  // when it was first seen done (filled from the store)
  nlohmann::json details = nlohmann::json::object();
};

// What the person is to offboarding. Scans keep a checklist for seconded people from the notice
// before their end; anyone's can be shown on request, and says which of these they are.
enum class Standing {
  employee,      // not seconded: offboarding is not secondsight's to follow
  no_end,        // seconded, with no end date in the directory
  not_near_end,  // seconded, the notice before the end has not opened yet
  near_end,      // seconded, within the notice before the end
  ended,         // seconded, past the end (rights end, with grace)
  gone,          // no longer in the directory
};
std::string_view to_string(Standing standing);

struct SystemActivity {
  std::string system;  // "" for events no system's rules match
  std::uint64_t events = 0;
  std::size_t days = 0;
  Instant last_seen;
};

struct Checklist {
  Instant now;
  std::string person;
  std::string name;
  std::string dn;
  std::string agency;
  std::string manager_dn;
  std::string manager;  // the internal contact's id and name, when in the directory
  std::string account;  // "enabled" | "disabled" | "gone" (no longer in the directory)
  Standing standing = Standing::near_end;
  std::optional<Instant> notice_opens;  // when a scan starts to keep the checklist
  std::vector<std::string> engagements;
  std::optional<Instant> end;  // rights end (with grace)
  std::string end_stated;      // as the directory says it
  std::vector<Item> items;
  std::vector<SystemActivity> last_activity;
  std::vector<SystemActivity> activity_after_end;
  std::vector<activity::EventSample> events_after_end;  // up to a limit, oldest first

  bool complete() const;  // every item done
};

// What ended up in an earlier checklist of the person, so handover items stay until a handover
// is recorded even when the person stops being a holder (a disabled account holds nothing).
struct Earlier {
  std::set<std::string> handover_systems;
};

// The checklist as the directory, activity, knowledge and handovers show it now; `done_at` is
// left for the store to fill.
Checklist build_checklist(const checks::Evaluation& evaluation, const checks::PersonView& person,
                          const Earlier& earlier,
                          std::vector<activity::EventSample> events_after_end);

// Handover items are due this many days before the end, while the person is there to answer.
inline constexpr int k_handover_days_before_end = 7;

}  // namespace secondsight::checklist
