// secondsight handover record: a handover, kept in the state database with who recorded it.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "secondsight/app/commands.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/checks/context.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/directory/snapshot.hpp"
#include "secondsight/knowledge/handovers.hpp"
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

// Why the record would not count with the directory as it is now; empty when it counts.
std::string receiver_problem(const LoadedConfig& loaded, const directory::DirectorySnapshot& dir,
                             const knowledge::HandoverRecord& record) {
  const auto* receiver = dir.resolve_identity(record.receiver);
  // Whether the receiver is the person who leaves is told by the scan, as it always was.
  const knowledge::Receiver facts{
      receiver != nullptr, receiver && !receiver->disabled,
      receiver && checks::attributes_match(receiver->entry, loaded.policy.seconded_when), false};
  switch (knowledge::receiver_problem(facts)) {
    case knowledge::ReceiverProblem::unknown:
      return "the receiver '" + record.receiver + "' is no one in the directory";
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
    err << message_line("secondsight: --system: unknown system '", options.system, "'");
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
                          "' is no one in the directory");
    if (auto problem = receiver_problem(*loaded, *snapshot, record); !problem.empty())
      err << message_line("secondsight: warning: this handover will not count: ", problem,
                          "; a handover counts when the receiver is a current, non-seconded "
                          "person");
  }

  auto database = store::Database::open(database_path(config));
  if (!database) {
    return report_error(err, database.error());
  }
  const std::string user = invoking_user();
  if (auto kept = store::KnowledgeStore(*database).record_handover(record, user, now); !kept) {
    return report_error(err, kept.error());
  }
  out << message_line(fmt::format("recorded: {} handed {} over to {} on {}{} (recorded by {})",
                                  record.person, record.system, record.receiver, record.date,
                                  record.doc.empty() ? "" : ", documentation " + record.doc, user));
  return k_exit_ok;
}

}  // namespace secondsight::app
