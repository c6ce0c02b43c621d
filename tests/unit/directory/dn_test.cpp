#include "secondsight/directory/dn.hpp"

#include <gtest/gtest.h>

namespace secondsight::directory {
namespace {

TEST(ParseDn, SplitsRdnsAndLowerCasesTypes) {
  auto dn = parse_dn("CN=Alice,OU=People,DC=example,DC=com");
  ASSERT_TRUE(dn) << dn.error().message;
  ASSERT_EQ(dn->size(), 4u);
  EXPECT_EQ((*dn)[0][0].type, "cn");
  EXPECT_EQ((*dn)[0][0].value, "Alice");
  EXPECT_EQ((*dn)[3][0].type, "dc");
  EXPECT_EQ((*dn)[3][0].value, "com");
}

TEST(ParseDn, EmptyIsTheRootDn) {
  auto dn = parse_dn("");
  ASSERT_TRUE(dn);
  EXPECT_TRUE(dn->empty());
}

TEST(ParseDn, DecodesCharacterEscapes) {
  auto dn = parse_dn(R"(cn=a\,b\+c\"d\\e\<f\>g\;h\=i\ j,dc=x)");
  ASSERT_TRUE(dn) << dn.error().message;
  EXPECT_EQ((*dn)[0][0].value, R"(a,b+c"d\e<f>g;h=i j)");
}

TEST(ParseDn, DecodesHexPairsIncludingMultiByteUtf8) {
  auto dn = parse_dn(R"(cn=Ren\C3\A9 M\c3\bcller\2C Jr,dc=x)");
  ASSERT_TRUE(dn) << dn.error().message;
  EXPECT_EQ((*dn)[0][0].value, "Ren\xC3\xA9 M\xC3\xBCller, Jr");
}

TEST(ParseDn, IgnoresSpacesAroundSeparatorsAndTrimsUnescapedTrailingSpaces) {
  auto dn = parse_dn("  cn = Alice Smith  ,  ou = people ; dc=x  ");
  ASSERT_TRUE(dn) << dn.error().message;
  ASSERT_EQ(dn->size(), 3u);
  EXPECT_EQ((*dn)[0][0].value, "Alice Smith");
  EXPECT_EQ((*dn)[1][0].value, "people");
  EXPECT_EQ((*dn)[2][0].value, "x");
}

TEST(ParseDn, KeepsEscapedTrailingSpace) {
  auto dn = parse_dn(R"(cn=a\ ,dc=x)");
  ASSERT_TRUE(dn) << dn.error().message;
  EXPECT_EQ((*dn)[0][0].value, "a ");
}

TEST(ParseDn, MultiValuedRdn) {
  auto dn = parse_dn("cn=Alice + uid=alice,dc=x");
  ASSERT_TRUE(dn) << dn.error().message;
  ASSERT_EQ(dn->size(), 2u);
  ASSERT_EQ((*dn)[0].size(), 2u);
  EXPECT_EQ((*dn)[0][1].type, "uid");
  EXPECT_EQ((*dn)[0][1].value, "alice");
}

TEST(ParseDn, HexBerValueKeptAsLowerCaseHex) {
  auto dn = parse_dn("1.3.6.1.4.1.1466.0=#04024869,dc=x");
  ASSERT_TRUE(dn) << dn.error().message;
  EXPECT_EQ((*dn)[0][0].type, "1.3.6.1.4.1.1466.0");
  EXPECT_EQ((*dn)[0][0].value, "#04024869");
  EXPECT_TRUE((*dn)[0][0].ber);
}

TEST(ParseDn, QuotedValueOfOlderTools) {
  auto dn = parse_dn(R"(cn="Smith, John",dc=x)");
  ASSERT_TRUE(dn) << dn.error().message;
  EXPECT_EQ((*dn)[0][0].value, "Smith, John");
}

struct BadDn {
  const char* text;
  const char* reason;
};

void PrintTo(const BadDn& dn, std::ostream* out) {
  *out << dn.text;
}

class ParseBadDn : public testing::TestWithParam<BadDn> {};

TEST_P(ParseBadDn, FailsSayingWhatIsWrong) {
  auto dn = parse_dn(GetParam().text);
  ASSERT_FALSE(dn) << GetParam().text;
  EXPECT_NE(dn.error().message.find("bad DN '" + std::string(GetParam().text) + "'"),
            std::string::npos)
      << dn.error().message;
  EXPECT_NE(dn.error().message.find(GetParam().reason), std::string::npos) << dn.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseBadDn,
    testing::Values(BadDn{"cn", "missing '=' after attribute type 'cn'"},
                    BadDn{"=x", "missing attribute type"},
                    BadDn{"cn=a,,dc=b", "empty RDN (an attribute type is expected) at offset 5"},
                    BadDn{"cn=a,dc=b,", "trailing ','"}, BadDn{"cn=a\\", "unterminated escape"},
                    BadDn{"cn=a\\zz,dc=b", "bad escape '\\zz'"},
                    BadDn{"cn=#12x,dc=b", "'#' hex value"},
                    BadDn{"cn=#123,dc=b", "even, non-zero number of hex digits"},
                    BadDn{"c n=a", "missing '=' after attribute type 'c'"},
                    BadDn{"cn=a dc=b\\", "unterminated escape"},
                    BadDn{"c_n=a", "bad character '_' in attribute type"},
                    BadDn{"1..2=a", "bad numeric attribute type"},
                    BadDn{"cn=\"open,dc=b", "unterminated quoted value"}));

TEST(NormalizeDn, EscapedAndHexFormsAreEqual) {
  EXPECT_EQ(normalize_dn(R"(cn=a\,b)"), normalize_dn(R"(CN = A\2cB)"));
  EXPECT_EQ(normalize_dn(R"(cn=a\,b)"), R"(cn=a\,b)");
}

TEST(NormalizeDn, LowerCasesAndDropsSpaces) {
  EXPECT_EQ(normalize_dn("UID=Alice, OU=People , DC=Example;DC=COM"),
            "uid=alice,ou=people,dc=example,dc=com");
}

TEST(NormalizeDn, KeepsUtf8BytesAndMatchesHexEscapedForm) {
  EXPECT_EQ(normalize_dn("cn=Ren\xC3\xA9,dc=x"), normalize_dn(R"(cn=Ren\C3\A9,dc=x)"));
  EXPECT_EQ(normalize_dn(R"(cn=Ren\C3\A9,dc=x)"), "cn=ren\xC3\xA9,dc=x");
}

TEST(NormalizeDn, SortsMultiValuedRdns) {
  EXPECT_EQ(normalize_dn("uid=alice+cn=Alice,dc=x"), normalize_dn("CN=alice + UID=Alice,dc=x"));
  EXPECT_EQ(normalize_dn("uid=alice+cn=Alice,dc=x"), "cn=alice+uid=alice,dc=x");
}

TEST(NormalizeDn, KeepsNumericTypesAndStripsOidPrefix) {
  EXPECT_EQ(normalize_dn("2.5.4.3=Alice,dc=x"), "2.5.4.3=alice,dc=x");
  EXPECT_EQ(normalize_dn("OID.2.5.4.3=Alice,dc=x"), "2.5.4.3=alice,dc=x");
}

TEST(NormalizeDn, ReEscapesCanonically) {
  EXPECT_EQ(normalize_dn(R"(cn=\#hash\ ,dc=x)"), R"(cn=\#hash\ ,dc=x)");
  EXPECT_EQ(normalize_dn(R"(cn=\ lead,dc=x)"), R"(cn=\ lead,dc=x)");
  EXPECT_EQ(normalize_dn(R"(cn="a;b",dc=x)"), R"(cn=a\;b,dc=x)");
  EXPECT_EQ(normalize_dn(R"(cn=a\00b,dc=x)"), R"(cn=a\00b,dc=x)");
}

TEST(NormalizeDn, HexBerValueDiffersFromLiteralHash) {
  EXPECT_EQ(normalize_dn("cn=#04AB,dc=x"), "cn=#04ab,dc=x");
  EXPECT_NE(normalize_dn("cn=#04AB,dc=x"), normalize_dn(R"(cn=\#04ab,dc=x)"));
}

TEST(NormalizeDn, PlainDnsNormaliseAsTheirSpelledOutForms) {
  // Plain DNs take a shortcut; each must equal a spelling that goes through the parser.
  const std::pair<const char*, const char*> same[] = {
      {"UID=Frank,OU=People,DC=Example,DC=Com", "uid = frank , ou=people,dc=example,dc=com"},
      {"cn=Route Optimisation,ou=groups", "CN=Route\\20Optimisation, OU=groups"},
      {"mail=a.b@x-y_z.example,o=x", "MAIL = a.b@x-y_z.example ,O=x"},
      {"CN=Big,OU=Groups,DC=corp", "cn=big;ou=groups;dc=corp"},
  };
  for (const auto& [plain, spelled] : same) EXPECT_EQ(normalize_dn(plain), normalize_dn(spelled));
  EXPECT_EQ(normalize_dn("UID=Frank,OU=People"), "uid=frank,ou=people");
  // Not plain: the parser decides.
  EXPECT_EQ(normalize_dn("cn=a+uid=b,dc=x"), normalize_dn("uid=b+cn=a,dc=x"));
  EXPECT_EQ(normalize_dn("cn=a ,dc=x"), "cn=a,dc=x");
  EXPECT_EQ(normalize_dn("2.5.4.3=a,dc=x"), "2.5.4.3=a,dc=x");
}

TEST(NormalizeDn, UnparsableDnIsLowerCasedAndTrimmed) {
  EXPECT_EQ(normalize_dn("  CN=A,,DC=B "), "cn=a,,dc=b");
}

TEST(NormalizeDn, ANormalFormIsItsOwnNormalForm) {
  // The parser skips spaces only; a tab or line end around a DN does not make it unparsable.
  EXPECT_EQ(normalize_dn("\tUID=B+cn=A,dc=x\n"), "cn=a+uid=b,dc=x");
  for (const char* text : {"\tuid=B+cn=A,dc=x", "\n0.3.6.1=ou=x", "  CN=A,,DC=B ", "\t\r\n"}) {
    const std::string normal = normalize_dn(text);
    EXPECT_EQ(normalize_dn(normal), normal) << text;
  }
}

TEST(DnIsWithin, BaseItselfAndBelow) {
  EXPECT_TRUE(dn_is_within("ou=people,dc=x", "ou=people,dc=x"));
  EXPECT_TRUE(dn_is_within("uid=a,ou=people,dc=x", "ou=people,dc=x"));
  EXPECT_TRUE(dn_is_within("uid=a,ou=c,ou=people,dc=x", "ou=people,dc=x"));
  EXPECT_TRUE(dn_is_within("uid=a,dc=x", ""));
  EXPECT_FALSE(dn_is_within("ou=people,dc=x", "uid=a,ou=people,dc=x"));
  EXPECT_FALSE(dn_is_within("uid=a,ou=otherpeople,dc=x", "ou=people,dc=x"));
  EXPECT_FALSE(dn_is_within("ou=groups,dc=x", "ou=people,dc=x"));
}

TEST(DnIsWithin, EscapedCommaIsNoRdnBoundary) {
  EXPECT_FALSE(dn_is_within(normalize_dn(R"(cn=a\,ou=people,dc=x)"), "ou=people,dc=x"));
  EXPECT_TRUE(dn_is_within(normalize_dn(R"(cn=a\\,ou=people,dc=x)"), "ou=people,dc=x"));
}

TEST(DnLeafValue, FirstRdnValueUnescaped) {
  EXPECT_EQ(dn_leaf_value("cn=payments-dev,ou=groups,dc=example,dc=com"), "payments-dev");
  EXPECT_EQ(dn_leaf_value(R"(CN=Smith\, John,OU=Users,DC=corp)"), "Smith, John");
  EXPECT_EQ(dn_leaf_value(""), "");
  EXPECT_EQ(dn_leaf_value("not a dn"), "");
}

}  // namespace
}  // namespace secondsight::directory
