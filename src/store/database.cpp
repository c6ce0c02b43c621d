#include "secondsight/store/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cctype>
#include <climits>
#include <utility>
#include <vector>

#include "secondsight/store/migrations.hpp"
#include "secondsight/store/state_dir.hpp"

namespace secondsight::store {

namespace {

constexpr int k_busy_timeout_ms = 5000;
constexpr std::size_t k_sql_excerpt_chars = 60;

// The start of a statement's SQL on one line, so an error says which statement failed.
std::string sql_excerpt(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= k_sql_excerpt_chars) break;
  }
  if (out.size() >= k_sql_excerpt_chars) out += "...";
  return out;
}

Error sql_error(std::string_view message, std::string_view sql) {
  return make_error("state database: " + std::string(message) + " (in \"" + sql_excerpt(sql) +
                    "\")");
}

// Creates the database file 0600 before SQLite does (SQLite would use 0644 & ~umask), and
// tightens an existing one that others can read: it holds findings about people. SQLite gives
// -wal and -shm the main file's mode, so old ones may still be open to others.
Result<void> secure_file(const StateDir& folder, const std::string& name, Missing missing) {
  struct stat st {};
  if (missing == Missing::refuse &&
      ::fstatat(folder.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT) {
    return Error{"there is no state database " + (folder.path() / name).string() +
                     ": no scan has run with this config, or state_dir names the wrong folder",
                 ErrorKind::invalid};
  }
  // Never opened here: closing a descriptor of the database would drop the locks that this
  // process's other connections hold on it.
  if (auto file = folder.restrict_file(name, k_private_file_mode, true); !file) return file.error();
  for (const char* suffix : {"-wal", "-shm"})
    if (auto side = folder.restrict_file(name + suffix, k_private_file_mode); !side)
      return side.error();
  return {};
}

// Runs a statement that returns one text value (or none), with SQLite's own error message.
int query_text(sqlite3* db, const char* sql, std::string& out) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  return rc;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Database

Result<Database> Database::open(const std::filesystem::path& path, Missing missing) {
  auto fail = [&](const std::string& message) {
    return make_error("cannot open state database " + path.string() + ": " + message);
  };
  if (path.empty() || !path.has_filename()) return fail("no file name");
  // The state folder's rules (who may write or read it) hold here, for every command.
  auto folder = StateDir::open(path.has_parent_path() ? path.parent_path() : ".", missing);
  if (!folder) return Error{fail(folder.error().message).message, folder.error().kind};
  const std::string name = path.filename().string();
  if (auto secured = secure_file(*folder, name, missing); !secured)
    return Error{fail(secured.error().message).message, secured.error().kind};

  sqlite3* handle = nullptr;
  // NOMUTEX: a connection belongs to one thread; each thread opens its own. NOFOLLOW: SQLite
  // opens no symbolic link, neither the database nor its -wal and -shm; it refuses one anywhere
  // on the path, so it is given the folder's path without the links the administrator made.
  const auto real = folder->real_path() / name;
  int rc = sqlite3_open_v2(
      real.c_str(), &handle,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return fail(message);
  }
  Database db(handle, path);
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, k_busy_timeout_ms);

  // The first statements read the file header: a file that is no database fails here.
  std::string mode;
  if (query_text(handle, "PRAGMA journal_mode=WAL", mode) != SQLITE_OK)
    return fail(sqlite3_errmsg(handle));
  if (mode != "wal") return fail("cannot use write-ahead logging (journal mode is " + mode + ")");
  // NORMAL is durable enough in WAL mode: a power loss can only lose the last transactions.
  // A scan's one transaction can touch thousands of findings: with a page cache of 16 MiB
  // rather than 2, its pages stay in memory until the commit instead of spilling early.
  if (sqlite3_exec(handle,
                   "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16384",
                   nullptr, nullptr, nullptr) != SQLITE_OK)
    return fail(sqlite3_errmsg(handle));

  if (auto migrated = migrate(db); !migrated) return migrated.error();
  return db;
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(m_db);
    m_db = std::exchange(other.m_db, nullptr);
    m_path = std::move(other.m_path);
  }
  return *this;
}

// close_v2: statements still alive keep the connection until they are finalized.
Database::~Database() {
  sqlite3_close_v2(m_db);
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(m_db);
}

Result<void> Database::exec(std::string_view sql) {
  if (!m_db) return make_error("state database: not open");
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string reason = message ? message : sqlite3_errmsg(m_db);
    sqlite3_free(message);
    return sql_error(reason, sql);
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (!m_db) return make_error("state database: not open");
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) return sql_error("statement too long", sql);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, &tail) != SQLITE_OK)
    return sql_error(sqlite3_errmsg(m_db), sql);
  Statement statement(stmt);
  if (!stmt) return sql_error("no statement", sql);
  // Anything after the first statement would be silently ignored: refuse it.
  auto rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
  for (char c : rest)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != ';')
      return sql_error("prepare() takes one statement", sql);
  return statement;
}

int Database::schema_version() const {
  std::string version;
  if (!m_db || query_text(m_db, "PRAGMA user_version", version) != SQLITE_OK) return -1;
  return std::atoi(version.c_str());
}

std::string Database::last_error() const {
  return m_db ? sqlite3_errmsg(m_db) : "not open";
}

// ---------------------------------------------------------------------------------------------
// Statement

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)), m_bind_error(std::move(other.m_bind_error)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(m_stmt);
    m_stmt = std::exchange(other.m_stmt, nullptr);
    m_bind_error = std::move(other.m_bind_error);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(m_stmt);
}

void Statement::note_bind(int rc, int index) {
  if (rc != SQLITE_OK && m_bind_error.empty())
    m_bind_error = "cannot bind parameter " + std::to_string(index) + ": " + sqlite3_errstr(rc);
}

Statement& Statement::bind(int index, std::string_view value) {
  // TRANSIENT: SQLite copies the text, so the caller's buffer may go away before step().
  note_bind(
      sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  return bind(index, std::string_view(value));
}

Statement& Statement::bind(int index, const char* value) {
  if (!value) return bind(index, std::nullopt);
  return bind(index, std::string_view(value));
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(m_stmt, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  note_bind(sqlite3_bind_null(m_stmt, index), index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
  return value ? bind(index, *value) : bind(index, std::nullopt);
}

Error Statement::error(int rc) const {
  sqlite3* db = sqlite3_db_handle(m_stmt);
  std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const char* sql = sqlite3_sql(m_stmt);
  return sql_error(message, sql ? sql : "");
}

Result<bool> Statement::step() {
  if (!m_stmt) return make_error("state database: statement was moved from");
  if (!m_bind_error.empty()) return sql_error(m_bind_error, sqlite3_sql(m_stmt));
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error failure = error(rc);
  // Release what the failed statement holds (locks, a read snapshot); bindings stay.
  sqlite3_reset(m_stmt);
  return failure;
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

Result<std::vector<std::string>> Statement::column_texts(int index) {
  std::vector<std::string> out;
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(column_text(index));
  }
}

void Statement::reset() {
  if (!m_stmt) return;
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
  m_bind_error.clear();
}

std::string Statement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(m_stmt, index);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, index)));
}

std::optional<std::string> Statement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(m_stmt, index);
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(m_stmt, index) == SQLITE_NULL;
}

// ---------------------------------------------------------------------------------------------
// Transaction

Result<Transaction> Transaction::begin(Database& db) {
  // IMMEDIATE takes the write lock now (waiting up to busy_timeout), so the transaction
  // cannot fail halfway with SQLITE_BUSY when it first writes.
  if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return begun.error();
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Transaction::~Transaction() {
  // SQLite may already have rolled back on its own (after SQLITE_FULL, SQLITE_IOERR, ...).
  if (m_db && m_db->handle() && !sqlite3_get_autocommit(m_db->handle()))
    sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit() {
  if (!m_db) return make_error("state database: transaction already finished");
  // On failure the transaction stays active and the destructor rolls it back.
  if (auto committed = m_db->exec("COMMIT"); !committed) return committed.error();
  m_db = nullptr;
  return {};
}

}  // namespace secondsight::store
