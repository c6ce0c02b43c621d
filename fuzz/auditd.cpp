// The auditd parser on any lines: an event has a person (a uid that is set, or a login's
// account), a syscall event a login uid and its rule's keys (the first its resource), and the
// same lines read by a new parser give the same events.
#include "log_lines.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  config::LogSourceConfig source;
  source.format = "auditd";
  source.name = "audit.log";
  const activity::ParserContext context{nullptr, Instant{std::chrono::seconds{1773662400}}};
  const std::string_view text = fuzz::text_of(data, size);

  auto parser = activity::make_parser(source, context);
  FUZZ_CHECK(parser.ok());
  const auto parsed = fuzz::parse_lines(**parser, text);
  for (const auto& event : parsed.events) {
    FUZZ_CHECK(event.uid.has_value() || !event.user.empty());
    if (event.uid) FUZZ_CHECK(*event.uid != 4294967295LL && *event.uid != -1);
    if (event.action != "USER_LOGIN" && event.action != "USER_START") {
      FUZZ_CHECK(event.uid.has_value());
      FUZZ_CHECK(!event.key.empty());
      FUZZ_CHECK(!event.resource.empty());
      FUZZ_CHECK(event.key.substr(0, event.key.find('\x01')) == event.resource);
      FUZZ_CHECK(event.resource.find('\x01') == std::string::npos);
    }
  }

  auto again = activity::make_parser(source, context);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(fuzz::same_events(fuzz::parse_lines(**again, text).events, parsed.events));
  return 0;
}
