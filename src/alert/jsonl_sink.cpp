// The jsonl sink: one JSON line per alert appended to a file (created 0640) and synced, so a
// log shipper or `tail -f | jq` can follow it. An alert whose line is already at the end of
// the file (written just before a crash, not yet marked delivered) is not written twice.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "secondsight/alert/sink.hpp"
#include "sink_types.hpp"

namespace secondsight::alert {

namespace {

constexpr mode_t k_file_mode = 0640;
constexpr mode_t k_folder_mode = 0750;
// Only the newest lines can be a repeat: alerts go out in order, one at a time.
constexpr off_t k_tail_bytes = 256 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (m_fd >= 0) ::close(m_fd);
  }
  int get() const { return m_fd; }

 private:
  int m_fd;
};

class JsonlSink final : public Sink {
 public:
  explicit JsonlSink(std::filesystem::path path) : m_path(std::move(path)) {}

  Delivery deliver(const store::OutboxEntry& alert, Deadline) override {
    auto fail = [&](const std::string& what) {
      return Delivery::failed("jsonl " + m_path.string() + ": " + what + ": " +
                              std::strerror(errno));
    };
    std::error_code ec;
    if (!m_path.parent_path().empty() && !std::filesystem::exists(m_path.parent_path(), ec)) {
      std::filesystem::create_directories(m_path.parent_path(), ec);
      if (ec)
        return Delivery::failed("jsonl " + m_path.string() +
                                ": cannot create its folder: " + ec.message());
      ::chmod(m_path.parent_path().c_str(), k_folder_mode);
    }
    bool created = true;
    int raw = ::open(m_path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, k_file_mode);
    if (raw < 0 && errno == EEXIST) {
      created = false;
      raw = ::open(m_path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    }
    if (raw < 0) return fail("cannot open");
    Fd fd(raw);
    if (created) ::fchmod(fd.get(), k_file_mode);  // exactly 0640, whatever the umask

    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail("cannot stat");
    std::string line;
    if (st.st_size > 0) {
      const off_t from = st.st_size > k_tail_bytes ? st.st_size - k_tail_bytes : 0;
      std::string tail(static_cast<std::size_t>(st.st_size - from), '\0');
      ssize_t got = ::pread(fd.get(), tail.data(), tail.size(), from);
      if (got < 0) return fail("cannot read");
      tail.resize(static_cast<std::size_t>(got));
      if (tail.find("\"id\":\"" + alert.idempotency_key + "\"") != std::string::npos)
        return Delivery::ok();
      // A line cut short by a full disk is ended, so this alert starts a line of its own.
      if (!tail.empty() && tail.back() != '\n') line += '\n';
    }
    line += alert.payload;
    line += '\n';
    std::size_t written = 0;
    while (written < line.size()) {
      ssize_t n = ::write(fd.get(), line.data() + written, line.size() - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail("cannot write");
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return fail("cannot sync");
    return Delivery::ok();
  }

 private:
  std::filesystem::path m_path;
};

}  // namespace

Result<std::unique_ptr<Sink>> make_jsonl_sink(const config::AlertSinkConfig& config) {
  if (config.path.empty()) return make_error("a jsonl alert needs a path");
  return std::unique_ptr<Sink>(std::make_unique<JsonlSink>(config.path));
}

}  // namespace secondsight::alert
