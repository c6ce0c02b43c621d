#include "secondsight/checks/checks.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace secondsight::checks {
namespace {

constexpr unsigned k_directory = static_cast<unsigned>(Input::directory);
constexpr unsigned k_activity = static_cast<unsigned>(Input::activity);
constexpr unsigned k_knowledge = static_cast<unsigned>(Input::knowledge);

constexpr std::array k_checks{
    CheckKind{"access_after_end", k_directory, &check_access_after_end},
    CheckKind{"activity_after_end", k_directory, &check_activity_after_end},
    CheckKind{"need_to_know_violation", k_directory, &check_need_to_know_violation},
    CheckKind{"missing_end_date", k_directory, &check_missing_end_date},
    CheckKind{"unused_access", k_directory | k_activity, &check_unused_access},
    CheckKind{"engagement_ending", k_directory, &check_engagement_ending},
    // Holders are code authors and operators: both need the knowledge and the activity.
    CheckKind{"single_point_of_knowledge", k_directory | k_activity | k_knowledge,
              &check_single_point_of_knowledge},
    CheckKind{"handover_missing", k_directory | k_activity | k_knowledge, &check_handover_missing},
};

}  // namespace

std::span<const CheckKind> all_checks() {
  return k_checks;
}

void sort_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tuple(-static_cast<int>(a.severity), a.kind, a.person.value_or(""),
                      a.system.value_or("")) < std::tuple(-static_cast<int>(b.severity), b.kind,
                                                          b.person.value_or(""),
                                                          b.system.value_or(""));
  });
}

std::vector<Finding> evaluate(const Evaluation& evaluation) {
  std::vector<Finding> findings;
  for (const auto& check : k_checks) {
    auto found = check.run(evaluation);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
  }
  sort_findings(findings);
  return findings;
}

}  // namespace secondsight::checks
