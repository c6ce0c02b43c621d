// Handover records: "person handed system over to receiver on date", from handovers_file
// (exported from a ticket system) and from `secondsight handover record` (kept in the store);
// and the one rule for who may receive a handover.
#pragma once

#include <string>

namespace secondsight::knowledge {

struct HandoverRecord {
  std::string person;    // id or alias, as written
  std::string system;    // system id
  std::string receiver;  // id or alias, as written
  std::string date;      // YYYY-MM-DD, the day the handover took place
  std::string doc;       // where the documentation is; may be empty
  std::string origin;    // "FILE:LINE" or "recorded by USER at TIME", for evidence
};

// What the directory says of someone who would receive a handover.
struct Receiver {
  bool known = false;     // the name resolves to one person
  bool current = false;   // in the directory and not disabled
  bool seconded = false;  // seconded too
  bool leaving = false;   // the person who hands over
};

// Why someone may not receive a handover, in the order the reasons are told.
enum class ReceiverProblem { none, unknown, disabled, seconded, leaving };

// Knowledge must stay with the company: a handover counts when its receiver is a known,
// current, non-seconded person other than the one who leaves.
ReceiverProblem receiver_problem(const Receiver& receiver);

inline bool may_receive(const Receiver& receiver) {
  return receiver_problem(receiver) == ReceiverProblem::none;
}

}  // namespace secondsight::knowledge
