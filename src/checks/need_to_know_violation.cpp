// need_to_know_violation: a seconded person holds (effective grant) or has used (any attributed
// access event) a system outside their engagements' need_to_know, or one that no external may
// hold or use (externals: deny). One finding per person and system, with both as evidence.
#include "secondsight/checks/checks.hpp"
#include "secondsight/checks/timeline.hpp"

namespace secondsight::checks {
namespace {

struct Exposure {
  const EffectiveGrant* grant = nullptr;
  const std::vector<activity::DayActivity>* used = nullptr;
};

}  // namespace

std::vector<Finding> check_need_to_know_violation(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& view : evaluation.people()) {
    if (!view.seconded) continue;
    std::map<const config::System*, Exposure> exposures;
    for (const auto& grant : view.grants) exposures[grant.system].grant = &grant;
    if (const auto* systems = evaluation.activity_of(view.person->id))
      for (const auto& [id, days] : *systems)
        if (const auto* system = evaluation.policy().find_system(id))
          exposures[system].used = &days;

    for (const auto& system : evaluation.policy().systems) {
      auto it = exposures.find(&system);
      if (it == exposures.end()) continue;
      const auto& [grant, used] = it->second;
      const bool denied = system.externals_deny;
      if (!denied && view.need_to_know.count(system.id)) continue;

      Finding finding;
      finding.kind = "need_to_know_violation";
      finding.severity = denied ? Severity::critical : Severity::high;
      finding.person = view.person->id;
      finding.system = system.id;
      finding.evidence = person_evidence(evaluation, view);
      finding.evidence["held"] =
          grant ? grant_evidence(evaluation, view, *grant) : nlohmann::json();
      finding.evidence["used"] =
          used ? activity_evidence(*used, evaluation.zone()) : nlohmann::json();
      finding.evidence["need_to_know"] = view.need_to_know;
      finding.evidence["externals"] = denied ? "deny" : "allow";

      std::string how;
      if (grant) {
        how = "holds " + system.id;
        if (!grant->paths.empty() && !grant->paths.front().empty())
          how += " (member of " + grant->paths.front().front()->dn +
                 since_text(evaluation, {view.person->id, directory::AccessKind::member,
                                         grant->paths.front().front()->normalized_dn}) +
                 ")";
      }
      if (used) {
        how += (grant ? " and " : "") + std::string("used ") + (grant ? "it" : system.id) +
               " (last " + format_local(used->back().last_seen, evaluation.zone()) + ")";
      }
      std::string engagements;
      for (const auto* engagement : view.engagements)
        engagements += (engagements.empty() ? "" : ", ") + engagement->id;
      if (denied)
        finding.summary =
            person_label(view) + " is seconded and " + how + ", which no external may hold or use";
      else if (engagements.empty())
        finding.summary = person_label(view) + " " + how + " but is in no engagement";
      else
        finding.summary =
            person_label(view) + " " + how + ", outside the need-to-know of " + engagements;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace secondsight::checks
