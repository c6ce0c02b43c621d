// RFC 2849 LDIF as real servers export it (slapcat, ldapsearch -LLL, ldifde), and the
// directory source that searches such an export.
#pragma once

#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/directory/entry.hpp"
#include "secondsight/directory/source.hpp"

namespace secondsight::directory {

struct LdifContent {
  std::vector<Entry> entries;         // each with the line its record starts on
  std::vector<std::string> warnings;  // "FILE:LINE: message", e.g. skipped ref: records
};

// Reads a whole LDIF stream. `file_name` is used in messages only. Any record that cannot
// be read fails the whole read with "FILE:LINE: message" (bad DN, bad base64, a ":<" URL
// value, an unexpanded ${...} template, a modify/delete/moddn change record, ...).
Result<LdifContent> read_ldif(std::istream& in, const std::string& file_name);
Result<LdifContent> read_ldif_file(const std::filesystem::path& path);

// A DirectorySource over an LDIF export: open() reads the file, search() applies base
// (subtree) and filter as a server would. An empty filter matches every entry; the reader's
// warnings (skipped references) come with the first search after each open().
std::unique_ptr<DirectorySource> make_ldif_source(std::filesystem::path path);

}  // namespace secondsight::directory
