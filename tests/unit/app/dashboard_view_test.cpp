// The dashboard's view of a scan of the project's test company (tests/scenarios/harbour): what
// its README says of each person, system and agency is what the view holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "app/dashboard/view.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/app/plugins.hpp"
#include "secondsight/app/scan.hpp"
#include "secondsight/config/loader.hpp"

namespace secondsight::app::dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class DashboardView : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto company = testing::setup_company();
    Diagnostics diagnostics;
    auto config = config::load_config(company / "config.yaml", plugins(), diagnostics);
    ASSERT_TRUE(config);
    auto policy = config::load_policies(*config, plugins(), diagnostics);
    ASSERT_TRUE(policy);
    auto database = store::Database::open(database_path(*config));
    ASSERT_TRUE(database) << database.error().message;
    IngestOptions ingest;
    ingest.now = *parse_rfc3339(testing::k_company_now);
    ingest.wall_now = system_now();
    ScanSteps steps;
    steps.inspect = [](const checks::Evaluation& evaluation,
                       const std::vector<findings::Finding>& seen, const ScanReport& report) {
      s_view = build_view(evaluation, seen, report.checklists);
    };
    auto report = scan_once(*config, *policy, ingest, *database, steps);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_TRUE(report->complete());
  }
  static void TearDownTestSuite() { s_view.reset(); }

  static const Person& person(std::string_view id) {
    const Person* found = s_view->person(id);
    EXPECT_NE(found, nullptr) << id;
    static const Person none;
    return found ? *found : none;
  }

  static inline std::shared_ptr<const View> s_view;
};

TEST_F(DashboardView, ASecondedPersonHasTheirEngagementEndContactAndGrantPaths) {
  ASSERT_TRUE(s_view);
  EXPECT_EQ(format_rfc3339(s_view->built_at), testing::k_company_now);
  const Person& bram = person("bram");
  EXPECT_TRUE(bram.seconded);
  EXPECT_EQ(bram.agency, "Tideway Consulting");
  EXPECT_THAT(bram.engagements, ElementsAre("meter-modernisation"));
  EXPECT_EQ(bram.contact_id, "lotte");
  EXPECT_EQ(bram.stated_end, "2026-04-30");
  ASSERT_TRUE(bram.rights_end);
  EXPECT_EQ(format_rfc3339(*bram.rights_end), "2026-04-30T22:00:00Z");
  EXPECT_EQ(bram.days_left, -17);  // rights ended as May 1 began
  EXPECT_EQ(bram.account, AccountState::active);
  const auto billing = std::find_if(bram.grants.begin(), bram.grants.end(),
                                    [](const Grant& g) { return g.system_id == "billing-engine"; });
  ASSERT_NE(billing, bram.grants.end());
  EXPECT_TRUE(billing->need_to_know);
  ASSERT_FALSE(billing->paths.empty());
  EXPECT_FALSE(billing->paths[0].group_names.empty());
  EXPECT_EQ(billing->paths[0].group_names.size(), billing->paths[0].group_dns.size());

  const Person& daan = person("daan");
  EXPECT_EQ(daan.stated_end, "");
  EXPECT_FALSE(daan.rights_end);
  EXPECT_EQ(person("ravi").account, AccountState::disabled);
  EXPECT_THAT(person("ravi").grants, IsEmpty());
  // The contact is there too, as no seconded person.
  EXPECT_FALSE(person("lotte").seconded);
}

TEST_F(DashboardView, ASystemHasItsHoldersTruckFactorsAndAuthors) {
  ASSERT_TRUE(s_view);
  const System* netconfig = s_view->system("netconfig");
  ASSERT_NE(netconfig, nullptr);
  EXPECT_EQ(netconfig->truck_factor, 1);
  ASSERT_FALSE(netconfig->holders.empty());
  const Holder& femke = netconfig->holders.front();
  EXPECT_EQ(femke.person_id, "femke");
  EXPECT_TRUE(femke.seconded);
  EXPECT_TRUE(femke.author);
  EXPECT_EQ(femke.truck_factor_without, 0);
  EXPECT_DOUBLE_EQ(femke.share, 1.0);
  ASSERT_FALSE(netconfig->files_per_author.empty());
  EXPECT_EQ(netconfig->files_per_author.front().person_id, "femke");
  EXPECT_EQ(static_cast<std::size_t>(netconfig->files_per_author.front().files), netconfig->files);
  EXPECT_FALSE(netconfig->repositories.empty());

  const System* outage = s_view->system("outage-map");
  ASSERT_NE(outage, nullptr);
  EXPECT_THAT(outage->operator_ids, ElementsAre("lotte"));
  EXPECT_FALSE(outage->truck_factor);  // no code
  EXPECT_EQ(s_view->system("nowhere"), nullptr);
}

TEST_F(DashboardView, AgenciesCountAccessAfterTheEndMissingEndsAndHandoversOwed) {
  ASSERT_TRUE(s_view);
  const Agency* tideway = s_view->agency("Tideway Consulting");
  ASSERT_NE(tideway, nullptr);
  EXPECT_EQ(tideway->past_end_with_access, 1);  // bram; ravi is locked and in no group
  // bram's access since the end, counted from it: he held it at the first read.
  ASSERT_TRUE(person("bram").rights_end);
  EXPECT_EQ(tideway->access_after_end, s_view->built_at - *person("bram").rights_end);
  EXPECT_EQ(tideway->missing_end_dates, 1);  // daan
  EXPECT_EQ(tideway->handovers_owed, 2);     // bram's and tim's billing-engine
  const Agency* kade = s_view->agency("Kade IT");
  ASSERT_NE(kade, nullptr);
  EXPECT_EQ(kade->handovers_owed, 1);                           // femke's netconfig
  EXPECT_EQ(s_view->agency("Polder Data")->handovers_owed, 1);  // eliska's leak-detection
  EXPECT_EQ(s_view->agency_of("femke"), "Kade IT");
  EXPECT_EQ(s_view->agency_of("nobody"), "");
}

TEST_F(DashboardView, TheScansChecklistsAreThere) {
  ASSERT_TRUE(s_view);
  ASSERT_NE(s_view->checklist("femke"), nullptr);  // within notice
  EXPECT_EQ(s_view->checklist("femke")->person, "femke");
  EXPECT_EQ(s_view->checklist("daan"), nullptr);  // no end, no checklist
}

}  // namespace
}  // namespace secondsight::app::dashboard
