// unused_access: a seconded person holds a system whose logs have been watched for at least
// inactivity_days, and has not used it in that time: a right to take away. Disabled accounts
// count too: their groups come back with them.
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_unused_access(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  const int inactivity = evaluation.policy().defaults.inactivity_days;
  const Instant window_start = add_local_days(evaluation.now(), -inactivity, evaluation.zone());
  for (const auto& view : evaluation.people()) {
    if (!view.seconded) continue;
    const auto* systems = evaluation.activity_of(view.person->id);
    for (const auto& grant : view.grants) {
      const auto& system = *grant.system;
      if (system.activity.empty()) continue;
      // Too short a coverage cannot tell unused from unwatched.
      auto coverage = evaluation.coverage_start(system.id);
      if (!coverage || *coverage > window_start) continue;

      const std::vector<activity::DayActivity>* days = nullptr;
      if (systems) {
        auto it = systems->find(system.id);
        if (it != systems->end()) days = &it->second;
      }
      bool used = false;
      if (days)
        for (const auto& day : *days)
          if (day.last_seen > window_start) used = true;
      if (used) continue;

      Finding finding;
      finding.kind = "unused_access";
      finding.severity = Severity::medium;
      finding.person = view.person->id;
      finding.system = system.id;
      finding.evidence = person_evidence(evaluation, view);
      finding.evidence["held"] = grant_evidence(evaluation, view, grant);
      finding.evidence["inactivity_days"] = inactivity;
      finding.evidence["coverage_start"] = format_rfc3339(*coverage);
      finding.evidence["last_used"] = days && !days->empty()
                                          ? nlohmann::json(format_rfc3339(days->back().last_seen))
                                          : nlohmann::json();
      finding.summary = person_label(view) + " holds " + system.id + " but has not used it " +
                        (days && !days->empty()
                             ? "since " + format_local(days->back().last_seen, evaluation.zone())
                             : std::string("since its logs began (") +
                                   format_local(*coverage, evaluation.zone()) + ")") +
                        "; inactive for more than " + std::to_string(inactivity) + " days";
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace secondsight::checks
