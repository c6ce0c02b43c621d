// Who may receive a handover: the one rule the scan, the checklist and `handover record` use.
#include "secondsight/knowledge/handovers.hpp"

#include <gtest/gtest.h>

namespace secondsight::knowledge::testing {
namespace {

TEST(ReceiverRule, ACurrentNonSecondedOtherPersonMayReceive) {
  EXPECT_EQ(receiver_problem({true, true, false, false}), ReceiverProblem::none);
  EXPECT_TRUE(may_receive({true, true, false, false}));
}

TEST(ReceiverRule, EachReasonIsToldInOrder) {
  EXPECT_EQ(receiver_problem({false, false, true, true}), ReceiverProblem::unknown);
  EXPECT_EQ(receiver_problem({true, false, true, true}), ReceiverProblem::disabled);
  EXPECT_EQ(receiver_problem({true, true, true, true}), ReceiverProblem::seconded);
  EXPECT_EQ(receiver_problem({true, true, false, true}), ReceiverProblem::leaving);
  EXPECT_FALSE(may_receive({true, true, false, true}));
  EXPECT_FALSE(may_receive({true, true, true, false}));
}

}  // namespace
}  // namespace secondsight::knowledge::testing
