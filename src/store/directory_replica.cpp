#include "secondsight/store/directory_replica.hpp"

#include <charconv>

namespace secondsight::store {
namespace {

void put_text(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
}

// Reads "LENGTH:BYTES" at `at`.
Result<std::string_view> take_text(std::string_view bytes, std::size_t& at) {
  const auto colon = bytes.find(':', at);
  std::size_t length = 0;
  if (colon == std::string_view::npos ||
      std::from_chars(bytes.data() + at, bytes.data() + colon, length).ptr !=
          bytes.data() + colon ||
      length > bytes.size() - colon - 1)
    return make_error("a stored directory entry is damaged at byte " + std::to_string(at));
  at = colon + 1 + length;
  return bytes.substr(colon + 1, length);
}

}  // namespace

std::string encode_entry(const directory::Entry& entry) {
  std::string out;
  put_text(out, entry.dn);
  for (const auto& attribute : entry.attributes()) {
    put_text(out, attribute.name);
    out += std::to_string(attribute.values.size());
    out += ';';
    for (const auto& value : attribute.values) put_text(out, value);
  }
  return out;
}

Result<directory::Entry> decode_entry(std::string_view bytes) {
  directory::Entry entry;
  std::size_t at = 0;
  auto dn = take_text(bytes, at);
  if (!dn) return dn.error();
  entry.dn = std::string(*dn);
  while (at < bytes.size()) {
    auto name = take_text(bytes, at);
    if (!name) return name.error();
    const auto semicolon = bytes.find(';', at);
    std::size_t count = 0;
    if (semicolon == std::string_view::npos ||
        std::from_chars(bytes.data() + at, bytes.data() + semicolon, count).ptr !=
            bytes.data() + semicolon)
      return make_error("a stored directory entry is damaged at byte " + std::to_string(at));
    at = semicolon + 1;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < count; ++i) {
      auto value = take_text(bytes, at);
      if (!value) return value.error();
      values.emplace_back(*value);
    }
    entry.add_values(*name, std::move(values));
  }
  return entry;
}

Result<void> DirectoryReplicaStore::load(const std::string& identity,
                                         directory::SyncReplica& replica) {
  replica.clear();
  auto kept = m_db->prepare("SELECT scope, identity, cookie FROM directory_sync");
  if (!kept) return kept.error();
  bool same = true;
  std::size_t scopes = 0;
  std::string cookies[2];
  while (true) {
    auto row = kept->step();
    if (!row) return row.error();
    if (!*row) break;
    ++scopes;
    if (kept->column_text(1) != identity) same = false;
    const auto index = kept->column_text(0) == "people" ? 0 : 1;
    cookies[index] = kept->column_text(2);
  }
  if (scopes == 0 || !same) {
    // Nothing kept, or a replica of another directory: it goes at the next save.
    replica.clear();
    return {};
  }
  auto entries = m_db->prepare("SELECT scope, uuid, entry FROM directory_entries");
  if (!entries) return entries.error();
  while (true) {
    auto row = entries->step();
    if (!row) return row.error();
    if (!*row) break;
    const auto scope = entries->column_text(0) == "people" ? directory::SyncScope::people
                                                           : directory::SyncScope::groups;
    auto entry = decode_entry(entries->column_text(2));
    if (!entry) {
      // A damaged row: the whole replica is read again from the server.
      replica.clear();
      return {};
    }
    replica.load(scope, entries->column_text(1), std::move(*entry));
  }
  replica.cookie(directory::SyncScope::people) = cookies[0];
  replica.cookie(directory::SyncScope::groups) = cookies[1];
  replica.take_changes(directory::SyncScope::people);
  replica.take_changes(directory::SyncScope::groups);
  return {};
}

Result<void> DirectoryReplicaStore::save(const std::string& identity,
                                         directory::SyncReplica& replica) {
  auto transaction = Transaction::begin(*m_db);
  if (!transaction) return transaction.error();
  auto remove_all = m_db->prepare("DELETE FROM directory_entries WHERE scope = ?1");
  auto remove = m_db->prepare("DELETE FROM directory_entries WHERE scope = ?1 AND uuid = ?2");
  auto put = m_db->prepare(
      "INSERT OR REPLACE INTO directory_entries (scope, uuid, entry) VALUES (?1, ?2, ?3)");
  auto cookie = m_db->prepare(
      "INSERT OR REPLACE INTO directory_sync (scope, identity, cookie) VALUES (?1, ?2, ?3)");
  for (auto* statement : {&remove_all, &remove, &put, &cookie})
    if (!*statement) return statement->error();
  for (auto scope : directory::k_sync_scopes) {
    const std::string name(directory::to_string(scope));
    auto changes = replica.take_changes(scope);
    if (changes.cleared)
      if (auto done = remove_all->bind(1, name).run(); !done) return done.error();
    remove_all->reset();
    for (const auto& uuid : changes.removed) {
      if (auto done = remove->bind(1, name).bind(2, uuid).run(); !done) return done.error();
      remove->reset();
    }
    for (const auto& uuid : changes.put) {
      const auto* entry = replica.find(scope, uuid);
      if (!entry) continue;
      if (auto done = put->bind(1, name).bind(2, uuid).bind(3, encode_entry(*entry)).run(); !done)
        return done.error();
      put->reset();
    }
    if (auto done = cookie->bind(1, name).bind(2, identity).bind(3, replica.cookie(scope)).run();
        !done)
      return done.error();
    cookie->reset();
  }
  return transaction->commit();
}

}  // namespace secondsight::store
