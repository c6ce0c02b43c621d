#include "secondsight/directory/source.hpp"

namespace secondsight::directory {

Result<std::vector<SearchSummary>> DirectorySource::search_each_of(
    const std::vector<SearchRequest>& requests, const std::vector<EntrySink>& sinks) {
  std::vector<SearchSummary> out;
  for (std::size_t i = 0; i < requests.size() && i < sinks.size(); ++i) {
    auto summary = search_each(requests[i], sinks[i]);
    if (!summary) return summary.error();
    out.push_back(std::move(*summary));
  }
  return out;
}

Result<SearchResult> DirectorySource::search(const SearchRequest& request) {
  SearchResult result;
  auto summary = search_each(request, [&](Entry&& entry) -> Result<void> {
    result.entries.push_back(std::move(entry));
    return {};
  });
  if (!summary) return summary.error();
  static_cast<SearchSummary&>(result) = std::move(*summary);
  return result;
}

}  // namespace secondsight::directory
