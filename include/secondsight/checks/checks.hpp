// The finding kinds and the checks that produce them, in one explicit table.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "secondsight/checks/context.hpp"
#include "secondsight/findings/finding.hpp"

namespace secondsight::checks {

// Checks write the finding model as their own.
using findings::Finding;
using secondsight::Severity;

// What a check needs complete; a scan whose input of that kind was incomplete leaves the
// kind's findings as they were. Checks that only add up stored activity (after-end use, use
// outside need-to-know) can only gain from logs that were not read yet, so they need the
// directory alone; unused_access could be wrong about a use in an unread log.
enum class Input : unsigned { directory = 1, activity = 2, knowledge = 4 };

struct CheckKind {
  std::string_view kind;
  unsigned inputs;  // Input bits
  std::vector<Finding> (*run)(const Evaluation& evaluation);
};

std::vector<Finding> check_access_after_end(const Evaluation& evaluation);
std::vector<Finding> check_missing_end_date(const Evaluation& evaluation);
std::vector<Finding> check_engagement_ending(const Evaluation& evaluation);
std::vector<Finding> check_need_to_know_violation(const Evaluation& evaluation);
std::vector<Finding> check_activity_after_end(const Evaluation& evaluation);
std::vector<Finding> check_unused_access(const Evaluation& evaluation);
std::vector<Finding> check_single_point_of_knowledge(const Evaluation& evaluation);
std::vector<Finding> check_handover_missing(const Evaluation& evaluation);

// Every check, in the order their findings are reported.
std::span<const CheckKind> all_checks();

// Runs every check; findings sorted by severity (highest first), kind, person, system.
std::vector<Finding> evaluate(const Evaluation& evaluation);

void sort_findings(std::vector<Finding>& findings);

}  // namespace secondsight::checks
