#include "secondsight/core/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace secondsight {
namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

template <class Words>
std::string closest_of(std::string_view word, const Words& candidates) {
  // Short words tolerate fewer edits, or every two-letter key would "mean" every other.
  const std::size_t allowed = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  if (!best.empty() || word.size() < 3) return best;
  // A shortened name ("payments" for "payments-api") is meant when it starts just one.
  for (const auto& candidate : candidates) {
    if (edit_distance(std::string_view(candidate).substr(0, word.size()), word) != 0) continue;
    if (!best.empty()) return std::string();
    best = std::string(candidate);
  }
  return best;
}

std::string suggestion(const std::string& best) {
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rows suffice for the transposition look-back.
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::string closest(std::string_view word, std::span<const std::string_view> candidates) {
  return closest_of(word, candidates);
}

std::string closest(std::string_view word, std::span<const std::string> candidates) {
  return closest_of(word, candidates);
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  return suggestion(closest(word, candidates));
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  return suggestion(closest(word, candidates));
}

}  // namespace secondsight
