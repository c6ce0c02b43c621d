// SQLite with care: RAII connection, statements and transactions; WAL; numbered migrations.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "secondsight/core/result.hpp"
#include "secondsight/store/state_dir.hpp"

namespace secondsight::store {

class Statement;

class Database {
 public:
  // Opens (creating when missing, file mode 0600, folder 0700) the database at `path`,
  // sets WAL, busy_timeout and foreign keys, and applies pending migrations in one
  // transaction each. Its folder is a state folder (StateDir: one others may write is
  // refused, one they may read is restricted), and no symbolic link in it is followed. A
  // database from a newer version of secondsight is refused. With Missing::refuse, neither
  // the folder nor the database is created: a missing one is an error (kind invalid) naming it.
  static Result<Database> open(const std::filesystem::path& path,
                               Missing missing = Missing::create);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Result<void> exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  int schema_version() const;
  // Rows the last INSERT, UPDATE or DELETE changed.
  std::int64_t changes() const;
  sqlite3* handle() const { return m_db; }
  const std::filesystem::path& path() const { return m_path; }
  std::string last_error() const;

 private:
  Database(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}
  sqlite3* m_db = nullptr;
  std::filesystem::path m_path;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  // A bind that fails (index out of range) is reported by the next step() or run().
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value);  // without these two, a string or a
  Statement& bind(int index, const char* value);         // literal would be ambiguous
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, std::optional<std::int64_t> value);

  // Steps once: true when a row is ready, false when done. Errors carry SQLite's message.
  Result<bool> step();
  // Steps to the end (for statements without rows).
  Result<void> run();
  // Steps to the end, collecting the text of one column of every row.
  Result<std::vector<std::string>> column_texts(int index = 0);
  // Makes the statement ready to run again and clears its bindings.
  void reset();

  std::string column_text(int index) const;
  std::optional<std::string> column_optional_text(int index) const;
  std::int64_t column_int(int index) const;
  bool column_is_null(int index) const;

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
  void note_bind(int rc, int index);
  Error error(int rc) const;
  sqlite3_stmt* m_stmt = nullptr;
  std::string m_bind_error;  // the first failed bind since the last reset()
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Database* db) : m_db(db) {}
  Database* m_db = nullptr;
};

}  // namespace secondsight::store
