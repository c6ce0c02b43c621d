// The schema of the state database: numbered migrations in one table, version in user_version.
#pragma once

#include <span>
#include <string_view>

#include "secondsight/core/result.hpp"
#include "secondsight/store/database.hpp"

namespace secondsight::store {

struct Migration {
  int version;            // 1, 2, 3, ...: applied in order, each exactly once
  std::string_view name;  // what it adds, for error messages
  std::string_view sql;   // one or more statements
};

// Every migration of this secondsight, oldest first. New ones are appended, never edited.
std::span<const Migration> schema_migrations();
// The version a fully migrated database has.
int newest_schema_version();

// Applies the migrations newer than the database's user_version, each in its own
// transaction together with its user_version bump. A database newer than the newest
// migration is refused. Database::open calls this; the parameter is for tests.
Result<void> migrate(Database& db, std::span<const Migration> migrations = schema_migrations());

}  // namespace secondsight::store
