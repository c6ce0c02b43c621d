#include "secondsight/checklist/checklist.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "secondsight/checks/knowledge.hpp"
#include "secondsight/directory/dn.hpp"

namespace secondsight::checklist {

std::string_view to_string(Section section) {
  switch (section) {
    case Section::access: return "access";
    case Section::knowledge: return "knowledge";
    case Section::other: return "other";
  }
  return "other";
}

std::string_view to_string(Standing standing) {
  switch (standing) {
    case Standing::employee: return "employee";
    case Standing::no_end: return "no_end";
    case Standing::not_near_end: return "not_near_end";
    case Standing::near_end: return "near_end";
    case Standing::ended: return "ended";
    case Standing::gone: return "gone";
  }
  return "gone";
}

bool Checklist::complete() const {
  return std::all_of(items.begin(), items.end(), [](const Item& item) { return item.done; });
}

namespace {

SystemActivity sum(const std::string& system, const std::vector<activity::DayActivity>& days,
                   std::optional<Instant> after = std::nullopt) {
  SystemActivity out{system, 0, 0, Instant{}};
  for (const auto& day : days) {
    if (after && day.last_seen <= *after) continue;
    out.events += day.events;
    ++out.days;
    out.last_seen = std::max(out.last_seen, day.last_seen);
  }
  return out;
}

// Access: one item per direct group that leads to a system, and the account itself. A group
// item carries each path by which the group grants a system, as the findings' evidence gives it
// (grant_evidence), so the operator sees why the group matters and the two agree.
void access_items(const checks::PersonView& view, Checklist& list) {
  struct Direct {
    std::string dn;
    std::vector<checks::EffectiveGrant> grants;  // per system, the paths that start here
  };
  std::map<std::string, Direct> direct;  // by normalised DN, in DN order
  for (const auto& grant : view.grants) {
    for (const auto& path : grant.paths) {
      if (path.empty()) continue;
      auto& group = direct[path.front()->normalized_dn];
      group.dn = path.front()->dn;
      // The paths of one grant come together, so a system's paths stay in one entry.
      if (group.grants.empty() || group.grants.back().system != grant.system)
        group.grants.push_back({grant.system, {}});
      group.grants.back().paths.push_back(path);
    }
  }
  for (auto& [key, group] : direct) {
    Item item;
    item.id = "group:" + key;
    item.section = Section::access;
    std::string systems;
    std::vector<std::string> ids;
    nlohmann::json paths = nlohmann::json::array();
    nlohmann::json grants = nlohmann::json::array();
    for (const auto& grant : group.grants) {
      const auto& id = grant.system->id;
      ids.push_back(id);
      systems += (systems.empty() ? "" : ", ") + id + " (" +
                 config::to_string(grant.system->criticality) + ")";
      for (const auto& path : grant.paths)
        paths.push_back({{"system", id}, {"path", directory::path_dns(path)}});
      grants.push_back(checks::grant_evidence(grant));
    }
    item.text = "Remove " + view.person->id + " from " + group.dn + ": it grants " + systems;
    item.due = view.end;
    item.due_rule = "at the end";
    item.automatic = true;
    item.details = {{"group", group.dn}, {"systems", ids}, {"paths", paths}, {"grants", grants}};
    list.items.push_back(std::move(item));
  }

  Item account;
  account.id = "account";
  account.section = Section::access;
  account.text = "Disable the account " + view.person->dn;
  account.due = view.end;
  account.due_rule = "at the end";
  account.automatic = true;
  account.done = view.person->disabled;
  if (account.done) account.done_how = "the account is disabled";
  account.details = {{"dn", view.person->dn}};
  list.items.push_back(std::move(account));
}

void knowledge_items(const checks::Evaluation& evaluation, const checks::PersonView& view,
                     const Earlier& earlier, Checklist& list) {
  for (const auto& system : evaluation.policy().systems) {
    const auto holders = checks::knowledge_holders(evaluation, system);
    const checks::Holder* held = nullptr;
    for (const auto& holder : holders)
      if (holder.person == &view) held = &holder;
    if (!held && !earlier.handover_systems.count(system.id)) continue;

    Item item;
    item.id = "handover:" + system.id;
    item.section = Section::knowledge;
    item.text = "Hand " + system.id + " (" + system.name + ") over to a current employee";
    if (view.end) item.due = evaluation.local_days_after(*view.end, -k_handover_days_before_end);
    item.due_rule = std::to_string(k_handover_days_before_end) + " days before the end";
    item.automatic = true;

    nlohmann::json records = nlohmann::json::array();
    for (const auto& check : checks::handovers_of(evaluation, view, system.id)) {
      records.push_back({{"receiver", check.record->receiver},
                         {"date", check.record->date},
                         {"doc", check.record->doc},
                         {"origin", check.record->origin},
                         {"counts", check.problem.empty()},
                         {"problem", check.problem}});
      if (check.problem.empty() && !item.done) {
        item.done = true;
        item.done_how = "handed over to " + check.record->receiver + " on " + check.record->date +
                        " (" + check.record->origin + ")";
      }
    }
    const auto with = checks::system_truck_factor(evaluation, system);
    const auto without = checks::system_truck_factor(evaluation, system, {view.person->id});
    nlohmann::json receivers = nlohmann::json::array();
    for (const auto& receiver : checks::suggested_receivers(evaluation, system, view))
      receivers.push_back({{"person", receiver.person->person->id},
                           {"name", receiver.person->person->display_name},
                           {"why", receiver.why}});
    nlohmann::json docs = nlohmann::json::array();
    if (const auto* map = evaluation.knowledge()) {
      auto code = map->systems.find(system.id);
      if (code != map->systems.end()) {
        auto touched = code->second.docs_touched.find(view.person->id);
        if (touched != code->second.docs_touched.end())
          for (const auto& path : touched->second) docs.push_back(path);
      }
    }
    item.details = {
        {"system", system.id},
        {"name", system.name},
        {"criticality", config::to_string(system.criticality)},
        {"holder", held != nullptr},
        {"author", held && held->author},
        {"files", held ? held->files : 0},
        {"share", held ? held->share : 0.0},
        {"operator", held && held->operates},
        {"holders", holders.size()},
        {"truck_factor", with ? nlohmann::json(*with) : nlohmann::json()},
        {"truck_factor_without", without ? nlohmann::json(*without) : nlohmann::json()},
        {"lost_if_leaving", checks::share_lost_if_leaving(evaluation, system, view.person->id)},
        {"suggested_receivers", receivers},
        {"docs_touched", docs},
        {"handovers", records}};
    list.items.push_back(std::move(item));
  }
}

}  // namespace

Checklist build_checklist(const checks::Evaluation& evaluation, const checks::PersonView& view,
                          const Earlier& earlier,
                          std::vector<activity::EventSample> events_after_end) {
  const auto& person = *view.person;
  Checklist list;
  list.now = evaluation.now();
  list.person = person.id;
  list.name = person.display_name;
  list.dn = person.dn;
  list.agency = person.agency;
  list.manager_dn = person.manager_dn;
  if (!person.manager_dn.empty()) {
    if (const auto* manager = evaluation.snapshot().find_person_by_dn(person.manager_dn))
      list.manager =
          manager->id +
          (manager->display_name.empty() ? std::string() : " (" + manager->display_name + ")");
  }
  list.account = person.disabled ? "disabled" : "enabled";
  for (const auto* engagement : view.engagements) list.engagements.push_back(engagement->id);
  list.end = view.end;
  list.end_stated = checks::stated_end(view, evaluation.zone());
  list.notice_opens = evaluation.notice_opens(view);
  if (!view.seconded)
    list.standing = Standing::employee;
  else if (!view.end)
    list.standing = Standing::no_end;
  else if (evaluation.now() > *view.end)
    list.standing = Standing::ended;
  else if (evaluation.notice_reached(view))
    list.standing = Standing::near_end;
  else
    list.standing = Standing::not_near_end;

  access_items(view, list);
  knowledge_items(evaluation, view, earlier, list);
  const auto& extra = evaluation.policy().checklist;
  for (std::size_t i = 0; i < extra.size(); ++i) {
    Item item;
    item.id = "policy:" + std::to_string(i + 1);
    item.section = Section::other;
    item.text = extra[i];
    item.due = view.end;
    item.due_rule = "at the end";
    list.items.push_back(std::move(item));
  }

  if (const auto* systems = evaluation.activity_of(person.id)) {
    for (const auto& [system, days] : *systems) {
      if (days.empty()) continue;
      list.last_activity.push_back(sum(system, days));
      if (view.end) {
        auto after = sum(system, days, view.end);
        if (after.events > 0) list.activity_after_end.push_back(after);
      }
    }
  }
  list.events_after_end = std::move(events_after_end);
  return list;
}

}  // namespace secondsight::checklist
