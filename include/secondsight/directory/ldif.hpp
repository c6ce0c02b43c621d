// RFC 2849 LDIF as real servers export it (slapcat, ldapsearch -LLL, ldifde), and the
// directory source that searches such an export.
#pragma once

#include <filesystem>
#include <functional>
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

// One entry of an export as its record ends, with its DN in normal form; an error stops the
// read and is its result.
using LdifEntrySink = std::function<Result<void>(Entry&& entry, std::string&& normalized_dn)>;
// Reads as read_ldif does, handing each entry to `sink` rather than keeping them all; the
// warnings are the result.
Result<std::vector<std::string>> read_ldif_each(std::istream& in, const std::string& file_name,
                                                const LdifEntrySink& sink);

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
// The same, each entry handed to `sink` as it is read.
Result<std::vector<std::string>> read_ldif_file_each(const std::filesystem::path& path,
                                                     const LdifEntrySink& sink);

// A DirectorySource over an LDIF export: open() checks it can be read; the searches read it as
// it is then and apply base (subtree) and filter as a server would, the searches of one poll
// (search_each_of) in one reading, each entry handed on as it is read. A record that cannot be read
// fails the search with its location. An empty filter matches every entry; the reader's
// warnings (skipped references) come with the first search after each open().
std::unique_ptr<DirectorySource> make_ldif_source(std::filesystem::path path);

}  // namespace secondsight::directory
