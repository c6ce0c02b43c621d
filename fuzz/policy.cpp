// A policy file on any bytes: it loads, or fails with its errors at FILE:LINE:COL; what loads
// has unique, valid system ids and engagements that need only systems it defines.
#include <set>

#include "harness.hpp"
#include "secondsight/app/plugins.hpp"
#include "secondsight/config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  static const fuzz::TempFolder folder;
  config::Config config;
  config.file = folder.path() / "secondsight.yaml";
  config.policies = folder.path() / "policy.yaml";
  config.repositories_root = folder.path();
  config.zone = *find_zone("UTC");
  fuzz::write_file(config.policies, fuzz::text_of(data, size));

  Diagnostics diagnostics;
  const auto policy = config::load_policies(config, app::plugins(), diagnostics);
  FUZZ_CHECK(policy.has_value() == !diagnostics.has_errors());
  for (const auto& diagnostic : diagnostics.all()) {
    FUZZ_CHECK(!diagnostic.message.empty());
    FUZZ_CHECK(diagnostic.where.file == config.policies.string());
    FUZZ_CHECK(diagnostic.where.line >= 0 && diagnostic.where.column >= 0);
  }
  if (!policy) return 0;

  std::set<std::string> ids;
  for (const auto& system : policy->systems) {
    FUZZ_CHECK(!system.id.empty());
    FUZZ_CHECK(ids.insert(system.id).second);
    FUZZ_CHECK(policy->find_system(system.id) == &system);
  }
  for (const auto& engagement : policy->engagements)
    for (const auto& system : engagement.need_to_know)
      FUZZ_CHECK(policy->find_system(system) != nullptr);
  FUZZ_CHECK(policy->defaults.grace_days_after_end >= 0);
  FUZZ_CHECK(policy->defaults.notice_days >= 0);
  FUZZ_CHECK(policy->defaults.inactivity_days >= 0);
  return 0;
}
