#include "secondsight/checks/context.hpp"

#include <nlohmann/json.hpp>

#include "secondsight/checks/timeline.hpp"
#include "secondsight/directory/dn.hpp"

namespace secondsight::checks {

bool attributes_match(const directory::PackedAttributes& attributes,
                      const config::AttributeMatch& match) {
  if (match.empty()) return false;
  for (const auto& condition : match.conditions) {
    const auto& wanted = condition.second;
    bool any = false;
    attributes.for_each_value(condition.first, [&](std::string_view value) {
      for (const auto& w : wanted)
        if (directory::iequals(value, w)) any = true;
    });
    if (!any) return false;
  }
  return true;
}

namespace {

bool is_listed_member(const directory::Person& person, const config::Engagement& engagement) {
  for (const auto& member : engagement.members) {
    if (directory::iequals(member, person.id)) return true;
    std::string key = directory::to_lower(member);
    if (key.rfind("smtp:", 0) == 0) key.erase(0, 5);
    for (const auto& alias : person.aliases)
      if (alias == key) return true;
  }
  return false;
}

}  // namespace

PersonView interpret_person(const directory::Person& person, const config::Policy& policy,
                            Zone zone) {
  PersonView view;
  view.person = &person;
  view.seconded = attributes_match(person.attributes, policy.seconded_when);
  view.current = !person.disabled;
  if (person.end)
    view.end = add_local_days(person.end->rights_end, policy.defaults.grace_days_after_end, zone);
  for (const auto& engagement : policy.engagements) {
    if (is_listed_member(person, engagement) ||
        attributes_match(person.attributes, engagement.members_when)) {
      view.engagements.push_back(&engagement);
      view.need_to_know.insert(engagement.need_to_know.begin(), engagement.need_to_know.end());
    }
  }
  return view;
}

Evaluation::Evaluation(const ScanInputs& inputs)
    : m_snapshot(&inputs.directory),
      m_policy(&inputs.policy),
      m_now(inputs.now),
      m_zone(inputs.zone),
      m_activity(inputs.activity),
      m_knowledge(inputs.knowledge),
      m_handovers(inputs.handovers),
      m_timeline(inputs.timeline) {
  const auto& snapshot = inputs.directory;
  const auto& policy = inputs.policy;
  m_people.reserve(snapshot.people.size());
  for (const auto& person : snapshot.people)
    m_people.push_back(interpret_person(person, policy, m_zone));

  // Grants: walk down from each system's groups once, rather than up from every person.
  std::unordered_map<const directory::Person*, std::size_t> index;
  for (std::size_t i = 0; i < m_people.size(); ++i) {
    index.emplace(m_people[i].person, i);
    m_by_id.emplace(m_people[i].person->id, i);  // the first of a duplicated id, as before
  }
  for (const auto& system : policy.systems) {
    std::unordered_map<std::size_t, EffectiveGrant> reached;
    for (const auto& group : system.groups) {
      for (auto& [person, paths] : snapshot.members_of(group)) {
        auto& grant = reached[index.at(person)];
        grant.system = &system;
        for (auto& path : paths) grant.paths.push_back(std::move(path));
      }
    }
    for (auto& [i, grant] : reached) m_people[i].grants.push_back(std::move(grant));
  }
}

const std::vector<knowledge::HandoverRecord>& Evaluation::handovers() const {
  static const std::vector<knowledge::HandoverRecord> k_none;
  return m_handovers ? *m_handovers : k_none;
}

const PersonView* Evaluation::find(std::string_view person_id) const {
  auto it = m_by_id.find(person_id);
  return it == m_by_id.end() ? nullptr : &m_people[it->second];
}

const std::map<std::string, std::vector<activity::DayActivity>>* Evaluation::activity_of(
    const std::string& person_id) const {
  if (!m_activity) return nullptr;
  auto it = m_activity->days.find(person_id);
  return it == m_activity->days.end() ? nullptr : &it->second;
}

std::optional<Instant> Evaluation::coverage_start(const std::string& system_id) const {
  if (!m_activity) return std::nullopt;
  auto it = m_activity->coverage_start.find(system_id);
  if (it == m_activity->coverage_start.end()) return std::nullopt;
  return it->second;
}

const std::vector<const directory::Person*>& Evaluation::operators(
    const std::string& system_id) const {
  auto cached = m_operators.find(system_id);
  if (cached != m_operators.end()) return cached->second;
  auto& out = m_operators[system_id];
  if (!m_activity) return out;
  const activity::OperatorWindow window(m_now, m_zone);
  const int needed = m_policy->defaults.operator_min_active_days;
  // Only people with activity can operate anything: walk those, not the whole directory.
  for (const auto& [person_id, systems] : m_activity->days) {
    auto it = systems.find(system_id);
    if (it == systems.end()) continue;
    const auto* view = find(person_id);
    if (!view || !view->current) continue;
    if (window.active_days(it->second) >= needed) out.push_back(view->person);
  }
  return out;
}

std::optional<Instant> Evaluation::notice_opens(const PersonView& person) const {
  if (!person.end) return std::nullopt;
  return add_local_days(*person.end, -m_policy->defaults.notice_days, m_zone);
}

bool Evaluation::within_notice(const PersonView& person) const {
  return notice_reached(person) && m_now <= *person.end;
}

bool Evaluation::notice_reached(const PersonView& person) const {
  const auto opens = notice_opens(person);
  return opens && m_now >= *opens;
}

std::optional<int> Evaluation::days_left(const PersonView& person) const {
  if (!person.end) return std::nullopt;
  const date::sys_days end{local_date(*person.end, m_zone)};
  const date::sys_days now{local_date(m_now, m_zone)};
  return static_cast<int>((end - now).count());
}

Instant Evaluation::operator_window_start() const {
  return activity::OperatorWindow(m_now, m_zone).start;
}

nlohmann::json person_evidence(const Evaluation& evaluation, const PersonView& view) {
  const auto& person = *view.person;
  nlohmann::json out = {{"person", person.id},
                        {"name", person.display_name},
                        {"dn", person.dn},
                        {"kind", person.kind},
                        {"account", person.disabled ? "disabled" : "enabled"}};
  if (view.current)
    if (auto since = since_evidence(evaluation, {person.id, directory::AccessKind::account,
                                                 std::string(directory::k_account_enabled)});
        !since.is_null())
      out["account_held"] = std::move(since);
  out["agency"] = person.agency.empty() ? nlohmann::json() : nlohmann::json(person.agency);
  out["manager"] = person.manager_dn.empty() ? nlohmann::json() : nlohmann::json(person.manager_dn);
  if (person.end) {
    out["end_date"] = person.end->raw;
    out["end"] = format_rfc3339(*view.end);
    out["end_local"] = format_local(*view.end, evaluation.zone());
    out["grace_days_after_end"] = evaluation.policy().defaults.grace_days_after_end;
  }
  nlohmann::json engagements = nlohmann::json::array();
  for (const auto* engagement : view.engagements) engagements.push_back(engagement->id);
  out["engagements"] = engagements;
  return out;
}

nlohmann::json grant_evidence(const EffectiveGrant& grant) {
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& path : grant.paths) paths.push_back(directory::path_dns(path));
  return {{"system", grant.system->id}, {"group_paths", paths}};
}

nlohmann::json activity_evidence(const std::vector<activity::DayActivity>& days, Zone zone) {
  std::uint64_t events = 0;
  for (const auto& day : days) events += day.events;
  nlohmann::json out = {{"events", events}, {"days", days.size()}};
  if (!days.empty()) {
    out["first_seen"] = format_rfc3339(days.front().first_seen);
    out["last_seen"] = format_rfc3339(days.back().last_seen);
    out["last_seen_local"] = format_local(days.back().last_seen, zone);
  }
  return out;
}

std::string stated_end(const PersonView& view, Zone zone) {
  const auto& end = view.person->end;
  if (!end) return "never";
  return end->last_day ? format_date(*end->last_day) : format_local(end->rights_end, zone);
}

std::string person_label(const PersonView& view) {
  const auto& person = *view.person;
  return person.agency.empty() ? person.id : person.id + " (" + person.agency + ")";
}

}  // namespace secondsight::checks
