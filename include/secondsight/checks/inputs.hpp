// What one scan's checks read, as one value: the directory snapshot, the policy, the activity
// view, the code knowledge, the handover records, the timeline of access, the scan's time and zone.
// The scan reads its inputs first and builds this once; nothing a check reads changes while checks
// run.
#pragma once

#include <vector>

#include "secondsight/activity/view.hpp"
#include "secondsight/checks/knowledge.hpp"
#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/directory/timeline.hpp"
#include "secondsight/knowledge/handovers.hpp"

namespace secondsight::checks {

// The pieces are the caller's and must outlive every Evaluation built from them.
struct ScanInputs {
  const directory::DirectorySnapshot& directory;
  const config::Policy& policy;
  Instant now;
  Zone zone;
  const activity::ActivityView* activity = nullptr;  // null: no audit logs configured
  const KnowledgeMap* knowledge = nullptr;           // null: no repository read
  const std::vector<knowledge::HandoverRecord>* handovers = nullptr;  // null: none
  // When each right was first seen and seen gone; null: no timeline kept. Read by the checks
  // only, so it may be filled after the Evaluation is built from these inputs.
  const directory::AccessTimeline* timeline = nullptr;
};

}  // namespace secondsight::checks
