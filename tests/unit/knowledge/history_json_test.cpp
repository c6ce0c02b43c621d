// A History survives its trip through JSON, whatever bytes its names hold.
#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge {
namespace {

using ::testing::HasSubstr;

History sample() {
  History h;
  h.repository = "/srv/git/route-planner.git";
  h.head = std::string(40, 'f');
  h.identities = {{"Petra Müller", "petra@acme.example"},
                  {"Dave Visser", "dave@acme.example"},
                  {std::string("Ren\xe9 Latin-1", 12), "rene@old.example"}};
  h.files = {{"planner/vrp/solver.py", 0, {{0, 7}, {1, 1}}},
             {std::string("caf\xe9.txt", 8), 2, {}},
             {"tab\there.txt", 1, {{2, 3}}}};
  return h;
}

bool same(const History& a, const History& b) {
  if (a.repository != b.repository || a.head != b.head || a.identities != b.identities ||
      a.files.size() != b.files.size())
    return false;
  for (std::size_t i = 0; i < a.files.size(); ++i) {
    const auto& x = a.files[i];
    const auto& y = b.files[i];
    if (x.path != y.path || x.creator != y.creator || x.changes.size() != y.changes.size())
      return false;
    for (std::size_t k = 0; k < x.changes.size(); ++k) {
      if (x.changes[k].identity != y.changes[k].identity ||
          x.changes[k].changes != y.changes[k].changes)
        return false;
    }
  }
  return true;
}

TEST(HistoryJson, RoundTripsThroughText) {
  auto json = to_json(sample());
  std::string text = json.dump();  // throws on bytes that are not UTF-8: there must be none
  auto back = history_from_json(nlohmann::json::parse(text));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(same(*back, sample()));
  EXPECT_EQ(json["files"][0]["changes"], nlohmann::json::parse("[[0,7],[1,1]]"));
  EXPECT_EQ(json["files"][1]["path"], nlohmann::json::parse(R"({"hex":"636166e92e747874"})"));
  EXPECT_EQ(json["identities"][0]["name"], "Petra Müller");
}

TEST(HistoryJson, RefusesWhatIsNotAHistory) {
  auto bad = [](const char* text) {
    auto result = history_from_json(nlohmann::json::parse(text));
    EXPECT_FALSE(result.ok()) << text;
    return result.ok() ? std::string() : result.error().message;
  };
  EXPECT_THAT(bad("[]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(bad(R"({"repository":"r","head":"h","identities":[]})"), HasSubstr("files"));
  EXPECT_THAT(bad(R"({"repository":"r","head":"h","identities":[],
                      "files":[{"path":"a","creator":0,"changes":[]}]})"),
              HasSubstr("the creator of a"));
  EXPECT_THAT(bad(R"({"repository":"r","head":"h","identities":[{"name":"n","email":"e"}],
                      "files":[{"path":"a","creator":0,"changes":[[0]]}]})"),
              HasSubstr("a change of a"));
  EXPECT_THAT(bad(R"({"repository":"r","head":"h","identities":[{"name":"n","email":"e"}],
                      "files":[{"path":{"hex":"zz"},"creator":0,"changes":[]}]})"),
              HasSubstr("path"));
}

}  // namespace
}  // namespace secondsight::knowledge
