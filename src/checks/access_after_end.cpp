// access_after_end: a seconded person past the end of their engagement who still has an
// enabled account or any effective grant.
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_access_after_end(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& view : evaluation.people()) {
    if (!view.seconded || !evaluation.past_end(view)) continue;
    if (!view.current && view.grants.empty()) continue;

    Finding finding;
    finding.kind = "access_after_end";
    finding.severity = Severity::critical;
    finding.person = view.person->id;
    finding.evidence = person_evidence(evaluation, view);
    nlohmann::json grants = nlohmann::json::array();
    std::string systems;
    for (const auto& grant : view.grants) {
      grants.push_back(grant_evidence(evaluation, view, grant));
      systems += (systems.empty() ? "" : ", ") + grant.system->id;
    }
    finding.evidence["grants"] = grants;

    std::string still;
    if (view.current) still = "an enabled account";
    if (!view.grants.empty())
      still += (still.empty() ? "" : " and ") + std::string("grants to ") + systems;
    finding.summary = person_label(view) + ": the engagement ended " +
                      stated_end(view, evaluation.zone()) + " and rights had to be gone by " +
                      format_local(*view.end, evaluation.zone()) + ", but they still have " + still;
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace secondsight::checks
