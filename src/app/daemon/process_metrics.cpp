#include "process_metrics.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace secondsight::app {

namespace {

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fields of /proc/self/stat after the command name, which may hold spaces and ')': field
// 3 (state) is the first.
std::vector<std::string_view> stat_fields(std::string_view stat) {
  std::vector<std::string_view> fields;
  const auto end_of_name = stat.rfind(')');
  if (end_of_name == std::string_view::npos) return fields;
  stat.remove_prefix(end_of_name + 1);
  while (!stat.empty()) {
    const auto start = stat.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    stat.remove_prefix(start);
    const auto end = stat.find_first_of(" \n");
    fields.push_back(stat.substr(0, end));
    if (end == std::string_view::npos) break;
    stat.remove_prefix(end);
  }
  return fields;
}

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Field N of /proc/self/stat as proc(5) numbers them (1: pid).
std::optional<std::uint64_t> stat_field(const std::vector<std::string_view>& fields,
                                        std::size_t n) {
  if (n < 3 || n - 3 >= fields.size()) return std::nullopt;
  return number(fields[n - 3]);
}

// The boot time (btime of /proc/stat), Unix seconds.
std::optional<std::uint64_t> boot_time() {
  auto stat = read_file("/proc/stat");
  if (!stat) return std::nullopt;
  std::istringstream lines(*stat);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("btime ")) return number(std::string_view(line).substr(6));
  return std::nullopt;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string process_metrics_text() {
  std::string out;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (auto stat = read_file("/proc/self/stat"); stat && ticks > 0 && page > 0) {
    const auto fields = stat_fields(*stat);
    const auto user = stat_field(fields, 14);
    const auto system = stat_field(fields, 15);
    if (user && system) {
      family(out, "process_cpu_seconds_total", "counter",
             "Total user and system CPU time spent in seconds.");
      out += fmt::format("process_cpu_seconds_total {:.2f}\n",
                         static_cast<double>(*user + *system) / static_cast<double>(ticks));
    }
    if (auto virtual_bytes = stat_field(fields, 23)) {
      family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
      out += fmt::format("process_virtual_memory_bytes {}\n", *virtual_bytes);
    }
    if (auto resident_pages = stat_field(fields, 24)) {
      family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
      out += fmt::format("process_resident_memory_bytes {}\n",
                         *resident_pages * static_cast<std::uint64_t>(page));
    }
    const auto started = stat_field(fields, 22);
    const auto booted = boot_time();
    if (started && booted) {
      family(out, "process_start_time_seconds", "gauge",
             "Start time of the process since unix epoch in seconds.");
      out += fmt::format("process_start_time_seconds {:.2f}\n",
                         static_cast<double>(*booted) +
                             static_cast<double>(*started) / static_cast<double>(ticks));
    }
  }
  std::error_code error;
  std::size_t open = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error))
    ++open;
  if (!error) {
    family(out, "process_open_fds", "gauge", "Number of open file descriptors.");
    out += fmt::format("process_open_fds {}\n", open);
  }
  if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    family(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
    out += fmt::format("process_max_fds {}\n", limit.rlim_cur);
  }
  return out;
}

}  // namespace secondsight::app
