// `secondsight knowledge`: who holds the knowledge of one repository, without a config.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "secondsight/app/commands.hpp"
#include "secondsight/core/text.hpp"

namespace secondsight::app {
namespace {

struct AuthorShare {
  std::string identity;
  int files = 0;
  double share = 0;
};

struct KnowledgeReport {
  std::string repository;
  std::string head;
  int files = 0;
  knowledge::TruckFactor truck_factor;
  std::vector<AuthorShare> authors;  // by files, most first, then by identity
};

// --before: RFC 3339, or YYYY-MM-DD for the start of that day in UTC.
Result<Instant> parse_before(std::string_view text) {
  if (text.size() == 10) {
    auto day = parse_iso_date(text);
    if (!day) return day.error();
    return Instant{date::sys_days{*day}};
  }
  return parse_rfc3339(text);
}

KnowledgeReport measure(const knowledge::History& history, knowledge::FileSet set) {
  auto keys = knowledge::merge_by_email_or_name(history.identities);
  auto files = knowledge::authors_of_files(history, keys, set);
  KnowledgeReport report{history.repository,
                         history.head,
                         static_cast<int>(files.size()),
                         knowledge::truck_factor(files),
                         {}};
  std::map<std::string, int> files_of;
  for (const auto& file : files) {
    for (const auto& author : file.authors) ++files_of[author];
  }
  for (const auto& [identity, count] : files_of) {
    double share = static_cast<double>(count) / static_cast<double>(files.size());
    report.authors.push_back({identity, count, std::round(share * 10000) / 10000});
  }
  std::stable_sort(report.authors.begin(), report.authors.end(),
                   [](const AuthorShare& a, const AuthorShare& b) { return a.files > b.files; });
  return report;
}

// The documented object (docs/knowledge.md), its keys in the documented order.
nlohmann::ordered_json report_json(const KnowledgeReport& report) {
  nlohmann::ordered_json authors = nlohmann::ordered_json::array();
  for (const auto& author : report.authors)
    authors.push_back(
        {{"identity", author.identity}, {"files", author.files}, {"share", author.share}});
  return {{"repository", report.repository},
          {"head", report.head},
          {"files", report.files},
          {"truck_factor", report.truck_factor.value},
          {"authors", std::move(authors)}};
}

// Columns line up by characters, not bytes: names are often not ASCII.
std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string padded(const std::string& text, std::size_t width) {
  std::size_t shown = display_width(text);
  return text + std::string(width > shown ? width - shown : 0, ' ');
}

void write_report_table(std::ostream& out, const KnowledgeReport& report, knowledge::FileSet set) {
  out << message_line("repository    ", report.repository);
  out << message_line("head          ", report.head);
  out << message_line("files         ", report.files,
                      set == knowledge::FileSet::all
                          ? " (without vendored and generated files)"
                          : " (code: programming and markup languages only)");
  std::string truck = fmt::format("truck factor  {}", report.truck_factor.value);
  if (!report.truck_factor.removed.empty()) {
    truck += " (";
    for (std::size_t i = 0; i < report.truck_factor.removed.size(); ++i)
      truck += (i > 0 ? ", " : "") + report.truck_factor.removed[i];
    truck += ')';
  }
  out << message_line(truck) << '\n';
  if (report.authors.empty()) {
    out << "no authors\n";
    return;
  }
  // Names as the terminal will show them: escaped first, then measured.
  std::vector<std::string> names;
  for (const auto& author : report.authors) names.push_back(escape_terminal(author.identity));
  std::size_t width = display_width("author");
  for (const auto& name : names) width = std::max(width, display_width(name));
  out << padded("author", width) << "  files   share\n";
  for (std::size_t i = 0; i < names.size(); ++i)
    out << padded(names[i], width)
        << fmt::format("  {:>5}  {:>5.1f}%\n", report.authors[i].files,
                       report.authors[i].share * 100);
}

}  // namespace

int command_knowledge(const KnowledgeOptions& options, std::ostream& out, std::ostream& err) {
  if (!options.before.empty() && !options.rev.empty()) {
    err << "secondsight: knowledge: --before and --rev exclude each other\n";
    return k_exit_usage;
  }
  if (options.format != OutputFormat::table && options.format != OutputFormat::json) {
    err << "secondsight: knowledge: --format is table or json\n";
    return k_exit_usage;
  }
  knowledge::Revision revision;
  if (!options.rev.empty()) revision.rev = options.rev;
  if (!options.before.empty()) {
    auto before = parse_before(options.before);
    if (!before) {
      err << message_line("secondsight: knowledge: --before: ", before.error().message);
      return k_exit_usage;
    }
    revision.before = *before;
  }
  auto history = knowledge::read_history(options.repository, revision);
  if (!history) {
    err << message_line("secondsight: knowledge: ", history.error().message);
    return k_exit_source;
  }
  auto report = measure(*history, options.files);
  if (options.format == OutputFormat::json) {
    // A name or path in another encoding than UTF-8 is shown with U+FFFD where it is not.
    out << json_text(report_json(report)) << '\n';
  } else {
    write_report_table(out, report, options.files);
  }
  return k_exit_ok;
}

}  // namespace secondsight::app
