// What every check reads: the directory snapshot and the policy, interpreted once per scan
// (who is seconded, their end, engagements, need-to-know and effective grants).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "secondsight/activity/view.hpp"
#include "secondsight/checks/inputs.hpp"
#include "secondsight/checks/knowledge.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::checks {

// A system a person reaches through group membership, and every way they reach it.
struct EffectiveGrant {
  const config::System* system = nullptr;
  std::vector<directory::GroupPath> paths;  // each from a direct group of the person upward
};

struct PersonView {
  const directory::Person* person = nullptr;
  bool seconded = false;
  bool current = false;        // in the directory and not disabled
  std::optional<Instant> end;  // rights end plus grace days; none without an end date
  std::vector<const config::Engagement*> engagements;
  std::set<std::string> need_to_know;  // system ids
  std::vector<EffectiveGrant> grants;  // in policy order of systems
};

// How the policy reads one person of the directory: seconded, current, their end with grace
// days, their engagements and need-to-know (not yet their grants). What the checks see of a
// person, and what decides which of their events are kept as evidence while logs are read.
PersonView interpret_person(const directory::Person& person, const config::Policy& policy,
                            Zone zone);

class Evaluation {
 public:
  explicit Evaluation(const ScanInputs& inputs);

  const directory::DirectorySnapshot& snapshot() const { return *m_snapshot; }
  // The code knowledge of the systems with repositories; null when none was read.
  const KnowledgeMap* knowledge() const { return m_knowledge; }
  // Handover records, from handovers_file and the store.
  const std::vector<knowledge::HandoverRecord>& handovers() const;
  const config::Policy& policy() const { return *m_policy; }
  // When each right was first seen and seen gone; null when no timeline is kept.
  const directory::AccessTimeline* timeline() const { return m_timeline; }
  Instant now() const { return m_now; }
  Zone zone() const { return m_zone; }
  const std::vector<PersonView>& people() const { return m_people; }
  const PersonView* find(std::string_view person_id) const;

  // The notice window, the one definition that engagement_ending, handover_missing and who gets
  // a checklist use: it opens `notice_days` local calendar days before the end, at the same
  // wall-clock time (so across a daylight-saving change it is not a multiple of 24 hours), and
  // closes at the end. nullopt for a person without an end.
  std::optional<Instant> notice_opens(const PersonView& person) const;
  // now in [notice_opens, end].
  bool within_notice(const PersonView& person) const;
  // now at or after notice_opens: within the notice or past the end.
  bool notice_reached(const PersonView& person) const;
  bool past_end(const PersonView& person) const { return person.end && m_now >= *person.end; }
  // Local calendar days from now's date to the end's date (negative once past).
  std::optional<int> days_left(const PersonView& person) const;
  // `days` local calendar days after `at`, in the zone of this evaluation.
  Instant local_days_after(Instant at, int days) const { return add_local_days(at, days, m_zone); }
  // Where the operators' window of 90 local days before now starts.
  Instant operator_window_start() const;

  // A person's activity per system ('' = unattributed), up to now; null when none.
  const std::map<std::string, std::vector<activity::DayActivity>>* activity_of(
      const std::string& person_id) const;
  // When the earliest event attributed to a system happened; nullopt when none has.
  std::optional<Instant> coverage_start(const std::string& system_id) const;
  // Current persons with events on the system on at least operator_min_active_days distinct
  // local days in (operator_window_start, now]. Worked out once per system and kept.
  const std::vector<const directory::Person*>& operators(const std::string& system_id) const;

 private:
  const directory::DirectorySnapshot* m_snapshot;
  const config::Policy* m_policy;
  Instant m_now;
  Zone m_zone;
  std::vector<PersonView> m_people;
  std::unordered_map<std::string_view, std::size_t> m_by_id;  // person id -> index
  mutable std::map<std::string, std::vector<const directory::Person*>, std::less<>> m_operators;
  const activity::ActivityView* m_activity = nullptr;
  const KnowledgeMap* m_knowledge = nullptr;
  const std::vector<knowledge::HandoverRecord>* m_handovers = nullptr;
  const directory::AccessTimeline* m_timeline = nullptr;
};

// True when every condition names an attribute with one of its values (case-insensitive).
bool attributes_match(const directory::PackedAttributes& attributes,
                      const config::AttributeMatch& match);

// Evidence shared by the checks: who the person is and where their engagement ends.
nlohmann::json person_evidence(const Evaluation& evaluation, const PersonView& person);
// A grant and the group paths that give it; with the evaluation and the person, since when
// the person holds it and is a member of each group on its paths (checks::since_evidence).
nlohmann::json grant_evidence(const EffectiveGrant& grant);
nlohmann::json grant_evidence(const Evaluation& evaluation, const PersonView& person,
                              const EffectiveGrant& grant);

// "2026-02-28" for a last day, the local time for an instant: the end as the directory says.
std::string stated_end(const PersonView& person, Zone zone);
// "frank (Flexforce IT)", or just the id.
std::string person_label(const PersonView& person);

// Summary of days of activity: events, first and last seen.
nlohmann::json activity_evidence(const std::vector<activity::DayActivity>& days, Zone zone);

}  // namespace secondsight::checks
