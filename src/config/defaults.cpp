#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"

namespace secondsight::config {

DirectoryAttributes default_attributes(Flavor flavor) {
  DirectoryAttributes a;
  a.kind = "employeeType";
  a.uid_number = "uidNumber";
  a.manager = "manager";
  a.display_name = "cn";
  a.member = "member";
  a.member_of = "memberOf";
  if (flavor == Flavor::active_directory) {
    a.id = "sAMAccountName";
    a.agency = "company";
    a.end_date = EndDateAttribute{"accountExpires", EndDateFormat::ad_filetime};
    a.disabled = DisabledRule{"userAccountControl", false, 0x2, {}};
    a.aliases = {"mail", "userPrincipalName"};
    a.display_name = "displayName";
  } else {
    a.id = "uid";
    a.agency = "o";
    a.disabled = DisabledRule{"pwdAccountLockedTime", true, std::nullopt, {}};
    a.aliases = {"mail"};
  }
  return a;
}

const System* Policy::find_system(std::string_view id) const {
  for (const auto& system : systems)
    if (system.id == id) return &system;
  return nullptr;
}

std::string to_string(Criticality criticality) {
  switch (criticality) {
    case Criticality::low: return "low";
    case Criticality::normal: return "normal";
    case Criticality::high: return "high";
    case Criticality::critical: return "critical";
  }
  return "normal";
}

}  // namespace secondsight::config
