// handover_missing: a seconded person near the end of the engagement (within notice_days, or
// past the end by at most 30 days) holds the knowledge of a system and has not handed it over
// to a current employee.
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

namespace {
constexpr int k_days_after_end = 30;
}

std::vector<Finding> check_handover_missing(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  std::vector<std::pair<const config::System*, std::vector<Holder>>> holders_of;
  for (const auto& system : evaluation.policy().systems)
    holders_of.emplace_back(&system, knowledge_holders(evaluation, system));

  for (const auto& view : evaluation.people()) {
    if (!view.seconded || !view.end) continue;
    const bool recently_ended =
        evaluation.past_end(view) &&
        evaluation.now() <= evaluation.local_days_after(*view.end, k_days_after_end);
    if (!evaluation.within_notice(view) && !recently_ended) continue;
    for (const auto& [system, holders] : holders_of) {
      const Holder* held = nullptr;
      for (const auto& holder : holders)
        if (holder.person == &view) held = &holder;
      if (!held) continue;
      const auto records = handovers_of(evaluation, view, system->id);
      bool handed_over = false;
      nlohmann::json refused = nlohmann::json::array();
      for (const auto& check : records) {
        if (check.problem.empty()) {
          handed_over = true;
          break;
        }
        refused.push_back({{"receiver", check.record->receiver},
                           {"date", check.record->date},
                           {"origin", check.record->origin},
                           {"does_not_count", check.problem}});
      }
      if (handed_over) continue;

      Finding finding;
      finding.kind = "handover_missing";
      finding.severity = Severity::high;
      finding.person = view.person->id;
      finding.system = system->id;
      finding.evidence = person_evidence(evaluation, view);
      finding.evidence["knowledge"] = knowledge_evidence(evaluation, *system, holders);
      finding.evidence["holds_as"] = {{"author", held->author},
                                      {"files", held->files},
                                      {"share", held->share},
                                      {"operator", held->operates}};
      const auto with = system_truck_factor(evaluation, *system);
      const auto without = system_truck_factor(evaluation, *system, {view.person->id});
      finding.evidence["truck_factor"] = with ? nlohmann::json(*with) : nlohmann::json();
      finding.evidence["truck_factor_without"] =
          without ? nlohmann::json(*without) : nlohmann::json();
      nlohmann::json docs = nlohmann::json::array();
      if (const auto* map = evaluation.knowledge()) {
        auto code = map->systems.find(system->id);
        if (code != map->systems.end()) {
          auto touched = code->second.docs_touched.find(view.person->id);
          if (touched != code->second.docs_touched.end())
            for (const auto& path : touched->second) docs.push_back(path);
        }
      }
      finding.evidence["docs_touched"] = docs;
      nlohmann::json receivers = nlohmann::json::array();
      for (const auto& receiver : suggested_receivers(evaluation, *system, view))
        receivers.push_back({{"person", receiver.person->person->id}, {"why", receiver.why}});
      finding.evidence["suggested_receivers"] = receivers;
      finding.evidence["handovers_not_counted"] = refused;

      std::string role =
          held->author ? "an author of " + percent(held->share) + " of its files" : std::string();
      if (held->operates) role += (role.empty() ? "" : " and ") + std::string("an operator");
      std::string summary = person_label(view) + " holds " + system->id + " (" + role + ") and " +
                            (evaluation.past_end(view) ? "left on " : "leaves on ") +
                            stated_end(view, evaluation.zone()) +
                            " without a handover to a current employee";
      if (!refused.empty())
        summary += " (" + std::to_string(refused.size()) + " record" +
                   (refused.size() == 1 ? "" : "s") + " not counted: " + records.front().problem +
                   ")";
      finding.summary = std::move(summary);
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace secondsight::checks
