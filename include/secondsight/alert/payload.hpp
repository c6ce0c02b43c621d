// What an alert says: the payload queued in the outbox for every sink, and its one line of text
// for people (Slack's mrkdwn, escaped).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "secondsight/core/time.hpp"
#include "secondsight/findings/change.hpp"
#include "secondsight/store/evidence_log.hpp"

namespace secondsight::alert {

// Slack's mrkdwn gives &, < and > a meaning: text from directories and logs is escaped.
std::string slack_escape(std::string_view text);

// One line for people (chat receivers show it): what changed, about whom, and the summary.
std::string alert_text(const findings::FindingChange& change);

// The alert of a finding change: the finding as `scan --format jsonl` prints it, what changed,
// where its entry in the evidence log is (an anchor for `evidence verify --anchor`), and a
// Slack-style "text". `id` is its idempotency key.
nlohmann::json alert_payload(const findings::FindingChange& change,
                             const store::EvidenceEntry& entry, const std::string& id);

// An offboarding checklist that appeared, as its alert tells it.
struct ChecklistNotice {
  std::string person;
  std::string agency;
  std::string end_stated;  // as the directory says it; empty: no known date
  std::string manager;     // the internal contact, when known
  std::size_t open_items = 0;
  std::size_t items = 0;
};

// The alert that a checklist appeared: shaped like a finding's, kind offboarding_checklist.
nlohmann::json checklist_alert_payload(const ChecklistNotice& notice, Instant now,
                                       const std::string& id);

}  // namespace secondsight::alert
