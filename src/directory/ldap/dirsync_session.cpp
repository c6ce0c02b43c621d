// Following Active Directory with DirSync: a search of the naming context from the last cookie,
// every second, brings the users and groups that changed (directory::DirSyncObjects merges them
// and puts the people and groups into the replica). The first search, without a cookie, brings
// them all. DN values come in extended form, so references follow their objects by GUID.
#include <lber.h>
#include <ldap.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "connection.hpp"
#include "secondsight/directory/dirsync.hpp"
#include "secondsight/directory/ldap.hpp"
#include "secondsight/directory/ldap_sync.hpp"

namespace secondsight::directory {
namespace {

using namespace ldap;
using Clock = std::chrono::steady_clock;

// How often the server is asked what changed: an answer with nothing in it is one small
// round trip.
constexpr auto k_interval = std::chrono::seconds(1);
// Users and groups: DirSync allows a filter on objectClass only, and judges the rest itself.
constexpr const char* k_filter = "(|(objectClass=user)(objectClass=group))";
// Member values as the changes of a value (added, removed), not the whole list again.
constexpr auto k_incremental_values = static_cast<int>(LDAP_CONTROL_X_DIRSYNC_INCREMENTAL_VALUES);

struct ControlFree {
  void operator()(LDAPControl* control) const { ldap_control_free(control); }
};
using ControlHandle = std::unique_ptr<LDAPControl, ControlFree>;

class DirSyncSession final : public SyncSession {
 public:
  DirSyncSession(config::DirectoryConfig config, DirSyncObjects objects)
      : m_config(std::move(config)), m_objects(std::move(objects)) {}

  std::string name() const override { return m_config.uri; }

  Result<SyncProgress> start(SyncReplica& replica) override {
    SigpipeGuard guard;
    m_ld.reset();
    auto connected = ldap::connect(m_config);
    if (!connected) return connected.error();
    m_ld = std::move(*connected);
    auto context = naming_context();
    if (!context) {
      m_ld.reset();
      return context.error();
    }
    m_base = std::move(*context);
    // A session starts from the whole content: the objects outside the searches that
    // references name are not kept between sessions.
    m_objects.clear();
    m_objects.cookie.clear();
    for (auto scope : k_sync_scopes) replica.begin_refresh(scope, false);
    auto progress = round(replica);
    if (!progress) return progress.error();
    if (progress->state == SyncProgress::State::following)
      for (auto scope : k_sync_scopes) replica.mark_refreshed(scope);
    return progress;
  }

  Result<SyncProgress> receive(SyncReplica& replica, std::chrono::milliseconds wait) override {
    if (!m_ld) return make_error(name() + ": DirSync is not started");
    const auto now = Clock::now();
    if (now < m_next) {
      std::this_thread::sleep_for(std::min<Clock::duration>(m_next - now, wait));
      if (Clock::now() < m_next) return SyncProgress{};
    }
    SigpipeGuard guard;
    return round(replica);
  }

 private:
  Result<std::string> naming_context() {
    char attribute[] = "defaultNamingContext";
    char* attributes[] = {attribute, nullptr};
    LDAPMessage* raw = nullptr;
    timeval limit =
        to_timeval(std::chrono::duration_cast<std::chrono::milliseconds>(m_config.timeout));
    const int code = ldap_search_ext_s(m_ld.get(), "", LDAP_SCOPE_BASE, "(objectClass=*)",
                                       attributes, 0, nullptr, nullptr, &limit, 1, &raw);
    MessageHandle message(raw);
    if (code != LDAP_SUCCESS)
      return make_error(
          name() + ": reading the root DSE: " + describe(code, diagnostic_message(m_ld.get())));
    LDAPMessage* entry = ldap_first_entry(m_ld.get(), raw);
    if (entry)
      if (auto read = read_entry(m_ld.get(), entry); read && !read->first(attribute).empty())
        return std::string(read->first(attribute));
    return make_error(name() +
                      ": the root DSE names no defaultNamingContext: not an Active "
                      "Directory domain controller");
  }

  // One DirSync exchange: searches from the cookie until the server has nothing more, applies
  // what came, and puts it into the replica.
  Result<SyncProgress> round(SyncReplica& replica) {
    SyncProgress progress;
    for (bool more = true; more;) {
      auto answered = search(progress, more);
      if (!answered) {
        m_ld.reset();
        return answered.error();
      }
      if (progress.state != SyncProgress::State::following) {
        m_ld.reset();
        return progress;
      }
    }
    m_objects.publish(replica);
    m_next = Clock::now() + k_interval;
    return progress;
  }

  Result<void> search(SyncProgress& progress, bool& more) {
    berval cookie{static_cast<ber_len_t>(m_objects.cookie.size()), m_objects.cookie.data()};
    LDAPControl* dirsync_raw = nullptr;
    LDAPControl* extended_raw = nullptr;
    if (ldap_create_dirsync_control(m_ld.get(), k_incremental_values, 0, &cookie, &dirsync_raw) !=
            LDAP_SUCCESS ||
        ldap_create_extended_dn_control(m_ld.get(), 0, &extended_raw) != LDAP_SUCCESS)
      return make_error(name() + ": cannot write the DirSync controls");
    ControlHandle dirsync(dirsync_raw);
    ControlHandle extended(extended_raw);
    LDAPControl* controls[] = {dirsync.get(), extended.get(), nullptr};
    std::vector<std::string> wanted = {"*", "objectGUID", "isDeleted"};
    for (bool people : {true, false})
      for (auto& attribute : requested_attributes(m_config, people)) wanted.push_back(attribute);
    AttributeList attributes(wanted);
    timeval limit =
        to_timeval(std::chrono::duration_cast<std::chrono::milliseconds>(m_config.timeout));
    LDAPMessage* raw = nullptr;
    int code =
        ldap_search_ext_s(m_ld.get(), m_base.c_str(), LDAP_SCOPE_SUBTREE, k_filter,
                          attributes.get(), 0, controls, nullptr, &limit, LDAP_NO_LIMIT, &raw);
    MessageHandle message(raw);
    if (code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION && !m_objects.cookie.empty()) {
      progress.state = SyncProgress::State::refresh_required;
      return {};
    }
    if (code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION || code == LDAP_INSUFFICIENT_ACCESS) {
      progress.state = SyncProgress::State::unsupported;
      progress.warnings.push_back(
          name() + ": DirSync of " + m_base + ": " +
          describe(code, diagnostic_message(m_ld.get())) +
          (code == LDAP_INSUFFICIENT_ACCESS
               ? " (the bind account needs the right Replicating Directory Changes)"
               : ""));
      return {};
    }
    if (code != LDAP_SUCCESS)
      return make_error(name() + ": DirSync of " + m_base + ": " +
                        describe(code, diagnostic_message(m_ld.get())));

    for (LDAPMessage* entry = ldap_first_entry(m_ld.get(), raw); entry;
         entry = ldap_next_entry(m_ld.get(), entry)) {
      auto read = read_entry(m_ld.get(), entry);
      if (!read) return read.error();
      drop_oversized_values(*read, name(), progress.warnings);
      if (auto applied = m_objects.apply(*read); !applied)
        return make_error(name() + ": " + applied.error().message);
      ++progress.messages;
    }

    int status = LDAP_SUCCESS;
    LDAPControl** returned = nullptr;
    code = ldap_parse_result(m_ld.get(), raw, &status, nullptr, nullptr, nullptr, &returned, 0);
    ControlsHandle returned_controls(returned);
    if (code != LDAP_SUCCESS || status != LDAP_SUCCESS)
      return make_error(
          name() + ": DirSync of " + m_base + ": " +
          describe(code != LDAP_SUCCESS ? code : status, diagnostic_message(m_ld.get())));
    LDAPControl* answer = ldap_control_find(LDAP_CONTROL_X_DIRSYNC, returned, nullptr);
    if (!answer) return make_error(name() + ": the DirSync answer carries no cookie");
    int continue_flag = 0;
    berval next{0, nullptr};
    if (ldap_parse_dirsync_control(m_ld.get(), answer, &continue_flag, &next) != LDAP_SUCCESS)
      return make_error(name() + ": an unreadable DirSync answer control");
    m_objects.cookie.assign(next.bv_val ? next.bv_val : "", next.bv_len);
    ber_memfree(next.bv_val);
    more = continue_flag != 0;
    return {};
  }

  config::DirectoryConfig m_config;
  DirSyncObjects m_objects;
  LdapHandle m_ld;
  std::string m_base;
  Clock::time_point m_next{};
};

}  // namespace

Result<std::unique_ptr<SyncSession>> make_dirsync_session(const config::DirectoryConfig& config) {
  auto objects = DirSyncObjects::make(config);
  if (!objects) return objects.error();
  return std::unique_ptr<SyncSession>(
      std::make_unique<DirSyncSession>(config, std::move(*objects)));
}

Result<std::unique_ptr<SyncSession>> make_sync_session(const config::DirectoryConfig& config) {
  if (config.flavor == config::Flavor::active_directory) return make_dirsync_session(config);
  return make_ldap_sync_session(config);
}

}  // namespace secondsight::directory
