// sshd logins from syslog files: traditional (RFC 3164) stamps without a year, RFC 3339 stamps
// (rsyslog high precision, journalctl -o short-iso) and RFC 5424 lines.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "line_text.hpp"
#include "parsers.hpp"
#include "timestamps.hpp"

namespace secondsight::activity {
namespace {

using parsers::is_blank;
using parsers::is_digit;
using parsers::next_word;
using parsers::skip_blanks;

constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

}  // namespace

std::optional<RawEvent> parse_sshd_message(std::string_view message, Instant time,
                                           std::string_view host) {
  auto text = skip_blanks(parsers::trim_line_end(message));
  if (next_word(text) != "Accepted") return std::nullopt;
  const auto method = next_word(text);
  if (method.empty() || next_word(text) != "for") return std::nullopt;
  const auto user = next_word(text);
  if (user.empty() || next_word(text) != "from") return std::nullopt;
  if (next_word(text).empty()) return std::nullopt;  // the client's address
  RawEvent event;
  event.time = time;
  event.user = std::string(user);
  event.host = std::string(host);
  event.action = "login";
  return event;
}

bool is_sshd_program(std::string_view program) {
  // OpenSSH 9.8 split the per-connection part into sshd-session, which logs the logins.
  return program == "sshd" || program == "sshd-session";
}

namespace parsers {
namespace {

// A syslog line split into its parts; `message` is what the program wrote.
struct SyslogLine {
  Instant time;
  std::string_view host;  // "" when the line has none
  std::string_view program;
  std::string_view message;
};

bool read_two_digits(std::string_view text, std::size_t pos, int& out) {
  if (pos + 2 > text.size() || !is_digit(text[pos]) || !is_digit(text[pos + 1])) return false;
  out = (text[pos] - '0') * 10 + (text[pos + 1] - '0');
  return true;
}

// "Mar", ... as syslog writes them (C locale): 1..12, or 0.
unsigned month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> k_months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < k_months.size(); ++i)
    if (k_months[i] == name) return i + 1;
  return 0;
}

// "sshd[30506]:" or "sshd:" at the front of `text`: the program's name, `text` moved to the
// message. A word without that shape (a host name) leaves `text` alone.
std::optional<std::string_view> take_tag(std::string_view& text) {
  std::size_t end = 0;
  while (end < text.size() && !is_blank(text[end]) && text[end] != ':' && text[end] != '[') ++end;
  if (end == 0 || end >= text.size()) return std::nullopt;
  const auto program = text.substr(0, end);
  std::size_t pos = end;
  if (text[pos] == '[') {
    const auto close = text.find(']', pos);
    if (close == std::string_view::npos) return std::nullopt;
    for (std::size_t i = pos + 1; i < close; ++i)
      if (is_blank(text[i])) return std::nullopt;
    pos = close + 1;
  }
  if (pos >= text.size() || text[pos] != ':') return std::nullopt;
  ++pos;
  if (pos < text.size() && !is_blank(text[pos])) return std::nullopt;
  text = skip_blanks(text.substr(pos));
  return program;
}

// "HOST PROGRAM[PID]: message" after a stamp; a line without host field has the tag first.
bool split_host_and_tag(std::string_view rest, SyslogLine& out) {
  if (auto program = take_tag(rest)) {
    out.program = *program;
    out.message = rest;
    return true;
  }
  out.host = next_word(rest);
  if (out.host.empty()) return false;
  auto program = take_tag(rest);
  if (!program) return false;
  out.program = *program;
  out.message = rest;
  return true;
}

class SshdParser final : public LogParser {
 public:
  explicit SshdParser(const ParserContext& context)
      : m_zone(context.zone), m_latest(context.now + std::chrono::days{1}) {
    m_latest_year = local_year(m_latest);
  }

  LineKind parse(std::string_view line, std::vector<RawEvent>& events) override {
    line = trim_line_end(line);
    if (is_blank_or_comment(line)) return LineKind::ignored;
    const auto parts = split(skip_blanks(line));
    if (!parts) return LineKind::damaged;
    if (is_sshd_program(parts->program)) {
      if (auto event = parse_sshd_message(parts->message, parts->time, parts->host))
        events.push_back(std::move(*event));
    }
    return LineKind::record;
  }

 private:
  int local_year(Instant at) const {
    const auto local = m_zone ? m_zone->to_local(at) : date::local_seconds{at.time_since_epoch()};
    return static_cast<int>(date::year_month_day{date::floor<date::days>(local)}.year());
  }

  std::optional<SyslogLine> split(std::string_view text) const {
    // A priority "<38>" is kept by some relays; "<38>1 " starts an RFC 5424 line.
    if (!text.empty() && text.front() == '<') {
      const auto close = text.find('>');
      if (close == std::string_view::npos || close < 2 || close > 4) return std::nullopt;
      for (std::size_t i = 1; i < close; ++i)
        if (!is_digit(text[i])) return std::nullopt;
      text.remove_prefix(close + 1);
      std::size_t version = 0;
      while (version < text.size() && version < 3 && is_digit(text[version])) ++version;
      if (version > 0 && version < text.size() && text[version] == ' ')
        return split_rfc5424(text.substr(version + 1));
    }
    if (!text.empty() && is_digit(text.front())) return split_rfc3339(text);
    return split_traditional(text);
  }

  // "2026-03-02T09:12:00.123456+01:00 pay-1 sshd[30506]: ..."
  std::optional<SyslogLine> split_rfc3339(std::string_view text) const {
    SyslogLine out;
    const auto stamp = next_word(text);
    const auto time = parse_iso_stamp(stamp, m_zone);
    if (!time) return std::nullopt;
    out.time = *time;
    if (!split_host_and_tag(text, out)) return std::nullopt;
    return out;
  }

  // "Mar  2 09:12:00 pay-1 sshd[30506]: ..." (no year: the latest that is not in the future)
  std::optional<SyslogLine> split_traditional(std::string_view text) const {
    if (text.size() < 15) return std::nullopt;
    const unsigned month = month_number(text.substr(0, 3));
    if (month == 0 || !is_blank(text[3])) return std::nullopt;
    text = skip_blanks(text.substr(3));
    int day = 0;
    std::size_t pos = 0;
    while (pos < text.size() && pos < 2 && is_digit(text[pos]))
      day = day * 10 + (text[pos++] - '0');
    if (pos == 0 || pos >= text.size() || !is_blank(text[pos])) return std::nullopt;
    text = skip_blanks(text.substr(pos));
    int hour = 0, minute = 0, second = 0;
    if (text.size() < 8 || !read_two_digits(text, 0, hour) || text[2] != ':' ||
        !read_two_digits(text, 3, minute) || text[5] != ':' || !read_two_digits(text, 6, second))
      return std::nullopt;
    pos = 8;
    if (pos < text.size() && text[pos] == '.') {  // some templates add fractions
      ++pos;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
    }
    if (pos >= text.size() || !is_blank(text[pos])) return std::nullopt;
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const auto time = infer_year(month, static_cast<unsigned>(day),
                                 std::chrono::hours{hour} + std::chrono::minutes{minute} +
                                     std::chrono::seconds{second == 60 ? 59 : second});
    if (!time) return std::nullopt;
    SyslogLine out;
    out.time = *time;
    if (!split_host_and_tag(skip_blanks(text.substr(pos)), out)) return std::nullopt;
    return out;
  }

  // The latest year in which the stamp is no later than one day after now: a log read on
  // 2 January holds December's lines of the year before, and a clock a little ahead is no
  // reason to push a line back a year.
  std::optional<Instant> infer_year(unsigned month, unsigned day,
                                    std::chrono::seconds time_of_day) const {
    // Feb 29 may need up to 8 years back (across a century that is no leap year).
    for (int year = m_latest_year; year > m_latest_year - 9; --year) {
      const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
      if (!ymd.ok()) continue;
      const auto at = local_to_instant(date::local_days{ymd} + time_of_day, m_zone);
      if (at <= m_latest) return at;
    }
    return std::nullopt;
  }

  // "<38>1 2026-03-02T09:12:00.003Z pay-1 sshd 30506 - - Accepted ..." after "<38>1 ".
  std::optional<SyslogLine> split_rfc5424(std::string_view text) const {
    SyslogLine out;
    const auto stamp = next_word(text);
    const auto time = parse_iso_stamp(stamp, m_zone);
    if (!time) return std::nullopt;
    out.time = *time;
    out.host = next_word(text);
    out.program = next_word(text);
    const auto procid = next_word(text);
    const auto msgid = next_word(text);
    if (out.host.empty() || out.program.empty() || procid.empty() || msgid.empty())
      return std::nullopt;
    if (out.host == "-") out.host = {};
    if (text.empty()) return out;
    // Structured data: "-" or [id param="value" ...]..., where \] and \" escape in values.
    if (text.front() == '-') {
      text.remove_prefix(1);
    } else if (text.front() == '[') {
      while (!text.empty() && text.front() == '[') {
        std::size_t pos = 1;
        bool in_quotes = false;
        for (; pos < text.size(); ++pos) {
          const char c = text[pos];
          if (in_quotes && c == '\\') {
            ++pos;
          } else if (c == '"') {
            in_quotes = !in_quotes;
          } else if (c == ']' && !in_quotes) {
            break;
          }
        }
        if (pos >= text.size()) return std::nullopt;
        text.remove_prefix(pos + 1);
      }
    } else {
      return std::nullopt;
    }
    if (!text.empty() && !is_blank(text.front())) return std::nullopt;
    text = skip_blanks(text);
    if (text.starts_with(k_byte_order_mark)) text.remove_prefix(k_byte_order_mark.size());
    out.message = text;
    return out;
  }

  Zone m_zone;
  Instant m_latest;  // now + 1 day: no syslog stamp without a year is read as later
  int m_latest_year = 0;
};

}  // namespace

std::unique_ptr<LogParser> make_sshd_parser(const ParserContext& context) {
  return std::make_unique<SshdParser>(context);
}

}  // namespace parsers
}  // namespace secondsight::activity
