// The jsonl parser on any lines, with nested field paths: an event has a user and, as every
// text came from parsed JSON, every text is valid UTF-8 and writes as JSON that reads back.
#include "log_lines.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  config::LogSourceConfig source;
  source.format = "jsonl";
  source.name = "platform.jsonl";
  source.fields.time = "ts";
  source.fields.user = "actor.name";
  source.fields.host = "host";
  source.fields.action = "action";
  source.fields.resource = "resource";
  const activity::ParserContext context{nullptr, Instant{std::chrono::seconds{1773662400}}};

  auto parser = activity::make_parser(source, context);
  FUZZ_CHECK(parser.ok());
  const auto parsed = fuzz::parse_lines(**parser, fuzz::text_of(data, size));
  for (const auto& event : parsed.events) {
    FUZZ_CHECK(!event.user.empty());
    FUZZ_CHECK(!event.uid.has_value());
    for (const auto* text : {&event.user, &event.host, &event.action, &event.resource})
      FUZZ_CHECK(fuzz::is_utf8(*text));
    const nlohmann::json written = {{"user", event.user},
                                    {"host", event.host},
                                    {"action", event.action},
                                    {"resource", event.resource},
                                    {"time", event.time.time_since_epoch().count()}};
    const auto read = nlohmann::json::parse(written.dump());
    FUZZ_CHECK(read == written);
  }
  return 0;
}
