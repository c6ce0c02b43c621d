#include "view.hpp"

namespace secondsight::app::dashboard {
namespace {

template <class Items, class Key>
void index_by(const Items& items, Key key, std::map<std::string, std::size_t, std::less<>>& out) {
  out.clear();
  for (std::size_t i = 0; i < items.size(); ++i) out.emplace(key(items[i]), i);
}

template <class Items>
const typename Items::value_type* find_in(const Items& items,
                                          const std::map<std::string, std::size_t, std::less<>>& by,
                                          std::string_view key) {
  auto found = by.find(key);
  return found == by.end() ? nullptr : &items[found->second];
}

}  // namespace

void View::index() {
  index_by(
      people, [](const Person& p) { return p.id; }, m_people);
  index_by(
      systems, [](const System& s) { return s.id; }, m_systems);
  index_by(
      agencies, [](const Agency& a) { return a.name; }, m_agencies);
  index_by(
      checklists, [](const checklist::Checklist& c) { return c.person; }, m_checklists);
}

const Person* View::person(std::string_view id) const {
  return find_in(people, m_people, id);
}
const System* View::system(std::string_view id) const {
  return find_in(systems, m_systems, id);
}
const Agency* View::agency(std::string_view name) const {
  return find_in(agencies, m_agencies, name);
}
const checklist::Checklist* View::checklist(std::string_view person_id) const {
  return find_in(checklists, m_checklists, person_id);
}

std::string_view View::agency_of(std::string_view person_id) const {
  const Person* found = person(person_id);
  return found ? std::string_view(found->agency) : std::string_view();
}

}  // namespace secondsight::app::dashboard
