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
      std::string via = grant.paths.empty() || grant.paths.front().empty()
                            ? std::string()
                            : " through " + grant.paths.front().front();
      finding.summary = denied ? view.person->id + " is seconded and holds " + system.id +
                                     ", which no external may hold" + via
                               : view.person->id + " holds " + system.id +
                                     ", outside the need-to-know of " +
                                     (view.engagements.empty() ? std::string("any engagement")
                                                               : "their engagement") +
                                     via;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace secondsight::checks
