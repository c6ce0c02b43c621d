// activity_after_end: a seconded person's access event after the end of their engagement, per
// system it was attributed to, and once more (system null) for events no system's rules match.
#include "secondsight/checks/checks.hpp"

namespace secondsight::checks {

std::vector<Finding> check_activity_after_end(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& view : evaluation.people()) {
    if (!view.seconded || !evaluation.past_end(view)) continue;
    const auto* systems = evaluation.activity_of(view.person->id);
    if (!systems) continue;
    for (const auto& [system, days] : *systems) {
      // A day whose last event is after the end holds at least that event.
      std::vector<activity::DayActivity> after;
      for (const auto& day : days)
        if (day.last_seen > *view.end) after.push_back(day);
      if (after.empty()) continue;

      Finding finding;
      finding.kind = "activity_after_end";
      finding.severity = Severity::critical;
      finding.person = view.person->id;
      if (!system.empty()) finding.system = system;
      finding.evidence = person_evidence(evaluation, view);
      finding.evidence["activity_after_end"] = activity_evidence(after, evaluation.zone());
      nlohmann::json by_day = nlohmann::json::array();
      for (const auto& day : after)
        by_day.push_back({{"day", format_date(day.day)},
                          {"events", day.events},
                          {"first_seen", format_rfc3339(day.first_seen)},
                          {"last_seen", format_rfc3339(day.last_seen)}});
      finding.evidence["days"] = by_day;
      finding.summary = person_label(view) + " was active " +
                        (system.empty() ? std::string() : "on " + system + " ") +
                        "after the engagement ended (rights ended " +
                        format_local(*view.end, evaluation.zone()) + ")" +
                        (system.empty() ? ", on hosts or resources no system's rules cover" : "") +
                        "; last at " + format_local(after.back().last_seen, evaluation.zone());
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace secondsight::checks
