// Who holds the knowledge of each system: the code authors of its repositories (from their
// git histories, identities resolved to persons) and its operators (from activity).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "secondsight/config/policy.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/knowledge/handovers.hpp"
#include "secondsight/knowledge/history.hpp"

namespace secondsight::checks {

class Evaluation;
struct PersonView;

struct RepositoryHead {
  std::string repository;  // as the policy lists it
  std::string head;
};

// One system's code, all its repositories together. Author keys are person ids for git
// identities that resolve to a person, and "git:NAME <EMAIL>" for the rest.
struct SystemKnowledge {
  std::vector<RepositoryHead> repositories;
  std::vector<knowledge::FileAuthors> files;  // the counted files ("repo/path" when several)
  std::set<std::string> persons;              // the keys that are person ids
  // Per author key, the documentation paths (the system's docs globs) they created or changed.
  std::map<std::string, std::vector<std::string>> docs_touched;
  // Per author key, the number of commits that touched any file of the system's code.
  std::map<std::string, int> changes;
};

struct KnowledgeMap {
  std::map<std::string, SystemKnowledge> systems;  // systems with repositories, by id
};

// Builds the map from each repository's history (keyed by the repository as the policy lists
// it). A system whose repositories are not all in `histories` is left out.
KnowledgeMap build_knowledge_map(const config::Policy& policy,
                                 const directory::DirectorySnapshot& snapshot,
                                 const std::map<std::string, knowledge::History>& histories);

struct Holder {
  const PersonView* person = nullptr;
  int files = 0;     // files of the system they are an author of
  double share = 0;  // of the system's files
  bool author = false;
  bool operates = false;  // an operator of the system
};

// The current persons who hold the knowledge of a system: its code authors and operators.
std::vector<Holder> knowledge_holders(const Evaluation& evaluation, const config::System& system);

// True when the system can be measured: it has repositories or activity rules.
bool measurable(const config::System& system);

// The truck factor of the system's code when the authors who are no current person are gone,
// and `leaving` too; nullopt without code.
std::optional<int> system_truck_factor(const Evaluation& evaluation, const config::System& system,
                                       const std::set<std::string>& leaving = {});

// The share of the system's files whose last current author is `person_id` (lost if they leave).
double share_lost_if_leaving(const Evaluation& evaluation, const config::System& system,
                             const std::string& person_id);

struct HandoverCheck {
  const knowledge::HandoverRecord* record = nullptr;
  std::string problem;  // empty when the record counts
};

// The handover records of `person` for `system`, each with why it does not count, if not.
std::vector<HandoverCheck> handovers_of(const Evaluation& evaluation, const PersonView& person,
                                        const std::string& system_id);

struct SuggestedReceiver {
  const PersonView* person = nullptr;
  std::string why;
};

// Who could take over a system from `leaving`: current non-seconded people who already hold or
// operate it; else those who work nearest to it (changed its code, used it, hold a grant);
// else the leaving person's manager.
std::vector<SuggestedReceiver> suggested_receivers(const Evaluation& evaluation,
                                                   const config::System& system,
                                                   const PersonView& leaving);

// Evidence about a system's knowledge: repositories and heads, files, truck factor, each
// holder with their share of files and what is lost if they leave.
nlohmann::json knowledge_evidence(const Evaluation& evaluation, const config::System& system,
                                  const std::vector<Holder>& holders);

// "42%"
std::string percent(double share);

}  // namespace secondsight::checks
