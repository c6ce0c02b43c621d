// A handovers file on any bytes: it loads, or fails with its errors at FILE:LINE:COL; every
// record that loads names a system of the policy, a real date and where it was written.
#include "secondsight/config/handovers.hpp"

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  static const fuzz::TempFolder folder;
  static const config::Policy policy = [] {
    config::Policy made;
    for (const char* id : {"payments", "payments-api", "k8s-prod", "terraform"}) {
      config::System system;
      system.id = id;
      system.name = id;
      made.systems.push_back(system);
    }
    return made;
  }();
  config::Config config;
  config.file = folder.path() / "secondsight.yaml";
  config.handovers_file = folder.path() / "handovers.yaml";
  config.zone = *find_zone("UTC");
  fuzz::write_file(config.handovers_file, fuzz::text_of(data, size));

  Diagnostics diagnostics;
  const auto records = config::load_handovers(config, policy, diagnostics);
  FUZZ_CHECK(records.has_value() == !diagnostics.has_errors());
  for (const auto& diagnostic : diagnostics.all()) {
    FUZZ_CHECK(!diagnostic.message.empty());
    FUZZ_CHECK(diagnostic.where.file == config.handovers_file.string());
  }
  if (!records) return 0;
  for (const auto& record : *records) {
    FUZZ_CHECK(policy.find_system(record.system) != nullptr);
    FUZZ_CHECK(parse_iso_date(record.date).ok());
    FUZZ_CHECK(!record.person.empty() && !record.receiver.empty());
    FUZZ_CHECK(record.origin.rfind(config.handovers_file.string() + ":", 0) == 0);
  }
  return 0;
}
