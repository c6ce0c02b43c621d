// The LDIF reader on any bytes: it reads them or fails with FILE:LINE, and what it reads,
// written back as LDIF, reads back to the same entries.
#include "secondsight/directory/ldif.hpp"

#include <sstream>

#include "harness.hpp"
#include "secondsight/directory/dn.hpp"

namespace {

using namespace secondsight;

std::string base64(std::string_view bytes) {
  static constexpr char k_digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += k_digits[(n >> 18) & 63];
    out += k_digits[(n >> 12) & 63];
    out += k_digits[(n >> 6) & 63];
    out += k_digits[n & 63];
  }
  if (bytes.size() - i == 1) {
    const auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += k_digits[(n >> 18) & 63];
    out += k_digits[(n >> 12) & 63];
    out += "==";
  } else if (bytes.size() - i == 2) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += k_digits[(n >> 18) & 63];
    out += k_digits[(n >> 12) & 63];
    out += k_digits[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// Every value base64, so that any bytes survive.
std::string write_ldif(const directory::LdifContent& content) {
  std::string out;
  for (const auto& entry : content.entries) {
    out += "dn:: " + base64(entry.dn) + "\n";
    for (const auto& attribute : entry.attributes())
      for (const auto& value : attribute.values)
        out += attribute.name + ":: " + base64(value) + "\n";
    out += "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in{std::string(fuzz::text_of(data, size))};
  const auto read = directory::read_ldif(in, "fuzz.ldif");
  if (!read) {
    FUZZ_CHECK(read.error().message.rfind("fuzz.ldif:", 0) == 0);
    return 0;
  }
  for (const auto& entry : read->entries) {
    FUZZ_CHECK(entry.line >= 1);
    FUZZ_CHECK(directory::parse_dn(entry.dn).ok());
    for (const auto& attribute : entry.attributes()) {
      FUZZ_CHECK(!attribute.name.empty());
      FUZZ_CHECK(!attribute.values.empty());
    }
  }
  for (const auto& warning : read->warnings) FUZZ_CHECK(warning.rfind("fuzz.ldif:", 0) == 0);

  std::istringstream again(write_ldif(*read));
  const auto reread = directory::read_ldif(again, "again.ldif");
  FUZZ_CHECK(reread.ok());
  FUZZ_CHECK(reread->entries.size() == read->entries.size());
  for (std::size_t i = 0; i < read->entries.size(); ++i) {
    const auto& a = read->entries[i];
    const auto& b = reread->entries[i];
    FUZZ_CHECK(a.dn == b.dn);
    FUZZ_CHECK(a.attributes().size() == b.attributes().size());
    for (std::size_t j = 0; j < a.attributes().size(); ++j) {
      FUZZ_CHECK(a.attributes()[j].name == b.attributes()[j].name);
      FUZZ_CHECK(a.attributes()[j].values == b.attributes()[j].values);
    }
  }
  return 0;
}
