// Attribute options as LDAP servers return them, and Active Directory's range retrieval
// (which slapd does not do, so it is tested here on entries as AD writes them).
#include <gmock/gmock.h>

#include "secondsight/directory/ldap.hpp"

namespace secondsight::directory {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> numbered(const std::string& prefix, std::size_t first, std::size_t last) {
  std::vector<std::string> out;
  for (std::size_t i = first; i <= last; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

Entry entry_with(const std::string& dn, std::vector<Attribute> attributes) {
  Entry entry;
  entry.dn = dn;
  for (auto& attribute : attributes) entry.add_values(attribute.name, std::move(attribute.values));
  return entry;
}

std::vector<std::string> names(const Entry& entry) {
  std::vector<std::string> out;
  for (const auto& attribute : entry.attributes()) out.push_back(attribute.name);
  return out;
}

TEST(AttributeDescription, TypeAndOptions) {
  auto plain = parse_attribute_description("member");
  EXPECT_EQ(plain.type, "member");
  EXPECT_THAT(plain.options, IsEmpty());
  auto ranged = parse_attribute_description("member;range=0-1499");
  EXPECT_EQ(ranged.type, "member");
  EXPECT_THAT(ranged.options, ElementsAre("range=0-1499"));
  auto several = parse_attribute_description("userCertificate;binary;lang-nl");
  EXPECT_EQ(several.type, "userCertificate");
  EXPECT_THAT(several.options, ElementsAre("binary", "lang-nl"));
}

TEST(AttributeDescription, RangeOptionCaseInsensitive) {
  auto range = description_range("member;Range=1500-2999");
  ASSERT_TRUE(range);
  ASSERT_TRUE(range->has_value());
  EXPECT_EQ((*range)->first, 1500u);
  EXPECT_EQ((*range)->last, 2999u);
  auto last = description_range("MEMBER;RANGE=3000-*");
  ASSERT_TRUE(last);
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->first, 3000u);
  EXPECT_FALSE((*last)->last.has_value());
  auto none = description_range("member;binary");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST(AttributeDescription, MalformedRangesAreErrors) {
  for (const char* bad : {"member;range=5", "member;range=9-3", "member;range=a-*",
                          "member;range=-5", "member;range=0-", "member;range="}) {
    auto range = description_range(bad);
    ASSERT_FALSE(range) << bad;
    EXPECT_EQ(range.error().message, std::string("attribute '") + bad + "' has a malformed range");
  }
}

TEST(MergeAttributeOptions, PlainAttributesStayAsTheyAre) {
  Entry entry = entry_with("cn=a,dc=x", {{"cn", {"a"}}, {"member", {"cn=b,dc=x", "cn=c,dc=x"}}});
  auto pending = merge_attribute_options(entry);
  ASSERT_TRUE(pending);
  EXPECT_THAT(*pending, IsEmpty());
  EXPECT_THAT(names(entry), ElementsAre("cn", "member"));
  EXPECT_EQ(entry.find("member")->size(), 2u);
}

TEST(MergeAttributeOptions, BinaryIsDroppedOtherOptionsKept) {
  Entry entry = entry_with("cn=a,dc=x", {{"userCertificate;binary", {std::string("\x30\x82\0", 3)}},
                                         {"cn;lang-nl", {"Eh"}},
                                         {"cn", {"A"}}});
  auto pending = merge_attribute_options(entry);
  ASSERT_TRUE(pending);
  EXPECT_THAT(names(entry), ElementsAre("userCertificate", "cn;lang-nl", "cn"));
  EXPECT_EQ(entry.first("usercertificate").size(), 3u);
  EXPECT_EQ(entry.first("CN"), "A");
}

TEST(MergeAttributeOptions, RangedAttributeBecomesPlainAndAsksForTheRest) {
  Entry entry = entry_with("CN=Big,OU=Groups,DC=corp",
                           {{"cn", {"Big"}}, {"member;range=0-1499", numbered("m", 0, 1499)}});
  auto pending = merge_attribute_options(entry);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].attribute, "member");
  EXPECT_EQ((*pending)[0].next, 1500u);
  EXPECT_EQ(range_request_description((*pending)[0]), "member;range=1500-*");
  EXPECT_THAT(names(entry), ElementsAre("cn", "member"));
  EXPECT_EQ(entry.find("member")->size(), 1500u);
}

TEST(MergeAttributeOptions, ARangeEndingInStarIsComplete) {
  Entry entry = entry_with("cn=a,dc=x", {{"member;range=0-*", {"cn=b,dc=x"}}});
  auto pending = merge_attribute_options(entry);
  ASSERT_TRUE(pending);
  EXPECT_THAT(*pending, IsEmpty());
  EXPECT_THAT(names(entry), ElementsAre("member"));
}

TEST(MergeAttributeOptions, APartThatDoesNotStartAtZeroOrMissesValuesIsAnError) {
  Entry late = entry_with("cn=a,dc=x", {{"member;range=10-19", numbered("m", 10, 19)}});
  auto late_result = merge_attribute_options(late);
  ASSERT_FALSE(late_result);
  EXPECT_EQ(late_result.error().message,
            "cn=a,dc=x: attribute 'member;range=10-19' does not start at the first value");
  Entry short_part = entry_with("cn=a,dc=x", {{"member;range=0-1499", numbered("m", 0, 9)}});
  auto short_result = merge_attribute_options(short_part);
  ASSERT_FALSE(short_result);
  EXPECT_EQ(short_result.error().message,
            "cn=a,dc=x: attribute 'member;range=0-1499' came with 10 values");
}

TEST(MergeRangeReply, FollowUpsUntilTheStar) {
  Entry group = entry_with("cn=big,dc=x", {{"member;range=0-1499", numbered("m", 0, 1499)}});
  auto pending = merge_attribute_options(group);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);

  Entry second = entry_with("cn=big,dc=x", {{"member;range=1500-2999", numbered("m", 1500, 2999)}});
  auto next = merge_range_reply(group, second, (*pending)[0]);
  ASSERT_TRUE(next);
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(range_request_description(**next), "member;range=3000-*");

  Entry last = entry_with("cn=big,dc=x", {{"member;range=3000-*", numbered("m", 3000, 3210)}});
  auto done = merge_range_reply(group, last, **next);
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->has_value());

  ASSERT_EQ(group.attributes().size(), 1u);
  EXPECT_EQ(group.attributes()[0].name, "member");
  EXPECT_EQ(*group.find("member"), numbered("m", 0, 3210));
}

TEST(MergeRangeReply, AnEmptyLastPartEndsTheRange) {
  Entry group = entry_with("cn=big,dc=x", {{"member;range=0-1", {"a", "b"}}});
  auto pending = merge_attribute_options(group);
  ASSERT_TRUE(pending);
  Entry last = entry_with("cn=big,dc=x", {{"member;range=2-*", {}}});
  auto done = merge_range_reply(group, last, (*pending)[0]);
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->has_value());
  EXPECT_THAT(*group.find("member"), ElementsAre("a", "b"));
}

TEST(MergeRangeReply, TheAttributeNameMatchesWhateverTheCase) {
  Entry group = entry_with("cn=big,dc=x", {{"member;range=0-0", {"a"}}});
  auto pending = merge_attribute_options(group);
  ASSERT_TRUE(pending);
  Entry reply = entry_with("cn=big,dc=x", {{"Member;Range=1-*", {"b"}}});
  auto done = merge_range_reply(group, reply, (*pending)[0]);
  ASSERT_TRUE(done);
  EXPECT_THAT(*group.find("member"), ElementsAre("a", "b"));
}

TEST(MergeRangeReply, AMissingOrMisplacedPartIsAnError) {
  const RangeRequest asked{"member", 1500};
  Entry group = entry_with("cn=big,dc=x", {});
  auto missing = merge_range_reply(group, entry_with("cn=big,dc=x", {{"cn", {"big"}}}), asked);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "cn=big,dc=x: asked for member;range=1500-* and the server returned no such values");
  auto misplaced =
      merge_range_reply(group, entry_with("cn=big,dc=x", {{"member;range=0-*", {"a"}}}), asked);
  ASSERT_FALSE(misplaced);
  EXPECT_EQ(misplaced.error().message,
            "cn=big,dc=x: asked for member;range=1500-* and received 'member;range=0-*'");
}

}  // namespace
}  // namespace secondsight::directory
