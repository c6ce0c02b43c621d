// Problems found in a user's files, each with the exact place: FILE:LINE:COL: message.
#pragma once

#include <string>
#include <vector>

namespace secondsight {

struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
};

enum class DiagnosticLevel { error, warning };

struct Diagnostic {
  DiagnosticLevel level = DiagnosticLevel::error;
  Location where;
  std::string message;

  // "FILE:LINE:COL: error: message" (LINE/COL left out when unknown).
  std::string format() const;
};

class Diagnostics {
 public:
  void error(Location where, std::string message);
  void warning(Location where, std::string message);
  void add(Diagnostic diagnostic);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<Diagnostic>& all() const { return m_items; }

 private:
  std::vector<Diagnostic> m_items;
};

std::string format_location(const Location& where);

}  // namespace secondsight
