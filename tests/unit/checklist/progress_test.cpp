// A checklist across scans, on plain values: no database.
#include "secondsight/checklist/progress.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace secondsight::checklist {
namespace {

using namespace std::chrono_literals;

const Instant k_t1 = Instant{date::sys_days{date::March / 16 / 2026}} + 12h;
const Instant k_t2 = k_t1 + 24h;

Item item(std::string id, bool automatic, bool done = false) {
  Item out;
  out.id = std::move(id);
  out.automatic = automatic;
  out.done = done;
  return out;
}

Item stored_done(std::string id, bool automatic, Instant at, std::string how) {
  Item out = item(std::move(id), automatic, true);
  out.done_at = at;
  out.done_how = std::move(how);
  return out;
}

TEST(ChecklistProgress, AnItemSeenDoneFirstGetsNow) {
  Checklist list;
  list.items = {item("account", true, true), item("policy:1", false)};
  auto done = merge_stored(list, {item("account", true), item("policy:1", false)}, k_t2);
  EXPECT_EQ(done, std::vector<std::string>{"account"});
  EXPECT_EQ(list.items[0].done_at, k_t2);
  EXPECT_FALSE(list.items[1].done);
}

TEST(ChecklistProgress, ADoneItemKeepsWhenItWasSeenDone) {
  Checklist list;
  list.items = {item("account", true, true)};
  auto done = merge_stored(list, {stored_done("account", true, k_t1, "disabled")}, k_t2);
  EXPECT_TRUE(done.empty());
  EXPECT_EQ(list.items[0].done_at, k_t1);
}

TEST(ChecklistProgress, ManualTicksAreKept) {
  Checklist list;
  list.items = {item("policy:1", false)};
  auto done = merge_stored(list, {stored_done("policy:1", false, k_t1, "ticked by carol")}, k_t2);
  EXPECT_TRUE(done.empty());
  ASSERT_TRUE(list.items[0].done);
  EXPECT_EQ(list.items[0].done_how, "ticked by carol");
  EXPECT_EQ(list.items[0].done_at, k_t1);
}

TEST(ChecklistProgress, AnAutomaticItemNoLongerBuiltIsDone) {
  Checklist list;
  list.items = {item("account", true)};
  auto done = merge_stored(
      list, {item("account", true), item("handover:wiki", true), item("group:cn=b", true)}, k_t2);
  EXPECT_EQ(done, std::vector<std::string>{"group:cn=b"});
  ASSERT_EQ(list.items.size(), 3u);  // the stored ones follow, by id
  EXPECT_EQ(list.items[1].id, "group:cn=b");
  EXPECT_EQ(list.items[1].done_how, "no longer a member of the group");
  EXPECT_EQ(list.items[1].done_at, k_t2);
  EXPECT_EQ(list.items[2].id, "handover:wiki");  // waits for a handover
  EXPECT_FALSE(list.items[2].done);
}

TEST(ChecklistProgress, AGonePersonsAutomaticItemsTickByAbsence) {
  std::vector<Item> stored{item("account", true), item("handover:wiki", true),
                           item("policy:1", false)};
  auto list = gone_checklist("mallory", stored, k_t2);
  EXPECT_EQ(list.account, "gone");
  ASSERT_EQ(list.items.size(), 2u);
  auto done = merge_stored(list, stored, k_t2);
  EXPECT_EQ(done, std::vector<std::string>{"account"});
  EXPECT_EQ(list.items.back().done_how, "the account is gone from the directory");
}

TEST(ChecklistProgress, OnlyKnownManualItemsTick) {
  std::vector<Item> stored{item("account", true), item("policy:1", false), item("policy:2", false)};
  EXPECT_TRUE(can_tick(stored, "mallory", "policy:2"));
  auto unknown = can_tick(stored, "mallory", "policy:9");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "the checklist of mallory has no item 'policy:9' (items to tick by hand: policy:1, "
            "policy:2)");
  auto automatic = can_tick(stored, "mallory", "account");
  ASSERT_FALSE(automatic);
  EXPECT_EQ(automatic.error().message, "item 'account' ticks itself when a scan sees it done");
}

TEST(ChecklistProgress, EarlierHandoversAndSections) {
  auto earlier = earlier_of({item("handover:wiki", true), item("account", true)});
  EXPECT_EQ(earlier.handover_systems, std::set<std::string>{"wiki"});
  EXPECT_EQ(parse_section("knowledge").value(), Section::knowledge);
  EXPECT_FALSE(parse_section("misc"));
}

}  // namespace
}  // namespace secondsight::checklist
