#include "secondsight/checks/knowledge.hpp"

#include <algorithm>
#include <numeric>

#include "secondsight/checks/context.hpp"
#include "secondsight/core/glob.hpp"
#include "secondsight/directory/entry.hpp"

namespace secondsight::checks {
namespace {

// Who each git identity of a history is: a person id, or "git:..." for identities that resolve
// to no one (merged with each other when their email or name is the same).
std::vector<std::string> identity_keys(const knowledge::History& history,
                                       const directory::DirectorySnapshot& snapshot,
                                       std::set<std::string>& persons) {
  std::vector<std::string> keys(history.identities.size());
  std::vector<std::size_t> unresolved;
  std::vector<knowledge::GitIdentity> unresolved_identities;
  for (std::size_t i = 0; i < history.identities.size(); ++i) {
    const auto& identity = history.identities[i];
    const directory::Person* person =
        identity.email.empty() ? nullptr : snapshot.resolve_identity(identity.email);
    if (!person && !identity.name.empty()) person = snapshot.resolve_identity(identity.name);
    if (person) {
      keys[i] = person->id;
      persons.insert(person->id);
    } else {
      unresolved.push_back(i);
      unresolved_identities.push_back(identity);
    }
  }
  auto merged = knowledge::merge_by_email_or_name(unresolved_identities);
  for (std::size_t j = 0; j < unresolved.size(); ++j) keys[unresolved[j]] = "git:" + merged[j];
  return keys;
}

const SystemKnowledge* knowledge_of(const Evaluation& evaluation, const std::string& system_id) {
  const auto* map = evaluation.knowledge();
  if (!map) return nullptr;
  auto it = map->systems.find(system_id);
  return it == map->systems.end() ? nullptr : &it->second;
}

// Author keys whose knowledge is already gone: identities of no current person.
std::set<std::string> gone_authors(const Evaluation& evaluation, const SystemKnowledge& code) {
  std::set<std::string> gone;
  for (const auto& file : code.files)
    for (const auto& author : file.authors) {
      const auto* view = code.persons.count(author) ? evaluation.find(author) : nullptr;
      if (!view || !view->current) gone.insert(author);
    }
  return gone;
}

int active_days(const Evaluation& evaluation, const std::string& person_id,
                const std::string& system_id) {
  const auto* systems = evaluation.activity_of(person_id);
  if (!systems) return 0;
  auto it = systems->find(system_id);
  if (it == systems->end()) return 0;
  return activity::OperatorWindow(evaluation.now(), evaluation.zone()).active_days(it->second);
}

// What the directory says of `view` as the receiver of a handover from `leaving`.
knowledge::Receiver receiver_of(const PersonView* view, const PersonView& leaving) {
  if (!view) return {};
  return {true, view->current, view->seconded, view == &leaving};
}

bool holds_grant(const PersonView& view, const std::string& system_id) {
  return std::any_of(view.grants.begin(), view.grants.end(),
                     [&](const EffectiveGrant& grant) { return grant.system->id == system_id; });
}

}  // namespace

KnowledgeMap build_knowledge_map(const config::Policy& policy,
                                 const directory::DirectorySnapshot& snapshot,
                                 const std::map<std::string, knowledge::History>& histories) {
  KnowledgeMap map;
  for (const auto& system : policy.systems) {
    if (system.repositories.empty()) continue;
    const bool all_read =
        std::all_of(system.repositories.begin(), system.repositories.end(),
                    [&](const std::string& repository) { return histories.count(repository) > 0; });
    if (!all_read) continue;
    SystemKnowledge code;
    const bool prefixed = system.repositories.size() > 1;
    for (const auto& repository : system.repositories) {
      const auto& history = histories.at(repository);
      code.repositories.push_back({repository, history.head});
      const auto keys = identity_keys(history, snapshot, code.persons);
      const auto named = [&](const std::string& path) {
        return prefixed ? repository + "/" + path : path;
      };
      for (auto& file : knowledge::authors_of_files(history, keys, knowledge::FileSet::all)) {
        file.path = named(file.path);
        code.files.push_back(std::move(file));
      }
      for (const auto& file : history.files) {
        if (!knowledge::counts(file.path, knowledge::FileSet::all)) continue;
        std::set<std::string> touched{keys[static_cast<std::size_t>(file.creator)]};
        code.changes[keys[static_cast<std::size_t>(file.creator)]] += 1;
        for (const auto& change : file.changes) {
          const auto& key = keys[static_cast<std::size_t>(change.identity)];
          touched.insert(key);
          code.changes[key] += change.changes;
        }
        const bool documentation =
            std::any_of(system.docs.begin(), system.docs.end(),
                        [&](const std::string& glob) { return glob_match(glob, file.path); });
        if (documentation)
          for (const auto& key : touched) code.docs_touched[key].push_back(named(file.path));
      }
    }
    map.systems.emplace(system.id, std::move(code));
  }
  return map;
}

bool measurable(const config::System& system) {
  return !system.repositories.empty() || !system.activity.empty();
}

std::vector<Holder> knowledge_holders(const Evaluation& evaluation, const config::System& system) {
  std::map<std::string, Holder> holders;
  if (const auto* code = knowledge_of(evaluation, system.id)) {
    for (const auto& file : code->files)
      for (const auto& author : file.authors) {
        if (!code->persons.count(author)) continue;
        const auto* view = evaluation.find(author);
        if (!view || !view->current) continue;
        auto& holder = holders[author];
        holder.person = view;
        holder.author = true;
        ++holder.files;
      }
    for (auto& [id, holder] : holders)
      holder.share = code->files.empty() ? 0.0
                                         : static_cast<double>(holder.files) /
                                               static_cast<double>(code->files.size());
  }
  for (const auto* person : evaluation.operators(system.id)) {
    auto& holder = holders[person->id];
    holder.person = evaluation.find(person->id);
    holder.operates = true;
  }
  std::vector<Holder> out;
  for (auto& [id, holder] : holders)
    if (holder.person) out.push_back(holder);
  std::stable_sort(out.begin(), out.end(),
                   [](const Holder& a, const Holder& b) { return a.files > b.files; });
  return out;
}

std::optional<int> system_truck_factor(const Evaluation& evaluation, const config::System& system,
                                       const std::set<std::string>& leaving) {
  const auto* code = knowledge_of(evaluation, system.id);
  if (!code || code->files.empty()) return std::nullopt;
  auto gone = gone_authors(evaluation, *code);
  gone.insert(leaving.begin(), leaving.end());
  return knowledge::truck_factor(code->files, gone).value;
}

double share_lost_if_leaving(const Evaluation& evaluation, const config::System& system,
                             const std::string& person_id) {
  const auto* code = knowledge_of(evaluation, system.id);
  if (!code || code->files.empty()) return 0;
  const auto gone = gone_authors(evaluation, *code);
  std::size_t lost = 0;
  for (const auto& file : code->files) {
    const bool authored =
        std::find(file.authors.begin(), file.authors.end(), person_id) != file.authors.end();
    const bool others = std::any_of(file.authors.begin(), file.authors.end(), [&](const auto& a) {
      return a != person_id && !gone.count(a);
    });
    if (authored && !others) ++lost;
  }
  return static_cast<double>(lost) / static_cast<double>(code->files.size());
}

std::vector<HandoverCheck> handovers_of(const Evaluation& evaluation, const PersonView& person,
                                        const std::string& system_id) {
  std::vector<HandoverCheck> out;
  const auto& snapshot = evaluation.snapshot();
  const auto today = local_date(evaluation.now(), evaluation.zone());
  for (const auto& record : evaluation.handovers()) {
    if (record.system != system_id) continue;
    if (snapshot.resolve_identity(record.person) != person.person) continue;
    HandoverCheck check{&record, {}};
    const auto* receiver = snapshot.resolve_identity(record.receiver);
    const auto* view = receiver ? evaluation.find(receiver->id) : nullptr;
    auto date = parse_iso_date(record.date);
    switch (knowledge::receiver_problem(receiver_of(view, person))) {
      case knowledge::ReceiverProblem::unknown:
        check.problem = "the receiver '" + record.receiver + "' is no one in the directory";
        break;
      case knowledge::ReceiverProblem::disabled:
        check.problem = "the receiver " + view->person->id + " is disabled";
        break;
      case knowledge::ReceiverProblem::seconded:
        check.problem = "the receiver " + person_label(*view) +
                        " is seconded too: knowledge must stay with the company";
        break;
      case knowledge::ReceiverProblem::leaving:
        check.problem = "the receiver is the person who leaves";
        break;
      case knowledge::ReceiverProblem::none: break;
    }
    if (check.problem.empty() && !date)
      check.problem = "the date '" + record.date + "' is not a date";
    else if (check.problem.empty() && *date > today)
      check.problem = "it is dated " + record.date + ", after today";
    out.push_back(std::move(check));
  }
  return out;
}

std::vector<SuggestedReceiver> suggested_receivers(const Evaluation& evaluation,
                                                   const config::System& system,
                                                   const PersonView& leaving) {
  std::vector<SuggestedReceiver> out;
  const auto eligible = [&](const PersonView& view) {
    return knowledge::may_receive(receiver_of(&view, leaving));
  };
  for (const auto& holder : knowledge_holders(evaluation, system)) {
    if (!eligible(*holder.person)) continue;
    std::string why = holder.author
                          ? "an author of " + std::to_string(holder.files) + " of its files"
                          : std::string();
    if (holder.operates)
      why += (why.empty() ? "" : ", ") + std::string("operates it (") +
             std::to_string(active_days(evaluation, holder.person->person->id, system.id)) +
             " active days in the last " + std::to_string(config::k_operator_window_days) + ")";
    out.push_back({holder.person, "already holds it: " + why});
  }
  if (!out.empty()) return out;

  // Nobody else holds it: who works nearest to it.
  const auto* code = knowledge_of(evaluation, system.id);
  struct Near {
    const PersonView* view;
    int changes;
    int days;
    bool grant;
  };
  std::vector<Near> near;
  for (const auto& view : evaluation.people()) {
    if (!eligible(view)) continue;
    Near n{&view, 0, active_days(evaluation, view.person->id, system.id),
           holds_grant(view, system.id)};
    if (code) {
      auto it = code->changes.find(view.person->id);
      if (it != code->changes.end()) n.changes = it->second;
    }
    if (n.changes || n.days || n.grant) near.push_back(n);
  }
  std::stable_sort(near.begin(), near.end(), [](const Near& a, const Near& b) {
    return std::tuple(a.changes, a.days, a.grant) > std::tuple(b.changes, b.days, b.grant);
  });
  constexpr std::size_t k_suggested = 3;
  for (const auto& n : near) {
    if (out.size() == k_suggested) break;
    std::vector<std::string> reasons;
    if (n.changes)
      reasons.push_back("changed its code (" + std::to_string(n.changes) + " file changes)");
    if (n.days)
      reasons.push_back("used it on " + std::to_string(n.days) + " days in the last " +
                        std::to_string(config::k_operator_window_days));
    if (n.grant) reasons.push_back("has access to it");
    std::string why;
    for (const auto& reason : reasons) why += (why.empty() ? "" : ", ") + reason;
    out.push_back({n.view, "works nearest to it: " + why});
  }
  if (!out.empty()) return out;

  if (!leaving.person->manager_dn.empty()) {
    const auto* manager = evaluation.snapshot().find_person_by_dn(leaving.person->manager_dn);
    const auto* view = manager ? evaluation.find(manager->id) : nullptr;
    if (view && eligible(*view))
      out.push_back(
          {view, "internal contact of " + leaving.person->id + "; nobody else works on it"});
  }
  return out;
}

std::string percent(double share) {
  return std::to_string(static_cast<int>(share * 100.0 + 0.5)) + "%";
}

nlohmann::json knowledge_evidence(const Evaluation& evaluation, const config::System& system,
                                  const std::vector<Holder>& holders) {
  nlohmann::json out = {
      {"system", system.id},
      {"criticality", config::to_string(system.criticality)},
      {"min_knowledge_holders", evaluation.policy().defaults.min_knowledge_holders}};
  const auto* code = knowledge_of(evaluation, system.id);
  if (code) {
    nlohmann::json repositories = nlohmann::json::array();
    for (const auto& repository : code->repositories)
      repositories.push_back({{"repository", repository.repository}, {"head", repository.head}});
    out["repositories"] = repositories;
    out["files"] = code->files.size();
    auto truck = system_truck_factor(evaluation, system);
    out["truck_factor"] = truck ? nlohmann::json(*truck) : nlohmann::json();
  } else {
    out["repositories"] = nlohmann::json::array();
    out["files"] = 0;
    out["truck_factor"] = nlohmann::json();
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& holder : holders) {
    const auto& id = holder.person->person->id;
    nlohmann::json entry = {{"person", id},
                            {"seconded", holder.person->seconded},
                            {"author", holder.author},
                            {"operator", holder.operates},
                            {"files", holder.files},
                            {"share", holder.share}};
    if (holder.person->end) entry["end"] = format_rfc3339(*holder.person->end);
    if (holder.operates) entry["active_days_90"] = active_days(evaluation, id, system.id);
    if (code) {
      const double lost = share_lost_if_leaving(evaluation, system, id);
      entry["lost_if_leaving"] = lost;
      entry["if_leaving"] =
          "if " + id + " leaves: " + percent(lost) + " of files lose their last author";
    }
    list.push_back(std::move(entry));
  }
  out["holders"] = list;
  return out;
}

}  // namespace secondsight::checks
