// The one interface every directory implements (LDIF export, LDAP server): subtree searches.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/directory/entry.hpp"

namespace secondsight::directory {

struct SearchRequest {
  std::string base;                     // subtree scope under this DN
  std::string filter;                   // RFC 4515
  std::vector<std::string> attributes;  // empty: all user attributes
};

// What a search says besides its entries.
struct SearchSummary {
  std::vector<std::string> warnings;  // e.g. "FILE:LINE: search reference skipped"
  bool base_found = true;             // false: the base names no entry (or none it may read)
  std::size_t count = 0;              // how many entries were handed to the sink
};

struct SearchResult : SearchSummary {
  std::vector<Entry> entries;
};

// Takes the entries of a search one at a time, so that a large directory is never held twice.
// An error stops the search and is its result.
using EntrySink = std::function<Result<void>(Entry&& entry)>;

class DirectorySource {
 public:
  virtual ~DirectorySource() = default;
  // For messages: "ldif:/path/export.ldif", "ldaps://ldap.example.com".
  virtual std::string name() const = 0;
  // Starts one poll: re-reads the export, or connects and binds. A failure here or in a
  // search makes the whole poll incomplete.
  virtual Result<void> open() = 0;
  // Hands every entry the search finds to `sink`, in the order the source returns them.
  virtual Result<SearchSummary> search_each(const SearchRequest& request,
                                            const EntrySink& sink) = 0;
  // Several searches of one poll, each handing its entries to its sink as search_each does. A
  // source may answer them together (an export read once for all of them), the entries of the
  // searches then coming interleaved; this one makes them one after the other.
  virtual Result<std::vector<SearchSummary>> search_each_of(
      const std::vector<SearchRequest>& requests, const std::vector<EntrySink>& sinks);
  // The same, collected.
  Result<SearchResult> search(const SearchRequest& request);
};

}  // namespace secondsight::directory
