// How scan results are written: a table for people, json and jsonl for machines.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "secondsight/app/scan.hpp"
#include "secondsight/store/findings_store.hpp"

namespace secondsight::app {

enum class OutputFormat { table, json, jsonl };

nlohmann::json finding_json(const findings::StoredFinding& finding);
// {"now":…,"findings":[…],"sources":[…],"directory":{…}}
nlohmann::json report_json(const ScanReport& report);

void write_jsonl(std::ostream& out, const ScanReport& report);
void write_json(std::ostream& out, const ScanReport& report);
// The scan as a table: each finding with the first 8 characters of its fingerprint (which
// `findings ack` takes), severities in colour when `colour` is set.
void write_table(std::ostream& out, const ScanReport& report, Zone zone, bool colour = false);

// Rows under a header, each column as wide as its widest cell in terminal columns (cells are
// escaped already); the last column is not padded, and no line ends in spaces.
void write_aligned(std::ostream& out, const std::vector<std::string>& header,
                   const std::vector<std::vector<std::string>>& rows);

// How many characters of a fingerprint a table shows: enough to ack by.
inline constexpr std::size_t k_short_fingerprint = 8;
// `findings list`: a header row, aligned columns, times in `zone`; an ack shows while it holds
// at `now`. Ends with the count.
void write_findings_table(std::ostream& out, const std::vector<findings::StoredFinding>& findings,
                          Instant now, Zone zone);

}  // namespace secondsight::app
