// auditd logs (raw and ENRICHED): records grouped into events by node and
// msg=audit(TIME:SERIAL), access events as DESIGN.md defines them. Hot path: a busy host writes
// millions of records an hour, so lines are scanned in place and only events allocate.

#include <charconv>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "line_text.hpp"
#include "parsers.hpp"

namespace secondsight::activity::parsers {
namespace {

// ENRICHED logs append the translated fields (AUID="frank") after this byte.
constexpr char k_enriched_separator = '\x1d';
// Several keys on one rule are joined with this byte (and the whole value hex-encoded).
constexpr char k_key_separator = '\x01';
constexpr std::string_view k_stamp_prefix = "msg=audit(";

// One name=value pair of a record.
struct Field {
  std::string_view name;
  std::string_view value;
  bool quoted = false;
};

// The fields of a record body one by one: name=value separated by blanks, each value unquoted,
// "double quoted" or 'single quoted' (the msg='...' of user-space records). Words without '='
// (the "avc:  denied  { read } for" of AVC records) are skipped; a quote left open ends at
// the end of the text, as a cut line does.
class FieldReader {
 public:
  explicit FieldReader(std::string_view text) : m_text(text) {}

  bool next(Field& field) {
    const std::size_t size = m_text.size();
    while (m_pos < size) {
      while (m_pos < size && is_blank(m_text[m_pos])) ++m_pos;
      const std::size_t start = m_pos;
      while (m_pos < size && m_text[m_pos] != '=' && !is_blank(m_text[m_pos])) ++m_pos;
      if (m_pos >= size || m_text[m_pos] != '=') continue;
      field.name = m_text.substr(start, m_pos - start);
      ++m_pos;
      if (m_pos < size && (m_text[m_pos] == '"' || m_text[m_pos] == '\'')) {
        const char quote = m_text[m_pos++];
        const std::size_t end = m_text.find(quote, m_pos);
        const std::size_t stop = end == std::string_view::npos ? size : end;
        field.value = m_text.substr(m_pos, stop - m_pos);
        field.quoted = true;
        m_pos = end == std::string_view::npos ? size : end + 1;
      } else {
        const std::size_t value_start = m_pos;
        while (m_pos < size && !is_blank(m_text[m_pos])) ++m_pos;
        field.value = m_text.substr(value_start, m_pos - value_start);
        field.quoted = false;
      }
      return true;
    }
    return false;
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

// Which event a record belongs to. The node is kept as a hash: events are rare next to records,
// and the set of recent ids must not own a string per entry.
struct EventId {
  std::size_t node = 0;
  std::int64_t seconds = 0;
  std::uint32_t millis = 0;
  std::uint64_t serial = 0;

  bool operator==(const EventId&) const = default;
};

struct EventIdHash {
  std::size_t operator()(const EventId& id) const {
    std::size_t h = id.node;
    auto mix = [&h](std::uint64_t v) {
      h ^= std::hash<std::uint64_t>{}(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    };
    mix(static_cast<std::uint64_t>(id.seconds));
    mix(id.millis);
    mix(id.serial);
    return h;
  }
};

// Ids of recently emitted events, in a fixed table indexed by their hash: a repeated record of
// an event emitted lately (a duplicated line, a replay) is not emitted again. Records of one
// event are written together, so recent is enough, and memory stays flat however long the
// file. A slot is overwritten by a newer id with the same index, which only shortens memory.
class RecentEvents {
 public:
  static constexpr std::size_t k_slots = 16384;

  // False when `id` is among the recent ones; otherwise remembers it.
  bool insert(const EventId& id) {
    Slot& slot = m_slots[EventIdHash{}(id) % k_slots];
    if (slot.used && slot.id == id) return false;
    slot = {id, true};
    return true;
  }

 private:
  struct Slot {
    EventId id;
    bool used = false;
  };
  std::vector<Slot> m_slots = std::vector<Slot>(k_slots);
};

// The header every record starts with: [node=NAME ]type=TYPE msg=audit(SECONDS.MILLIS:SERIAL):
struct RecordHeader {
  std::string_view node;
  std::string_view type;
  EventId id;
  std::string_view body;  // the fields after the header (with any ENRICHED part)
};

template <class T>
bool read_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

// The value of a "name=" word at the front of `text`, which advances past it.
std::optional<std::string_view> take_header_field(std::string_view& text, std::string_view name) {
  if (!text.starts_with(name)) return std::nullopt;
  text.remove_prefix(name.size());
  auto value = next_word(text);
  if (value.empty()) return std::nullopt;
  return value;
}

std::optional<RecordHeader> read_header(std::string_view raw) {
  RecordHeader header;
  auto text = skip_blanks(raw);
  if (text.starts_with("node=")) {
    auto node = take_header_field(text, "node=");
    if (!node) return std::nullopt;
    header.node = *node;
  }
  auto type = take_header_field(text, "type=");
  if (!type) return std::nullopt;
  header.type = *type;

  if (!text.starts_with(k_stamp_prefix)) return std::nullopt;
  text.remove_prefix(k_stamp_prefix.size());
  const std::size_t dot = text.find('.');
  const std::size_t colon = text.find(':');
  const std::size_t close = text.find(')');
  if (dot == std::string_view::npos || colon == std::string_view::npos ||
      close == std::string_view::npos || !(dot < colon && colon < close))
    return std::nullopt;
  std::int64_t seconds = 0;
  std::uint32_t millis = 0;
  std::uint64_t serial = 0;
  if (!read_number(text.substr(0, dot), seconds) ||
      !read_number(text.substr(dot + 1, colon - dot - 1), millis) ||
      !read_number(text.substr(colon + 1, close - colon - 1), serial))
    return std::nullopt;
  text.remove_prefix(close + 1);
  if (!text.empty() && text.front() == ':') text.remove_prefix(1);
  if (!text.empty() && !is_blank(text.front()) && text.front() != k_enriched_separator)
    return std::nullopt;
  header.id = {0, seconds, millis, serial};  // the node is hashed only for an event
  header.body = text;
  return header;
}

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return c - 'a' + 10;
}

// A value of a field auditd normally quotes (key, comm, exe, ...): unquoted it is hex, the
// encoding auditd uses when the value holds a space, a quote or a control character.
std::string decode_quotable(const Field& field) {
  const auto value = field.value;
  if (field.quoted || value.empty() || value.size() % 2 != 0) return std::string(value);
  for (char c : value)
    if (!is_hex_digit(c)) return std::string(value);
  std::string out;
  out.reserve(value.size() / 2);
  for (std::size_t i = 0; i < value.size(); i += 2)
    out.push_back(static_cast<char>(hex_value(value[i]) * 16 + hex_value(value[i + 1])));
  return out;
}

bool is_null(const Field& field) {
  return !field.quoted && field.value == "(null)";
}

// The fields an access event needs, as found in a record (and its inner msg='...').
struct EventFields {
  std::optional<Field> auid;
  std::optional<Field> key;
  std::optional<Field> comm;
  bool success = false;
};

void collect(std::string_view text, EventFields& found, bool nested) {
  FieldReader reader(text);
  Field field;
  while (reader.next(field)) {
    const auto name = field.name;
    if (name == "auid") {
      if (!found.auid) found.auid = field;
    } else if (name == "success" || name == "res") {
      // res=success|failed (user space), res=1|0 (kernel), success=yes|no (SYSCALL).
      const auto v = field.value;
      if (v == "yes" || v == "success" || v == "1") found.success = true;
    } else if (name == "key") {
      if (!found.key && !is_null(field)) found.key = field;
    } else if (name == "comm") {
      if (!found.comm && !is_null(field)) found.comm = field;
    } else if (name == "msg" && field.quoted && !nested) {
      collect(field.value, found, true);
    }
  }
}

// A field of a kernel record, found directly: the kernel quotes no value that holds a space
// (auditd hex-encodes those), so " name=" in the body always starts that field. Much cheaper
// than reading every field of the busiest record type.
// `from_end` searches backwards, for a field the kernel writes last (a syscall's key).
std::optional<Field> kernel_field(std::string_view body, std::string_view name,
                                  bool from_end = false) {
  auto read_at = [&](std::size_t at) -> std::optional<Field> {
    FieldReader reader(body.substr(at));
    Field field;
    if (reader.next(field)) return field;
    return std::nullopt;
  };
  auto starts_field = [&](std::size_t at) {
    const std::size_t value = at + name.size();
    return (at == 0 || is_blank(body[at - 1])) && value < body.size() && body[value] == '=' &&
           body.compare(at, name.size(), name) == 0;
  };
  if (from_end) {
    // Back from the end, '=' by '=': a handful of steps for the last field.
    for (std::size_t equals = body.size(); equals > name.size();) {
      equals = body.rfind('=', equals - 1);
      if (equals == std::string_view::npos || equals < name.size()) return std::nullopt;
      if (starts_field(equals - name.size())) return read_at(equals - name.size());
    }
    return std::nullopt;
  }
  for (std::size_t at = 0;;) {
    at = body.find(name, at);
    if (at == std::string_view::npos) return std::nullopt;
    if (starts_field(at)) return read_at(at);
    at += name.size();
  }
}

// auid 4294967295 (or -1) is "unset": the process was never part of a login session (a
// daemon, a timer), so the record is nobody's.
std::optional<long long> login_uid(const std::optional<Field>& auid) {
  if (!auid) return std::nullopt;
  long long value = 0;
  if (!read_number(auid->value, value)) return std::nullopt;
  if (value == 4294967295LL || value == -1) return std::nullopt;
  return value;
}

// ENRICHED: the login user's name that auditd translated from auid when writing the record.
std::string enriched_user(std::string_view enriched) {
  FieldReader reader(enriched);
  Field field;
  while (reader.next(field)) {
    if (field.name != "AUID") continue;
    if (field.value == "unset" || field.value == "(null)" || field.value == "?") return {};
    return std::string(field.value);
  }
  return {};
}

class AuditdParser final : public LogParser {
 public:
  LineKind parse(std::string_view line, std::vector<RawEvent>& events) override {
    line = trim_line_end(line);
    if (is_blank_or_comment(line)) return LineKind::ignored;
    auto header = read_header(line);
    if (!header) return LineKind::damaged;

    const bool is_login = header->type == "USER_LOGIN" || header->type == "USER_START";
    const bool is_syscall = header->type == "SYSCALL";
    if (!is_login && !is_syscall) return LineKind::record;

    // ENRICHED: the translated fields follow a GS byte; only records that can be events need
    // them, so the rest of the lines are not searched for it.
    std::string_view enriched;
    if (const auto separator = header->body.find(k_enriched_separator);
        separator != std::string_view::npos) {
      enriched = header->body.substr(separator + 1);
      header->body = header->body.substr(0, separator);
    }

    EventFields found;
    if (is_syscall) {
      // Most syscall records carry no key and are no event: settle those with one search.
      found.key = kernel_field(header->body, "key", true);
      if (!found.key || is_null(*found.key)) return LineKind::record;
      auto success = kernel_field(header->body, "success");
      found.success = success && success->value == "yes";
      found.auid = kernel_field(header->body, "auid");
      found.comm = kernel_field(header->body, "comm");
      if (found.comm && is_null(*found.comm)) found.comm.reset();
    } else {
      collect(header->body, found, false);
    }
    const auto uid = login_uid(found.auid);
    if (!uid || !found.success) return LineKind::record;
    std::string key;
    if (is_syscall) {
      if (!found.key) return LineKind::record;
      key = decode_quotable(*found.key);
      // One rule with several keys logs them all joined; the first names the rule.
      if (const auto cut = key.find(k_key_separator); cut != std::string::npos) key.resize(cut);
      if (key.empty()) return LineKind::record;
    }
    header->id.node = std::hash<std::string_view>{}(header->node);
    if (!m_emitted.insert(header->id)) return LineKind::record;

    RawEvent event;
    event.time = Instant{std::chrono::seconds{header->id.seconds}};
    event.uid = uid;
    event.user = enriched_user(enriched);
    event.host = std::string(header->node);
    if (is_login) {
      event.action = std::string(header->type);
    } else {
      event.action = found.comm ? decode_quotable(*found.comm) : std::string("SYSCALL");
      event.resource = key;
      event.key = std::move(key);
    }
    events.push_back(std::move(event));
    return LineKind::record;
  }

 private:
  RecentEvents m_emitted;
};

}  // namespace

std::unique_ptr<LogParser> make_auditd_parser() {
  return std::make_unique<AuditdParser>();
}

}  // namespace secondsight::activity::parsers
