#include <yaml-cpp/yaml.h>

#include <array>
#include <string_view>

#include "secondsight/config/handovers.hpp"
#include "secondsight/core/time.hpp"
#include "yaml_reader.hpp"

namespace secondsight::config {
namespace {

constexpr std::array<std::string_view, 5> k_handover_keys{"person", "system", "receiver", "date",
                                                          "doc"};

std::optional<knowledge::HandoverRecord> read_record(YamlReader& reader, const YAML::Node& node,
                                                     const Policy& policy) {
  const Location where = reader.at(node);
  auto fields = reader.fields(node, where, "a handover record", k_handover_keys,
                              "a handover record must be a map of person, system, receiver, "
                              "date and doc");
  if (!fields) return std::nullopt;
  knowledge::HandoverRecord record;
  bool ok = true;
  auto required = [&](std::string_view key, std::string& out, std::string_view what) {
    const Entry* e = fields->find(key);
    if (!e) {
      reader.missing(*fields, key, what);
      ok = false;
      return;
    }
    if (auto value = reader.text(*e, what))
      out = *value;
    else
      ok = false;
  };
  required("person", record.person, "the id of the person who handed over");
  required("system", record.system, "a system id");
  required("receiver", record.receiver, "the id of the person who took over");
  required("date", record.date, "a date (YYYY-MM-DD)");
  if (const Entry* e = fields->find("doc")) {
    if (auto doc = reader.text(*e, "a link to the documentation", true))
      record.doc = *doc;
    else
      ok = false;
  }
  if (const Entry* e = fields->find("date"); e && !record.date.empty()) {
    if (!parse_iso_date(record.date)) {
      reader.error(reader.at(*e), "'date' must be a date (YYYY-MM-DD), not '" + record.date + "'");
      ok = false;
    }
  }
  if (const Entry* e = fields->find("system"); e && !record.system.empty()) {
    if (!policy.find_system(record.system)) {
      std::vector<std::string> known;
      for (const auto& system : policy.systems) known.push_back(system.id);
      reader.error(reader.at(*e),
                   "unknown system '" + record.system + "'" + did_you_mean(record.system, known));
      ok = false;
    }
  }
  record.origin = where.file + ":" + std::to_string(where.line);
  if (!ok) return std::nullopt;
  return record;
}

}  // namespace

std::optional<std::vector<knowledge::HandoverRecord>> load_handovers(const Config& config,
                                                                     const Policy& policy,
                                                                     Diagnostics& diagnostics) {
  std::vector<knowledge::HandoverRecord> records;
  if (config.handovers_file.empty()) return records;
  Diagnostics found;
  YamlReader reader(config.handovers_file, found);
  try {
    auto root = reader.parse();
    if (root && !root->IsNull()) {
      if (!root->IsSequence()) {
        reader.error(reader.at(*root), "the handovers file must be a list of handover records");
      } else {
        for (const auto& node : *root)
          if (auto record = read_record(reader, node, policy)) records.push_back(*record);
      }
    }
  } catch (const YAML::Exception& e) {
    Location where{reader.file(), 0, 0};
    if (!e.mark.is_null()) where = Location{reader.file(), e.mark.line + 1, e.mark.column + 1};
    found.error(where, e.msg);
  }
  append_in_file_order(found, diagnostics);
  if (found.has_errors()) return std::nullopt;
  return records;
}

}  // namespace secondsight::config
