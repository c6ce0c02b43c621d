// How scan results are written: a table for people, json and jsonl for machines.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "secondsight/app/scan.hpp"
#include "secondsight/store/findings_store.hpp"
#include "secondsight/store/knowledge_store.hpp"

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

// A table for people: a header row, then the rows; each column as wide as its widest cell in
// terminal columns (display_width), two spaces apart, the last one not padded. Cells are
// written as given: escape text from outside with escape_terminal first. Without rows, nothing.
using TableRow = std::vector<std::string>;
void write_aligned_table(std::ostream& out, const TableRow& header,
                         const std::vector<TableRow>& rows);

// How many characters of a fingerprint a table shows: enough to ack by.
inline constexpr std::size_t k_short_fingerprint = 8;
// `findings list`: a header row, aligned columns, times in `zone`; an ack shows while it holds
// at `now`. Ends with the count.
void write_findings_table(std::ostream& out, const std::vector<findings::StoredFinding>& findings,
                          Instant now, Zone zone);

// A handover as `handover list` shows it: from handovers_file (origin "FILE:LINE"; no id, no
// recorded_* nor revoked_*) or recorded in the store.
enum class HandoverSource { file, store };
struct ListedHandover {
  HandoverSource source = HandoverSource::store;
  store::StoredHandover handover;
};
// {"id":3,"source":"store","file":null,"person":…,"system":…,"receiver":…,"date":…,"doc":…,
//  "recorded_by":…,"recorded_at":…,"revoked":false,"revoked_at":null,"revoked_by":null,
//  "revoked_reason":null}; null for what the source does not have.
nlohmann::json handover_json(const ListedHandover& listed);
// `handover list`: a header row, aligned columns, times in `zone`. Ends with the count.
void write_handovers_table(std::ostream& out, const std::vector<ListedHandover>& handovers,
                           Zone zone);

}  // namespace secondsight::app
