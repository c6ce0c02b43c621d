#include "secondsight/directory/timeline.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <utility>

namespace secondsight::directory {

namespace {

constexpr std::array<std::pair<AccessKind, std::string_view>, 3> k_kind_names{{
    {AccessKind::account, "account"},
    {AccessKind::member, "member"},
    {AccessKind::grant, "grant"},
}};

}  // namespace

std::string_view to_string(AccessKind kind) {
  for (const auto& [value, name] : k_kind_names)
    if (value == kind) return name;
  return "account";
}

std::optional<AccessKind> parse_access_kind(std::string_view text) {
  for (const auto& [value, name] : k_kind_names)
    if (name == text) return value;
  return std::nullopt;
}

std::size_t AccessFactHash::operator()(const AccessFact& fact) const {
  const std::hash<std::string_view> hash;
  std::size_t seed = hash(fact.person);
  seed ^= hash(fact.subject) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  return seed ^ (static_cast<std::size_t>(fact.kind) << 1);
}

AccessTimeline::AccessTimeline(std::vector<AccessSpan> spans) : m_spans(std::move(spans)) {
  std::stable_sort(m_spans.begin(), m_spans.end(), [](const AccessSpan& a, const AccessSpan& b) {
    return a.first_seen < b.first_seen;
  });
  for (std::size_t i = 0; i < m_spans.size(); ++i) {
    const auto& span = m_spans[i];
    if (span.held()) m_held[span.fact] = i;
    m_by_person[span.fact.person].push_back(i);
  }
}

const AccessSpan* AccessTimeline::held(const AccessFact& fact) const {
  auto found = m_held.find(fact);
  return found == m_held.end() ? nullptr : &m_spans[found->second];
}

std::vector<const AccessSpan*> AccessTimeline::of_person(std::string_view person) const {
  std::vector<const AccessSpan*> out;
  auto found = m_by_person.find(std::string(person));
  if (found == m_by_person.end()) return out;
  for (auto index : found->second) out.push_back(&m_spans[index]);
  return out;
}

bool AccessTimeline::follows(std::string_view person) const {
  for (const auto* span : of_person(person))
    if (span->held()) return true;
  return false;
}

bool is_access(const AccessSpan& span) {
  return span.fact.kind == AccessKind::grant ||
         (span.fact.kind == AccessKind::account && span.fact.subject == k_account_enabled);
}

std::chrono::seconds AccessTimeline::access_after(std::string_view person, Instant end,
                                                  Instant now) const {
  if (now <= end) return std::chrono::seconds{0};
  std::vector<std::pair<Instant, Instant>> stretches;
  for (const auto* span : of_person(person)) {
    if (!is_access(*span)) continue;
    // A right there at the first observation ever made may be older than it: it counts from
    // the end.
    const Instant from = span->appeared_after ? std::max(span->first_seen, end) : end;
    const Instant to = std::min(span->gone.value_or(now), now);
    if (from < to) stretches.emplace_back(from, to);
  }
  std::sort(stretches.begin(), stretches.end());
  std::chrono::seconds total{0};
  std::optional<std::pair<Instant, Instant>> current;
  for (const auto& stretch : stretches) {
    if (current && stretch.first <= current->second) {
      current->second = std::max(current->second, stretch.second);
      continue;
    }
    if (current) total += current->second - current->first;
    current = stretch;
  }
  if (current) total += current->second - current->first;
  return total;
}

}  // namespace secondsight::directory
