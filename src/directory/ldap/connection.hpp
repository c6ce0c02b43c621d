// What the LDAP directory's parts share: one verified, bound libldap connection, and the
// conversion of the entries it returns. Internal to src/directory/ldap.
#pragma once

#include <lber.h>
#include <ldap.h>
#include <signal.h>
#include <sys/time.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/directory/entry.hpp"

namespace secondsight::directory::ldap {

struct LdapUnbind {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapUnbind>;

struct MessageFree {
  void operator()(LDAPMessage* message) const { ldap_msgfree(message); }
};
using MessageHandle = std::unique_ptr<LDAPMessage, MessageFree>;

struct ControlsFree {
  void operator()(LDAPControl** controls) const { ldap_controls_free(controls); }
};
using ControlsHandle = std::unique_ptr<LDAPControl*, ControlsFree>;

// Writes to a socket the server has closed raise SIGPIPE, which would end the process: while
// libldap works, SIGPIPE is blocked in this thread and one it raised is discarded.
class SigpipeGuard {
 public:
  SigpipeGuard();
  ~SigpipeGuard();
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t m_set{};
  sigset_t m_old{};
  bool m_was_pending = false;
};

// Connects to the server of `config`, starts TLS when asked (always verified) and binds: with
// the bind_password_file, or SASL EXTERNAL with the client certificate. A refused or timed-out
// connection is tried again a few times with growing delays, all within `config.timeout`. Any
// failure names the server, the operation and libldap's diagnostic; never the password.
Result<LdapHandle> connect(const config::DirectoryConfig& config);

timeval to_timeval(std::chrono::milliseconds duration);
std::string diagnostic_message(LDAP* ld);
int result_code(LDAP* ld);
// "Invalid credentials (diagnostic)": libldap's text for the code, and the server's or
// library's diagnostic message when it says something more.
std::string describe(int code, const std::string& diagnostic);

// Converts a search result entry; the values are copied out of the message's BER buffer.
Result<Entry> read_entry(LDAP* ld, LDAPMessage* message);

// A value past k_max_value_bytes is damaged, not cut short: it is left out of the entry, and
// each one is said in a warning that names the entry and the attribute.
void drop_oversized_values(Entry& entry, const std::string& source,
                           std::vector<std::string>& warnings);

// The attribute list libldap wants: NULL-terminated, or NULL itself for every user attribute.
class AttributeList {
 public:
  explicit AttributeList(const std::vector<std::string>& names) {
    for (const auto& name : names) m_pointers.push_back(const_cast<char*>(name.c_str()));
    m_pointers.push_back(nullptr);
  }
  char** get() { return m_pointers.size() == 1 ? nullptr : m_pointers.data(); }

 private:
  std::vector<char*> m_pointers;
};

}  // namespace secondsight::directory::ldap
