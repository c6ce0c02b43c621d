// The timeline of access as the checks read and feed it: the rights one evaluation sees, and
// how the evidence says since when a right is held and how long access outlived the end.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "secondsight/checks/context.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/timeline.hpp"
#include "secondsight/findings/finding.hpp"

namespace secondsight::checks {

// The rights this evaluation sees, for every seconded person and for everyone `before` still
// follows (a contractor taken on as staff keeps being followed, so their rights are not seen
// to vanish): in the directory, the account enabled, membership of each group that leads to a
// system, each system reached.
std::vector<directory::AccessFact> access_facts(const Evaluation& evaluation,
                                                const directory::AccessTimeline& before);

// Since when a right is held: {"since", "since_local", "since_first_read"}, the last true when
// it was there at the first observation ever made (it may be older); null when the timeline
// does not hold it.
nlohmann::json since_evidence(const Evaluation& evaluation, const directory::AccessFact& fact);
// " since 2026-03-16 12:00:03 CET", " since 2026-03-16 12:00:03 CET or earlier", or "" when
// the timeline does not hold it: to follow "member of GROUP".
std::string since_text(const Evaluation& evaluation, const directory::AccessFact& fact);

// What a resolved access_after_end keeps: once every access of the person (an enabled
// account, every grant) is seen gone, `access_removed` in its evidence (when it was last seen
// and seen gone, and how long after the end) and the summary says it. False, and nothing
// changed, while any access is held (the end moved, or the person is not past it any more).
bool note_access_removed(const directory::AccessTimeline& timeline, Zone zone,
                         findings::Finding& finding);

}  // namespace secondsight::checks
