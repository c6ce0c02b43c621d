// The LDAP directory source: one libldap connection per poll, verified TLS, paged searches.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "connection.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/directory/filter.hpp"
#include "secondsight/directory/ldap.hpp"

namespace secondsight::directory {
namespace {

using namespace ldap;

class LdapSource final : public DirectorySource {
 public:
  explicit LdapSource(config::DirectoryConfig config) : m_config(std::move(config)) {}

  std::string name() const override { return m_config.uri; }

  Result<void> open() override {
    m_ld.reset();
    auto connected = ldap::connect(m_config);
    if (!connected) return connected.error();
    m_ld = std::move(*connected);
    return {};
  }

  Result<SearchSummary> search_each(const SearchRequest& request, const EntrySink& sink) override {
    SigpipeGuard guard;
    if (!m_ld) return make_error(name() + ": search before open()");
    if (auto parsed = Filter::parse(request.filter); !parsed) return parsed.error();
    auto result = paged_search(request, sink);
    if (!result) m_ld.reset();  // the connection is in an unknown state: the next poll starts anew
    return result;
  }

 private:
  Result<SearchSummary> paged_search(const SearchRequest& request, const EntrySink& sink,
                                     bool paged = true);
  Result<void> complete_ranges(Entry& entry, const std::vector<RangeRequest>& pending);
  std::string failure(const std::string& operation, int code, const std::string& diag) const {
    return name() + ": " + operation + ": " + describe(code, diag);
  }
  std::chrono::milliseconds wait_limit() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_config.timeout);
  }

  config::DirectoryConfig m_config;
  LdapHandle m_ld;
};

// Servers that refuse the paged results control although it is not critical (slapd with
// size.prtotal=disabled says adminLimitExceeded) are asked again without it.
bool refuses_paging(int status) {
  return status == LDAP_ADMINLIMIT_EXCEEDED || status == LDAP_UNAVAILABLE_CRITICAL_EXTENSION ||
         status == LDAP_UNWILLING_TO_PERFORM;
}

Result<SearchSummary> LdapSource::paged_search(const SearchRequest& request, const EntrySink& sink,
                                               bool paged) {
  const std::string what = "search of '" + request.base + "' for " + request.filter;
  SearchSummary out;
  // Entries with ranged attributes (AD's member;range=0-1499) are completed after the search,
  // when the connection is free for the follow-up searches.
  std::vector<std::pair<Entry, std::vector<RangeRequest>>> ranged;
  AttributeList attributes(request.attributes);
  const timeval wait = to_timeval(wait_limit());
  berval cookie{0, nullptr};
  struct CookieFree {
    berval& cookie;
    ~CookieFree() {
      if (cookie.bv_val) ber_memfree(cookie.bv_val);
    }
  } cookie_free{cookie};
  std::size_t pages = 0;
  std::size_t received_entries = 0;
  auto progress = [&] {
    return " (page " + std::to_string(pages) + ", " + std::to_string(received_entries) +
           " entries read)";
  };

  // Asks for the page after `cookie` (the first without one); returns the message id.
  auto request_page = [&]() -> Result<int> {
    LDAPControl* page = nullptr;
    if (paged) {
      const int code = ldap_create_page_control(m_ld.get(), m_config.page_size,
                                                cookie.bv_val ? &cookie : nullptr, 0, &page);
      if (code != LDAP_SUCCESS) return make_error(failure(what, code, "paged results control"));
    }
    LDAPControl* controls[] = {page, nullptr};
    int message_id = 0;
    const int code =
        ldap_search_ext(m_ld.get(), request.base.c_str(), LDAP_SCOPE_SUBTREE,
                        request.filter.empty() ? nullptr : request.filter.c_str(), attributes.get(),
                        0, controls, nullptr, nullptr, LDAP_NO_LIMIT, &message_id);
    if (page) ldap_control_free(page);
    if (code != LDAP_SUCCESS)
      return make_error(failure(what, code, diagnostic_message(m_ld.get())) + progress());
    ++pages;
    return message_id;
  };

  auto message_id = request_page();
  if (!message_id) return message_id.error();
  for (bool more = true; more;) {
    // The page's messages are held until the next page is asked for: the server produces it
    // while this one is converted.
    std::vector<MessageHandle> chains;
    std::vector<LDAPMessage*> entries;
    for (bool page_done = false; !page_done;) {
      LDAPMessage* received = nullptr;
      timeval limit = wait;
      const int type = ldap_result(m_ld.get(), *message_id, LDAP_MSG_RECEIVED, &limit, &received);
      chains.emplace_back(received);
      if (type == 0) {
        ldap_abandon_ext(m_ld.get(), *message_id, nullptr, nullptr);
        return make_error(name() + ": " + what + ": no answer within " +
                          std::to_string(m_config.timeout.count()) + " s" + progress());
      }
      if (type < 0) {
        const int failed = result_code(m_ld.get());
        return make_error(failure(what, failed, diagnostic_message(m_ld.get())) + progress());
      }
      for (LDAPMessage* message = ldap_first_message(m_ld.get(), received); message;
           message = ldap_next_message(m_ld.get(), message)) {
        switch (ldap_msgtype(message)) {
          case LDAP_RES_SEARCH_ENTRY:
            entries.push_back(message);
            ++received_entries;
            break;
          case LDAP_RES_SEARCH_REFERENCE: {
            char** urls = nullptr;
            std::string text;
            if (ldap_parse_reference(m_ld.get(), message, &urls, nullptr, 0) == LDAP_SUCCESS &&
                urls) {
              for (char** url = urls; *url; ++url)
                text += (text.empty() ? "" : " ") + std::string(*url);
              ldap_memvfree(reinterpret_cast<void**>(urls));
            }
            out.warnings.push_back(name() + ": search reference skipped: " + text);
            break;
          }
          case LDAP_RES_SEARCH_RESULT: {
            int status = LDAP_SUCCESS;
            char* diag = nullptr;
            LDAPControl** returned = nullptr;
            int code = ldap_parse_result(m_ld.get(), message, &status, nullptr, &diag, nullptr,
                                         &returned, 0);
            const std::string diagnostic = diag ? diag : "";
            ldap_memfree(diag);
            struct ControlsFree {
              LDAPControl** controls;
              ~ControlsFree() {
                if (controls) ldap_controls_free(controls);
              }
            } controls_free{returned};
            if (code != LDAP_SUCCESS) return make_error(failure(what, code, diagnostic));
            if (status == LDAP_NO_SUCH_OBJECT) {
              out.base_found = false;
              out.warnings.push_back("base '" + request.base + "' matches no entry in " + name());
              more = false;
            } else if (status == LDAP_SIZELIMIT_EXCEEDED) {
              return make_error(failure(what, status, diagnostic) + ": the server stopped after " +
                                std::to_string(received_entries) +
                                " entries; a short result is never taken as the directory");
            } else if (status != LDAP_SUCCESS && paged && pages == 1 && received_entries == 0 &&
                       refuses_paging(status)) {
              logger("directory")
                  ->info("{}: {}: paging refused ({}); searching without it", name(), what,
                         describe(status, diagnostic));
              return paged_search(request, sink, false);
            } else if (status != LDAP_SUCCESS) {
              return make_error(failure(what, status, diagnostic) + progress());
            } else {
              LDAPControl* response =
                  ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, returned, nullptr);
              if (cookie.bv_val) {
                ber_memfree(cookie.bv_val);
                cookie = berval{0, nullptr};
              }
              // A server that ignores the control sends everything at once and no response.
              if (response) {
                ber_int_t estimate = 0;
                code = ldap_parse_pageresponse_control(m_ld.get(), response, &estimate, &cookie);
                if (code != LDAP_SUCCESS)
                  return make_error(failure(what, code, "unreadable paged results response"));
              }
              more = cookie.bv_val && cookie.bv_len > 0;
            }
            page_done = true;
            break;
          }
          default: break;
        }
      }
    }
    if (more) {
      message_id = request_page();
      if (!message_id) return message_id.error();
    }
    for (LDAPMessage* message : entries) {
      auto entry = read_entry(m_ld.get(), message);
      if (!entry) return make_error(name() + ": " + what + ": " + entry.error().message);
      auto pending = merge_attribute_options(*entry);
      if (!pending) return make_error(name() + ": " + pending.error().message);
      if (!pending->empty()) {
        ranged.emplace_back(std::move(*entry), std::move(*pending));
        continue;
      }
      drop_oversized_values(*entry, name(), out.warnings);
      if (auto taken = sink(std::move(*entry)); !taken) return taken.error();
      ++out.count;
    }
  }
  for (auto& [entry, pending] : ranged) {
    if (auto completed = complete_ranges(entry, pending); !completed) return completed.error();
    drop_oversized_values(entry, name(), out.warnings);
    if (auto taken = sink(std::move(entry)); !taken) return taken.error();
    ++out.count;
  }
  logger("directory")->debug("{}: {}: {} entries in {} pages", name(), what, out.count, pages);
  return out;
}

Result<void> LdapSource::complete_ranges(Entry& entry, const std::vector<RangeRequest>& pending) {
  for (auto request : pending) {
    for (std::optional<RangeRequest> next = request; next;) {
      const std::string description = range_request_description(*next);
      const std::string what = "range retrieval of " + description + " from '" + entry.dn + "'";
      std::vector<std::string> names{description};
      AttributeList attributes(names);
      timeval limit = to_timeval(wait_limit());
      LDAPMessage* received = nullptr;
      const int code = ldap_search_ext_s(m_ld.get(), entry.dn.c_str(), LDAP_SCOPE_BASE,
                                         "(objectClass=*)", attributes.get(), 0, nullptr, nullptr,
                                         &limit, LDAP_NO_LIMIT, &received);
      MessageHandle reply(received);
      if (code != LDAP_SUCCESS)
        return make_error(failure(what, code, diagnostic_message(m_ld.get())));
      LDAPMessage* found = ldap_first_entry(m_ld.get(), reply.get());
      if (!found) return make_error(name() + ": " + what + ": the entry is gone");
      auto part = read_entry(m_ld.get(), found);
      if (!part) return make_error(name() + ": " + what + ": " + part.error().message);
      auto merged = merge_range_reply(entry, *part, *next);
      if (!merged) return make_error(name() + ": " + merged.error().message);
      next = *merged;
    }
  }
  return {};
}

}  // namespace
std::unique_ptr<DirectorySource> make_ldap_source(const config::DirectoryConfig& config) {
  return std::make_unique<LdapSource>(config);
}

}  // namespace secondsight::directory
