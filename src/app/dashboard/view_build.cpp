// build_view: the dashboard's plain values from one scan's evaluation. Every rule it shows (who
// is seconded, the end, the notice window, holders, truck factors) is the checks' own.
#include <algorithm>
#include <map>
#include <set>

#include "secondsight/checks/context.hpp"
#include "secondsight/checks/knowledge.hpp"
#include "view.hpp"

namespace secondsight::app::dashboard {
namespace {

std::string display_name(const directory::Person& person) {
  return person.display_name.empty() ? person.id : person.display_name;
}

GrantPath grant_path(const directory::GroupPath& groups) {
  GrantPath path;
  for (const auto* group : groups) {
    path.group_names.push_back(group->name.empty() ? group->dn : group->name);
    path.group_dns.push_back(group->dn);
  }
  return path;
}

class Builder {
 public:
  Builder(const checks::Evaluation& evaluation, const std::vector<findings::Finding>& seen)
      : m_evaluation(evaluation), m_seen(seen) {}

  std::shared_ptr<const View> build(std::vector<checklist::Checklist> checklists) {
    auto view = std::make_shared<View>();
    view->built_at = m_evaluation.now();
    view->zone = m_evaluation.zone();
    view->directory_source = m_evaluation.snapshot().source;
    for (const auto& person : m_evaluation.people())
      if (person.seconded) add_person(person);
    for (const auto& system : m_evaluation.policy().systems)
      view->systems.push_back(system_of(system));
    view->agencies = agencies();
    // People the pages link to who are not seconded: holders, operators, contacts.
    for (std::size_t i = 0; i < m_linked.size(); ++i) {
      const std::string id = m_linked[i];  // add_person may grow m_linked
      if (m_added.contains(id)) continue;
      if (const auto* person = m_evaluation.find(id)) add_person(*person);
    }
    view->people = std::move(m_people);
    view->checklists = std::move(checklists);
    view->index();
    return view;
  }

 private:
  void link(const std::string& person_id) {
    if (!m_added.contains(person_id)) m_linked.push_back(person_id);
  }

  void add_person(const checks::PersonView& view) {
    const auto& source = *view.person;
    if (!m_added.insert(source.id).second) return;
    Person person;
    person.id = source.id;
    person.name = display_name(source);
    person.kind = source.kind;
    person.agency = source.agency;
    person.seconded = view.seconded;
    person.account = source.disabled ? AccountState::disabled : AccountState::active;
    for (const auto* engagement : view.engagements) person.engagements.push_back(engagement->id);
    person.need_to_know.assign(view.need_to_know.begin(), view.need_to_know.end());
    if (!source.manager_dn.empty()) {
      if (const auto* manager = m_evaluation.snapshot().find_person_by_dn(source.manager_dn)) {
        person.contact = display_name(*manager);
        person.contact_id = manager->id;
        link(manager->id);
      } else {
        person.contact = source.manager_dn;
      }
    }
    if (source.end) person.stated_end = checks::stated_end(view, m_evaluation.zone());
    person.end_problem = source.end_problem;
    person.rights_end = view.end;
    person.days_left = m_evaluation.days_left(view);
    person.notice_opens = m_evaluation.notice_opens(view);
    for (const auto& effective : view.grants) {
      Grant grant;
      grant.system_id = effective.system->id;
      grant.system_name = effective.system->name;
      grant.need_to_know = view.need_to_know.contains(effective.system->id);
      for (const auto& path : effective.paths) grant.paths.push_back(grant_path(path));
      person.grants.push_back(std::move(grant));
    }
    m_people.push_back(std::move(person));
  }

  System system_of(const config::System& policy_system) {
    System system;
    system.id = policy_system.id;
    system.name = policy_system.name;
    system.criticality = config::to_string(policy_system.criticality);
    system.repositories = policy_system.repositories;
    system.truck_factor = checks::system_truck_factor(m_evaluation, policy_system);

    const checks::SystemKnowledge* code = nullptr;
    if (const auto* map = m_evaluation.knowledge()) {
      auto found = map->systems.find(policy_system.id);
      if (found != map->systems.end()) code = &found->second;
    }
    if (code) {
      system.repositories.clear();
      for (const auto& repository : code->repositories)
        system.repositories.push_back(repository.repository + " @ " +
                                      repository.head.substr(0, 12));
      system.files = code->files.size();
    }

    for (const auto& holder : checks::knowledge_holders(m_evaluation, policy_system)) {
      Holder shown;
      shown.person_id = holder.person->person->id;
      shown.label = checks::person_label(*holder.person);
      shown.seconded = holder.person->seconded;
      shown.author = holder.author;
      shown.operates = holder.operates;
      shown.files = holder.files;
      shown.share = holder.share;
      shown.share_lost =
          checks::share_lost_if_leaving(m_evaluation, policy_system, shown.person_id);
      if (shown.seconded)
        shown.truck_factor_without =
            checks::system_truck_factor(m_evaluation, policy_system, {shown.person_id});
      link(shown.person_id);
      system.holders.push_back(std::move(shown));
    }
    std::stable_sort(system.holders.begin(), system.holders.end(),
                     [](const Holder& a, const Holder& b) { return a.files > b.files; });

    if (code) {
      std::map<std::string, int> files;
      for (const auto& file : code->files)
        for (const auto& author : file.authors) ++files[author];
      for (const auto& [key, count] : files) {
        AuthorFiles row;
        row.files = count;
        if (code->persons.contains(key)) {
          const auto* person = m_evaluation.find(key);
          row.person_id = key;
          row.author = person ? checks::person_label(*person) : key;
          if (person) link(key);
        } else {
          row.author = key;
        }
        system.files_per_author.push_back(std::move(row));
      }
      std::stable_sort(
          system.files_per_author.begin(), system.files_per_author.end(),
          [](const AuthorFiles& a, const AuthorFiles& b) { return a.files > b.files; });

      for (const auto& [key, paths] : code->docs_touched) {
        const auto* person = m_evaluation.find(key);
        if (!person || !person->seconded || !m_evaluation.notice_reached(*person)) continue;
        DocsTouched touched;
        touched.person_id = key;
        touched.label = checks::person_label(*person);
        touched.why =
            m_evaluation.past_end(*person)
                ? "past the end (" + checks::stated_end(*person, m_evaluation.zone()) + ")"
                : "engagement ends " + checks::stated_end(*person, m_evaluation.zone());
        touched.paths = paths;
        system.docs_by_leavers.push_back(std::move(touched));
      }
    }

    for (const auto* person : m_evaluation.operators(policy_system.id)) {
      system.operator_ids.push_back(person->id);
      const auto* view = m_evaluation.find(person->id);
      system.operator_labels.push_back(view ? checks::person_label(*view) : person->id);
      link(person->id);
    }
    return system;
  }

  std::vector<Agency> agencies() const {
    std::map<std::string, Agency> by_name;
    std::map<std::string, std::string> agency_of;
    for (const auto& view : m_evaluation.people()) {
      if (!view.seconded) continue;
      const auto& person = *view.person;
      agency_of[person.id] = person.agency;
      Agency& agency = by_name[person.agency];
      agency.name = person.agency;
      agency.contractor_ids.push_back(person.id);
      if (view.current) ++agency.current;
      if (view.current && !person.end) ++agency.missing_end_dates;
      const bool holds_access = view.current || !view.grants.empty();
      const bool past_end = m_evaluation.past_end(view);
      if (past_end && holds_access) ++agency.past_end_with_access;
      if (const auto* timeline = m_evaluation.timeline(); timeline && view.end)
        agency.access_after_end += timeline->access_after(person.id, *view.end, m_evaluation.now());
      else if (past_end && holds_access)
        agency.access_after_end += m_evaluation.now() - *view.end;
    }
    // Owed: the handovers this scan found missing, acked or not (an ack silences the alert,
    // it does not hand anything over).
    std::set<std::pair<std::string, std::string>> owed;
    for (const auto& finding : m_seen)
      if (finding.kind == "handover_missing" && finding.person && finding.system)
        owed.emplace(*finding.person, *finding.system);
    for (const auto& [person, system] : owed) {
      auto found = agency_of.find(person);
      if (found != agency_of.end()) ++by_name[found->second].handovers_owed;
    }
    std::vector<Agency> list;
    for (auto& [name, agency] : by_name) list.push_back(std::move(agency));
    return list;
  }

  const checks::Evaluation& m_evaluation;
  const std::vector<findings::Finding>& m_seen;
  std::vector<Person> m_people;
  std::set<std::string> m_added;
  std::vector<std::string> m_linked;
};

}  // namespace

std::shared_ptr<const View> build_view(const checks::Evaluation& evaluation,
                                       const std::vector<findings::Finding>& seen,
                                       std::vector<checklist::Checklist> checklists) {
  return Builder(evaluation, seen).build(std::move(checklists));
}

}  // namespace secondsight::app::dashboard
