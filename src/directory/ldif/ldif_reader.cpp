#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <streambuf>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "export_text.hpp"
#include "secondsight/core/string_index.hpp"
#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/ldif.hpp"
#include "secondsight/directory/limits.hpp"

namespace secondsight::directory {
namespace {

// The most of one unfolded line that is kept: room for a value at k_max_value_bytes written in
// base64 (4/3 of it) and its attribute description. A longer line's value is over the limit
// whatever its form, so the rest of it is read past, not kept.
constexpr std::size_t k_max_line_bytes = 2 * k_max_value_bytes;
constexpr std::size_t k_read_bytes = std::size_t{256} << 10;

// One unfolded line and the physical line it starts on.
struct LogicalLine {
  int number = 0;
  std::string text;        // at most k_max_line_bytes of it
  std::size_t length = 0;  // its whole length in the export
  bool cut() const { return length > text.size(); }
};

// The logical lines of one record. Their strings are kept from record to record and written
// over, so that reading a line allocates nothing once the first records were read.
class RecordLines {
 public:
  // Takes `text`, leaving it the storage of a line read before.
  void add(int number, std::string& text, std::size_t length) {
    if (m_end == m_lines.size()) m_lines.emplace_back();
    LogicalLine& line = m_lines[m_end++];
    line.number = number;
    line.text.swap(text);
    line.length = length;
  }
  void clear() { m_first = m_end = 0; }
  void drop_front() { ++m_first; }

  bool empty() const { return m_first == m_end; }
  std::size_t size() const { return m_end - m_first; }
  LogicalLine& operator[](std::size_t i) { return m_lines[m_first + i]; }
  LogicalLine& front() { return m_lines[m_first]; }
  LogicalLine& back() { return m_lines[m_end - 1]; }
  auto begin() const { return m_lines.begin() + static_cast<std::ptrdiff_t>(m_first); }
  auto end() const { return m_lines.begin() + static_cast<std::ptrdiff_t>(m_end); }

 private:
  std::vector<LogicalLine> m_lines;
  std::size_t m_first = 0;
  std::size_t m_end = 0;
};

// Physical lines of an export's text, without their LF. A line is kept up to `cap` bytes and the
// rest read past, so that one line cannot make the reader hold more than that of it.
class LineInput {
 public:
  explicit LineInput(std::istream& in) : m_text(in), m_buffer(k_read_bytes) {}

  // False at the end of the input, and at an encoding problem: the line it cuts short is not
  // given, as it is not what the export holds.
  bool next(std::string& line, std::size_t cap, std::size_t& length) {
    line.clear();
    length = 0;
    bool any = false;
    for (;;) {
      if (m_at == m_end && !fill()) return any && !m_text.problem();
      any = true;
      const char* begin = m_buffer.data() + m_at;
      const auto* found = static_cast<const char*>(std::memchr(begin, '\n', m_end - m_at));
      const std::size_t taken = found ? static_cast<std::size_t>(found - begin) : m_end - m_at;
      if (line.size() < cap) line.append(begin, std::min(taken, cap - line.size()));
      length += taken;
      m_at += taken;
      if (found) {
        ++m_at;
        return true;
      }
    }
  }

  const std::optional<EncodingProblem>& problem() const { return m_text.problem(); }

 private:
  bool fill() {
    m_at = 0;
    m_end = m_text.read(m_buffer.data(), m_buffer.size());
    return m_end > 0;
  }

  ExportText m_text;
  std::vector<char> m_buffer;
  std::size_t m_at = 0;
  std::size_t m_end = 0;
};

enum class ValueForm { plain, base64, url };

// "name: value", "name:: base64", "name:< url", split but not yet decoded.
struct LineParts {
  std::string_view name;
  ValueForm form = ValueForm::plain;
  std::string_view value;
};

bool is_attribute_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == ';' || c == '_';
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// What to show of a user's line in a message: enough to find it, never a whole blob.
std::string excerpt(std::string_view text) {
  constexpr std::size_t k_max = 60;
  if (text.size() <= k_max) return std::string(text);
  return std::string(text.substr(0, k_max)) + "...";
}

std::optional<int> base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return std::nullopt;
}

// Strict RFC 4648 decoding, except that missing '=' padding is tolerated.
Result<std::string> decode_base64(std::string_view text) {
  std::size_t padding = 0;
  while (!text.empty() && text.back() == '=' && padding < 2) {
    text.remove_suffix(1);
    ++padding;
  }
  if (padding > 0 && (text.size() + padding) % 4 != 0) return make_error("wrong '=' padding");
  if (text.size() % 4 == 1) return make_error("truncated (length is not a multiple of 4)");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto digit = base64_digit(text[i]);
    if (!digit)
      return make_error("bad character '" + std::string(1, text[i]) + "' at position " +
                        std::to_string(i + 1));
    buffer = (buffer << 6) | static_cast<std::uint32_t>(*digit);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xffu);
    }
  }
  // The bits after the last whole byte must be zero: other ones are not what an encoder writes
  // ("QR==" would pass for "QQ==", an "A"), so the value is not what its writer meant.
  if ((buffer & ((1u << bits) - 1u)) != 0) return make_error("bits set after the last byte");
  return out;
}

// "${name}" left by a template engine that was never run; such a value is certainly wrong.
std::optional<std::string_view> find_template(std::string_view text) {
  const auto open = text.find("${");
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = text.find('}', open + 2);
  if (close == std::string_view::npos) return std::nullopt;
  return text.substr(open, close - open + 1);
}

bool is_change_type(std::string_view type) {
  static constexpr std::array<std::string_view, 4> k_changes = {"modify", "delete", "moddn",
                                                                "modrdn"};
  for (auto change : k_changes)
    if (iequals(type, change)) return true;
  return false;
}

// What `ldapsearch -L` prints after the entries ("search: 2", "result: 0 Success").
bool is_trailer_attribute(std::string_view name) {
  return iequals(name, "search") || iequals(name, "result") || iequals(name, "text") ||
         iequals(name, "matchedDN") || iequals(name, "ref") || iequals(name, "control");
}

class LdifReader {
 public:
  LdifReader(std::istream& in, const std::string& file_name, const LdifEntrySink& sink)
      : m_in(in), m_file(file_name), m_sink(sink) {}

  // The warnings, once every entry went to the sink.
  Result<std::vector<std::string>> read() {
    LineInput input(m_in);
    std::string raw;
    std::size_t length = 0;
    bool in_comment = false;
    int number = 0;
    while (input.next(raw, k_max_line_bytes + 1, length)) {
      ++number;
      if (!raw.empty() && raw.back() == '\r' && raw.size() == length) {
        raw.pop_back();
        --length;
      }
      // A line of spaces only is taken as the blank line its author meant, not as a fold:
      // no exporter folds onto an empty continuation, but hand edits leave such lines.
      if (raw.find_first_not_of(' ') == std::string::npos) {
        if (auto done = finish_record(); !done) return done.error();
        in_comment = false;
        continue;
      }
      if (raw.front() == ' ') {
        if (in_comment) continue;  // a folded comment stays a comment
        if (m_record.empty())
          return fail(number,
                      "continuation line (starting with a space) without a line to continue");
        LogicalLine& line = m_record.back();
        if (line.text.size() < k_max_line_bytes)
          line.text.append(raw, 1, k_max_line_bytes - line.text.size());
        line.length += length - 1;
        if (auto fits = count_bytes(length - 1); !fits) return fits.error();
        continue;
      }
      in_comment = raw.front() == '#';
      if (in_comment) continue;
      if (raw.size() > k_max_line_bytes) raw.resize(k_max_line_bytes);
      m_record.add(number, raw, length);
      if (auto fits = count_bytes(length); !fits) return fits.error();
    }
    if (m_in.bad()) return make_error(m_file + ":" + std::to_string(number) + ": read error");
    if (const auto& problem = input.problem()) return fail(problem->line, problem->message);
    if (auto done = finish_record(); !done) return done.error();
    return std::move(m_warnings);
  }

 private:
  Error fail(int line, const std::string& message) const {
    return make_error(m_file + ":" + std::to_string(line) + ": " + message);
  }

  Result<LineParts> split(const LogicalLine& line) const {
    const std::string_view text = line.text;
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
      return fail(line.number, "expected 'attribute: value' but found '" + excerpt(text) + "'");
    LineParts parts;
    parts.name = text.substr(0, colon);
    if (parts.name.empty()) return fail(line.number, "missing attribute name before ':'");
    // Options may carry '=' ("member;range=0-1499", as AD pages large groups); the type not.
    const auto options = parts.name.find(';');
    for (std::size_t i = 0; i < parts.name.size(); ++i) {
      const char c = parts.name[i];
      if (!is_attribute_char(c) && !(c == '=' && options < i))
        return fail(line.number, "bad attribute description '" + excerpt(parts.name) + "'");
    }
    std::string_view rest = text.substr(colon + 1);
    if (!rest.empty() && rest.front() == ':') {
      parts.form = ValueForm::base64;
      rest.remove_prefix(1);
    } else if (!rest.empty() && rest.front() == '<') {
      parts.form = ValueForm::url;
      rest.remove_prefix(1);
    }
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    parts.value = rest;
    return parts;
  }

  Result<std::string> decode(const LogicalLine& line, const LineParts& parts) const {
    switch (parts.form) {
      case ValueForm::plain: {
        if (auto found = find_template(parts.value))
          return fail(line.number, "unexpanded template '" + excerpt(*found) + "'");
        return std::string(parts.value);
      }
      case ValueForm::base64: {
        auto decoded = decode_base64(trim_spaces(parts.value));
        if (!decoded)
          return fail(line.number, "bad base64 in value of '" + std::string(parts.name) +
                                       "': " + decoded.error().message);
        return std::move(*decoded);
      }
      case ValueForm::url: break;
    }
    return fail(line.number, "value of '" + std::string(parts.name) + "' is the URL '" +
                                 excerpt(trim_spaces(parts.value)) +
                                 "'; secondsight does not fetch files or URLs, so put the value "
                                 "itself in the export");
  }

  // Adds a line's bytes to the record's size. A record over the limit fails the read rather
  // than being skipped: it may be a person's entry, and skipping it would hide their findings.
  Result<void> count_bytes(std::size_t bytes) {
    m_record_bytes += bytes;
    if (m_record_bytes <= k_max_entry_bytes) return {};
    return fail(m_record.front().number, "the record starting here is over the " +
                                             std::to_string(k_max_entry_bytes >> 20) +
                                             " MiB limit of one entry");
  }

  Result<void> finish_record() {
    if (m_record.empty()) return {};
    auto done = read_record();
    m_record.clear();
    m_record_bytes = 0;
    return done;
  }

  Result<void> read_record() {
    if (!m_seen_record) {
      m_seen_record = true;
      auto first = split(m_record.front());
      if (first && iequals(first->name, "version")) {
        if (trim_spaces(first->value) != "1")
          return fail(m_record.front().number,
                      "unsupported LDIF version '" + excerpt(first->value) + "' (expected 1)");
        m_record.drop_front();
        if (m_record.empty()) return {};
      }
    }

    const LogicalLine& head = m_record.front();
    auto first = split(head);
    if (!first) return first.error();
    if (iequals(first->name, "dn")) return read_entry(*first);
    if (iequals(first->name, "ref")) return skip_reference();
    if (iequals(first->name, "search") || iequals(first->name, "result")) return read_trailer();
    return fail(head.number, "expected 'dn:' at the start of a record but found '" +
                                 std::string(first->name) + ":'");
  }

  Result<void> read_entry(const LineParts& dn_parts) {
    const LogicalLine& head = m_record.front();
    if (head.cut())
      return fail(head.number, "the DN is over the " + limit_text() + " of one value");
    auto dn = decode(head, dn_parts);
    if (!dn) return dn.error();
    if (dn->size() > k_max_value_bytes)
      return fail(head.number, "the DN is over the " + limit_text() + " of one value");
    if (auto found = find_template(*dn))
      return fail(head.number, "unexpanded template '" + excerpt(*found) + "'");
    if (auto parsed = parse_dn(*dn); !parsed) return fail(head.number, parsed.error().message);
    // Two records of one entry are a damaged export: which one is right cannot be told, and
    // keeping either could hide what the other says (a contractor's copy behind an employee's).
    std::string normalized = normalize_dn(*dn);
    const auto index = static_cast<std::uint32_t>(m_entry_lines.size());
    if (auto [first, added] = m_entry_by_dn.insert(normalized, index); !added)
      return fail(head.number, "entry '" + *dn + "' appears again; first at line " +
                                   std::to_string(m_entry_lines[first]));
    m_entry_lines.push_back(head.number);

    Entry entry;
    entry.dn = std::move(*dn);
    entry.line = head.number;
    // The values of a run of lines of one attribute go into the entry together, their vector
    // sized once (a group's thousands of member lines).
    std::string_view run_name;
    std::vector<std::string> run;
    const auto end_run = [&] {
      if (!run.empty()) entry.add_values(run_name, std::exchange(run, {}));
    };
    for (std::size_t i = 1; i < m_record.size(); ++i) {
      const LogicalLine& line = m_record[i];
      auto parts = split(line);
      if (!parts) return parts.error();
      if (iequals(parts->name, "control")) continue;  // request controls mean nothing here
      if (iequals(parts->name, "changetype")) {
        const std::string_view type = trim_spaces(parts->value);
        if (iequals(type, "add")) continue;  // ldifde writes it on every entry
        if (is_change_type(type))
          return fail(line.number, "change records (changetype: " + std::string(type) +
                                       ") are not a directory export; export with ldapsearch, "
                                       "slapcat or ldifde");
        return fail(line.number, "unknown changetype '" + excerpt(type) + "'");
      }
      if (iequals(parts->name, "dn"))
        return fail(line.number,
                    "second 'dn:' in one record (is the blank line before it "
                    "missing?)");
      if (line.cut()) {
        skip_value(line, *parts);
        continue;
      }
      auto value = decode(line, *parts);
      if (!value) return value.error();
      if (value->size() > k_max_value_bytes) {
        skip_value(line, *parts);
        continue;
      }
      if (run.empty() || parts->name != run_name) {
        end_run();
        run_name = parts->name;
        run.reserve(lines_of(run_name, i));
      }
      run.push_back(std::move(*value));
    }
    end_run();
    return m_sink(std::move(entry), std::move(normalized));
  }

  // How many lines from the record's `from`th on start with "name:".
  std::size_t lines_of(std::string_view name, std::size_t from) {
    std::size_t count = 0;
    for (std::size_t i = from; i < m_record.size(); ++i, ++count) {
      const std::string_view text = m_record[i].text;
      if (text.size() <= name.size() || text[name.size()] != ':' ||
          text.substr(0, name.size()) != name)
        break;
    }
    return count;
  }

  static std::string limit_text() { return std::to_string(k_max_value_bytes >> 20) + " MiB limit"; }

  // A value past the limit is damaged, not cut short: it is left out of the entry and said.
  void skip_value(const LogicalLine& line, const LineParts& parts) {
    m_warnings.push_back(m_file + ":" + std::to_string(line.number) + ": value of '" +
                         std::string(parts.name) + "' is over the " + limit_text() +
                         " of one value; skipped");
  }

  // AD answers a subtree search with referrals to its partitions; they hold no entries of ours.
  Result<void> skip_reference() {
    for (const auto& line : m_record) {
      auto parts = split(line);
      if (!parts) return parts.error();
      if (!iequals(parts->name, "ref")) continue;
      auto url = decode(line, *parts);
      if (!url) return url.error();
      m_warnings.push_back(m_file + ":" + std::to_string(line.number) +
                           ": search reference skipped: " + *url);
    }
    return {};
  }

  // The result lines `ldapsearch -L` prints at the end. A result other than 0 means the
  // server stopped early (size or time limit): the export lacks entries, so say so.
  Result<void> read_trailer() {
    for (const auto& line : m_record) {
      auto parts = split(line);
      if (!parts) return parts.error();
      if (!is_trailer_attribute(parts->name))
        return fail(line.number, "'" + std::string(parts->name) +
                                     ":' in a search result record, which has no 'dn:' line");
      if (iequals(parts->name, "result")) {
        const std::string_view result = trim_spaces(parts->value);
        if (result != "0" && result.substr(0, 2) != "0 ")
          m_warnings.push_back(m_file + ":" + std::to_string(line.number) +
                               ": the export ends with 'result: " + excerpt(result) +
                               "'; it may be incomplete");
      }
    }
    return {};
  }

  std::istream& m_in;
  std::string m_file;
  RecordLines m_record;
  std::size_t m_record_bytes = 0;  // the unfolded bytes of m_record in the export
  const LdifEntrySink& m_sink;
  StringIndex m_entry_by_dn;       // normalised DN -> index in m_entry_lines
  std::vector<int> m_entry_lines;  // the line each entry's record starts on
  bool m_seen_record = false;
  std::vector<std::string> m_warnings;
};

}  // namespace

Result<std::vector<std::string>> read_ldif_each(std::istream& in, const std::string& file_name,
                                                const LdifEntrySink& sink) {
  try {
    return LdifReader(in, file_name, sink).read();
  } catch (const std::exception& e) {
    return make_error(file_name + ": cannot read LDIF: " + e.what());
  }
}

namespace {

// What `read_each(sink)` reads, every entry kept.
template <class ReadEach>
Result<LdifContent> read_kept(ReadEach&& read_each) {
  LdifContent content;
  auto warnings = read_each([&](Entry&& entry, std::string&& normalized) -> Result<void> {
    content.entries.push_back(std::move(entry));
    content.normalized_dns.push_back(std::move(normalized));
    return {};
  });
  if (!warnings) return warnings.error();
  content.warnings = std::move(*warnings);
  return content;
}

}  // namespace

Result<LdifContent> read_ldif(std::istream& in, const std::string& file_name) {
  return read_kept([&](const LdifEntrySink& sink) { return read_ldif_each(in, file_name, sink); });
}

namespace {

// Reads a file descriptor up to `size` bytes: what the file held when it was opened.
class ExportBuffer final : public std::streambuf {
 public:
  ExportBuffer(int fd, std::uint64_t size) : m_fd(fd), m_left(size) {}

  int error() const { return m_error; }
  bool shrank() const { return m_shrank; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::streamsize got = read_some(m_buffer.data(), m_buffer.size());
    if (got <= 0) return traits_type::eof();
    setg(m_buffer.data(), m_buffer.data(), m_buffer.data() + got);
    return traits_type::to_int_type(m_buffer[0]);
  }

  // Large reads go straight into the caller's buffer.
  std::streamsize xsgetn(char* into, std::streamsize count) override {
    std::streamsize done = std::min<std::streamsize>(count, egptr() - gptr());
    if (done > 0) {
      std::memcpy(into, gptr(), static_cast<std::size_t>(done));
      gbump(static_cast<int>(done));
    }
    while (done < count) {
      const std::streamsize got = read_some(into + done, static_cast<std::size_t>(count - done));
      if (got <= 0) break;
      done += got;
    }
    return done;
  }

 private:
  std::streamsize read_some(char* into, std::size_t want) {
    want = static_cast<std::size_t>(std::min<std::uint64_t>(want, m_left));
    if (want == 0 || m_error != 0) return 0;
    for (;;) {
      const ssize_t got = ::read(m_fd, into, want);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        m_error = errno;
        return -1;
      }
      if (got == 0) m_shrank = true;  // the end came before the size seen at open
      m_left -= static_cast<std::uint64_t>(got);
      return got;
    }
  }

  int m_fd;
  std::uint64_t m_left;
  int m_error = 0;
  bool m_shrank = false;
  std::array<char, 64 * 1024> m_buffer{};
};

// What a path is when it is not a regular file, in words.
std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

}  // namespace

struct LdifExport::State {
  State(std::filesystem::path file, int descriptor, const struct stat& status)
      : path(std::move(file)),
        fd(descriptor),
        opened(status),
        buffer(descriptor, static_cast<std::uint64_t>(status.st_size)),
        stream(&buffer) {}
  ~State() { ::close(fd); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  std::filesystem::path path;
  int fd;
  struct stat opened;
  ExportBuffer buffer;
  std::istream stream;
};

LdifExport::LdifExport(std::unique_ptr<State> state) : m_state(std::move(state)) {}
LdifExport::LdifExport(LdifExport&&) noexcept = default;
LdifExport& LdifExport::operator=(LdifExport&&) noexcept = default;
LdifExport::~LdifExport() = default;

Result<LdifExport> LdifExport::open(const std::filesystem::path& path) {
  const std::string name = path.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    // A socket cannot be opened at all (ENXIO): say what it is rather than the errno.
    struct stat status {};
    if (::stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode))
      return make_error("ldif:" + name + " is " + file_kind(status.st_mode) +
                        ", not a regular file");
    return make_error("cannot read LDIF export " + name + ": " +
                      std::generic_category().message(error));
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    ::close(fd);
    return make_error("cannot read LDIF export " + name + ": " +
                      std::generic_category().message(error));
  }
  if (!S_ISREG(status.st_mode)) {
    ::close(fd);
    return make_error("ldif:" + name + " is " + file_kind(status.st_mode) + ", not a regular file");
  }
  return LdifExport(std::make_unique<State>(path, fd, status));
}

std::istream& LdifExport::stream() {
  return m_state->stream;
}

Result<void> LdifExport::finish() const {
  const State& state = *m_state;
  const std::string name = "ldif:" + state.path.string();
  if (state.buffer.error() != 0)
    return make_error(name +
                      ": read error: " + std::generic_category().message(state.buffer.error()));
  struct stat now {};
  if (::fstat(state.fd, &now) != 0)
    return make_error(name + ": cannot stat: " + std::generic_category().message(errno));
  const auto& before = state.opened;
  const bool changed = state.buffer.shrank() || now.st_size != before.st_size ||
                       now.st_mtim.tv_sec != before.st_mtim.tv_sec ||
                       now.st_mtim.tv_nsec != before.st_mtim.tv_nsec;
  if (changed)
    return make_error(name + " changed while it was read (" + std::to_string(before.st_size) +
                      " bytes when opened, " + std::to_string(now.st_size) +
                      " now): is the export still being written?");
  return {};
}

Result<std::vector<std::string>> read_ldif_file_each(const std::filesystem::path& path,
                                                     const LdifEntrySink& sink) {
  try {
    auto file = LdifExport::open(path);
    if (!file) return file.error();
    auto warnings = read_ldif_each(file->stream(), path.string(), sink);
    // A file that changed explains a damaged read better than the damage does.
    if (auto unchanged = file->finish(); !unchanged) return unchanged.error();
    return warnings;
  } catch (const std::exception& e) {
    return make_error("cannot read LDIF export " + path.string() + ": " + e.what());
  }
}

Result<LdifContent> read_ldif_file(const std::filesystem::path& path) {
  return read_kept([&](const LdifEntrySink& sink) { return read_ldif_file_each(path, sink); });
}

}  // namespace secondsight::directory
