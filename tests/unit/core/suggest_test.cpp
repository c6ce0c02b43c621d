#include "secondsight/core/suggest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace secondsight {
namespace {

TEST(Suggest, EditDistanceCountsATyposEditsIgnoringCase) {
  EXPECT_EQ(edit_distance("payments", "payments"), 0u);
  EXPECT_EQ(edit_distance("PAYMENTS", "payments"), 0u);
  EXPECT_EQ(edit_distance("paymnts", "payments"), 1u);    // a letter left out
  EXPECT_EQ(edit_distance("paymeents", "payments"), 1u);  // one too many
  EXPECT_EQ(edit_distance("paymetns", "payments"), 1u);   // two swapped
  EXPECT_EQ(edit_distance("paiments", "payments"), 1u);   // one wrong
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("billing", "scada"), 7u);  // nothing in common
}

TEST(Suggest, TheCloseCandidateIsMeant) {
  const std::vector<std::string> systems{"payments", "billing", "hr-data"};
  EXPECT_EQ(did_you_mean("paymnts", systems), "; did you mean 'payments'?");
  EXPECT_EQ(did_you_mean("Biling", systems), "; did you mean 'billing'?");
  EXPECT_EQ(closest("hr-dta", systems), "hr-data");
  // Nothing near: no guess.
  EXPECT_EQ(did_you_mean("scada", systems), "");
  EXPECT_EQ(did_you_mean("x", systems), "");
  EXPECT_EQ(did_you_mean("paymnts", std::vector<std::string>{}), "");
}

TEST(Suggest, ShortWordsTolerateFewerEdits) {
  const std::vector<std::string_view> keys{"uri", "doc", "id"};
  EXPECT_EQ(closest("url", keys), "uri");  // one edit in three letters
  EXPECT_EQ(closest("xyz", keys), "");     // three edits: no
  const std::vector<std::string_view> people{"tim", "bram"};
  EXPECT_EQ(closest("tam", people), "tim");
  EXPECT_EQ(closest("bob", people), "");
}

TEST(Suggest, AShortenedNameMeansTheOneCandidateItStarts) {
  const std::vector<std::string> systems{"payments-api", "wiki", "hr-data-warehouse"};
  EXPECT_EQ(closest("payments", systems), "payments-api");
  EXPECT_EQ(closest("hr-data", systems), "hr-data-warehouse");
  // The start of two: no guess.
  const std::vector<std::string> two{"payments-api-eu", "payments-api-us"};
  EXPECT_EQ(closest("payments", two), "");
}

}  // namespace
}  // namespace secondsight
