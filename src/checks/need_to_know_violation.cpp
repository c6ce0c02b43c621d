// need_to_know_violation: a seconded person holds a system outside their engagements'
// need_to_know, or one that no external may hold (externals: deny).
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_need_to_know_violation(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& view : evaluation.people()) {
    if (!view.seconded) continue;
    for (const auto& grant : view.grants) {
      const auto& system = *grant.system;
      bool denied = system.externals_deny;
      if (!denied && view.need_to_know.count(system.id)) continue;

      Finding finding;
      finding.kind = "need_to_know_violation";
      finding.severity = denied ? Severity::critical : Severity::high;
      finding.person = view.person->id;
      finding.system = system.id;
      finding.evidence = person_evidence(evaluation, view);
      finding.evidence["held"] = grant_evidence(grant);
      finding.evidence["used"] = nlohmann::json::array();
      finding.evidence["need_to_know"] = view.need_to_know;
      finding.evidence["externals"] = denied ? "deny" : "allow";
      std::string via;
      if (!grant.paths.empty() && !grant.paths.front().empty())
        via = " (member of " + grant.paths.front().front() + ")";
      std::string engagements;
      for (const auto* engagement : view.engagements)
        engagements += (engagements.empty() ? "" : ", ") + engagement->id;
      if (denied)
        finding.summary = person_label(view) + " is seconded and holds " + system.id +
                          ", which no external may hold" + via;
      else if (engagements.empty())
        finding.summary = person_label(view) + " holds " + system.id + via +
                          " but is in no engagement, so needs no system";
      else
        finding.summary = person_label(view) + " holds " + system.id + via +
                          ", outside the need-to-know of " + engagements;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace secondsight::checks
