#include "secondsight/checks/finding.hpp"

#include <openssl/evp.h>

#include <array>

namespace secondsight::checks {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "info";
}

Result<Severity> parse_severity(std::string_view text) {
  for (auto s :
       {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical})
    if (to_string(s) == text) return s;
  return make_error("'" + std::string(text) +
                    "' is not a severity (info, low, medium, high, critical)");
}

std::string finding_fingerprint(std::string_view kind, const std::optional<std::string>& person,
                                const std::optional<std::string>& system) {
  // Fields are joined with a separator that cannot occur in ids, and absent ones differ
  // from empty ones.
  std::string material(kind);
  material += '\x1f';
  material += person ? "p:" + *person : std::string("-");
  material += '\x1f';
  material += system ? "s:" + *system : std::string("-");

  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(material.data(), material.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 16 && i < length; ++i) {
    out += k_hex[digest[i] >> 4];
    out += k_hex[digest[i] & 0xf];
  }
  return out;
}

std::string Finding::fingerprint() const {
  return finding_fingerprint(kind, person, system);
}

}  // namespace secondsight::checks
