#include "secondsight/app/knowledge_refresh.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "secondsight/core/logging.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/store/knowledge_store.hpp"

namespace secondsight::app {

bool KnowledgeInput::complete() const {
  for (const auto& repository : repositories)
    if (!repository.error.empty()) return false;
  return true;
}

std::filesystem::path repository_path(const config::Config& config, const std::string& listed) {
  const std::filesystem::path path(listed);
  return path.is_absolute() ? path : config.repositories_root / path;
}

Result<KnowledgeInput> refresh_knowledge(const config::Config& config, const config::Policy& policy,
                                         store::Database& database, Instant now, bool check_heads,
                                         bool keep) {
  auto log = logger("knowledge");
  KnowledgeInput input;
  store::KnowledgeStore store(database);
  std::set<std::string> seen;
  for (const auto& system : policy.systems) {
    for (const auto& listed : system.repositories) {
      if (!seen.insert(listed).second) continue;
      RepositoryStatus status;
      status.repository = listed;
      status.path = repository_path(config, listed).lexically_normal().string();
      auto stored = store.history(status.path);
      if (!stored) return stored.error();
      auto head = check_heads || !*stored ? knowledge::head_of(status.path)
                                          : Result<std::string>((*stored)->head);
      if (!head) {
        status.error = head.error().message;
        log->error("repository {} of {}: {}", status.path, system.id, status.error);
        input.repositories.push_back(std::move(status));
        continue;
      }
      status.head = *head;
      if (*stored && (*stored)->head == *head) {
        auto json = nlohmann::json::parse((*stored)->history, nullptr, false);
        auto history = json.is_discarded() ? Result<knowledge::History>(make_error("not JSON"))
                                           : knowledge::history_from_json(json);
        if (history) {
          input.histories.emplace(listed, std::move(*history));
          input.repositories.push_back(std::move(status));
          continue;
        }
        log->warn("repository {}: the kept history is unreadable ({}); reading it again",
                  status.path, history.error().message);
      }
      auto history = knowledge::read_history(status.path);
      if (!history) {
        status.error = history.error().message;
        log->error("repository {} of {}: {}", status.path, system.id, status.error);
        input.repositories.push_back(std::move(status));
        continue;
      }
      status.head = history->head;
      status.read = true;
      if (keep) {
        auto saved = store.save_history(
            status.path, {history->head, json_text(knowledge::to_json(*history))}, now);
        if (!saved) return saved.error();
      }
      log->info("repository {}: history read at {} ({} files)", status.path, history->head,
                history->files.size());
      input.histories.emplace(listed, std::move(*history));
      input.repositories.push_back(std::move(status));
    }
  }
  return input;
}

}  // namespace secondsight::app
