#include "secondsight/core/string_index.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace secondsight {
namespace {

TEST(StringIndex, FindsWhatWasInsertedAndNothingElse) {
  StringIndex index;
  EXPECT_FALSE(index.find("a"));
  EXPECT_EQ(index.insert("uid=ann,ou=people", 7), std::make_pair(7u, true));
  EXPECT_EQ(index.insert("", 3), std::make_pair(3u, true));  // the empty key is a key
  EXPECT_EQ(index.find("uid=ann,ou=people"), 7u);
  EXPECT_EQ(index.find(""), 3u);
  EXPECT_FALSE(index.find("uid=ann,ou=peopl"));
  EXPECT_FALSE(index.find("uid=ann,ou=people "));
  EXPECT_EQ(index.size(), 2u);
}

TEST(StringIndex, TheFirstValueOfAKeyStaysUntilAssigned) {
  StringIndex index;
  index.insert("bo", 1);
  EXPECT_EQ(index.insert("bo", 2), std::make_pair(1u, false));
  EXPECT_EQ(index.find("bo"), 1u);
  index.assign("bo", 9);
  index.assign("absent", 4);
  EXPECT_EQ(index.find("bo"), 9u);
  EXPECT_FALSE(index.find("absent"));
  EXPECT_EQ(index.size(), 1u);
}

TEST(StringIndex, AgreesWithAMapThroughGrowth) {
  StringIndex index;
  std::unordered_map<std::string, std::uint32_t> expected;
  for (std::uint32_t i = 0; i < 50000; ++i) {
    // Keys of many lengths, sharing long prefixes as DNs do.
    std::string key = "uid=u" + std::to_string(i * 7919 % 100003) + ",ou=people,dc=example";
    auto [value, inserted] = index.insert(key, i);
    auto [it, map_inserted] = expected.emplace(key, i);
    ASSERT_EQ(inserted, map_inserted) << key;
    ASSERT_EQ(value, it->second) << key;
  }
  EXPECT_EQ(index.size(), expected.size());
  for (const auto& [key, value] : expected) ASSERT_EQ(index.find(key), value) << key;
  for (std::uint32_t i = 100003; i < 101000; ++i)
    ASSERT_FALSE(index.find("uid=u" + std::to_string(i) + ",ou=people,dc=example"));
  index.clear();
  EXPECT_EQ(index.size(), 0u);
  EXPECT_FALSE(index.find("uid=u0,ou=people,dc=example"));
}

}  // namespace
}  // namespace secondsight
