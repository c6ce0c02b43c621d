#include "secondsight/checks/timeline.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace secondsight::checks {

using directory::AccessFact;
using directory::AccessKind;

std::vector<AccessFact> access_facts(const Evaluation& evaluation,
                                     const directory::AccessTimeline& before) {
  std::vector<AccessFact> facts;
  std::set<std::string_view> done;  // a duplicated id is the first person's, as everywhere
  for (const auto& view : evaluation.people()) {
    const auto& id = view.person->id;
    if (!view.seconded && !before.follows(id)) continue;
    if (!done.insert(id).second) continue;
    facts.push_back({id, AccessKind::account, std::string(directory::k_account_present)});
    if (view.current)
      facts.push_back({id, AccessKind::account, std::string(directory::k_account_enabled)});
    std::set<std::string_view> groups;
    for (const auto& grant : view.grants) {
      facts.push_back({id, AccessKind::grant, grant.system->id});
      for (const auto& path : grant.paths)
        for (const auto* group : path)
          if (groups.insert(group->normalized_dn).second)
            facts.push_back({id, AccessKind::member, group->normalized_dn});
    }
  }
  return facts;
}

nlohmann::json since_evidence(const Evaluation& evaluation, const AccessFact& fact) {
  const auto* timeline = evaluation.timeline();
  const auto* span = timeline ? timeline->held(fact) : nullptr;
  if (!span) return nullptr;
  return {{"since", format_rfc3339(span->first_seen)},
          {"since_local", format_local_seconds(span->first_seen, evaluation.zone())},
          {"since_first_read", !span->appeared_after}};
}

std::string since_text(const Evaluation& evaluation, const AccessFact& fact) {
  const auto* timeline = evaluation.timeline();
  const auto* span = timeline ? timeline->held(fact) : nullptr;
  if (!span) return {};
  return " since " + format_local_seconds(span->first_seen, evaluation.zone()) +
         (span->appeared_after ? "" : " or earlier");
}

nlohmann::json grant_evidence(const Evaluation& evaluation, const PersonView& view,
                              const EffectiveGrant& grant) {
  auto out = grant_evidence(grant);
  const auto& id = view.person->id;
  out["held"] = since_evidence(evaluation, {id, AccessKind::grant, grant.system->id});
  nlohmann::json memberships = nlohmann::json::array();
  std::set<std::string_view> groups;
  for (const auto& path : grant.paths)
    for (const auto* group : path) {
      if (!groups.insert(group->normalized_dn).second) continue;
      const AccessFact fact{id, AccessKind::member, group->normalized_dn};
      memberships.push_back({{"group", group->dn},
                             {"held", since_evidence(evaluation, fact)},
                             {"text", "member of " + group->dn + since_text(evaluation, fact)}});
    }
  out["memberships"] = std::move(memberships);
  return out;
}

bool note_access_removed(const directory::AccessTimeline& timeline, Zone zone,
                         findings::Finding& finding) {
  if (finding.kind != "access_after_end" || !finding.person) return false;
  const auto* end_text = finding.evidence.is_object() && finding.evidence.contains("end") &&
                                 finding.evidence["end"].is_string()
                             ? finding.evidence["end"].get_ptr<const std::string*>()
                             : nullptr;
  if (!end_text) return false;
  auto end = parse_rfc3339(*end_text);
  if (!end) return false;

  std::optional<Instant> last_seen;
  std::optional<Instant> gone;
  for (const auto* span : timeline.of_person(*finding.person)) {
    if (!directory::is_access(*span)) continue;
    if (span->held()) return false;
    if (!gone || *span->gone > *gone) {
      gone = span->gone;
      last_seen = span->last_seen;
    }
  }
  if (!gone) return false;
  const auto after = timeline.access_after(*finding.person, *end, *gone);
  finding.evidence["access_removed"] = {{"last_seen", format_rfc3339(*last_seen)},
                                        {"gone", format_rfc3339(*gone)},
                                        {"gone_local", format_local_seconds(*gone, zone)},
                                        {"after_end_seconds", after.count()},
                                        {"after_end", format_duration(after)}};
  const auto agency = finding.evidence.value("agency", nlohmann::json());
  const std::string label = agency.is_string() && !agency.get<std::string>().empty()
                                ? *finding.person + " (" + agency.get<std::string>() + ")"
                                : *finding.person;
  finding.summary = label + ": access removed " + format_duration(after) +
                    " after the end (last seen " + format_local_seconds(*last_seen, zone) +
                    ", gone " + format_local_seconds(*gone, zone) + ")";
  return true;
}

}  // namespace secondsight::checks
