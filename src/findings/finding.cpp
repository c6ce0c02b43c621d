#include "secondsight/findings/finding.hpp"

#include <openssl/evp.h>

#include <array>

namespace secondsight::findings {

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

}  // namespace secondsight::findings
