// Directories served over LDAP (OpenLDAP, Active Directory) through OpenLDAP's libldap: TLS
// that is always verified, simple or SASL EXTERNAL binds, paged searches (RFC 2696) and Active
// Directory's range retrieval of large multi-valued attributes.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/directory/entry.hpp"
#include "secondsight/directory/source.hpp"

namespace secondsight::directory {

// A DirectorySource over an LDAP server named by `config.uri` (ldap:// or ldaps://).
// open() reads the bind password file, connects (retrying a refused or timed-out connection a
// few times with growing delays, all within `config.timeout`), starts TLS when asked, and binds.
// search() pages through the subtree with `config.page_size` and completes ranged attributes.
// Any failure names the server, the operation and libldap's diagnostic; never the password.
std::unique_ptr<DirectorySource> make_ldap_source(const config::DirectoryConfig& config);

// An attribute description (RFC 4512 2.5): a type and its options, "member;range=0-1499".
struct AttributeDescription {
  std::string_view type;
  std::vector<std::string_view> options;
};
AttributeDescription parse_attribute_description(std::string_view description);

// Active Directory's range option: "range=1500-2999", or "range=1500-*" for the last part.
struct ValueRange {
  std::size_t first = 0;
  std::optional<std::size_t> last;  // nullopt: '*', no values follow
};
// The range option of a description, compared case-insensitively; nullopt when it has none.
// A malformed range ("range=5", "range=9-3") is an error.
Result<std::optional<ValueRange>> description_range(std::string_view description);

// A ranged attribute that has more values to fetch: ask for "attribute;range=next-*".
struct RangeRequest {
  std::string attribute;  // the plain type, as the server wrote it
  std::size_t next = 0;
};
std::string range_request_description(const RangeRequest& request);

// Rewrites the attributes of an entry as a search returned them into plain types: ranged parts
// ("member;range=0-1499") are merged into "member", the transfer option ";binary" is dropped,
// other options (language tags) are kept. Returns the ranges still to fetch, in the order the
// attributes appear.
Result<std::vector<RangeRequest>> merge_attribute_options(Entry& entry);

// Adds the values of a follow-up reply (a base search for "member;range=1500-*") to `entry`.
// Returns the next request while the server says more follow ('*' not reached). A reply that
// lacks the attribute or starts elsewhere than asked is an error: the values would be partial.
Result<std::optional<RangeRequest>> merge_range_reply(Entry& entry, const Entry& reply,
                                                      const RangeRequest& asked);

}  // namespace secondsight::directory
