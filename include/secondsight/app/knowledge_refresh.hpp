// The knowledge step of a scan: each repository's history, read again only when its HEAD moved
// since the last scan (the history is kept in the state database).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/knowledge/history.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::app {

struct RepositoryStatus {
  std::string repository;  // as the policy lists it
  std::string path;        // where it was read
  std::string head;
  bool read = false;  // its history was read in this scan (new, or HEAD moved)
  std::string error;  // why it could not be read; empty when fine
};

struct KnowledgeInput {
  std::map<std::string, knowledge::History> histories;  // by repository as listed
  std::vector<RepositoryStatus> repositories;
  bool complete() const;
};

// Where a repository the policy lists lives: absolute, or under repositories_root.
std::filesystem::path repository_path(const config::Config& config, const std::string& listed);

// Reads the histories of every repository the policies list. A repository that cannot be read
// is reported in its status (and the knowledge is incomplete); a failure of the store is an
// error. Without `check_heads`, a kept history is used as it is (git is asked only for
// repositories without one). Without `keep`, a history read from git is not kept in the store.
Result<KnowledgeInput> refresh_knowledge(const config::Config& config, const config::Policy& policy,
                                         store::Database& database, Instant now,
                                         bool check_heads = true, bool keep = true);

}  // namespace secondsight::app
