// Following an OpenLDAP server with refreshAndPersist (RFC 4533): two searches on one
// connection, their messages told apart by message id and applied to the replica as they come.
#include <lber.h>
#include <ldap.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "connection.hpp"
#include "secondsight/core/logging.hpp"
#include "secondsight/directory/filter.hpp"
#include "secondsight/directory/ldap.hpp"
#include "secondsight/directory/ldap_sync.hpp"

namespace secondsight::directory {
namespace {

using namespace ldap;

// Messages applied per receive() at most, so that a large refresh still lets the caller look
// up (to stop, or to keep its watchdog fed) now and then.
constexpr std::size_t k_messages_per_receive = 20000;
constexpr std::size_t k_uuid_bytes = 16;

struct BerFree {
  void operator()(BerElement* ber) const { ber_free(ber, 1); }
};
using BerHandle = std::unique_ptr<BerElement, BerFree>;

// liblber reads through a null buffer when given no bytes: an empty value gets no reader.
BerHandle reader(std::string_view value) {
  if (value.empty()) return nullptr;
  berval bytes{static_cast<ber_len_t>(value.size()), const_cast<char*>(value.data())};
  return BerHandle(ber_init(&bytes));  // ber_init copies the bytes
}

std::string text(const berval& value) {
  return value.bv_val ? std::string(value.bv_val, value.bv_len) : std::string();
}

// An optional cookie at the reader's position.
Result<std::optional<std::string>> read_cookie(BerElement* ber) {
  ber_len_t length = 0;
  if (ber_peek_tag(ber, &length) != LDAP_TAG_SYNC_COOKIE) return std::optional<std::string>();
  berval cookie{0, nullptr};
  if (ber_scanf(ber, "m", &cookie) == LBER_ERROR) return make_error("an unreadable cookie");
  return std::optional<std::string>(text(cookie));
}

// An optional BOOLEAN at the reader's position (refreshDone, refreshDeletes).
Result<bool> read_flag(BerElement* ber, bool fallback) {
  ber_len_t length = 0;
  if (ber_peek_tag(ber, &length) != LBER_BOOLEAN) return fallback;
  ber_int_t flag = 0;
  if (ber_scanf(ber, "b", &flag) == LBER_ERROR) return make_error("an unreadable flag");
  return flag != 0;
}

Result<std::string> read_uuid(const berval& value) {
  if (value.bv_len != k_uuid_bytes)
    return make_error("a syncUUID of " + std::to_string(value.bv_len) + " bytes, not 16");
  return uuid_hex(std::string_view(value.bv_val, value.bv_len));
}

}  // namespace

std::string uuid_hex(std::string_view uuid) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(uuid.size() * 2);
  for (char c : uuid) {
    const auto byte = static_cast<unsigned char>(c);
    out += k_digits[byte >> 4];
    out += k_digits[byte & 0xfU];
  }
  return out;
}

std::string encode_sync_request(SyncMode mode, std::string_view cookie, bool reload_hint) {
  BerHandle ber(ber_alloc_t(LBER_USE_DER));
  if (!ber) return {};
  const auto enumerated = static_cast<ber_int_t>(mode);
  berval bytes{static_cast<ber_len_t>(cookie.size()), const_cast<char*>(cookie.data())};
  int written = 0;
  // reloadHint is DEFAULT FALSE: DER leaves it out then.
  if (cookie.empty())
    written = reload_hint ? ber_printf(ber.get(), "{eb}", enumerated, ber_int_t{1})
                          : ber_printf(ber.get(), "{e}", enumerated);
  else
    written = reload_hint ? ber_printf(ber.get(), "{eOb}", enumerated, &bytes, ber_int_t{1})
                          : ber_printf(ber.get(), "{eO}", enumerated, &bytes);
  berval flat{0, nullptr};
  if (written < 0 || ber_flatten2(ber.get(), &flat, 0) < 0) return {};
  return text(flat);
}

Result<SyncStateControl> decode_sync_state(std::string_view value) {
  auto ber = reader(value);
  if (!ber) return make_error("Sync State control: empty");
  ber_int_t state = 0;
  berval uuid{0, nullptr};
  if (ber_scanf(ber.get(), "{em", &state, &uuid) == LBER_ERROR)
    return make_error("Sync State control: not a state and a UUID");
  if (state < 0 || state > 3)
    return make_error("Sync State control: unknown state " + std::to_string(state));
  SyncStateControl out;
  out.state = static_cast<SyncState>(state);
  auto hex = read_uuid(uuid);
  if (!hex) return make_error("Sync State control: " + hex.error().message);
  out.uuid = std::move(*hex);
  auto cookie = read_cookie(ber.get());
  if (!cookie) return make_error("Sync State control: " + cookie.error().message);
  out.cookie = std::move(*cookie);
  if (ber_scanf(ber.get(), "}") == LBER_ERROR)
    return make_error("Sync State control: unexpected data after the cookie");
  return out;
}

Result<SyncInfo> decode_sync_info(std::string_view value) {
  auto ber = reader(value);
  if (!ber) return make_error("Sync Info message: empty");
  SyncInfo out;
  ber_len_t length = 0;
  const ber_tag_t tag = ber_peek_tag(ber.get(), &length);
  auto fail = [](const std::string& what) { return make_error("Sync Info message: " + what); };
  switch (tag) {
    case LDAP_TAG_SYNC_NEW_COOKIE: {
      out.kind = SyncInfo::Kind::new_cookie;
      berval cookie{0, nullptr};
      if (ber_scanf(ber.get(), "m", &cookie) == LBER_ERROR) return fail("an unreadable newcookie");
      out.cookie = text(cookie);
      return out;
    }
    case LDAP_TAG_SYNC_REFRESH_DELETE:
    case LDAP_TAG_SYNC_REFRESH_PRESENT: {
      out.kind = tag == LDAP_TAG_SYNC_REFRESH_DELETE ? SyncInfo::Kind::refresh_delete
                                                     : SyncInfo::Kind::refresh_present;
      if (ber_scanf(ber.get(), "{") == LBER_ERROR) return fail("an unreadable refresh phase");
      auto cookie = read_cookie(ber.get());
      if (!cookie) return fail(cookie.error().message);
      out.cookie = std::move(*cookie);
      auto done = read_flag(ber.get(), true);
      if (!done) return fail(done.error().message);
      out.refresh_done = *done;
      if (ber_scanf(ber.get(), "}") == LBER_ERROR)
        return fail("unexpected data in a refresh phase");
      return out;
    }
    case LDAP_TAG_SYNC_ID_SET: {
      out.kind = SyncInfo::Kind::id_set;
      if (ber_scanf(ber.get(), "{") == LBER_ERROR) return fail("an unreadable syncIdSet");
      auto cookie = read_cookie(ber.get());
      if (!cookie) return fail(cookie.error().message);
      out.cookie = std::move(*cookie);
      auto deletes = read_flag(ber.get(), false);
      if (!deletes) return fail(deletes.error().message);
      out.refresh_deletes = *deletes;
      BerVarray uuids = nullptr;
      if (ber_scanf(ber.get(), "[W]}", &uuids) == LBER_ERROR) {
        if (uuids) ber_bvarray_free(uuids);
        return fail("an unreadable set of syncUUIDs");
      }
      for (BerVarray at = uuids; at && at->bv_val; ++at) {
        auto hex = read_uuid(*at);
        if (!hex) {
          ber_bvarray_free(uuids);
          return fail(hex.error().message);
        }
        out.uuids.push_back(std::move(*hex));
      }
      if (uuids) ber_bvarray_free(uuids);
      return out;
    }
    default: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02lx", static_cast<unsigned long>(tag & 0xffU));
      return fail(std::string("unknown choice ") + hex);
    }
  }
}

Result<SyncDone> decode_sync_done(std::string_view value) {
  auto ber = reader(value);
  if (!ber) return make_error("Sync Done control: empty");
  SyncDone out;
  if (ber_scanf(ber.get(), "{") == LBER_ERROR) return make_error("Sync Done control: unreadable");
  auto cookie = read_cookie(ber.get());
  if (!cookie) return make_error("Sync Done control: " + cookie.error().message);
  out.cookie = std::move(*cookie);
  auto deletes = read_flag(ber.get(), false);
  if (!deletes) return make_error("Sync Done control: " + deletes.error().message);
  out.refresh_deletes = *deletes;
  if (ber_scanf(ber.get(), "}") == LBER_ERROR)
    return make_error("Sync Done control: unexpected data after refreshDeletes");
  return out;
}

namespace {

std::string_view value_of(const LDAPControl* control) {
  return {control->ldctl_value.bv_val, control->ldctl_value.bv_len};
}

class LdapSyncSession final : public SyncSession {
 public:
  explicit LdapSyncSession(config::DirectoryConfig config) : m_config(std::move(config)) {}

  std::string name() const override { return m_config.uri; }

  Result<SyncProgress> start(SyncReplica& replica) override {
    SigpipeGuard guard;
    m_ld.reset();
    m_message_ids = {-1, -1};
    for (auto scope : k_sync_scopes)
      if (auto parsed = Filter::parse(search(scope).filter); !parsed) return parsed.error();
    auto connected = ldap::connect(m_config);
    if (!connected) return connected.error();
    m_ld = std::move(*connected);
    for (auto scope : k_sync_scopes) {
      const auto& scope_search = search(scope);
      const auto attributes_wanted = requested_attributes(m_config, scope == SyncScope::people);
      AttributeList attributes(attributes_wanted);
      const std::string& cookie = replica.cookie(scope);
      std::string value = encode_sync_request(SyncMode::refresh_and_persist, cookie);
      if (value.empty()) return make_error(name() + ": cannot write the Sync Request control");
      LDAPControl control{};
      control.ldctl_oid = const_cast<char*>(LDAP_CONTROL_SYNC);
      control.ldctl_value = berval{static_cast<ber_len_t>(value.size()), value.data()};
      control.ldctl_iscritical = 1;  // a server that cannot follow must say so, not poll once
      LDAPControl* controls[] = {&control, nullptr};
      int message_id = -1;
      const int code = ldap_search_ext(
          m_ld.get(), scope_search.base.c_str(), LDAP_SCOPE_SUBTREE,
          scope_search.filter.empty() ? nullptr : scope_search.filter.c_str(), attributes.get(), 0,
          controls, nullptr, nullptr, LDAP_NO_LIMIT, &message_id);
      if (code != LDAP_SUCCESS) {
        auto failed = make_error(failure(scope, code, diagnostic_message(m_ld.get())));
        m_ld.reset();
        return failed;
      }
      m_message_ids[static_cast<std::size_t>(scope)] = message_id;
      replica.begin_refresh(scope, !cookie.empty());
    }
    return SyncProgress{};
  }

  Result<SyncProgress> receive(SyncReplica& replica, std::chrono::milliseconds wait) override {
    SigpipeGuard guard;
    SyncProgress progress;
    if (!m_ld) return make_error(name() + ": content synchronisation is not started");
    timeval limit = to_timeval(wait);
    while (progress.messages < k_messages_per_receive) {
      LDAPMessage* received = nullptr;
      const int type = ldap_result(m_ld.get(), LDAP_RES_ANY, LDAP_MSG_ONE, &limit, &received);
      MessageHandle message(received);
      if (type == 0) break;  // nothing more for now
      if (type < 0) {
        const int code = result_code(m_ld.get());
        const std::string diagnostic = diagnostic_message(m_ld.get());
        m_ld.reset();
        return make_error(name() + ": content synchronisation: " + describe(code, diagnostic));
      }
      limit = timeval{0, 0};  // what else has arrived, without waiting
      ++progress.messages;
      auto handled = handle(replica, message.get(), progress);
      if (!handled) {
        m_ld.reset();
        return handled.error();
      }
      if (progress.state != SyncProgress::State::following) {
        m_ld.reset();
        break;
      }
    }
    return progress;
  }

 private:
  const config::SearchScope& search(SyncScope scope) const {
    return scope == SyncScope::people ? m_config.people : m_config.groups;
  }

  std::string failure(SyncScope scope, int code, const std::string& diagnostic) const {
    return name() + ": content synchronisation of the " + std::string(to_string(scope)) + " (" +
           search(scope).filter + " under '" + search(scope).base +
           "'): " + describe(code, diagnostic);
  }

  Result<SyncScope> scope_of(LDAPMessage* message) const {
    const int id = ldap_msgid(message);
    for (auto scope : k_sync_scopes)
      if (m_message_ids[static_cast<std::size_t>(scope)] == id) return scope;
    return make_error(name() + ": a message for no search of ours (id " + std::to_string(id) + ")");
  }

  Result<void> handle(SyncReplica& replica, LDAPMessage* message, SyncProgress& progress) {
    auto scope = scope_of(message);
    if (!scope) return scope.error();
    switch (ldap_msgtype(message)) {
      case LDAP_RES_SEARCH_ENTRY: return handle_entry(replica, *scope, message, progress);
      case LDAP_RES_INTERMEDIATE: return handle_info(replica, *scope, message);
      case LDAP_RES_SEARCH_RESULT: return handle_end(replica, *scope, message, progress);
      case LDAP_RES_SEARCH_REFERENCE:
        progress.warnings.push_back(name() + ": a search reference was skipped");
        return {};
      default: return {};
    }
  }

  Result<void> handle_entry(SyncReplica& replica, SyncScope scope, LDAPMessage* message,
                            SyncProgress& progress) {
    LDAPControl** raw = nullptr;
    ldap_get_entry_controls(m_ld.get(), message, &raw);
    ControlsHandle controls(raw);
    const LDAPControl* found = ldap_control_find(LDAP_CONTROL_SYNC_STATE, raw, nullptr);
    if (!found) return make_error(name() + ": an entry without its Sync State control");
    auto state = decode_sync_state(value_of(found));
    if (!state) return make_error(name() + ": " + state.error().message);
    if (state->cookie) replica.cookie(scope) = *state->cookie;
    switch (state->state) {
      case SyncState::present: replica.present(scope, state->uuid); return {};
      case SyncState::remove: replica.remove(scope, state->uuid); return {};
      case SyncState::add:
      case SyncState::modify: break;
    }
    auto entry = read_entry(m_ld.get(), message);
    if (!entry) return make_error(name() + ": " + entry.error().message);
    // Range retrieval is Active Directory's, which offers no content synchronisation: an entry
    // that still has values to fetch would be kept short, so it ends the session.
    auto pending = merge_attribute_options(*entry);
    if (!pending) return make_error(name() + ": " + pending.error().message);
    if (!pending->empty())
      return make_error(name() + ": entry '" + entry->dn +
                        "' came with a range of its values only; content synchronisation "
                        "cannot complete it");
    drop_oversized_values(*entry, name(), progress.warnings);
    replica.put(scope, state->uuid, std::move(*entry));
    return {};
  }

  Result<void> handle_info(SyncReplica& replica, SyncScope scope, LDAPMessage* message) {
    char* oid = nullptr;
    berval* data = nullptr;
    const int code = ldap_parse_intermediate(m_ld.get(), message, &oid, &data, nullptr, 0);
    const std::string name_of = oid ? oid : "";
    const std::string value = data ? text(*data) : std::string();
    if (oid) ldap_memfree(oid);
    if (data) ber_bvfree(data);
    if (code != LDAP_SUCCESS) return make_error(failure(scope, code, "intermediate response"));
    if (name_of != LDAP_SYNC_INFO) return {};  // not ours to read
    auto info = decode_sync_info(value);
    if (!info) return make_error(name() + ": " + info.error().message);
    if (info->cookie) replica.cookie(scope) = *info->cookie;
    switch (info->kind) {
      case SyncInfo::Kind::new_cookie: break;
      case SyncInfo::Kind::refresh_present:
        replica.end_present_phase(scope);
        if (info->refresh_done) replica.mark_refreshed(scope);
        break;
      case SyncInfo::Kind::refresh_delete:
        if (info->refresh_done) replica.mark_refreshed(scope);
        break;
      case SyncInfo::Kind::id_set:
        for (const auto& uuid : info->uuids) {
          if (info->refresh_deletes)
            replica.remove(scope, uuid);
          else
            replica.present(scope, uuid);
        }
        break;
    }
    return {};
  }

  // The end of a search: in refreshAndPersist only when the server stops following.
  Result<void> handle_end(SyncReplica& replica, SyncScope scope, LDAPMessage* message,
                          SyncProgress& progress) {
    int status = LDAP_SUCCESS;
    char* diag = nullptr;
    LDAPControl** raw = nullptr;
    const int code =
        ldap_parse_result(m_ld.get(), message, &status, nullptr, &diag, nullptr, &raw, 0);
    ControlsHandle controls(raw);
    const std::string diagnostic = diag ? diag : "";
    ldap_memfree(diag);
    if (code != LDAP_SUCCESS) return make_error(failure(scope, code, diagnostic));
    if (status == LDAP_SYNC_REFRESH_REQUIRED) {
      progress.state = SyncProgress::State::refresh_required;
      return {};
    }
    if (status == LDAP_UNAVAILABLE_CRITICAL_EXTENSION ||
        (status == LDAP_PROTOCOL_ERROR && !replica.refreshed(scope) && replica.size(scope) == 0) ||
        status == LDAP_UNWILLING_TO_PERFORM) {
      progress.state = SyncProgress::State::unsupported;
      progress.warnings.push_back(failure(scope, status, diagnostic));
      return {};
    }
    if (status != LDAP_SUCCESS) return make_error(failure(scope, status, diagnostic));
    if (const LDAPControl* done = ldap_control_find(LDAP_CONTROL_SYNC_DONE, raw, nullptr)) {
      auto parsed = decode_sync_done(value_of(done));
      if (!parsed) return make_error(name() + ": " + parsed.error().message);
      if (parsed->cookie) replica.cookie(scope) = *parsed->cookie;
      if (!parsed->refresh_deletes) replica.end_present_phase(scope);
      replica.mark_refreshed(scope);
    }
    return make_error(name() + ": the server ended the content synchronisation of the " +
                      std::string(to_string(scope)));
  }

  config::DirectoryConfig m_config;
  LdapHandle m_ld;
  std::array<int, 2> m_message_ids{-1, -1};
};

}  // namespace

std::unique_ptr<SyncSession> make_ldap_sync_session(const config::DirectoryConfig& config) {
  return std::make_unique<LdapSyncSession>(config);
}

}  // namespace secondsight::directory
