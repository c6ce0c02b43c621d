#include "secondsight/core/diagnostics.hpp"

#include <algorithm>

namespace secondsight {

std::string format_location(const Location& where) {
  std::string out = where.file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line);
    if (where.column > 0) out += ':' + std::to_string(where.column);
  }
  return out;
}

std::string Diagnostic::format() const {
  return format_location(where) + (level == DiagnosticLevel::error ? ": error: " : ": warning: ") +
         message;
}

void Diagnostics::error(Location where, std::string message) {
  m_items.push_back({DiagnosticLevel::error, std::move(where), std::move(message)});
}

void Diagnostics::warning(Location where, std::string message) {
  m_items.push_back({DiagnosticLevel::warning, std::move(where), std::move(message)});
}

void Diagnostics::add(Diagnostic diagnostic) {
  m_items.push_back(std::move(diagnostic));
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(m_items.begin(), m_items.end(), [](const auto& d) {
    return d.level == DiagnosticLevel::error;
  }));
}

std::size_t Diagnostics::warning_count() const {
  return m_items.size() - error_count();
}

}  // namespace secondsight
