// Distinguished names (RFC 4514): parsing, and the normal form used to compare them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"

namespace secondsight::directory {

struct Ava {
  std::string type;   // attribute type, lower-cased
  std::string value;  // unescaped value; a '#'-hex (BER) value is kept as "#" + lower-case hex
  bool ber = false;   // value was written '#'-hex, so a literal leading '#' stays distinguishable
};
using Rdn = std::vector<Ava>;  // multi-valued RDNs ("cn=a+uid=b") have several AVAs

// Parses an RFC 4514 string DN: escapes (\, \2C \"), spaces around ',', '=' and '+',
// '#'-hex values, and the legacy ';' separator. An empty string is the root DN.
Result<std::vector<Rdn>> parse_dn(std::string_view text);

// The comparison form: types and values lower-cased, values unescaped then escaped the
// one canonical way, no spaces around separators, AVAs of an RDN sorted. Two DNs name the
// same entry when their normal forms are equal. A DN that does not parse is returned
// lower-cased and trimmed, so it still compares with itself.
std::string normalize_dn(std::string_view text);
// The same into `out`, reusing its buffer: for the many member values of large groups.
void normalize_dn_into(std::string_view text, std::string& out);

// True when `dn` is `base` or below it (both given in normal form).
bool dn_is_within(std::string_view normalized_dn, std::string_view normalized_base);

// The value of the first RDN ("cn=payments-dev,ou=groups,..." -> "payments-dev"), unescaped.
std::string dn_leaf_value(std::string_view text);

}  // namespace secondsight::directory
