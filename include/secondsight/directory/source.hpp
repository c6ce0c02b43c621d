// The one interface every directory implements (LDIF export, LDAP server): subtree searches.
#pragma once

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

struct SearchResult {
  std::vector<Entry> entries;
  std::vector<std::string> warnings;  // e.g. "FILE:LINE: search reference skipped"
  bool base_found = true;             // false: the base names no entry (or none it may read)
};

class DirectorySource {
 public:
  virtual ~DirectorySource() = default;
  // For messages: "ldif:/path/export.ldif", "ldaps://ldap.example.com".
  virtual std::string name() const = 0;
  // Starts one poll: re-reads the export, or connects and binds. A failure here or in a
  // search makes the whole poll incomplete.
  virtual Result<void> open() = 0;
  virtual Result<SearchResult> search(const SearchRequest& request) = 0;
};

}  // namespace secondsight::directory
