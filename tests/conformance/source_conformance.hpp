// The behaviour every DirectorySource shares (LDIF export, LDAP server), as one suite that each
// implementation instantiates with a factory serving the given LDIF content:
//
//   INSTANTIATE_TEST_SUITE_P(Ldif, DirectorySourceConformance, ::testing::Values(make_source),
//                            [](const auto&) { return "ldif"; });
//
// Include this header in exactly one .cpp of a test program. The content lives under
// dc=example,dc=com and uses only the core, cosine and inetorgperson schemas, so a server can
// load it as it is. Every person has employeeType, because servers evaluate "!" over an absent
// attribute as Undefined while the LDIF source does not (see filter.cpp).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/limits.hpp"
#include "secondsight/directory/source.hpp"

namespace secondsight::directory {

using DirectorySourceFactory =
    std::function<std::unique_ptr<DirectorySource>(const std::string& ldif_text)>;

inline const std::string k_conformance_ldif = R"(version: 1

dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: people

dn: ou=contractors,ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: contractors

dn: uid=alice,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: alice
cn: Alice de Vries
sn: de Vries
mail: alice@example.com
employeeType: employee

dn: uid=bob,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: bob
cn: Bob Jansen
sn: Jansen
employeeType: employee

dn: uid=frank,ou=contractors,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: frank
cn: Frank Meijer
sn: Meijer
mail: frank@example.com
employeeType: contractor
manager: uid=alice,ou=people,dc=example,dc=com

dn: uid=petra,ou=contractors,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
uid: petra
cn:: UGV0cmEgTcO8bGxlcg==
sn:: TcO8bGxlcg==
employeeType: seconded

dn: ou=otherpeople,dc=example,dc=com
objectClass: organizationalUnit
ou: otherpeople

dn: uid=oscar,ou=otherpeople,dc=example,dc=com
objectClass: inetOrgPerson
uid: oscar
cn: Oscar Peeters
sn: Peeters
employeeType: contractor

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: cn=payments-dev,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: payments-dev
member: uid=alice,ou=people,dc=example,dc=com
member: uid=frank,ou=contractors,ou=people,dc=example,dc=com

dn: cn=people-admins,ou=groups,dc=example,dc=com
objectClass: groupOfNames
cn: people-admins
member: uid=bob,ou=people,dc=example,dc=com
)";

class DirectorySourceConformance : public ::testing::TestWithParam<DirectorySourceFactory> {
 protected:
  void SetUp() override {
    m_source = GetParam()(k_conformance_ldif);
    ASSERT_NE(m_source, nullptr);
    auto opened = m_source->open();
    ASSERT_TRUE(opened) << opened.error().message;
  }

  SearchResult search(const std::string& base, const std::string& filter,
                      std::vector<std::string> attributes = {}) {
    auto result = m_source->search({base, filter, std::move(attributes)});
    EXPECT_TRUE(result) << m_source->name() << ": " << result.error().message;
    return result ? std::move(*result) : SearchResult{};
  }

  // Normalised DNs, sorted: servers return entries in any order and spell DNs their way.
  std::vector<std::string> dns(const std::string& base, const std::string& filter) {
    std::vector<std::string> out;
    for (const auto& entry : search(base, filter).entries) out.push_back(normalize_dn(entry.dn));
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::vector<std::string> sorted(std::vector<std::string> dns) {
    for (auto& dn : dns) dn = normalize_dn(dn);
    std::sort(dns.begin(), dns.end());
    return dns;
  }

  std::unique_ptr<DirectorySource> m_source;
};

TEST_P(DirectorySourceConformance, SubtreeSearchIncludesBaseAndNestedOus) {
  EXPECT_EQ(dns("ou=people,dc=example,dc=com", "(objectClass=*)"),
            sorted({"ou=people,dc=example,dc=com", "ou=contractors,ou=people,dc=example,dc=com",
                    "uid=alice,ou=people,dc=example,dc=com", "uid=bob,ou=people,dc=example,dc=com",
                    "uid=frank,ou=contractors,ou=people,dc=example,dc=com",
                    "uid=petra,ou=contractors,ou=people,dc=example,dc=com"}));
}

TEST_P(DirectorySourceConformance, BaseIsCaseAndSpacingInsensitive) {
  EXPECT_EQ(dns("OU=People , DC=Example,dc = COM", "(objectClass=inetOrgPerson)"),
            dns("ou=people,dc=example,dc=com", "(objectClass=inetOrgPerson)"));
  EXPECT_EQ(dns("OU=Contractors, OU=People, DC=Example, DC=Com", "(objectClass=inetOrgPerson)"),
            sorted({"uid=frank,ou=contractors,ou=people,dc=example,dc=com",
                    "uid=petra,ou=contractors,ou=people,dc=example,dc=com"}));
}

TEST_P(DirectorySourceConformance, FilterOnObjectClass) {
  EXPECT_EQ(dns("dc=example,dc=com", "(objectClass=inetOrgPerson)").size(), 5u);
  EXPECT_EQ(dns("dc=example,dc=com", "(objectclass=GROUPOFNAMES)"),
            sorted({"cn=payments-dev,ou=groups,dc=example,dc=com",
                    "cn=people-admins,ou=groups,dc=example,dc=com"}));
  EXPECT_EQ(dns("dc=example,dc=com", "(objectClass=organizationalUnit)").size(), 4u);
}

TEST_P(DirectorySourceConformance, AndOrNot) {
  EXPECT_EQ(
      dns("ou=people,dc=example,dc=com",
          "(&(objectClass=inetOrgPerson)(|(employeeType=contractor)(employeeType=seconded)))"),
      sorted({"uid=frank,ou=contractors,ou=people,dc=example,dc=com",
              "uid=petra,ou=contractors,ou=people,dc=example,dc=com"}));
  EXPECT_EQ(dns("dc=example,dc=com", "(&(objectClass=inetOrgPerson)(!(employeeType=employee)))"),
            sorted({"uid=frank,ou=contractors,ou=people,dc=example,dc=com",
                    "uid=petra,ou=contractors,ou=people,dc=example,dc=com",
                    "uid=oscar,ou=otherpeople,dc=example,dc=com"}));
}

TEST_P(DirectorySourceConformance, SubstringsAndPresence) {
  EXPECT_EQ(dns("dc=example,dc=com", "(&(objectClass=inetOrgPerson)(mail=*))"),
            sorted({"uid=alice,ou=people,dc=example,dc=com",
                    "uid=frank,ou=contractors,ou=people,dc=example,dc=com"}));
  EXPECT_EQ(dns("dc=example,dc=com", "(cn=*MEIJER)"),
            sorted({"uid=frank,ou=contractors,ou=people,dc=example,dc=com"}));
}

TEST_P(DirectorySourceConformance, DnValuedFilterComparesNormalisedDns) {
  EXPECT_EQ(dns("ou=groups,dc=example,dc=com",
                "(member=UID=Frank, OU=Contractors, OU=People, DC=Example, DC=Com)"),
            sorted({"cn=payments-dev,ou=groups,dc=example,dc=com"}));
}

TEST_P(DirectorySourceConformance, AttributeSelection) {
  const auto result = search("ou=people,dc=example,dc=com", "(uid=frank)", {"CN", "mail"});
  ASSERT_EQ(result.entries.size(), 1u);
  const Entry& frank = result.entries.front();
  EXPECT_EQ(normalize_dn(frank.dn), "uid=frank,ou=contractors,ou=people,dc=example,dc=com");
  EXPECT_EQ(frank.attributes().size(), 2u);
  EXPECT_EQ(frank.first("cn"), "Frank Meijer");
  EXPECT_EQ(frank.first("mail"), "frank@example.com");
  EXPECT_FALSE(frank.has("uid"));
  EXPECT_FALSE(frank.has("objectClass"));
}

TEST_P(DirectorySourceConformance, AllAttributesWhenNoneRequested) {
  const auto result = search("ou=people,dc=example,dc=com", "(uid=frank)");
  ASSERT_EQ(result.entries.size(), 1u);
  const Entry& frank = result.entries.front();
  EXPECT_EQ(frank.first("uid"), "frank");
  EXPECT_EQ(frank.first("employeeType"), "contractor");
  EXPECT_EQ(normalize_dn(frank.first("manager")), "uid=alice,ou=people,dc=example,dc=com");
  ASSERT_NE(frank.find("objectClass"), nullptr);
}

TEST_P(DirectorySourceConformance, Utf8ValuesComeBackAsUtf8) {
  const auto result = search("dc=example,dc=com", "(uid=petra)");
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries.front().first("cn"), "Petra M\xC3\xBCller");
  EXPECT_EQ(dns("dc=example,dc=com", "(sn=M\xC3\xBCller)").size(), 1u);
}

TEST_P(DirectorySourceConformance, BaseMatchingNothingReturnsEmpty) {
  const auto result = search("ou=nowhere,dc=example,dc=com", "(objectClass=*)");
  EXPECT_TRUE(result.entries.empty());
}

TEST_P(DirectorySourceConformance, BadFilterIsAnError) {
  auto result = m_source->search({"dc=example,dc=com", "(uid=frank", {}});
  EXPECT_FALSE(result);
}

// A value over k_max_value_bytes is damaged: the entry comes without it, and a warning says so.
// (The same DN twice is not here: a server refuses to hold it; see the LDIF and snapshot tests.)
TEST_P(DirectorySourceConformance, AValueOverTheLimitIsSkippedWithAWarning) {
  auto source = GetParam()(k_conformance_ldif +
                           "\ndn: uid=vera,ou=contractors,ou=people,dc=example,dc=com\n"
                           "objectClass: inetOrgPerson\nuid: vera\ncn: Vera Smit\nsn: Smit\n"
                           "employeeType: contractor\ndescription: " +
                           std::string(k_max_value_bytes + 1, 'x') + "\n");
  ASSERT_NE(source, nullptr);
  auto opened = source->open();
  ASSERT_TRUE(opened) << opened.error().message;
  auto result = source->search({"ou=people,dc=example,dc=com", "(uid=vera)", {}});
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->entries.size(), 1u);
  const Entry& vera = result->entries.front();
  EXPECT_FALSE(vera.has("description"));
  EXPECT_EQ(vera.first("employeeType"), "contractor");
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_NE(result->warnings[0].find(
                "value of 'description' is over the 1 MiB limit of one value; skipped"),
            std::string::npos)
      << result->warnings[0];
}

}  // namespace secondsight::directory
