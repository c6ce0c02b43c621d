#include "secondsight/knowledge/handovers.hpp"

namespace secondsight::knowledge {

ReceiverProblem receiver_problem(const Receiver& receiver) {
  if (!receiver.known) return ReceiverProblem::unknown;
  if (!receiver.current) return ReceiverProblem::disabled;
  if (receiver.seconded) return ReceiverProblem::seconded;
  if (receiver.leaving) return ReceiverProblem::leaving;
  return ReceiverProblem::none;
}

}  // namespace secondsight::knowledge
