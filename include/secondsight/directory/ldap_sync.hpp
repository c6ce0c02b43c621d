// Content synchronisation (RFC 4533) with an LDAP server that offers it (OpenLDAP's syncprov):
// the protocol's controls and messages, read and written with OpenLDAP's liblber, and a session
// that follows the people and groups searches with refreshAndPersist on one connection.
//
// libldap's own ldap_sync_* calls are not used: the library calls them a proof of concept, they
// follow one search per connection, wait for the whole refresh inside ldap_sync_init, and give
// the handler the whole received chain instead of the message at hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/config/config.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/directory/sync.hpp"

namespace secondsight::directory {

enum class SyncMode : std::uint8_t { refresh_only = 1, refresh_and_persist = 3 };

// The Sync State control on each entry the search returns.
enum class SyncState : std::uint8_t { present = 0, add = 1, modify = 2, remove = 3 };
struct SyncStateControl {
  SyncState state = SyncState::present;
  std::string uuid;  // 32 lower-case hex digits
  std::optional<std::string> cookie;
};

// The Sync Info message (an intermediate response).
struct SyncInfo {
  enum class Kind : std::uint8_t { new_cookie, refresh_delete, refresh_present, id_set };
  Kind kind = Kind::new_cookie;
  std::optional<std::string> cookie;
  bool refresh_done = true;      // refresh_delete, refresh_present: the refresh is over
  bool refresh_deletes = false;  // id_set: the UUIDs are of deleted entries, else of present ones
  std::vector<std::string> uuids;
};

// The Sync Done control on the end of a search.
struct SyncDone {
  std::optional<std::string> cookie;
  bool refresh_deletes = false;
};

// The value of the Sync Request control.
std::string encode_sync_request(SyncMode mode, std::string_view cookie, bool reload_hint = false);
// The values of what the server sends; anything malformed is an Error that says what.
Result<SyncStateControl> decode_sync_state(std::string_view value);
Result<SyncInfo> decode_sync_info(std::string_view value);
Result<SyncDone> decode_sync_done(std::string_view value);
// A syncUUID (16 bytes) as 32 lower-case hex digits.
std::string uuid_hex(std::string_view uuid);

// What one wait of a session brought.
struct SyncProgress {
  enum class State : std::uint8_t {
    following,         // refreshing or persisting
    refresh_required,  // the server no longer accepts the cookie: start again without it
    unsupported,       // the server does not offer content synchronisation
  };
  State state = State::following;
  std::size_t messages = 0;  // received and applied
  std::vector<std::string> warnings;
};

class SyncSession {
 public:
  virtual ~SyncSession() = default;
  virtual std::string name() const = 0;
  // Connects, binds, and starts one refreshAndPersist search for the people and one for the
  // groups, each from its cookie in `replica` (none: the whole content).
  virtual Result<SyncProgress> start(SyncReplica& replica) = 0;
  // Waits up to `wait` for what the server sends, and applies all that has arrived (up to a
  // bound) to `replica`. A lost connection or a search the server ended is an Error: start
  // again (from the cookies).
  virtual Result<SyncProgress> receive(SyncReplica& replica, std::chrono::milliseconds wait) = 0;
};

// OpenLDAP's content synchronisation (refreshAndPersist).
std::unique_ptr<SyncSession> make_ldap_sync_session(const config::DirectoryConfig& config);
// Active Directory's DirSync, asked every second for what changed (directory/dirsync.hpp). A
// session starts from the whole content; an unreadable search filter is an error.
Result<std::unique_ptr<SyncSession>> make_dirsync_session(const config::DirectoryConfig& config);
// The session the configured flavour follows with: DirSync for active_directory.
Result<std::unique_ptr<SyncSession>> make_sync_session(const config::DirectoryConfig& config);

}  // namespace secondsight::directory
