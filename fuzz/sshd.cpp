// The sshd parser on any lines, in zones with summer time: every event is a login of a user
// named by one word, and the same lines read by a new parser give the same events.
#include "log_lines.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  static const Zone k_zones[] = {nullptr, *find_zone("Europe/Amsterdam"),
                                 *find_zone("America/St_Johns")};
  const std::string_view text = fuzz::text_of(data, size);
  config::LogSourceConfig source;
  source.format = "sshd";
  source.name = "auth.log";
  // The zone follows the input's length, so the corpus covers each without a byte of its own.
  const activity::ParserContext context{k_zones[size % 3],
                                        Instant{std::chrono::seconds{1773662400}}};

  auto parser = activity::make_parser(source, context);
  FUZZ_CHECK(parser.ok());
  const auto parsed = fuzz::parse_lines(**parser, text);
  for (const auto& event : parsed.events) {
    FUZZ_CHECK(event.action == "login");
    FUZZ_CHECK(!event.user.empty());
    FUZZ_CHECK(event.user.find_first_of(" \t") == std::string::npos);
    FUZZ_CHECK(event.host.find_first_of(" \t") == std::string::npos);
    FUZZ_CHECK(!event.uid.has_value());
  }

  auto again = activity::make_parser(source, context);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(fuzz::same_events(fuzz::parse_lines(**again, text).events, parsed.events));

  // The journal hands sshd's messages over without syslog prefix: the same reading.
  for (const auto line : fuzz::split_all(text, '\n')) {
    const auto event = activity::parse_sshd_message(line, context.now, "host");
    if (!event) continue;
    FUZZ_CHECK(!event->user.empty());
    FUZZ_CHECK(event->time == context.now);
    FUZZ_CHECK(event->host == "host");
  }
  return 0;
}
