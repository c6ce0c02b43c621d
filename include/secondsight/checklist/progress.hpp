// A checklist across scans, as pure functions over its items: what earlier scans stored,
// merged with the checklist as built now. Storage reads and writes the items.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "secondsight/checklist/checklist.hpp"
#include "secondsight/core/result.hpp"
#include "secondsight/core/time.hpp"

namespace secondsight::checklist {

Result<Section> parse_section(std::string_view text);

// What earlier checklists of the person held.
Earlier earlier_of(const std::vector<Item>& stored);

// Merges the checklist as built now with its stored items: an item seen done for the first
// time gets done_at = now; an automatic item that is no longer built (the group membership is
// gone) is done; manual items keep their ticks. `list` ends up with every item and its
// done_at. Returns the ids of items seen done in this merge.
std::vector<std::string> merge_stored(Checklist& list, const std::vector<Item>& stored,
                                      Instant now);

// The checklist of a person who is no longer in the directory, from its stored items, for
// merge_stored to tick what their leaving did.
Checklist gone_checklist(const std::string& person, const std::vector<Item>& stored, Instant now);

// Whether `item` of a person's stored checklist may be ticked by hand: an unknown item, or one
// that ticks itself, is an error that says so.
Result<void> can_tick(const std::vector<Item>& stored, const std::string& person,
                      const std::string& item);

}  // namespace secondsight::checklist
