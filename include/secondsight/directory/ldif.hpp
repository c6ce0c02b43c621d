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
  std::vector<Entry> entries;               // each with the line its record starts on
  std::vector<std::string> normalized_dns;  // the entries' DNs in normal form (normalize_dn)
  std::vector<std::string> warnings;        // "FILE:LINE: message", e.g. skipped ref: records
};

// Reads a whole LDIF stream. `file_name` is used in messages only. The stream is UTF-8, with or
// without a byte-order mark, or UTF-16 LE or BE after its byte-order mark (ldifde -u); it is
// decoded as it is read, and bytes that are not text in its encoding (Latin-1, a lone UTF-16
// surrogate, UTF-16 without a mark) fail the read with "FILE:LINE: message" naming the problem
// and its byte offset, never the bytes themselves. Any record that cannot be read fails the
// whole read in the same way (bad DN, bad base64, a ":<" URL value, an unexpanded ${...}
// template, a modify/delete/moddn change record, an entry whose DN an earlier record has, a
// record over k_max_entry_bytes, ...). A value over k_max_value_bytes is left out of its entry
// with a warning (directory/limits.hpp).
Result<LdifContent> read_ldif(std::istream& in, const std::string& file_name);

// An export file opened for reading. Only a regular file is opened: a FIFO or a device could
// feed the reader without end. Its stream ends at the size the file had when opened, and
// finish() fails when the file changed meanwhile (an export still being written).
class LdifExport {
 public:
  static Result<LdifExport> open(const std::filesystem::path& path);
  LdifExport(LdifExport&&) noexcept;
  LdifExport& operator=(LdifExport&&) noexcept;
  ~LdifExport();

  std::istream& stream();
  // After reading: an Error when the file could not be read whole, or changed while read.
  Result<void> finish() const;

 private:
  struct State;
  explicit LdifExport(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

// Reads an export file: LdifExport::open, read_ldif, finish.
Result<LdifContent> read_ldif_file(const std::filesystem::path& path);

// A DirectorySource over an LDIF export: open() reads the file, search() applies base
// (subtree) and filter as a server would. An empty filter matches every entry; the reader's
// warnings (skipped references) come with the first search after each open().
std::unique_ptr<DirectorySource> make_ldif_source(std::filesystem::path path);

}  // namespace secondsight::directory
