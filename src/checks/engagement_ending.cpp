// engagement_ending: a current seconded person whose end falls within notice_days: the time
// to prepare the handover and the offboarding checklist.
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_engagement_ending(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& view : evaluation.people()) {
    if (!view.seconded || !view.current || !evaluation.within_notice(view)) continue;
    Finding finding;
    finding.kind = "engagement_ending";
    finding.severity = Severity::info;
    finding.person = view.person->id;
    finding.evidence = person_evidence(evaluation, view);
    const int days_left = *evaluation.days_left(view);
    finding.evidence["days_left"] = days_left;
    finding.evidence["notice_days"] = evaluation.policy().defaults.notice_days;
    finding.summary = person_label(view) + ": the engagement ends " +
                      stated_end(view, evaluation.zone()) + "; rights end " +
                      format_local(*view.end, evaluation.zone()) + " (" +
                      std::to_string(days_left) + (days_left == 1 ? " day" : " days") + " left)";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace secondsight::checks
