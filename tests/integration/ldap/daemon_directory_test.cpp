// The real daemon following a real slapd that is stopped and started again while it polls:
// health says the directory is down within a few polls, scans go on with the last good
// snapshot (no finding opens or resolves for want of a directory), and it recovers by itself.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>

#include "fixtures/daemon_process.hpp"
#include "fixtures/plant_company.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/slapd_fixture.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* k_token = "directory-token-1234";

TEST(DaemonDirectory, ASlapdStoppedAndStartedAgainIsFollowed) {
  const fs::path folder = make_temp_dir("daemon-slapd");
  write_file(folder / "directory.ldif", plant_company_ldif(true));
  fs::create_directory(folder / "policies");
  write_file(folder / "policies" / "plant.yaml", k_plant_policy);
  write_file(folder / "token", std::string(k_token) + "\n");
  ::chmod((folder / "token").c_str(), 0600);

  SlapdOptions options;
  options.data = {folder / "directory.ldif"};
  auto slapd = Slapd::start(options);
  ASSERT_TRUE(slapd);
  const unsigned short port = free_loopback_port();
  write_file(folder / "config.yaml",
             "state_dir: state\npolicies: policies\ndirectory:\n  uri: " + slapd->ldap_uri() +
                 "\n  people: { base: \"ou=People,dc=example,dc=com\" }\n"
                 "  groups: { base: \"ou=Groups,dc=example,dc=com\" }\n"
                 "  poll_interval: 1s\n  timeout: 5s\n"
                 "daemon: { safety_interval: 1s }\n"
                 "api: { listen: \"127.0.0.1:" +
                 std::to_string(port) + "\", token_file: token }\n");

  DaemonProcess daemon(SECONDSIGHT_BINARY, folder / "config.yaml", folder, "2026-06-01");
  ASSERT_TRUE(daemon.wait_for_notification("READY=1")) << read_file(daemon.log_path());
  const auto health = [&] {
    auto json = nlohmann::json::parse(http_get(port, "/healthz", k_token).body, nullptr, false);
    return json.is_discarded() ? nlohmann::json::object() : json;
  };
  // The open findings, by fingerprint (last_seen moves on with every scan).
  const auto findings = [&] {
    std::set<std::string> out;
    auto json =
        nlohmann::json::parse(http_get(port, "/api/v1/findings", k_token).body, nullptr, false);
    if (!json.is_discarded())
      for (const auto& f : json["findings"])
        out.insert(f["kind"].get<std::string>() + " " + f["fingerprint"].get<std::string>());
    return out;
  };
  ASSERT_TRUE(DaemonProcess::eventually([&] { return health()["status"] == "ok"; }))
      << health().dump() << read_file(daemon.log_path());
  const auto before = findings();
  ASSERT_EQ(before.size(), 2u);  // need_to_know_violation and missing_end_date of ria

  slapd->stop();
  EXPECT_TRUE(DaemonProcess::eventually([&] {
    const auto now = health();
    return now["status"] == "degraded" && now["directory"]["ok"] == false;
  })) << health().dump();
  EXPECT_THAT(http_get(port, "/metrics", k_token).body, HasSubstr("secondsight_directory_up 0\n"));
  EXPECT_EQ(findings(), before);
  EXPECT_TRUE(daemon.running());

  ASSERT_TRUE(slapd->restart());
  // The reconnection backs off from 5 s; it is back within a minute.
  EXPECT_TRUE(DaemonProcess::eventually([&] { return health()["status"] == "ok"; },
                                        std::chrono::seconds(90)))
      << health().dump() << read_file(daemon.log_path());
  EXPECT_EQ(findings(), before);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(), 0) << read_file(daemon.log_path());
  fs::remove_all(folder);
}

}  // namespace
}  // namespace secondsight::testing
