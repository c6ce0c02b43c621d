// auditd logs (raw and ENRICHED): records grouped into events by node and
// msg=audit(TIME:SERIAL), access events as docs/configuration.md defines them. Hot path: a busy
// host writes millions of records an hour, so lines are scanned in place and only events allocate.

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
  std::size_t value_at = 0;  // where the value starts in the text read (after any quote)
  bool quoted = false;
  bool cut = false;  // a quote left open: the line ends inside the value
};

// How the fields of a text are laid out.
enum class Layout {
  // name=value separated by blanks: a kernel record, the header part of a user-space record.
  plain,
  // The msg='...' payload of a user-space record. Older auditd (RHEL 5 era) puts the PAM fields
  // in a group: "uid=500: exe=\"/usr/sbin/sshd\" (hostname=?, addr=?, terminal=cron
  // res=success)". Grouping punctuation around a field is not part of its name or value.
  grouped,
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-';
}

bool is_group_punctuation(char c) {
  return c == '(' || c == ')' || c == ',' || c == ':';
}

// An unquoted value of a grouped payload without the punctuation that closes its group or
// separates it from the next field: "success)" is "success", "?," is "?", "500:" is "500". A
// parenthesis the value itself opened stays: "(none)" is "(none)".
std::string_view trim_group_punctuation(std::string_view value) {
  std::size_t opened = 0;
  std::size_t closed = 0;
  for (char c : value) {
    if (c == '(') ++opened;
    if (c == ')') ++closed;
  }
  while (!value.empty()) {
    const char last = value.back();
    if (last == ')' && closed > opened) {
      --closed;
    } else if (last != ',' && last != ':') {
      break;
    }
    value.remove_suffix(1);
  }
  return value;
}

// The fields of a record body one by one: name=value, each value unquoted, "double quoted" or
// 'single quoted' (the msg='...' of user-space records). Words without '=' (the "avc:  denied
// { read } for" of AVC records, the "PAM: session open" of older user records) are skipped; a
// quote left open ends at the end of the text, as a cut line does, and says so.
class FieldReader {
 public:
  explicit FieldReader(std::string_view text, Layout layout = Layout::plain)
      : m_text(text), m_grouped(layout == Layout::grouped) {}

  bool next(Field& field) {
    const std::size_t size = m_text.size();
    while (m_pos < size) {
      while (m_pos < size && is_separator(m_text[m_pos])) ++m_pos;
      const std::size_t start = m_pos;
      while (m_pos < size && m_text[m_pos] != '=' && !is_blank(m_text[m_pos])) ++m_pos;
      if (m_pos >= size || m_text[m_pos] != '=') continue;
      field.name = m_text.substr(start, m_pos - start);
      ++m_pos;
      field.cut = false;
      if (m_pos < size && (m_text[m_pos] == '"' || m_text[m_pos] == '\'')) {
        const char quote = m_text[m_pos++];
        const std::size_t end = m_text.find(quote, m_pos);
        const std::size_t stop = end == std::string_view::npos ? size : end;
        field.value = m_text.substr(m_pos, stop - m_pos);
        field.value_at = m_pos;
        field.quoted = true;
        field.cut = end == std::string_view::npos;
        m_pos = end == std::string_view::npos ? size : end + 1;
      } else {
        const std::size_t value_start = m_pos;
        while (m_pos < size && !is_blank(m_text[m_pos]) && !starts_next_field(m_pos)) ++m_pos;
        field.value = m_text.substr(value_start, m_pos - value_start);
        if (m_grouped) field.value = trim_group_punctuation(field.value);
        field.value_at = value_start;
        field.quoted = false;
      }
      return true;
    }
    return false;
  }

 private:
  bool is_separator(char c) const { return is_blank(c) || (m_grouped && is_group_punctuation(c)); }

  // In a group, "addr=?,terminal=tty1" holds two fields; "grantors=pam_env,pam_unix" one.
  bool starts_next_field(std::size_t at) const {
    if (!m_grouped || m_text[at] != ',') return false;
    std::size_t end = at + 1;
    while (end < m_text.size() && is_name_char(m_text[end])) ++end;
    return end > at + 1 && end < m_text.size() && m_text[end] == '=';
  }

  std::string_view m_text;
  bool m_grouped = false;
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

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// A uid field's number. 4294967295 (or -1) is "unset": for auid, the process was never part
// of a login session (a daemon, a timer), so the record is nobody's.
std::optional<long long> set_uid(const std::optional<Field>& field) {
  if (!field) return std::nullopt;
  long long value = 0;
  if (!read_number(field->value, value)) return std::nullopt;
  if (value == 4294967295LL || value == -1) return std::nullopt;
  return value;
}

// ENRICHED: the name auditd translated from a uid field when writing the record (AUID="frank"
// for auid, ID="frank" for id).
std::string enriched_name(std::string_view enriched, std::string_view name) {
  FieldReader reader(enriched);
  Field field;
  while (reader.next(field)) {
    if (field.name != name) continue;
    if (field.value == "unset" || field.value == "(null)" || field.value == "?") return {};
    return std::string(field.value);
  }
  return {};
}

// The outcome a user-space record states.
enum class Outcome {
  none,  // it states none: neither a success nor a failure
  success,
  failed,
  unreadable,  // the payload or its result is cut or empty: a damaged record
};

// What a user-space record (USER_LOGIN, USER_START) says, read the way ausearch reads it.
struct UserRecord {
  Outcome outcome = Outcome::none;
  // Whose login it is: the login uid; failing it the uid the payload names (id=, or uid= in
  // the older "msg='uid=500: ..." shape); failing both the account it names (acct=, user=).
  std::optional<long long> uid;
  std::string_view uid_name;  // the ENRICHED field that translates `uid`
  std::string account;
};

// The fields of a user record's msg='...' payload that say whose it is and how it went.
struct Payload {
  std::optional<Field> res;
  std::optional<Field> result;
  std::optional<Field> auid;
  std::optional<Field> id;
  std::optional<Field> account;
};

Payload read_payload(std::string_view text) {
  Payload payload;
  FieldReader reader(text, Layout::grouped);
  Field field;
  auto keep_first = [&field](std::optional<Field>& slot) {
    if (!slot) slot = field;
  };
  while (reader.next(field)) {
    const auto name = field.name;
    if (name == "res") {
      keep_first(payload.res);
    } else if (name == "result") {
      keep_first(payload.result);
    } else if (name == "auid") {
      keep_first(payload.auid);
    } else if (name == "id" || name == "uid") {
      keep_first(payload.id);
    } else if (name == "acct" || name == "user") {
      keep_first(payload.account);
    }
  }
  return payload;
}

// The result inside a payload: res= in every shape ("res=success'", "terminal=cron
// res=failed)'"), which ausearch takes as a success unless it says failed; failing that the
// oldest shape's free text up to the group's end ("result=Success)", "result=Authentication
// failure)"), a success only when it says success.
Outcome outcome_of(std::string_view text, const Payload& payload) {
  if (const auto& res = payload.res) {
    if (res->value.empty() || res->cut) return Outcome::unreadable;
    return res->value.starts_with("failed") ? Outcome::failed : Outcome::success;
  }
  if (const auto& result = payload.result) {
    const auto rest = text.substr(result->value_at);
    const std::size_t close = rest.find(')');
    if (close == std::string_view::npos) return Outcome::unreadable;
    return equals_ignoring_case(rest.substr(0, close), "success") ? Outcome::success
                                                                  : Outcome::failed;
  }
  return Outcome::none;
}

// A user-space record: its login uid among the header fields (records before auid was named
// call it loginuid), its result and the rest inside msg='...'. A result outside the payload is
// none: ausearch reads none there, and a payload cut short is trusted for nothing.
UserRecord read_user_record(std::string_view body) {
  UserRecord record;
  std::optional<Field> auid;
  std::optional<Field> loginuid;
  std::optional<Field> message;
  FieldReader reader(body);
  Field field;
  while (reader.next(field)) {
    if (field.name == "auid") {
      if (!auid) auid = field;
    } else if (field.name == "loginuid") {
      if (!loginuid) loginuid = field;
    } else if (field.name == "msg" && field.quoted) {
      if (!message) message = field;
    }
  }
  if (message && message->cut) {
    record.outcome = Outcome::unreadable;
    return record;
  }
  const auto payload = message ? read_payload(message->value) : Payload{};
  if (message) record.outcome = outcome_of(message->value, payload);
  if (!auid) auid = payload.auid ? payload.auid : loginuid;

  if ((record.uid = set_uid(auid))) {
    record.uid_name = "AUID";
  } else if ((record.uid = set_uid(payload.id))) {
    record.uid_name = "ID";
  } else if (payload.account) {
    auto account = decode_quotable(*payload.account);
    if (account != "?") record.account = std::move(account);
  }
  return record;
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

    RawEvent event;
    std::string key;
    std::optional<Field> comm;
    if (is_syscall) {
      // Most syscall records carry no key and are no event: settle those with one search.
      const auto key_field = kernel_field(header->body, "key", true);
      if (!key_field || is_null(*key_field)) return LineKind::record;
      // A key cut by the line's end may be any key's start: ausearch skips such a record too.
      if (key_field->cut) return LineKind::damaged;
      const auto success = kernel_field(header->body, "success");
      event.uid = set_uid(kernel_field(header->body, "auid"));
      if (!event.uid || !success || success->value != "yes") return LineKind::record;
      // One rule with several keys (auditctl -k a -k b) logs them all, joined by \x01: the
      // event keeps them all, for rules on any of them; the first names it as its resource.
      key = decode_quotable(*key_field);
      if (key.empty() || key.front() == k_key_separator) return LineKind::record;
      comm = kernel_field(header->body, "comm");
      if (comm && is_null(*comm)) comm.reset();
      event.user = enriched_name(enriched, "AUID");
    } else {
      auto record = read_user_record(header->body);
      if (record.outcome == Outcome::unreadable) return LineKind::damaged;
      if (record.outcome != Outcome::success) return LineKind::record;
      if (!record.uid && record.account.empty()) return LineKind::record;  // nobody's
      event.uid = record.uid;
      event.user =
          record.uid ? enriched_name(enriched, record.uid_name) : std::move(record.account);
    }
    header->id.node = std::hash<std::string_view>{}(header->node);
    if (!m_emitted.insert(header->id)) return LineKind::record;

    event.time = Instant{std::chrono::seconds{header->id.seconds}};
    event.host = std::string(header->node);
    if (is_login) {
      event.action = std::string(header->type);
    } else {
      event.action = comm ? decode_quotable(*comm) : std::string("SYSCALL");
      event.resource = key.substr(0, key.find(k_key_separator));
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
