#include "connection.hpp"

#include <pthread.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "secondsight/core/logging.hpp"
#include "secondsight/directory/limits.hpp"

namespace secondsight::directory::ldap {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Connection attempts per open(): a refused or timed-out connection is tried again after
// 250 ms, 500 ms, ... as long as the configured timeout has not run out.
constexpr int k_connect_attempts = 4;
constexpr std::chrono::milliseconds k_first_retry_delay{250};
constexpr int k_read_ahead_bytes = 64 * 1024;

// Where Debian, Fedora/RHEL and Alpine/BSD keep the system's trusted CAs. libldap with GnuTLS
// trusts nothing unless told, so without a ca_file we name the system store ourselves.
constexpr std::string_view k_system_ca_files[] = {
    "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"};

// A secret that is wiped from memory when it goes.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string text) : m_text(std::move(text)) {}
  ~Secret() { wipe(); }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept : m_text(std::move(other.m_text)) { other.wipe(); }
  Secret& operator=(Secret&& other) noexcept {
    wipe();
    m_text = std::move(other.m_text);
    other.wipe();
    return *this;
  }
  const std::string& text() const { return m_text; }
  void wipe() {
    volatile char* p = m_text.data();
    for (std::size_t i = 0; i < m_text.size(); ++i) p[i] = 0;
    m_text.clear();
  }

 private:
  std::string m_text;
};

bool is_connection_failure(int code) {
  return code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR || code == LDAP_TIMEOUT ||
         code == LDAP_BUSY || code == LDAP_UNAVAILABLE;
}

Result<Secret> read_password_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error("cannot read bind_password_file " + path.string() + ": " +
                      std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return make_error("cannot read bind_password_file " + path.string() + ": read error");
  Secret secret(std::move(buffer).str());
  std::string text = secret.text();
  // One trailing newline (as `echo` and editors write it) is not part of the password.
  if (text.ends_with("\r\n"))
    text.resize(text.size() - 2);
  else if (text.ends_with('\n'))
    text.pop_back();
  Secret password(std::move(text));
  if (password.text().empty())
    return make_error("bind_password_file " + path.string() + " is empty");
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0)
    logger("directory")
        ->warn("bind_password_file {} can be read by every user of this machine", path.string());
  return password;
}

// Called by libldap when a TCP connection is up and the TLS handshake is about to start: a
// failure after it is a TLS failure, not an unreachable server.
int note_tls_start(LDAP*, void*, void*, void* arg) {
  *static_cast<bool*>(arg) = true;
  return 0;
}

// TLS contexts built with NEWCTX, kept for the next connections with the same files. Building
// one reads the CA, certificate and key files, and libldap's GnuTLS code never frees the client
// key and certificate it parses (about 17 KiB each time): once per process and set of files, not
// once per poll. A file that changes (its size or time) gets a new context.
// Connections made on two threads at once (the daemon's poll and its following the directory)
// find or build their context one after the other: each building one of its own would leave
// one of them owned by no one.
class TlsContexts {
 public:
  // Held while a context is looked up, and built and kept when there is none.
  std::unique_lock<std::mutex> lock() { return std::unique_lock(m_mutex); }
  void* find(const std::string& ca, const std::string& cert, const std::string& key) {
    auto it = m_contexts.find(identify(ca, cert, key));
    return it == m_contexts.end() ? nullptr : it->second;
  }
  // Takes over one reference to `context`, kept for the life of the process.
  void keep(const std::string& ca, const std::string& cert, const std::string& key, void* context) {
    m_contexts.emplace(identify(ca, cert, key), context);
  }

 private:
  static std::string identify(const std::string& ca, const std::string& cert,
                              const std::string& key) {
    std::string id;
    for (const auto* path : {&ca, &cert, &key}) {
      struct stat info {};
      id += *path + '\n';
      if (!path->empty() && ::stat(path->c_str(), &info) == 0)
        id += std::to_string(info.st_size) + ':' + std::to_string(info.st_mtim.tv_sec) + '.' +
              std::to_string(info.st_mtim.tv_nsec) + '\n';
    }
    return id;
  }

  std::mutex m_mutex;
  std::map<std::string, void*> m_contexts;
};

TlsContexts& tls_contexts() {
  static TlsContexts* contexts = new TlsContexts();  // never destroyed: used until exit
  return *contexts;
}

// One connection's making: the config checked, TLS set up, connected and bound.
class Connector {
 public:
  explicit Connector(const config::DirectoryConfig& config) : m_config(config) {
    m_tls = m_config.starttls || m_config.uri.rfind("ldaps://", 0) == 0 ||
            m_config.uri.rfind("LDAPS://", 0) == 0;
  }

  Result<LdapHandle> connect() {
    SigpipeGuard guard;
    if (auto usable = check_config(); !usable) return usable.error();

    Secret password;
    if (!m_config.bind_password_file.empty()) {
      auto read = read_password_file(m_config.bind_password_file);
      if (!read) return make_error(name() + ": " + read.error().message);
      password = std::move(*read);
    }

    const auto deadline = Clock::now() + m_config.timeout;
    auto delay = k_first_retry_delay;
    for (int attempt = 1;; ++attempt) {
      bool retry = false;
      auto connected = connect_and_bind(password, deadline, retry);
      if (connected) return connected;
      const Error& failure = connected.error();
      const bool time_left = Clock::now() + delay < deadline;
      if (!retry || attempt == k_connect_attempts || !time_left) {
        if (attempt == 1) return failure;
        return make_error(failure.message + " (after " + std::to_string(attempt) + " attempts)");
      }
      logger("directory")
          ->info("{} (attempt {} of {}, next in {} ms)", failure.message, attempt,
                 k_connect_attempts, delay.count());
      std::this_thread::sleep_for(delay);
      delay *= 2;
    }
  }

 private:
  std::string name() const { return m_config.uri; }
  // What no connection may do, whatever the config loader let through.
  Result<void> check_config() const {
    const std::string host = config::uri_host(m_config.uri);
    if (!m_tls && !m_config.bind_password_file.empty() && !config::is_loopback_host(host))
      return make_error(name() +
                        ": refusing to send the bind password unencrypted: use ldaps:// or "
                        "starttls: true");
    const bool cert = !m_config.client_cert_file.empty();
    if (cert != !m_config.client_key_file.empty())
      return make_error(name() + ": client_cert_file and client_key_file go together");
    if (cert && !m_tls)
      return make_error(name() +
                        ": a client certificate needs TLS: use ldaps:// or starttls: true");
    return {};
  }

  std::string ca_file() const {
    if (!m_config.ca_file.empty()) return m_config.ca_file.string();
    for (auto candidate : k_system_ca_files) {
      std::error_code ignored;
      if (fs::exists(candidate, ignored)) return std::string(candidate);
    }
    return {};
  }

  Result<LdapHandle> connect_and_bind(const Secret& password, Clock::time_point deadline,
                                      bool& retry);
  std::string failure(const std::string& operation, int code, const std::string& diag) const {
    return name() + ": " + operation + ": " + describe(code, diag);
  }
  std::chrono::milliseconds wait_limit() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_config.timeout);
  }

  const config::DirectoryConfig& m_config;
  bool m_tls = false;
};

Result<LdapHandle> Connector::connect_and_bind(const Secret& password, Clock::time_point deadline,
                                               bool& retry) {
  retry = false;
  LDAP* raw = nullptr;
  if (int code = ldap_initialize(&raw, m_config.uri.c_str()); code != LDAP_SUCCESS)
    return make_error(name() + ": not a usable LDAP URI: " + ldap_err2string(code));
  LdapHandle ld(raw);

  const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::max(deadline - Clock::now(), Clock::duration(std::chrono::milliseconds(1))));
  const timeval network_timeout = to_timeval(remaining);
  const timeval operation_timeout = to_timeval(wait_limit());
  const int version = LDAP_VERSION3;
  bool options_set =
      ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version) == LDAP_OPT_SUCCESS &&
      ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF) == LDAP_OPT_SUCCESS &&
      ldap_set_option(ld.get(), LDAP_OPT_RESTART, LDAP_OPT_ON) == LDAP_OPT_SUCCESS &&
      ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &network_timeout) == LDAP_OPT_SUCCESS &&
      ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &operation_timeout) == LDAP_OPT_SUCCESS;
  if (!options_set) return make_error(name() + ": cannot set the connection options");

  bool tls_started = false;
  std::string trusted;
  if (m_tls) {
    // Every TLS setting is set here, so that nothing from ldap.conf, ~/.ldaprc or LDAPTLS_*
    // variables can weaken it; NEWCTX then builds a context of our own (see TlsContexts).
    trusted = ca_file();
    if (trusted.empty())
      return make_error(name() +
                        ": no ca_file is configured and no system CA store was found: name the "
                        "CA that signed the server's certificate in ca_file");
    const int demand = LDAP_OPT_X_TLS_DEMAND;
    const int tls12 = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
    const int is_server = 0;
    const std::string cert = m_config.client_cert_file.string();
    const std::string key = m_config.client_key_file.string();
    auto set_text = [&](int option, const std::string& value) {
      return ldap_set_option(ld.get(), option, value.empty() ? nullptr : value.c_str()) ==
             LDAP_OPT_SUCCESS;
    };
    options_set =
        ldap_set_option(ld.get(), LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) == LDAP_OPT_SUCCESS &&
        ldap_set_option(ld.get(), LDAP_OPT_X_TLS_PROTOCOL_MIN, &tls12) == LDAP_OPT_SUCCESS &&
        set_text(LDAP_OPT_X_TLS_CACERTFILE, trusted) &&
        set_text(LDAP_OPT_X_TLS_CACERTDIR, std::string()) &&
        set_text(LDAP_OPT_X_TLS_CERTFILE, cert) && set_text(LDAP_OPT_X_TLS_KEYFILE, key) &&
        ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CONNECT_CB,
                        reinterpret_cast<void*>(&note_tls_start)) == LDAP_OPT_SUCCESS &&
        ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CONNECT_ARG, &tls_started) == LDAP_OPT_SUCCESS;
    if (!options_set) return make_error(name() + ": cannot set the TLS options");
    const auto finding = tls_contexts().lock();
    if (void* shared = tls_contexts().find(trusted, cert, key)) {
      if (ldap_set_option(ld.get(), LDAP_OPT_X_TLS_CTX, shared) != LDAP_OPT_SUCCESS)
        return make_error(name() + ": cannot set the TLS context");
    } else {
      if (ldap_set_option(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &is_server) != LDAP_OPT_SUCCESS) {
        std::string what = "CA file " + trusted;
        if (!cert.empty()) what += ", client certificate " + cert + " and key " + key;
        return make_error(name() + ": cannot set up TLS with " + what + ": " +
                          describe(LDAP_LOCAL_ERROR, diagnostic_message(ld.get())));
      }
      void* made = nullptr;
      if (ldap_get_option(ld.get(), LDAP_OPT_X_TLS_CTX, &made) == LDAP_OPT_SUCCESS && made)
        tls_contexts().keep(trusted, cert, key, made);
    }
  }

  // Connect now (for ldaps:// that includes the TLS handshake), so that an unreachable
  // server and a refused certificate are told apart from a failed bind.
  const std::string host = config::uri_host(m_config.uri);
  int code =
      m_config.starttls ? ldap_start_tls_s(ld.get(), nullptr, nullptr) : ldap_connect(ld.get());
  if (code != LDAP_SUCCESS) {
    const std::string diag = diagnostic_message(ld.get());
    if (m_tls && tls_started) {
      return make_error(name() + ": TLS handshake failed: the server's certificate was not " +
                        "accepted (it must be signed by a CA in " + trusted +
                        ", be valid now and name " + host + "): " + describe(code, diag));
    }
    retry = is_connection_failure(code);
    return make_error(failure(m_config.starttls ? "StartTLS" : "connect", code, diag));
  }

  // libldap reads a message's header and then its body, each with its own read(2): with a
  // read-ahead buffer under TLS, one read takes whatever the kernel holds (many entries).
  Sockbuf* sockbuf = nullptr;
  if (ldap_get_option(ld.get(), LDAP_OPT_SOCKBUF, &sockbuf) == LDAP_OPT_SUCCESS && sockbuf) {
    int bytes = k_read_ahead_bytes;
    if (ber_sockbuf_add_io(sockbuf, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, &bytes) !=
        0)
      return make_error(name() + ": cannot set up reading from the connection");
  }

  if (!password.text().empty()) {
    berval credentials{static_cast<ber_len_t>(password.text().size()),
                       const_cast<char*>(password.text().data())};
    code = ldap_sasl_bind_s(ld.get(), m_config.bind_dn.c_str(), LDAP_SASL_SIMPLE, &credentials,
                            nullptr, nullptr, nullptr);
    if (code != LDAP_SUCCESS) {
      retry = is_connection_failure(code);
      return make_error(failure("bind as " + m_config.bind_dn, code, diagnostic_message(ld.get())));
    }
  } else if (!m_config.client_cert_file.empty()) {
    // SASL EXTERNAL: the server takes the identity from the client certificate of this TLS
    // session; no credentials travel.
    // An empty initial response asks for the identity the certificate gives; a server that
    // still wants a step is sent the same empty response.
    char nothing[] = "";
    berval empty{0, nothing};
    code = ldap_sasl_bind_s(ld.get(), nullptr, "EXTERNAL", &empty, nullptr, nullptr, nullptr);
    for (int step = 0; step < 3 && code == LDAP_SASL_BIND_IN_PROGRESS; ++step)
      code = ldap_sasl_bind_s(ld.get(), nullptr, "EXTERNAL", &empty, nullptr, nullptr, nullptr);
    if (code != LDAP_SUCCESS) {
      retry = is_connection_failure(code);
      return make_error(failure("SASL EXTERNAL bind with " + m_config.client_cert_file.string(),
                                code, diagnostic_message(ld.get())));
    }
  }
  logger("directory")->debug("{}: connected{}", name(), m_tls ? " (TLS verified)" : "");
  return ld;
}

}  // namespace

SigpipeGuard::SigpipeGuard() {
  sigemptyset(&m_set);
  sigaddset(&m_set, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  m_was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
}

SigpipeGuard::~SigpipeGuard() {
  if (!m_was_pending) {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      const timespec now{0, 0};
      sigtimedwait(&m_set, nullptr, &now);
    }
  }
  pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
}

timeval to_timeval(std::chrono::milliseconds duration) {
  const auto ms = std::max<std::chrono::milliseconds::rep>(duration.count(), 1);
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

std::string diagnostic_message(LDAP* ld) {
  char* text = nullptr;
  if (ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text) != LDAP_OPT_SUCCESS || !text)
    return {};
  std::string out(text);
  ldap_memfree(text);
  return out;
}

int result_code(LDAP* ld) {
  int code = LDAP_OTHER;
  ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code);
  return code;
}

std::string describe(int code, const std::string& diagnostic) {
  std::string out = ldap_err2string(code);
  if (!diagnostic.empty() && diagnostic != out) out += " (" + diagnostic + ")";
  return out;
}

Result<LdapHandle> connect(const config::DirectoryConfig& config) {
  return Connector(config).connect();
}

Result<Entry> read_entry(LDAP* ld, LDAPMessage* message) {
  BerElement* ber = nullptr;
  berval dn{0, nullptr};
  if (ldap_get_dn_ber(ld, message, &ber, &dn) != LDAP_SUCCESS || !dn.bv_val) {
    if (ber) ber_free(ber, 0);
    return make_error("an entry without a readable DN");
  }
  Entry entry;
  entry.dn.assign(dn.bv_val, dn.bv_len);
  berval type{0, nullptr};
  berval* values = nullptr;
  int code = LDAP_SUCCESS;
  while ((code = ldap_get_attribute_ber(ld, message, ber, &type, &values)) == LDAP_SUCCESS &&
         type.bv_val) {
    std::vector<std::string> texts;
    if (values) {
      std::size_t count = 0;
      while (values[count].bv_val) ++count;
      texts.reserve(count);
      for (std::size_t i = 0; i < count; ++i)
        texts.emplace_back(values[i].bv_val, values[i].bv_len);
      ber_memfree(values);
      values = nullptr;
    }
    entry.add_values(std::string_view(type.bv_val, type.bv_len), std::move(texts));
  }
  if (values) ber_memfree(values);
  ber_free(ber, 0);
  if (code != LDAP_SUCCESS) return make_error(entry.dn + ": " + ldap_err2string(code));
  return entry;
}

void drop_oversized_values(Entry& entry, const std::string& source,
                           std::vector<std::string>& warnings) {
  const auto& present = entry.attributes();
  const bool any = std::any_of(present.begin(), present.end(), [](const Attribute& attribute) {
    return std::any_of(attribute.values.begin(), attribute.values.end(),
                       [](const std::string& value) { return value.size() > k_max_value_bytes; });
  });
  if (!any) return;  // the common case
  for (auto& attribute : entry.take_attributes()) {
    std::vector<std::string> kept;
    for (auto& value : attribute.values) {
      if (value.size() <= k_max_value_bytes) {
        kept.push_back(std::move(value));
        continue;
      }
      warnings.push_back(source + ": entry '" + entry.dn + "': value of '" + attribute.name +
                         "' is over the " + std::to_string(k_max_value_bytes >> 20) +
                         " MiB limit of one value; skipped");
    }
    if (!kept.empty()) entry.add_values(attribute.name, std::move(kept));
  }
}

}  // namespace secondsight::directory::ldap
