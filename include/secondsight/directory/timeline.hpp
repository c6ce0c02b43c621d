// The timeline of access: for each seconded person, when each of their rights was first seen,
// last seen and seen gone. A right is a fact of the directory at one observation (a complete
// snapshot, from a poll or from following the directory): the account is there, the account
// is enabled, the person is a member of a group (nested membership included), the person
// reaches a system. Observations are what bound a change: a right first seen at one
// observation appeared after the one before it; a right missing from one was taken away after
// the one before it, when it was last seen.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "secondsight/core/time.hpp"

namespace secondsight::directory {

enum class AccessKind {
  account,  // subject "present": in the directory; "enabled": the account is enabled
  member,   // subject: the group's normalised DN
  grant,    // subject: the system's id
};
std::string_view to_string(AccessKind kind);
std::optional<AccessKind> parse_access_kind(std::string_view text);

inline constexpr std::string_view k_account_present = "present";
inline constexpr std::string_view k_account_enabled = "enabled";

struct AccessFact {
  std::string person;
  AccessKind kind = AccessKind::account;
  std::string subject;

  bool operator==(const AccessFact&) const = default;
};

// One stretch of time a right was held, as observed.
struct AccessSpan {
  AccessFact fact;
  Instant first_seen;
  // The observation before first_seen, which did not see it; none when first_seen was the
  // first observation ever made (the right may be older).
  std::optional<Instant> appeared_after;
  Instant last_seen;            // of a right still held: the latest observation
  std::optional<Instant> gone;  // the first observation without it; none while held

  bool held() const { return !gone; }
};

struct AccessFactHash {
  std::size_t operator()(const AccessFact& fact) const;
};

// The spans of every tracked person, each person's in the order they began.
class AccessTimeline {
 public:
  AccessTimeline() = default;
  explicit AccessTimeline(std::vector<AccessSpan> spans);

  // The span of a right held now (at the latest observation); nullptr when not held.
  const AccessSpan* held(const AccessFact& fact) const;
  // Every span of a person, held or gone, oldest first.
  std::vector<const AccessSpan*> of_person(std::string_view person) const;
  const std::vector<AccessSpan>& spans() const { return m_spans; }
  // Whether the person holds any right here: someone the timeline follows.
  bool follows(std::string_view person) const;
  bool empty() const { return m_spans.empty(); }

  // How long the person held access (an enabled account, or any grant to a system) in
  // [end, now]: the union of those spans, a held one counted up to now, a gone one up to the
  // observation that saw it gone (the removal happened after its last sighting and by then);
  // one there at the first observation ever made counts from the end, as it may be older.
  // Zero when the end is not past.
  std::chrono::seconds access_after(std::string_view person, Instant end, Instant now) const;

 private:
  std::vector<AccessSpan> m_spans;
  std::unordered_map<AccessFact, std::size_t, AccessFactHash> m_held;
  std::unordered_map<std::string, std::vector<std::size_t>> m_by_person;
};

// Whether a span is one of access: an enabled account or a grant to a system (membership of a
// group leads to access only through a grant; being in the directory is not access).
bool is_access(const AccessSpan& span);

}  // namespace secondsight::directory
