// What the dashboard shows of the last scan, as plain values: the externals with their
// engagement, end, account and grants; the systems with their knowledge; the agencies. Built
// once per scan on the scan's thread, from the scan's inputs, and then only read: the pages take
// it together with what the state database holds now (findings, acks, activity, checklists).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/checklist/checklist.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/findings/finding.hpp"

namespace secondsight::checks {
class Evaluation;
}

namespace secondsight::app::dashboard {

// A way a person reaches a system: the groups from the one they are a direct member of up to
// the one the system's policy names.
struct GrantPath {
  std::vector<std::string> group_names;  // e.g. {"contractors", "db-admins"}
  std::vector<std::string> group_dns;    // the same groups' DNs, as the directory writes them
};

struct Grant {
  std::string system_id;
  std::string system_name;
  bool need_to_know = false;  // the system is in the person's engagements' need-to-know
  std::vector<GrantPath> paths;
};

enum class AccountState {
  active,    // in the directory and not disabled
  disabled,  // in the directory, disabled by the flavor's rule
};

struct Person {
  std::string id;
  std::string name;  // display name, or the id when the directory has none
  std::string kind;  // the kind attribute's value (employeeType), as read
  std::string agency;
  bool seconded = false;
  AccountState account = AccountState::active;
  std::vector<std::string> engagements;   // engagement ids
  std::vector<std::string> need_to_know;  // system ids
  // The internal contact: the manager the directory names; `contact_id` is set when that
  // manager is a person of the directory (their page exists only when they are seconded).
  std::string contact;
  std::string contact_id;
  std::string stated_end;               // the end as the directory states it; "" without one
  std::string end_problem;              // the end-date attribute is present but unreadable
  std::optional<Instant> rights_end;    // the end plus grace days: when rights must be gone
  std::optional<int> days_left;         // local calendar days to rights_end (negative: past)
  std::optional<Instant> notice_opens;  // when the notice window opens
  std::vector<Grant> grants;            // effective grants, in the policy's order of systems
};

// Someone who holds a system's knowledge, or held it and is leaving.
struct Holder {
  std::string person_id;
  std::string label;  // "frank (Flexforce IT)"
  bool seconded = false;
  bool author = false;
  bool operates = false;
  int files = 0;                            // files of the system they are an author of
  double share = 0;                         // of the system's files
  double share_lost = 0;                    // of the files whose last current author they are
  std::optional<int> truck_factor_without;  // the truck factor without them (seconded only)
};

struct AuthorFiles {
  std::string author;     // a person's label, or "git:NAME <EMAIL>" for an identity of no one
  std::string person_id;  // "" for an identity of no one
  int files = 0;
};

struct DocsTouched {
  std::string person_id;
  std::string label;
  std::string why;                 // "engagement ends 2026-03-31", "past the end since ..."
  std::vector<std::string> paths;  // documentation paths they created or changed
};

struct System {
  std::string id;
  std::string name;
  std::string criticality;
  std::vector<std::string> repositories;      // as the policy lists them, with their HEADs
  std::optional<int> truck_factor;            // nullopt without code
  std::size_t files = 0;                      // counted files of its code
  std::vector<Holder> holders;                // current knowledge holders, most files first
  std::vector<AuthorFiles> files_per_author;  // most files first
  std::vector<std::string> operator_ids;      // operators (person ids), as labels below
  std::vector<std::string> operator_labels;
  std::vector<DocsTouched> docs_by_leavers;  // seconded people within notice or past the end
};

struct Agency {
  std::string name;  // "" for seconded people without an agency (shown as "(no agency)")
  std::vector<std::string> contractor_ids;  // seconded people of the agency, by id
  int current = 0;                          // of them, current (active) accounts
  // Summed over its contractors: how long each held access (an enabled account or a grant)
  // after their end, up to now or until it was seen gone (directory::AccessTimeline).
  std::chrono::seconds access_after_end{0};
  int past_end_with_access = 0;
  int missing_end_dates = 0;  // current contractors without an end date
  int handovers_owed = 0;     // (person, system) pairs a handover is owed for
};

class View {
 public:
  Instant built_at{};   // the scan's now
  Zone zone = nullptr;  // nullptr in an empty view: pages then show UTC
  std::string directory_source;
  std::vector<Person> people;    // seconded people, and every person a page links to
  std::vector<System> systems;   // in the policy's order
  std::vector<Agency> agencies;  // by name
  // The offboarding checklists the scan kept (with their progress as stored then).
  std::vector<checklist::Checklist> checklists;

  // Lookups by id (people, systems, checklists by person id) or name (agencies); nullptr when
  // unknown.
  const Person* person(std::string_view id) const;
  const System* system(std::string_view id) const;
  const Agency* agency(std::string_view name) const;
  const checklist::Checklist* checklist(std::string_view person_id) const;
  // The agency of a person id ("" when unknown or none), for findings grouped by agency.
  std::string_view agency_of(std::string_view person_id) const;

  // Call after filling the vectors: builds the lookups.
  void index();

 private:
  std::map<std::string, std::size_t, std::less<>> m_people;
  std::map<std::string, std::size_t, std::less<>> m_systems;
  std::map<std::string, std::size_t, std::less<>> m_agencies;
  std::map<std::string, std::size_t, std::less<>> m_checklists;
};

// The view of one scan's evaluation, the findings its checks saw (acked or not) and the
// checklists it kept.
std::shared_ptr<const View> build_view(const checks::Evaluation& evaluation,
                                       const std::vector<findings::Finding>& seen,
                                       std::vector<checklist::Checklist> checklists);

}  // namespace secondsight::app::dashboard
