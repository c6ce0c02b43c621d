// single_point_of_knowledge: a system that matters, measured by its code or its use, has fewer
// knowledge holders than min_knowledge_holders. Critical when a holder is seconded: that
// knowledge walks out with the contract.
#include <algorithm>

#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_single_point_of_knowledge(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  const int needed = evaluation.policy().defaults.min_knowledge_holders;
  for (const auto& system : evaluation.policy().systems) {
    if (system.criticality < config::Criticality::normal || !measurable(system)) continue;
    const auto holders = knowledge_holders(evaluation, system);
    if (static_cast<int>(holders.size()) >= needed) continue;
    const bool seconded_holder = std::any_of(holders.begin(), holders.end(),
                                             [](const Holder& h) { return h.person->seconded; });
    Finding finding;
    finding.kind = "single_point_of_knowledge";
    finding.severity = seconded_holder ? Severity::critical : Severity::high;
    finding.system = system.id;
    finding.evidence = knowledge_evidence(evaluation, system, holders);

    std::string who;
    for (const auto& holder : holders) {
      who += (who.empty() ? "" : ", ") + holder.person->person->id;
      if (holder.person->seconded)
        who += " (seconded" +
               (holder.person->end ? ", leaves on " + stated_end(*holder.person, evaluation.zone())
                                   : std::string()) +
               ")";
    }
    std::string summary = system.id + " (" + config::to_string(system.criticality) + ") has " +
                          std::to_string(holders.size()) + " knowledge holder" +
                          (holders.size() == 1 ? "" : "s") + (holders.empty() ? "" : ": " + who) +
                          "; at least " + std::to_string(needed) + " needed";
    if (!holders.empty() && finding.evidence["holders"][0].contains("if_leaving"))
      summary += "; " + finding.evidence["holders"][0]["if_leaving"].get<std::string>();
    finding.summary = std::move(summary);
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace secondsight::checks
