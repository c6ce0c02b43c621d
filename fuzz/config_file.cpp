// secondsight.yaml on any bytes: it loads, or fails with its errors at FILE:LINE:COL of the
// file; what loads holds what the rest of the program relies on.
#include <algorithm>

#include "harness.hpp"
#include "secondsight/app/plugins.hpp"
#include "secondsight/config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  static const fuzz::TempFolder folder;
  const auto file = folder.path() / "secondsight.yaml";
  fuzz::write_file(file, fuzz::text_of(data, size));

  Diagnostics diagnostics;
  const auto config = config::load_config(file, app::plugins(), diagnostics);
  FUZZ_CHECK(config.has_value() == !diagnostics.has_errors());
  for (const auto& diagnostic : diagnostics.all()) {
    FUZZ_CHECK(!diagnostic.message.empty());
    FUZZ_CHECK(diagnostic.where.line >= 0 && diagnostic.where.column >= 0);
    FUZZ_CHECK(!diagnostic.where.file.empty());
    FUZZ_CHECK(!diagnostic.format().empty());
  }
  if (!config) return 0;

  FUZZ_CHECK(config->zone != nullptr);
  FUZZ_CHECK(config->state_dir.is_absolute());
  FUZZ_CHECK(config->policies.is_absolute());
  FUZZ_CHECK(!config->directory.uri.empty());
  FUZZ_CHECK(config->event_retention_days >= 90);
  FUZZ_CHECK(config->directory.page_size >= 1);
  // Filters are not checked here but by the directory's parser when the config is used.
  for (const auto* scope : {&config->directory.people, &config->directory.groups})
    FUZZ_CHECK(!scope->filter.empty());
  for (const auto& source : config->audit_logs) {
    static constexpr std::string_view k_formats[] = {"auditd", "sshd", "jsonl", "journal"};
    FUZZ_CHECK(std::find(std::begin(k_formats), std::end(k_formats), source.format) !=
               std::end(k_formats));
    FUZZ_CHECK(!source.name.empty());
    if (source.format != "journal") FUZZ_CHECK(!source.path.empty());
  }
  for (const auto& sink : config->alerts)
    FUZZ_CHECK(sink.type == "journal" || sink.type == "jsonl" || sink.type == "webhook");
  return 0;
}
