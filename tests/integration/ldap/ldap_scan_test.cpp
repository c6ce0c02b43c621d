// `secondsight scan` through a real slapd: the test company gives exactly the findings of the
// same scan through its LDIF export, over every transport; a slapd killed in the middle of a
// poll changes nothing and exits 3; the Active Directory flavour on a minimal AD schema.
#include <gmock/gmock.h>

#include "fixtures/ldap_proxy.hpp"
#include "fixtures/scenario.hpp"
#include "fixtures/slapd_fixture.hpp"
#include "secondsight/app/commands.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

const std::string k_password = "s3cret for the reader";
const std::string k_now = k_company_now;
const std::string k_ad_now = "2026-03-16T12:00:00Z";  // the clock of tests/fixtures/slapd/ad
const fs::path k_fixtures = fs::path(SECONDSIGHT_SOURCE_DIR) / "tests/fixtures/slapd";

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run scan(const fs::path& config, app::OutputFormat format, const std::string& now = k_now) {
  std::ostringstream out, err;
  app::ScanOptions options{config, now, format, std::nullopt};
  int code = app::command_scan(options, out, err);
  return {code, out.str(), err.str()};
}

std::set<FindingKey> keys_of(const Run& run) {
  std::istringstream in(run.out);
  return finding_keys(in);
}

// A copy of `config` whose directory is `directory_yaml` (the lines under "directory:"), with
// its own state folder.
fs::path config_variant(const fs::path& config, const std::string& name,
                        const std::string& directory_yaml) {
  std::string text = read_file(config);
  const auto start = text.find("directory:\n");
  auto end = text.find("\naudit_logs:", start);
  if (end == std::string::npos) end = text.size();
  text = text.substr(0, start) + "directory:\n" + directory_yaml + text.substr(end);
  for (std::string::size_type at = 0; (at = text.find("state/", at)) != std::string::npos;)
    text.replace(at, 6, "state-" + name + "/"), at += name.size() + 7;
  const auto state = text.find("state_dir: state\n");
  if (state != std::string::npos) text.replace(state, 17, "state_dir: state-" + name + "\n");
  const fs::path out = config.parent_path() / ("config-" + name + ".yaml");
  write_file(out, text);
  return out;
}

enum class Transport { ldap, starttls, ldaps, ldaps_external };

std::string transport_name(Transport transport) {
  switch (transport) {
    case Transport::ldap: return "ldap";
    case Transport::starttls: return "starttls";
    case Transport::ldaps: return "ldaps";
    case Transport::ldaps_external: return "ldaps_sasl_external";
  }
  return "?";
}

class CompanyThroughSlapd : public ::testing::TestWithParam<Transport> {
 protected:
  static void SetUpTestSuite() {
    s_company = new fs::path(setup_company());
    SlapdOptions options;
    options.suffix = "dc=harbour,dc=example";
    options.schemas = {k_company_source / "schema/harbour-engagement.ldif"};
    options.data = {k_company_source / "directory.ldif"};
    options.reader_password = k_password;
    options.tls = true;
    options.size_limit = 5;  // the people search has to page
    s_slapd = Slapd::start(options).release();
  }
  static void TearDownTestSuite() {
    delete s_slapd;
    s_slapd = nullptr;
    fs::remove_all(*s_company);
    delete s_company;
  }
  void SetUp() override { ASSERT_NE(s_slapd, nullptr); }

  // The directory block of the company's config, pointed at slapd through `uri`.
  static std::string directory_yaml(const std::string& uri, Transport transport) {
    std::string yaml = "  uri: " + uri + "\n";
    if (transport == Transport::starttls) yaml += "  starttls: true\n";
    if (transport != Transport::ldap)
      yaml += "  ca_file: " + s_slapd->tls_file("ca.crt").string() + "\n";
    if (transport == Transport::ldaps_external) {
      yaml += "  client_cert_file: " + s_slapd->tls_file("client.crt").string() + "\n";
      yaml += "  client_key_file: " + s_slapd->tls_file("client.key").string() + "\n";
    } else {
      yaml += "  bind_dn: " + s_slapd->reader_dn() + "\n";
      yaml += "  bind_password_file: " + s_slapd->password_file().string() + "\n";
    }
    yaml +=
        "  flavor: openldap\n"
        "  people: { base: \"ou=people,dc=harbour,dc=example\", filter: "
        "\"(objectClass=inetOrgPerson)\" }\n"
        "  groups: { base: \"ou=groups,dc=harbour,dc=example\", filter: "
        "\"(objectClass=groupOfNames)\" }\n"
        "  attributes:\n"
        "    end_date: { attribute: contractEndDate, format: iso_date }\n"
        "  page_size: 3\n"
        "  timeout: 10s\n";
    return yaml;
  }

  static std::string uri_for(Transport transport) {
    return transport == Transport::ldap || transport == Transport::starttls ? s_slapd->ldap_uri()
                                                                            : s_slapd->ldaps_uri();
  }

  static fs::path* s_company;
  static Slapd* s_slapd;
};
fs::path* CompanyThroughSlapd::s_company = nullptr;
Slapd* CompanyThroughSlapd::s_slapd = nullptr;

TEST_P(CompanyThroughSlapd, GivesExactlyTheFindingsOfTheLdifExport) {
  const Transport transport = GetParam();
  const fs::path via_ldif = *s_company / "config.yaml";
  fs::remove_all(*s_company / "state");
  auto expected = scan(via_ldif, app::OutputFormat::jsonl);
  ASSERT_EQ(expected.code, 0) << expected.err;
  ASSERT_FALSE(keys_of(expected).empty());

  const std::string name = transport_name(transport);
  const fs::path via_ldap =
      config_variant(via_ldif, name, directory_yaml(uri_for(transport), transport));
  fs::remove_all(*s_company / ("state-" + name));
  auto actual = scan(via_ldap, app::OutputFormat::jsonl);
  ASSERT_EQ(actual.code, 0) << actual.err;
  EXPECT_EQ(keys_of(actual), keys_of(expected));

  auto report = scan(via_ldap, app::OutputFormat::json);
  ASSERT_EQ(report.code, 0) << report.err;
  auto json = nlohmann::json::parse(report.out);
  EXPECT_EQ(json["directory"]["complete"], true);
  EXPECT_EQ(json["directory"]["people"], 17);
  EXPECT_EQ(json["directory"]["groups"], 9);
}

INSTANTIATE_TEST_SUITE_P(Transports, CompanyThroughSlapd,
                         ::testing::Values(Transport::ldap, Transport::starttls, Transport::ldaps,
                                           Transport::ldaps_external),
                         [](const auto& param_info) { return transport_name(param_info.param); });

TEST(CompanyThroughSlapdKilledMidPoll, ChangesNothingAndExitsThree) {
  const fs::path company = setup_company();
  SlapdOptions options;
  options.suffix = "dc=harbour,dc=example";
  options.schemas = {k_company_source / "schema/harbour-engagement.ldif"};
  options.data = {k_company_source / "directory.ldif"};
  options.reader_password = k_password;
  auto slapd = Slapd::start(options);
  ASSERT_NE(slapd, nullptr);

  auto directory = [&](const std::string& uri) {
    return "  uri: " + uri + "\n  bind_dn: " + slapd->reader_dn() +
           "\n  bind_password_file: " + slapd->password_file().string() +
           "\n  people: { base: \"ou=people,dc=harbour,dc=example\", filter: "
           "\"(objectClass=inetOrgPerson)\" }\n"
           "  groups: { base: \"ou=groups,dc=harbour,dc=example\", filter: "
           "\"(objectClass=groupOfNames)\" }\n"
           "  attributes:\n    end_date: { attribute: contractEndDate, format: iso_date }\n"
           "  page_size: 3\n  timeout: 10s\n";
  };

  // A good scan first, through a relay that only counts.
  std::unique_ptr<LdapProxy> proxy = std::make_unique<LdapProxy>(slapd->port());
  const fs::path config =
      config_variant(company / "config.yaml", "killed", directory(proxy->uri()));
  auto good = scan(config, app::OutputFormat::json, k_now);
  ASSERT_EQ(good.code, 0) << good.err;
  const auto before = nlohmann::json::parse(good.out)["findings"];
  ASSERT_FALSE(before.empty());
  ASSERT_GT(proxy->searches(), 3);

  // Then slapd dies when the client asks for the people search's second page.
  proxy = std::make_unique<LdapProxy>(slapd->port(), 2, [&] { slapd->kill(); });
  const fs::path cut = config_variant(company / "config.yaml", "killed", directory(proxy->uri()));
  auto broken = scan(cut, app::OutputFormat::json, "2026-05-19T09:00:00Z");
  EXPECT_TRUE(proxy->cut());
  EXPECT_FALSE(slapd->running());
  EXPECT_EQ(broken.code, app::k_exit_source) << broken.err;
  EXPECT_THAT(broken.err, HasSubstr("the directory was unavailable: " + proxy->uri() +
                                    ": search of 'ou=people,dc=harbour,dc=example'"));
  auto report = nlohmann::json::parse(broken.out);
  EXPECT_EQ(report["directory"]["complete"], false);
  // Every finding is still open, as the good scan left it.
  ASSERT_EQ(report["findings"].size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(report["findings"][i]["fingerprint"], before[i]["fingerprint"]);
    EXPECT_EQ(report["findings"][i]["status"], "open");
    EXPECT_EQ(report["findings"][i]["last_seen"], k_now);
  }
  proxy.reset();
  fs::remove_all(company);
}

// Active Directory's attributes (sAMAccountName, userAccountControl, accountExpires, memberOf)
// in slapd with a minimal schema made for this test.
TEST(ActiveDirectoryFlavourThroughSlapd, GivesTheFindingsOfItsLdifExport) {
  const fs::path dir = make_temp_dir("ad");
  fs::copy(k_fixtures / "ad", dir, fs::copy_options::recursive);
  SlapdOptions options;
  options.suffix = "dc=corp,dc=example";
  options.schemas = {k_fixtures / "ad-test-schema.ldif"};
  options.data = {dir / "directory.ldif"};
  options.reader_password = k_password;
  options.size_limit = 3;
  auto slapd = Slapd::start(options);
  ASSERT_NE(slapd, nullptr);

  auto expected = scan(dir / "config.yaml", app::OutputFormat::jsonl, k_ad_now);
  ASSERT_EQ(expected.code, 0) << expected.err;
  const std::set<FindingKey> wanted = ad_company_findings();
  EXPECT_EQ(keys_of(expected), wanted);

  std::string yaml = read_file(dir / "config.yaml");
  const std::string ldif_uri = "  uri: ldif:directory.ldif\n";
  yaml.replace(yaml.find(ldif_uri), ldif_uri.size(),
               "  uri: " + slapd->ldap_uri() + "\n  bind_dn: " + slapd->reader_dn() +
                   "\n  bind_password_file: " + slapd->password_file().string() +
                   "\n  page_size: 2\n");
  yaml.replace(yaml.find("state_dir: state"), 16, "state_dir: state-ldap");
  write_file(dir / "config-ldap.yaml", yaml);
  auto actual = scan(dir / "config-ldap.yaml", app::OutputFormat::jsonl, k_ad_now);
  ASSERT_EQ(actual.code, 0) << actual.err;
  EXPECT_EQ(keys_of(actual), wanted);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace secondsight::testing
