#include "secondsight/checklist/progress.hpp"

#include <map>

namespace secondsight::checklist {
namespace {

struct StoredItem {
  const Item* item = nullptr;
  bool found = false;  // built again in this merge
};

// By id: the order items not built again are kept in.
std::map<std::string_view, StoredItem> by_id(const std::vector<Item>& stored) {
  std::map<std::string_view, StoredItem> out;
  for (const auto& item : stored) out.emplace(item.id, StoredItem{&item, false});
  return out;
}

// What made an automatic item done when it is no longer built.
std::string done_by_absence(const Item& item, bool gone) {
  if (gone) return "the account is gone from the directory";
  if (item.id.rfind("group:", 0) == 0) return "no longer a member of the group";
  return "no longer needed";
}

}  // namespace

Result<Section> parse_section(std::string_view text) {
  for (auto section : {Section::access, Section::knowledge, Section::other})
    if (to_string(section) == text) return section;
  return make_error("state database: unknown checklist section '" + std::string(text) + "'");
}

Earlier earlier_of(const std::vector<Item>& stored) {
  Earlier out;
  for (const auto& item : stored)
    if (item.id.rfind("handover:", 0) == 0) out.handover_systems.insert(item.id.substr(9));
  return out;
}

std::vector<std::string> merge_stored(Checklist& list, const std::vector<Item>& stored,
                                      Instant now) {
  auto known = by_id(stored);
  std::vector<std::string> newly_done;
  const bool gone = list.account == "gone";

  for (auto& item : list.items) {
    auto it = known.find(item.id);
    const Item* before = it == known.end() ? nullptr : it->second.item;
    if (it != known.end()) it->second.found = true;
    if (!item.automatic) {
      // Manual items keep their ticks.
      if (before && before->done) {
        item.done = true;
        item.done_at = before->done_at;
        item.done_how = before->done_how;
      }
    } else if (item.done) {
      item.done_at = before && before->done ? before->done_at : std::optional<Instant>(now);
    } else {
      item.done_at.reset();
    }
    if (item.done && (!before || !before->done)) newly_done.push_back(item.id);
  }
  for (auto& [id, entry] : known) {
    if (entry.found) continue;
    Item item = *entry.item;
    const bool handover = id.rfind("handover:", 0) == 0;
    if (item.automatic && !handover && !item.done) {
      item.done = true;
      item.done_at = now;
      item.done_how = done_by_absence(item, gone);
      newly_done.emplace_back(id);
    }
    list.items.push_back(std::move(item));
  }
  return newly_done;
}

Checklist gone_checklist(const std::string& person, const std::vector<Item>& stored, Instant now) {
  Checklist list;
  list.now = now;
  list.person = person;
  list.account = "gone";
  list.standing = Standing::gone;
  // Only the items that do not tick by absence are carried: merge_stored ticks the rest.
  for (const auto& [id, entry] : by_id(stored))
    if (!entry.item->automatic || id.rfind("handover:", 0) == 0) list.items.push_back(*entry.item);
  return list;
}

Result<void> can_tick(const std::vector<Item>& stored, const std::string& person,
                      const std::string& item) {
  auto known = by_id(stored);
  auto it = known.find(item);
  if (it == known.end()) {
    std::string manual;
    for (const auto& [id, entry] : known)
      if (!entry.item->automatic) manual += (manual.empty() ? "" : ", ") + std::string(id);
    return make_error(
        "the checklist of " + person + " has no item '" + item + "'" +
        (manual.empty() ? std::string() : " (items to tick by hand: " + manual + ")"));
  }
  if (it->second.item->automatic)
    return make_error("item '" + item + "' ticks itself when a scan sees it done");
  return {};
}

}  // namespace secondsight::checklist
