// How much one input can make a directory poll hold: the sizes past which a value is skipped
// or an export refused. docs/configuration.md ("Limits") says what happens at each.
#pragma once

#include <cstddef>

namespace secondsight::directory {

// One attribute value, decoded (LDIF and LDAP). A directory's largest honest values are
// photos and certificates of some tens of KiB; a larger one is skipped with a warning, never
// cut short into a value that means something else.
constexpr std::size_t k_max_value_bytes = std::size_t{1} << 20;

// One LDIF entry: the unfolded text of its record in the export. An Active Directory group
// with a million members is some 60 to 100 MiB of "member: CN=...,DC=..." lines, so the limit
// is above that. An entry past it fails the read: skipping it could hide a person.
constexpr std::size_t k_max_entry_bytes = std::size_t{128} << 20;

}  // namespace secondsight::directory
