#include "secondsight/directory/entry.hpp"

#include <gmock/gmock.h>

namespace secondsight::directory {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> values_of(const PackedAttributes& packed, std::string_view name,
                                   bool* found = nullptr) {
  std::vector<std::string> out;
  const bool has =
      packed.for_each_value(name, [&](std::string_view value) { out.emplace_back(value); });
  if (found) *found = has;
  return out;
}

TEST(PackedAttributes, HoldEveryAttributeWithItsValuesInOrder) {
  Entry entry;
  entry.dn = "uid=ann,ou=people,dc=x";
  entry.line = 12;
  entry.add_values("objectClass", {"top", "inetOrgPerson"});
  entry.add("uid", "ann");
  entry.add("description", "");                          // an empty value is a value
  entry.add("jpegPhoto", std::string("\0\xFF\x01", 3));  // bytes, not text
  entry.add("memberOf", std::string(70000, 'g'));        // longer than two bytes can count
  const PackedAttributes packed(entry);
  EXPECT_EQ(packed.line, 12);
  EXPECT_THAT(values_of(packed, "objectclass"), ElementsAre("top", "inetOrgPerson"));
  EXPECT_THAT(values_of(packed, "UID"), ElementsAre("ann"));
  bool found = false;
  EXPECT_THAT(values_of(packed, "description", &found), ElementsAre(""));
  EXPECT_TRUE(found);
  EXPECT_THAT(values_of(packed, "jpegPhoto"), ElementsAre(std::string("\0\xFF\x01", 3)));
  EXPECT_THAT(values_of(packed, "memberOf"), ElementsAre(std::string(70000, 'g')));
  EXPECT_THAT(values_of(packed, "mail", &found), IsEmpty());
  EXPECT_FALSE(found);
  EXPECT_THAT(values_of(packed, "ui", &found), IsEmpty());  // a name is matched whole
  EXPECT_FALSE(found);
}

TEST(PackedAttributes, OfNothingFindNothing) {
  const PackedAttributes empty;
  bool found = true;
  EXPECT_THAT(values_of(empty, "uid", &found), IsEmpty());
  EXPECT_FALSE(found);
  EXPECT_EQ(PackedAttributes(Entry()).line, 0);
}

TEST(PackedAttributes, TakeLessThanTheEntry) {
  Entry entry;
  for (int i = 0; i < 13; ++i)
    entry.add("attribute" + std::to_string(i), "a value of some length " + std::to_string(i));
  const PackedAttributes packed(entry);
  std::size_t entry_bytes = sizeof(Attribute) * entry.attributes().size();
  for (const auto& attribute : entry.attributes())
    entry_bytes += attribute.name.capacity() + attribute.values.capacity() * sizeof(std::string) +
                   attribute.values.front().capacity();
  EXPECT_LT(packed.bytes() * 2, entry_bytes);
}

}  // namespace
}  // namespace secondsight::directory
