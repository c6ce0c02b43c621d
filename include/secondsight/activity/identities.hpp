// Who the people in the logs are, as ingest needs them: a logged name, email or uid resolved to
// a person, and the one rule for which of their events are kept one by one as evidence.
// Whoever holds the directory implements the index; activity knows nothing of the directory.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "secondsight/config/policy.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::activity {

// What decides whether a person's events become evidence.
struct EvidenceScope {
  bool seconded = false;
  std::optional<Instant> end;          // with grace days; none without an end date
  std::set<std::string> need_to_know;  // system ids
};

// The people logs may name, by a small number each (its index in the directory).
class IdentityIndex {
 public:
  virtual ~IdentityIndex() = default;
  // A user name, email or other alias; nullopt when it names no one or more than one person.
  virtual std::optional<std::uint32_t> by_name(std::string_view name) const = 0;
  // A numeric uid (auditd's auid); nullopt when no one or several have it.
  virtual std::optional<std::uint32_t> by_uid(long long uid) const = 0;
  virtual const std::string& id(std::uint32_t person) const = 0;
  virtual EvidenceScope scope(std::uint32_t person) const = 0;
};

// The events a finding may show: a seconded person's use after their end, or of a system
// (null: no system's rules match) outside their need-to-know or that no external may use.
bool is_evidence(const EvidenceScope& person, const config::System* system, Instant at);

}  // namespace secondsight::activity
