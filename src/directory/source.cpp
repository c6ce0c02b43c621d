#include "secondsight/directory/source.hpp"

namespace secondsight::directory {

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
