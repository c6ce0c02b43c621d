// secondsight handover record, list and revoke: handovers kept in the state database with who
// recorded them, beside those of handovers_file, and corrected by revoking them.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <set>
#include <string>

#include "secondsight/app/commands.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/checks/context.hpp"
#include "secondsight/config/handovers.hpp"
#include "secondsight/core/suggest.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/knowledge/handovers.hpp"
#include "secondsight/store/checklist_rows.hpp"
#include "secondsight/store/knowledge_store.hpp"

namespace secondsight::app {

std::string invoking_user() {
  const uid_t uid = ::geteuid();
  if (uid == 0) {
    const char* sudo_user = std::getenv("SUDO_USER");
    if (sudo_user && *sudo_user) return sudo_user;
  }
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size > 0 ? static_cast<std::size_t>(size) : 16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found)
    return found->pw_name;
  return "uid " + std::to_string(uid);
}

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Every name a person can be given by: ids and aliases, for a did-you-mean.
std::vector<std::string> person_names(const directory::DirectorySnapshot& dir) {
  std::set<std::string> names;
  for (const auto& person : dir.people) {
    names.insert(person.id);
    names.insert(person.aliases.begin(), person.aliases.end());
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> system_ids(const config::Policy& policy) {
  std::vector<std::string> ids;
  for (const auto& system : policy.systems) ids.push_back(system.id);
  return ids;
}

// "eliska handed leak-detection over to wouter on 2026-05-18, documentation URL"
std::string describe(const knowledge::HandoverRecord& record) {
  return fmt::format("{} handed {} over to {} on {}{}", record.person, record.system,
                     record.receiver, record.date,
                     record.doc.empty() ? "" : ", documentation " + record.doc);
}

// Why the record would not count with the directory as it is now; empty when it counts.
std::string receiver_problem(const LoadedConfig& loaded, const directory::DirectorySnapshot& dir,
                             const knowledge::HandoverRecord& record) {
  const auto* receiver = dir.resolve_identity(record.receiver);
  // Whether the receiver is the person who leaves is told by the scan, as it always was.
  const knowledge::Receiver facts{
      receiver != nullptr, receiver && !receiver->disabled,
      receiver && checks::attributes_match(receiver->attributes, loaded.policy.seconded_when),
      false};
  switch (knowledge::receiver_problem(facts)) {
    case knowledge::ReceiverProblem::unknown:
      return "the receiver '" + record.receiver + "' is no one in the directory" +
             did_you_mean(record.receiver, person_names(dir));
    case knowledge::ReceiverProblem::disabled:
      return "the receiver " + receiver->id + " is disabled";
    case knowledge::ReceiverProblem::seconded:
      return "the receiver " + receiver->id + " is seconded";
    case knowledge::ReceiverProblem::leaving:
    case knowledge::ReceiverProblem::none: break;
  }
  return {};
}

}  // namespace

int command_handover_record(const HandoverRecordOptions& options, std::ostream& out,
                            std::ostream& err) {
  auto loaded = load_config_and_policies(options.config, err);
  if (!loaded) return k_exit_usage;
  const auto& config = loaded->config;
  if (!loaded->policy.find_system(options.system)) {
    err << message_line("secondsight: --system: unknown system '", options.system, "'",
                        did_you_mean(options.system, system_ids(loaded->policy)));
    return k_exit_usage;
  }
  knowledge::HandoverRecord record;
  record.person = options.person;
  record.system = options.system;
  record.receiver = options.receiver;
  record.doc = options.doc;
  const Instant now = system_now();
  if (options.date.empty()) {
    record.date = format_date(local_date(now, config.zone));
  } else {
    auto day = parse_iso_date(options.date);
    if (!day) {
      err << message_line("secondsight: --date: ", day.error().message);
      return k_exit_usage;
    }
    record.date = format_date(*day);
  }

  // Check against the directory as it is now; a record is kept either way.
  auto snapshot = directory::poll_configured_directory(config.directory, config.zone);
  if (!snapshot) {
    err << message_line("secondsight: warning: cannot read the directory to check the names: ",
                        snapshot.error().message);
  } else {
    if (!snapshot->resolve_identity(record.person))
      err << message_line("secondsight: warning: the person '", record.person,
                          "' is no one in the directory",
                          did_you_mean(record.person, person_names(*snapshot)));
    // An unknown receiver is told with the closest name; the rule is for the others.
    if (auto problem = receiver_problem(*loaded, *snapshot, record); !problem.empty())
      err << message_line("secondsight: warning: this handover will not count: ", problem,
                          snapshot->resolve_identity(record.receiver)
                              ? "; a handover counts when the receiver is a current, "
                                "non-seconded person"
                              : "");
  }

  auto database = store::Database::open(database_path(config));
  if (!database) {
    return report_error(err, database.error());
  }
  const std::string user = invoking_user();
  auto transaction = store::Transaction::begin(*database);
  if (!transaction) return report_error(err, transaction.error());
  auto id = store::KnowledgeStore(*database).record_handover(record, user, now);
  if (!id) return report_error(err, id.error());
  if (auto committed = transaction->commit(); !committed)
    return report_error(err, committed.error());
  out << message_line(
      fmt::format("recorded handover {}: {} (recorded by {})", *id, describe(record), user));
  return k_exit_ok;
}

int command_handover_list(const HandoverListOptions& options, std::ostream& out,
                          std::ostream& err) {
  auto loaded = load_config_and_policies(options.config, err);
  if (!loaded) return k_exit_usage;
  const auto& config = loaded->config;
  Diagnostics diagnostics;
  auto from_file = config::load_handovers(config, loaded->policy, diagnostics);
  if (!from_file) {
    for (const auto& item : diagnostics.all()) err << message_line(item.format());
    return k_exit_usage;
  }
  auto database = store::Database::open(database_path(config), store::Missing::refuse);
  if (!database) return report_error(err, database.error());
  auto recorded = store::KnowledgeStore(*database).recorded_handovers();
  if (!recorded) return report_error(err, recorded.error());

  std::vector<ListedHandover> all;
  for (auto& record : *from_file) {
    ListedHandover listed{HandoverSource::file, {}};
    listed.handover.record = std::move(record);
    all.push_back(std::move(listed));
  }
  for (auto& stored : *recorded) all.push_back({HandoverSource::store, std::move(stored)});
  const auto names = [&](auto field) {
    return std::any_of(all.begin(), all.end(),
                       [&](const ListedHandover& listed) { return field(listed.handover.record); });
  };

  std::vector<ListedHandover> shown;
  // A system or person that no record names and no policy or directory knows is a typo: say
  // which name was meant rather than show nothing.
  if (!options.system.empty() && !loaded->policy.find_system(options.system) &&
      !names([&](const auto& record) { return record.system == options.system; })) {
    err << message_line("secondsight: --system: unknown system '", options.system, "'",
                        did_you_mean(options.system, system_ids(loaded->policy)));
    return k_exit_usage;
  }
  std::optional<directory::DirectorySnapshot> snapshot;
  const directory::Person* person = nullptr;
  if (!options.person.empty()) {
    auto polled = directory::poll_configured_directory(config.directory, config.zone);
    if (polled) {
      snapshot = std::move(*polled);
      person = snapshot->resolve_identity(options.person);
    } else {
      err << message_line(
          "secondsight: warning: cannot read the directory to resolve --person, "
          "so only records that name '",
          options.person, "' as written are shown: ", polled.error().message);
    }
  }
  const auto matches_person = [&](const knowledge::HandoverRecord& record) {
    if (same_name(record.person, options.person)) return true;
    return person != nullptr && snapshot->resolve_identity(record.person) == person;
  };
  if (!options.person.empty() && snapshot && !person && !names(matches_person)) {
    auto known = person_names(*snapshot);
    for (const auto& listed : all) known.push_back(listed.handover.record.person);
    err << message_line("secondsight: --person: '", options.person,
                        "' is no one in the directory and no handover names them",
                        did_you_mean(options.person, known));
    return k_exit_usage;
  }
  for (auto& listed : all) {
    const auto& record = listed.handover.record;
    if (!options.system.empty() && record.system != options.system) continue;
    if (!options.person.empty() && !matches_person(record)) continue;
    shown.push_back(std::move(listed));
  }

  if (options.format == OutputFormat::table) {
    write_handovers_table(out, shown, config.zone);
  } else if (options.format == OutputFormat::jsonl) {
    for (const auto& listed : shown) out << json_text(handover_json(listed)) << '\n';
  } else {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& listed : shown) list.push_back(handover_json(listed));
    out << json_text(list, 2) << '\n';
  }
  return k_exit_ok;
}

namespace {

// The person whose stored checklist a handover by `person` (id or alias, as recorded) may have
// ticked; nullopt when none has a checklist. The directory is asked only for an alias.
std::optional<std::string> checklist_person(const config::Config& config,
                                            const store::ChecklistRows& rows,
                                            const std::string& person, std::ostream& err) {
  auto kept = rows.kept();
  if (!kept || kept->empty()) return std::nullopt;
  for (const auto& [id, open] : *kept)
    if (same_name(id, person)) return id;
  auto snapshot = directory::poll_configured_directory(config.directory, config.zone);
  if (!snapshot) {
    err << message_line(
        "secondsight: warning: cannot read the directory to find the checklist of '", person,
        "': ", snapshot.error().message);
    return std::nullopt;
  }
  const auto* found = snapshot->resolve_identity(person);
  if (found && kept->count(found->id) > 0) return found->id;
  return std::nullopt;
}

}  // namespace

int command_handover_revoke(const HandoverRevokeOptions& options, std::ostream& out,
                            std::ostream& err) {
  std::int64_t id = 0;
  const auto* end = options.id.data() + options.id.size();
  const auto parsed = std::from_chars(options.id.data(), end, id);
  if (options.id.empty() || parsed.ec != std::errc() || parsed.ptr != end || id < 1) {
    err << message_line("secondsight: handover revoke: '", options.id,
                        "' is no handover id: give the number that `handover list` shows");
    return k_exit_usage;
  }
  if (options.reason.find_first_not_of(" \t") == std::string::npos) {
    err << "secondsight: --reason: say why the handover is revoked\n";
    return k_exit_usage;
  }
  auto config = load_config_only(options.config, err);
  if (!config) return k_exit_usage;
  auto database = store::Database::open(database_path(*config), store::Missing::refuse);
  if (!database) return report_error(err, database.error());
  store::KnowledgeStore handovers(*database);
  store::ChecklistRows checklists(*database);

  // Asked before the write lock is taken: the directory may be slow.
  auto before = handovers.recorded_handover(id);
  if (!before) return report_error(err, before.error());
  std::optional<std::string> person;
  if (*before && !(*before)->revoked_at)
    person = checklist_person(*config, checklists, (*before)->record.person, err);

  const Instant now = system_now();
  auto transaction = store::Transaction::begin(*database);
  if (!transaction) return report_error(err, transaction.error());
  auto revoked = handovers.revoke_handover(id, invoking_user(), options.reason, now);
  if (!revoked) return report_error(err, revoked.error());
  bool reopened = false;
  const std::string item = "handover:" + revoked->record.system;
  if (person) {
    auto done = checklists.reopen(*person, item);
    if (!done) return report_error(err, done.error());
    reopened = *done;
  }
  if (auto committed = transaction->commit(); !committed)
    return report_error(err, committed.error());

  out << message_line(fmt::format("revoked handover {}: {} ({}); revoked by {}: {}", revoked->id,
                                  describe(revoked->record), revoked->record.origin,
                                  revoked->revoked_by, revoked->revoked_reason));
  out << message_line(
      "it no longer counts from the next scan on",
      reopened ? "; the checklist item " + item + " of " + *person + " is open again" : "");
  return k_exit_ok;
}

}  // namespace secondsight::app
