// missing_end_date: a current seconded person without an end date, so nothing ends their
// rights. An end date that is present but unreadable counts as missing.
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_missing_end_date(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& view : evaluation.people()) {
    if (!view.seconded || !view.current || view.end) continue;
    Finding finding;
    finding.kind = "missing_end_date";
    finding.severity = Severity::high;
    finding.person = view.person->id;
    finding.evidence = person_evidence(evaluation, view);
    if (!view.person->end_problem.empty()) {
      finding.evidence["end_date_problem"] = view.person->end_problem;
      finding.summary = view.person->id + " is seconded but the end date cannot be read (" +
                        view.person->end_problem + ")";
    } else {
      finding.summary = view.person->id + " is seconded" +
                        (view.person->agency.empty() ? "" : " through " + view.person->agency) +
                        " and has no end date: nothing ends their rights";
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace secondsight::checks
