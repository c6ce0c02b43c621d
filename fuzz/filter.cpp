// LDAP filters on any bytes, parsed and evaluated against an entry built from the rest of the
// input: a parsed filter parses again from its text with the same answer, its negation gives
// the opposite answer, and an equality filter on any of the entry's values (escaped) matches.
#include "secondsight/directory/filter.hpp"

#include "harness.hpp"
#include "secondsight/directory/entry.hpp"

namespace {

using namespace secondsight;
using directory::Entry;
using directory::Filter;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Lines "name: value" (or "name=value"); a line without a usable name adds its bytes as a
// value of "cn".
Entry entry_of(std::string_view text) {
  Entry entry;
  entry.dn = "cn=fuzz,dc=example";
  for (const auto line : fuzz::split_all(text, '\n')) {
    if (line.empty()) continue;
    std::size_t end = 0;
    while (end < line.size() && is_name_char(line[end])) ++end;
    if (end == 0 || end == line.size() || (line[end] != ':' && line[end] != '=')) {
      entry.add("cn", std::string(line));
      continue;
    }
    std::string_view value = line.substr(end + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    entry.add(line.substr(0, end), std::string(value));
  }
  return entry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [text, rest] = fuzz::split_once(fuzz::text_of(data, size), '\0');
  const Entry entry = entry_of(rest);

  const auto filter = Filter::parse(text);
  if (filter) {
    const bool matched = filter->matches(entry);
    const auto again = Filter::parse(filter->text());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->matches(entry) == matched);
    const std::string& written = filter->text();
    const std::string negated =
        written.front() == '(' ? "(!" + written + ")" : "(!(" + written + "))";
    const auto negation = Filter::parse(negated);
    FUZZ_CHECK(negation.ok());
    FUZZ_CHECK(negation->matches(entry) == !matched);
  } else {
    FUZZ_CHECK(filter.error().message.find("LDAP filter") != std::string::npos);
  }

  for (const auto& attribute : entry.attributes()) {
    for (const auto& value : attribute.values) {
      const std::string escaped = directory::escape_filter_value(value);
      for (const std::string& item :
           {"(" + attribute.name + "=" + escaped + ")",
            "(" + attribute.name + ":caseExactMatch:=" + escaped + ")",
            "(" + attribute.name + ">=" + escaped + ")",
            "(" + attribute.name + "<=" + escaped + ")", "(" + attribute.name + "=*)"}) {
        const auto equal = Filter::parse(item);
        FUZZ_CHECK(equal.ok());
        FUZZ_CHECK(equal->matches(entry));
      }
    }
  }
  return 0;
}
