#include "secondsight/directory/filter.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

namespace secondsight::directory {
namespace {

Entry make_entry(std::initializer_list<std::pair<const char*, const char*>> attributes) {
  Entry entry;
  entry.dn = "uid=frank,ou=people,dc=acme,dc=example";
  for (const auto& [name, value] : attributes) entry.add(name, value);
  return entry;
}

const Entry& frank() {
  static const Entry entry = make_entry({
      {"objectClass", "top"},
      {"objectClass", "inetOrgPerson"},
      {"uid", "frank"},
      {"cn", "Frank Meijer"},
      {"cn;lang-nl", "Frans Meijer"},
      {"employeeType", "contractor"},
      {"uidNumber", "2001"},
      {"manager", "uid=alice,ou=people,dc=acme,dc=example"},
      {"memberOf", "CN=Payments-Dev,OU=Groups,DC=acme,DC=example"},
      {"description", "star * paren (x) back\\slash"},
      {"userAccountControl", "514"},
      {"groupType", "-2147483646"},
      {"contractEndDate", "2026-02-28"},
  });
  return entry;
}

bool matches(const std::string& text, const Entry& entry = frank()) {
  auto filter = Filter::parse(text);
  EXPECT_TRUE(filter) << text << ": " << filter.error().message;
  return filter && filter->matches(entry);
}

TEST(FilterEvaluation, EqualityIsCaseInsensitiveInNamesAndValues) {
  EXPECT_TRUE(matches("(uid=frank)"));
  EXPECT_TRUE(matches("(UID=FRANK)"));
  EXPECT_TRUE(matches("(objectclass=INETORGPERSON)"));
  EXPECT_FALSE(matches("(uid=fran)"));
  EXPECT_FALSE(matches("(mail=frank@acme.example)"));
}

TEST(FilterEvaluation, ApproximateIsEquality) {
  EXPECT_TRUE(matches("(cn~=frank meijer)"));
  EXPECT_FALSE(matches("(cn~=frank)"));
}

TEST(FilterEvaluation, Presence) {
  EXPECT_TRUE(matches("(objectClass=*)"));
  EXPECT_TRUE(matches("(manager=*)"));
  EXPECT_FALSE(matches("(mail=*)"));
}

TEST(FilterEvaluation, AndOrNot) {
  EXPECT_TRUE(matches("(&(objectClass=inetOrgPerson)(employeeType=contractor))"));
  EXPECT_FALSE(matches("(&(objectClass=inetOrgPerson)(employeeType=employee))"));
  EXPECT_TRUE(matches("(|(employeeType=seconded)(employeeType=contractor))"));
  EXPECT_FALSE(matches("(|(employeeType=seconded)(employeeType=extern))"));
  EXPECT_TRUE(matches("(!(uid=alice))"));
  EXPECT_FALSE(matches("(!(uid=frank))"));
  EXPECT_FALSE(matches("(&(objectClass=person)(!(uid=x*)))"));
  EXPECT_TRUE(matches("( & (uid=frank) ( | (uid=a)(cn=Frank*) ) )"));
  EXPECT_TRUE(matches("(&)"));
  EXPECT_FALSE(matches("(|)"));
}

TEST(FilterEvaluation, NotOfAbsentAttributeIsTrue) {
  EXPECT_TRUE(matches("(!(mail=frank@acme.example))"));
  EXPECT_TRUE(matches("(!(mail=*))"));
}

TEST(FilterEvaluation, Substrings) {
  EXPECT_TRUE(matches("(cn=Frank*)"));
  EXPECT_TRUE(matches("(cn=*MEIJER)"));
  EXPECT_TRUE(matches("(cn=f*n*ei*r)"));
  EXPECT_TRUE(matches("(cn=*ank m*)"));
  EXPECT_FALSE(matches("(cn=*frank)"));
  EXPECT_FALSE(matches("(cn=Fr*Fr*)"));
  // initial and final may not overlap
  EXPECT_FALSE(matches("(uid=fran*ank)"));
  EXPECT_TRUE(matches("(uid=fr*nk)"));
}

TEST(FilterEvaluation, AttributeOptionsAreIgnoredForMatching) {
  EXPECT_TRUE(matches("(cn=Frans Meijer)"));
  EXPECT_TRUE(matches("(cn;lang-nl=Frans*)"));
}

TEST(FilterEvaluation, EscapesInValues) {
  EXPECT_TRUE(matches(R"((description=star \2a paren \28x\29 back\5cslash))"));
  EXPECT_TRUE(matches(R"((description=*\2a*\28x\29*))"));
  EXPECT_FALSE(matches(R"((cn=Frank\2a))"));
  EXPECT_TRUE(matches(R"((cn=Fr\61nk Meijer))"));
  Entry binary;
  binary.add("cn", std::string("a\0b", 3));
  EXPECT_TRUE(matches(R"((cn=a\00b))", binary));
}

TEST(FilterEvaluation, Utf8EscapedValue) {
  Entry petra;
  petra.add("sn", "M\xC3\xBCller");
  EXPECT_TRUE(matches(R"((sn=M\c3\bcller))", petra));
  EXPECT_TRUE(matches("(sn=m\xC3\xBCller)", petra));
}

TEST(FilterEvaluation, DnValuedAttributesCompareNormalisedDns) {
  EXPECT_TRUE(matches("(manager=UID=Alice, OU=People, DC=acme, DC=example)"));
  EXPECT_TRUE(matches("(memberOf=cn=payments-dev,ou=groups,dc=acme,dc=example)"));
  EXPECT_FALSE(matches("(memberOf=cn=payments,ou=groups,dc=acme,dc=example)"));
  Entry group;
  group.add("member", R"(CN=Smith\, John,OU=Users,DC=corp)");
  EXPECT_TRUE(matches(R"((member=cn=smith\5c2c john,ou=users,dc=corp))", group));
  EXPECT_TRUE(matches(R"((member=CN=Smith\5c, John, OU=Users, DC=corp))", group));
}

TEST(FilterEvaluation, OrderingComparesIntegersNumerically) {
  EXPECT_TRUE(matches("(uidNumber>=2000)"));
  EXPECT_TRUE(matches("(uidNumber>=2001)"));
  EXPECT_FALSE(matches("(uidNumber>=10000)"));  // "2001" < "10000" only as numbers
  EXPECT_TRUE(matches("(uidNumber<=10000)"));
  EXPECT_TRUE(matches("(uidNumber>=-5)"));
  EXPECT_TRUE(matches("(groupType<=-1)"));
  Entry expires;
  expires.add("accountExpires", "133860420000000000");
  EXPECT_TRUE(matches("(accountExpires>=99999999999999999)", expires));
  EXPECT_FALSE(matches("(accountExpires>=1338604200000000000)", expires));
}

TEST(FilterEvaluation, OrderingFallsBackToCaseInsensitiveText) {
  EXPECT_TRUE(matches("(contractEndDate>=2026-01-01)"));
  EXPECT_TRUE(matches("(contractEndDate<=2026-02-28)"));
  EXPECT_FALSE(matches("(contractEndDate<=2026-02-27)"));
  EXPECT_TRUE(matches("(uid>=FRANK)"));
  EXPECT_TRUE(matches("(uid<=G)"));
}

TEST(FilterEvaluation, ActiveDirectoryBitAnd) {
  // 514 = NORMAL_ACCOUNT (512) | ACCOUNTDISABLE (2)
  EXPECT_TRUE(matches("(userAccountControl:1.2.840.113556.1.4.803:=2)"));
  EXPECT_TRUE(matches("(userAccountControl:1.2.840.113556.1.4.803:=514)"));
  EXPECT_FALSE(matches("(userAccountControl:1.2.840.113556.1.4.803:=515)"));
  EXPECT_FALSE(matches("(userAccountControl:1.2.840.113556.1.4.803:=16)"));
  EXPECT_FALSE(matches("(!(userAccountControl:1.2.840.113556.1.4.803:=2))"));
  // security groups: the sign bit of a negative 32-bit groupType
  EXPECT_TRUE(matches("(groupType:1.2.840.113556.1.4.803:=2147483648)"));
  Entry odd;
  odd.add("userAccountControl", "not a number");
  EXPECT_FALSE(matches("(userAccountControl:1.2.840.113556.1.4.803:=2)", odd));
}

TEST(FilterEvaluation, ActiveDirectoryBitOr) {
  EXPECT_TRUE(matches("(userAccountControl:1.2.840.113556.1.4.804:=3)"));
  EXPECT_FALSE(matches("(userAccountControl:1.2.840.113556.1.4.804:=17)"));
}

TEST(FilterEvaluation, CaseIgnoreAndCaseExactRules) {
  EXPECT_TRUE(matches("(uid:caseIgnoreMatch:=FRANK)"));
  EXPECT_TRUE(matches("(uid:2.5.13.2:=FRANK)"));
  EXPECT_TRUE(matches("(uid:=FRANK)"));
  EXPECT_TRUE(matches("(uid:caseExactMatch:=frank)"));
  EXPECT_FALSE(matches("(uid:caseExactMatch:=Frank)"));
}

TEST(FilterParse, AcceptsFilterWithoutOuterParenthesesAndTrimsWhitespace) {
  EXPECT_TRUE(matches("objectClass=inetOrgPerson"));
  EXPECT_TRUE(matches("  (uid=frank)\n"));
  EXPECT_TRUE(matches(" uid=fr* "));
  auto filter = Filter::parse("  (uid=frank) ");
  ASSERT_TRUE(filter);
  EXPECT_EQ(filter->text(), "(uid=frank)");
}

struct BadFilter {
  const char* text;
  const char* message;
};

void PrintTo(const BadFilter& filter, std::ostream* out) {
  *out << filter.text;
}

class FilterParseError : public testing::TestWithParam<BadFilter> {};

TEST_P(FilterParseError, NamesWhatAndWhere) {
  auto filter = Filter::parse(GetParam().text);
  ASSERT_FALSE(filter) << GetParam().text;
  EXPECT_EQ(filter.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FilterParseError,
    testing::Values(
        BadFilter{"", "bad LDAP filter '': empty filter at offset 0"},
        BadFilter{"(uid=frank", "bad LDAP filter '(uid=frank': missing ')' at offset 10"},
        BadFilter{"(&(uid=a)(uid=b)",
                  "bad LDAP filter '(&(uid=a)(uid=b)': missing ')' at offset 16"},
        BadFilter{"(uid=a))",
                  "bad LDAP filter '(uid=a))': unexpected text after the filter at offset 7"},
        BadFilter{"(=a)", "bad LDAP filter '(=a)': missing attribute at offset 1"},
        BadFilter{"(uid)",
                  "bad LDAP filter '(uid)': missing '=' after attribute 'uid' at offset 4"},
        BadFilter{"(u id=a)",
                  "bad LDAP filter '(u id=a)': bad character ' ' in attribute at offset 2"},
        BadFilter{"(uid=a(b)",
                  "bad LDAP filter '(uid=a(b)': unescaped '(' in value (write \\28) at offset 6"},
        BadFilter{"(uid=a\\zz)",
                  "bad LDAP filter '(uid=a\\zz)': bad escape (expected two hex digits after '\\') "
                  "at offset 6"},
        BadFilter{"(uid=a\\", "bad LDAP filter '(uid=a\\': unterminated escape '\\' at offset 6"},
        BadFilter{"(uidNumber>=1*)",
                  "bad LDAP filter '(uidNumber>=1*)': '*' is only allowed in equality or substring "
                  "filters (write \\2a) at offset 12"},
        BadFilter{"(!(a=b)(c=d))",
                  "bad LDAP filter '(!(a=b)(c=d))': '!' needs exactly one filter at offset 12"},
        BadFilter{"(cn=a**b)",
                  "bad LDAP filter '(cn=a**b)': empty substring between '**' at offset 4"},
        BadFilter{"(cn:1.2.3.4:=x)",
                  "bad LDAP filter '(cn:1.2.3.4:=x)': unknown matching rule '1.2.3.4' at offset 3"},
        BadFilter{"(cn:dn:=x)",
                  "bad LDAP filter '(cn:dn:=x)': the ':dn:' extensible match is not supported at "
                  "offset 3"},
        BadFilter{"(:caseIgnoreMatch:=x)",
                  "bad LDAP filter '(:caseIgnoreMatch:=x)': an extensible match without an "
                  "attribute is not supported at offset 1"},
        BadFilter{"(userAccountControl:1.2.840.113556.1.4.803:=two)",
                  "bad LDAP filter '(userAccountControl:1.2.840.113556.1.4.803:=two)': bitwise "
                  "matching rule needs an integer value at offset 44"},
        BadFilter{"uid=a)", "bad LDAP filter 'uid=a)': unexpected ')' at offset 5"},
        BadFilter{"(&(uid=a)x)",
                  "bad LDAP filter '(&(uid=a)x)': expected '(' but found 'x' at offset 9"}));

TEST(FilterParse, InChainRuleIsRefusedByName) {
  auto filter = Filter::parse("(memberOf:1.2.840.113556.1.4.1941:=cn=x,dc=y)");
  ASSERT_FALSE(filter);
  EXPECT_NE(filter.error().message.find("1.2.840.113556.1.4.1941"), std::string::npos);
}

TEST(EscapeFilterValue, EscapesSpecialCharacters) {
  EXPECT_EQ(escape_filter_value("a*b(c)d\\e"), R"(a\2ab\28c\29d\5ce)");
  EXPECT_EQ(escape_filter_value(std::string("x\0y", 3)), R"(x\00y)");
  EXPECT_EQ(escape_filter_value("Müller"), "Müller");
}

TEST(EscapeFilterValue, RoundTripsThroughTheParser) {
  Entry entry;
  entry.add("cn", "weird *(name)\\ here");
  EXPECT_TRUE(matches("(cn=" + escape_filter_value("weird *(name)\\ here") + ")", entry));
  EXPECT_TRUE(matches("(cn=" + escape_filter_value("weird *(") + "*)", entry));
}

}  // namespace
}  // namespace secondsight::directory
