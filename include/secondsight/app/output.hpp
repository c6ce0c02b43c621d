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
void write_table(std::ostream& out, const ScanReport& report, Zone zone);
// `findings list`: a header row, aligned columns, times in `zone`; an ack shows while it holds
// at `now`. Ends with the count.
void write_findings_table(std::ostream& out, const std::vector<findings::StoredFinding>& findings,
                          Instant now, Zone zone);

}  // namespace secondsight::app
