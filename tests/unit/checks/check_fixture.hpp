// Small directories and policies for check tests, written as LDIF and built as a scan would.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "secondsight/checks/checks.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/directory/ldif.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::checks::testing {

inline Instant at(const char* text) {
  return *parse_rfc3339(text);
}

inline config::DirectoryConfig openldap_directory() {
  config::DirectoryConfig directory;
  directory.flavor = config::Flavor::openldap;
  directory.attributes = config::default_attributes(config::Flavor::openldap);
  directory.attributes.end_date =
      config::EndDateAttribute{"contractEndDate", config::EndDateFormat::iso_date};
  return directory;
}

// People are the entries with uid, groups the ones with cn and no uid.
inline directory::DirectorySnapshot snapshot_from_ldif(const std::string& ldif,
                                                       const config::DirectoryConfig& directory,
                                                       Zone zone) {
  std::istringstream in(ldif);
  auto content = directory::read_ldif(in, "test.ldif");
  EXPECT_TRUE(content.ok()) << (content.ok() ? "" : content.error().message);
  std::vector<directory::Entry> people, groups;
  for (auto& entry : content->entries) {
    if (entry.has(directory.attributes.id))
      people.push_back(entry);
    else
      groups.push_back(entry);
  }
  auto snapshot = directory::build_snapshot(std::move(people), std::move(groups), directory, zone,
                                            "ldif:test.ldif");
  EXPECT_TRUE(snapshot.ok()) << (snapshot.ok() ? "" : snapshot.error().message);
  return snapshot ? std::move(*snapshot) : directory::DirectorySnapshot{};
}

inline config::System system(std::string id, std::string group, bool deny = false) {
  config::System s;
  s.id = std::move(id);
  s.name = s.id;
  s.criticality = config::Criticality::high;
  s.externals_deny = deny;
  s.groups = {std::move(group)};
  return s;
}

inline config::Policy contractor_policy() {
  config::Policy policy;
  policy.seconded_when.conditions = {{"employeeType", {"contractor", "seconded"}}};
  return policy;
}

// Every finding of one kind, as "person/system" strings for compact assertions.
inline std::vector<std::string> keys(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    out.push_back(f.person.value_or("-") + "/" + f.system.value_or("-") + "/" +
                  std::string(to_string(f.severity)));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace secondsight::checks::testing
