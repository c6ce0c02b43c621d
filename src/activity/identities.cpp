#include "secondsight/activity/identities.hpp"

namespace secondsight::activity {

bool is_evidence(const EvidenceScope& person, const config::System* system, Instant at) {
  if (!person.seconded) return false;
  if (person.end && at >= *person.end) return true;
  if (!system) return false;
  return system->externals_deny || !person.need_to_know.count(system->id);
}

}  // namespace secondsight::activity
