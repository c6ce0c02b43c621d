// DNs on any bytes: parsing never fails but with an error, the normal form is a fixed point
// (normalising it again changes nothing), the fast path for plain DNs agrees with the parser,
// and a DN built under another is within it.
#include "secondsight/directory/dn.hpp"

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight::directory;
  const auto [text, base] =
      secondsight::fuzz::split_once(secondsight::fuzz::text_of(data, size), '\0');
  const auto parsed = parse_dn(text);
  const std::string normal = normalize_dn(text);
  FUZZ_CHECK(normalize_dn(normal) == normal);
  std::string into = "left over";
  normalize_dn_into(text, into);
  FUZZ_CHECK(into == normal);
  FUZZ_CHECK(dn_is_within(normal, normal));
  FUZZ_CHECK(dn_is_within(normal, ""));
  const std::string leaf = dn_leaf_value(text);
  if (!parsed) {
    FUZZ_CHECK(leaf.empty());
    FUZZ_CHECK(parsed.error().message.rfind("bad DN '", 0) == 0);
    return 0;
  }
  if (!parsed->empty()) FUZZ_CHECK(leaf == parsed->front().front().value);
  // A leading space takes the parser's path (plain DNs are only lower-cased): both agree.
  FUZZ_CHECK(normalize_dn(" " + std::string(text)) == normal);
  // The normal form names the same RDNs.
  const auto reparsed = parse_dn(normal);
  FUZZ_CHECK(reparsed.ok());
  FUZZ_CHECK(reparsed->size() == parsed->size());

  const auto parsed_base = parse_dn(base);
  if (parsed_base && !parsed_base->empty() && !parsed->empty()) {
    const std::string joined = normalize_dn(std::string(text) + "," + std::string(base));
    const std::string normal_base = normalize_dn(base);
    FUZZ_CHECK(joined == normal + "," + normal_base);
    FUZZ_CHECK(dn_is_within(joined, normal_base));
    FUZZ_CHECK(!dn_is_within(normal_base, joined));
  }
  return 0;
}
