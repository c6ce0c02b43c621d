// The LDAP directory source against a real slapd: the conformance suite every directory passes,
// TLS (ldaps://, StartTLS, a CA that does not match), binds (password file, SASL EXTERNAL with
// a client certificate), paging under a size limit, and what a failure says.
#include <gmock/gmock.h>

#include <fstream>
#include <map>

#include "conformance/source_conformance.hpp"
#include "fixtures/ldap_proxy.hpp"
#include "fixtures/slapd_fixture.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/directory/filter.hpp"
#include "secondsight/directory/ldap.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::directory {
namespace {

using secondsight::testing::LdapProxy;
using secondsight::testing::Slapd;
using secondsight::testing::SlapdOptions;
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

const std::string k_password = "correct horse battery staple";
const fs::path k_company = fs::path(SECONDSIGHT_SOURCE_DIR) / "tests" / "scenarios" / "harbour";

config::DirectoryConfig directory_config(const std::string& uri) {
  config::DirectoryConfig config;
  config.uri = uri;
  config.attributes = config::default_attributes(config::Flavor::openldap);
  config.timeout = std::chrono::seconds(10);
  return config;
}

// The LDAP source over a slapd that serves the given LDIF and lives as long as the source.
class SlapdServedSource final : public DirectorySource {
 public:
  explicit SlapdServedSource(const std::string& ldif_text) {
    m_dir = secondsight::testing::make_temp_dir("secondsight-ldif");
    std::ofstream(m_dir / "content.ldif") << ldif_text;
    SlapdOptions options;
    options.data = {m_dir / "content.ldif"};
    options.reader_password = k_password;
    m_slapd = Slapd::start(options);
    if (!m_slapd) return;
    auto config = directory_config(m_slapd->ldap_uri());
    config.bind_dn = m_slapd->reader_dn();
    config.bind_password_file = m_slapd->password_file();
    config.page_size = 2;  // every search of more than two entries goes over several pages
    m_source = make_ldap_source(config);
  }
  ~SlapdServedSource() override {
    m_source.reset();
    m_slapd.reset();
    std::error_code ignored;
    fs::remove_all(m_dir, ignored);
  }
  std::string name() const override { return m_source ? m_source->name() : "no slapd"; }
  Result<void> open() override {
    if (!m_source) return make_error("slapd did not start");
    return m_source->open();
  }
  Result<SearchSummary> search_each(const SearchRequest& request, const EntrySink& sink) override {
    if (!m_source) return make_error("slapd did not start");
    return m_source->search_each(request, sink);
  }

 private:
  fs::path m_dir;
  std::unique_ptr<Slapd> m_slapd;
  std::unique_ptr<DirectorySource> m_source;
};

INSTANTIATE_TEST_SUITE_P(Ldap, DirectorySourceConformance,
                         ::testing::Values(DirectorySourceFactory([](const std::string& text) {
                           return std::unique_ptr<DirectorySource>(
                               std::make_unique<SlapdServedSource>(text));
                         })),
                         [](const auto&) { return std::string("ldap"); });

// The company's directory in a slapd with TLS, a reader account, and a size limit of 5 entries
// for searches that do not page (the directory has 17 people).
class CompanySlapd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SlapdOptions options;
    options.suffix = "dc=harbour,dc=example";
    options.schemas = {k_company / "schema/harbour-engagement.ldif"};
    options.data = {k_company / "directory.ldif"};
    options.reader_password = k_password;
    options.tls = true;
    options.size_limit = 5;
    s_slapd = Slapd::start(options).release();
  }
  static void TearDownTestSuite() {
    delete s_slapd;
    s_slapd = nullptr;
  }
  void SetUp() override { ASSERT_NE(s_slapd, nullptr); }

  static config::DirectoryConfig reader(const std::string& uri) {
    auto config = directory_config(uri);
    config.bind_dn = s_slapd->reader_dn();
    config.bind_password_file = s_slapd->password_file();
    config.ca_file = s_slapd->tls_file("ca.crt");
    config.people = {"ou=people,dc=harbour,dc=example", "(objectClass=inetOrgPerson)", {}};
    config.groups = {"ou=groups,dc=harbour,dc=example", "(objectClass=groupOfNames)", {}};
    config.page_size = 4;
    return config;
  }

  // The people search through a source made from `config`: the error, or the entries.
  static Result<std::vector<Entry>> people(const config::DirectoryConfig& config) {
    auto source = make_ldap_source(config);
    if (auto opened = source->open(); !opened) return opened.error();
    auto found = source->search({config.people.base, config.people.filter, {}});
    if (!found) return found.error();
    if (!found->base_found) return make_error("base not found");
    return std::move(found->entries);
  }

  static Slapd* s_slapd;
};
Slapd* CompanySlapd::s_slapd = nullptr;

TEST_F(CompanySlapd, PlainLdapOnLoopbackWithAPasswordFile) {
  auto found = people(reader(s_slapd->ldap_uri()));
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), 17u);
}

TEST_F(CompanySlapd, LdapsWithTheRightCa) {
  auto found = people(reader(s_slapd->ldaps_uri()));
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), 17u);
}

TEST_F(CompanySlapd, StartTlsWithTheRightCa) {
  auto config = reader(s_slapd->ldap_uri());
  config.starttls = true;
  auto found = people(config);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), 17u);
}

TEST_F(CompanySlapd, ACaThatDidNotSignTheServerIsRefused) {
  for (bool starttls : {false, true}) {
    auto config = reader(starttls ? s_slapd->ldap_uri() : s_slapd->ldaps_uri());
    config.starttls = starttls;
    config.ca_file = s_slapd->tls_file("other-ca.crt");
    auto found = people(config);
    ASSERT_FALSE(found);
    const std::string& message = found.error().message;
    EXPECT_EQ(message.rfind(config.uri +
                                ": TLS handshake failed: the server's certificate was not "
                                "accepted (it must be signed by a CA in " +
                                config.ca_file.string() + ", be valid now and name 127.0.0.1)",
                            0),
              0u)
        << message;
    EXPECT_THAT(message, Not(HasSubstr("attempts"))) << "a refused certificate is not retried";
    EXPECT_THAT(message, Not(HasSubstr(k_password)));
  }
}

TEST_F(CompanySlapd, TheServerNameIsChecked) {
  // The same server through 127.0.0.2, which its certificate does not name.
  auto config = reader(s_slapd->misnamed_ldaps_uri());
  auto found = people(config);
  ASSERT_FALSE(found);
  EXPECT_THAT(found.error().message,
              HasSubstr(config.uri +
                        ": TLS handshake failed: the server's certificate was not "
                        "accepted (it must be signed by a CA in " +
                        config.ca_file.string() + ", be valid now and name 127.0.0.2)"));
}

TEST_F(CompanySlapd, TlsToAPortThatDoesNotSpeakItFails) {
  auto config = reader("ldaps://127.0.0.1:" + std::to_string(s_slapd->port()));
  auto found = people(config);
  ASSERT_FALSE(found);
  EXPECT_THAT(found.error().message, HasSubstr(config.uri + ": TLS handshake failed"));
}

TEST_F(CompanySlapd, SaslExternalWithAClientCertificate) {
  auto config = reader(s_slapd->ldaps_uri());
  config.bind_dn.clear();
  config.bind_password_file.clear();
  config.client_cert_file = s_slapd->tls_file("client.crt");
  config.client_key_file = s_slapd->tls_file("client.key");
  // Anonymous clients may read nothing here: entries prove the certificate's identity was used.
  auto found = people(config);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), 17u);
}

TEST_F(CompanySlapd, AnonymousMayReadNothingAndThePollSaysSo) {
  auto config = reader(s_slapd->ldap_uri());
  config.bind_dn.clear();
  config.bind_password_file.clear();
  auto source = make_ldap_source(config);
  auto polled = poll_directory(*source, config, nullptr);
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().message, config.uri +
                                        ": the people base 'ou=people,dc=harbour,dc=example' names "
                                        "no entry this poll may read");
}

TEST_F(CompanySlapd, AWrongPasswordIsNamedWithoutThePassword) {
  const fs::path wrong = s_slapd->dir() / "wrong-password";
  std::ofstream(wrong) << "hunter2-not-it\n";
  auto config = reader(s_slapd->ldaps_uri());
  config.bind_password_file = wrong;
  auto found = people(config);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().message,
            config.uri + ": bind as cn=secondsight,dc=harbour,dc=example: Invalid credentials");
  EXPECT_THAT(found.error().message, Not(HasSubstr("hunter2")));
}

TEST_F(CompanySlapd, AMissingOrEmptyPasswordFileIsNamed) {
  auto config = reader(s_slapd->ldaps_uri());
  config.bind_password_file = s_slapd->dir() / "no-such-file";
  auto missing = people(config);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, config.uri + ": cannot read bind_password_file " +
                                         config.bind_password_file.string() +
                                         ": No such file or directory");
  config.bind_password_file = s_slapd->dir() / "empty-password";
  std::ofstream(config.bind_password_file) << "\n";
  auto empty = people(config);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, config.uri + ": bind_password_file " +
                                       config.bind_password_file.string() + " is empty");
}

TEST_F(CompanySlapd, PagesGoPastTheSizeLimit) {
  // Unpaged, slapd stops after 5 entries; in pages of 4 every one of the 17 people comes back.
  LdapProxy proxy(s_slapd->port());
  auto found = people(reader(proxy.uri()));
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->size(), 17u);
  EXPECT_EQ(proxy.searches(), 5) << "17 people in pages of 4 are 5 search requests";
}

TEST_F(CompanySlapd, OperationalAttributesNamedInTheConfigAreRead) {
  auto config = reader(s_slapd->ldap_uri());
  auto source = make_ldap_source(config);
  auto polled = poll_directory(*source, config, *find_zone("Europe/Amsterdam"));
  ASSERT_TRUE(polled) << polled.error().message;
  const Person* ravi = polled->find_person("ravi");
  ASSERT_NE(ravi, nullptr);
  EXPECT_TRUE(ravi->disabled) << "pwdAccountLockedTime is operational: asked for by name";
  EXPECT_EQ(polled->people.size(), 17u);
  EXPECT_EQ(polled->groups.size(), 9u);
}

TEST_F(CompanySlapd, EscapedFilterValuesMatchOnTheServer) {
  auto config = reader(s_slapd->ldap_uri());
  auto source = make_ldap_source(config);
  ASSERT_TRUE(source->open());
  // A value with every character RFC 4515 escapes finds nothing and breaks nothing.
  auto odd = source->search(
      {"dc=harbour,dc=example", "(uid=" + escape_filter_value("eliska)(uid=*") + ")", {"uid"}});
  ASSERT_TRUE(odd) << odd.error().message;
  EXPECT_TRUE(odd->entries.empty());
  auto exact = source->search(
      {"dc=harbour,dc=example", "(uid=" + escape_filter_value("eliska") + ")", {"uid"}});
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->entries.size(), 1u);
}

TEST_F(CompanySlapd, EachOpenIsANewConnection) {
  auto config = reader(s_slapd->ldap_uri());
  auto source = make_ldap_source(config);
  for (int poll = 0; poll < 3; ++poll) {
    ASSERT_TRUE(source->open());
    auto found = source->search({config.people.base, config.people.filter, {}});
    ASSERT_TRUE(found);
    EXPECT_EQ(found->entries.size(), 17u);
  }
}

TEST(LdapSource, AServerThatRefusesPagingIsAskedWithoutAndItsSizeLimitIsAnError) {
  SlapdOptions options;
  options.suffix = "dc=harbour,dc=example";
  options.schemas = {k_company / "schema/harbour-engagement.ldif"};
  options.data = {k_company / "directory.ldif"};
  options.reader_password = k_password;
  options.size_limit = 5;
  options.paging = false;
  auto slapd = Slapd::start(options);
  ASSERT_NE(slapd, nullptr);
  auto config = directory_config(slapd->ldap_uri());
  config.bind_dn = slapd->reader_dn();
  config.bind_password_file = slapd->password_file();
  auto source = make_ldap_source(config);
  ASSERT_TRUE(source->open());
  // Two groups fit under the limit...
  auto few = source->search({"ou=groups,dc=harbour,dc=example", "(cn=*ops)", {"cn"}});
  ASSERT_TRUE(few) << few.error().message;
  EXPECT_EQ(few->entries.size(), 2u);  // netops, gis-ops
  // ...seventeen people do not: a short answer is an error, never the directory.
  ASSERT_TRUE(source->open());
  auto many =
      source->search({"ou=people,dc=harbour,dc=example", "(objectClass=inetOrgPerson)", {}});
  ASSERT_FALSE(many);
  EXPECT_EQ(
      many.error().message,
      config.uri +
          ": search of 'ou=people,dc=harbour,dc=example' for (objectClass=inetOrgPerson): Size "
          "limit exceeded: the server stopped after 5 entries; a short result is never "
          "taken as the directory");
}

TEST(LdapSource, AnUnreachableServerIsTriedAgainThenNamed) {
  const int port = secondsight::testing::free_port();
  auto config = directory_config("ldap://127.0.0.1:" + std::to_string(port));
  auto source = make_ldap_source(config);
  auto opened = source->open();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message,
            config.uri + ": connect: Can't contact LDAP server (after 4 attempts)");
}

TEST(LdapSource, AServerRestartedBetweenPollsIsReachedAgain) {
  SlapdOptions options;
  options.suffix = "dc=harbour,dc=example";
  options.schemas = {k_company / "schema/harbour-engagement.ldif"};
  options.data = {k_company / "directory.ldif"};
  auto slapd = Slapd::start(options);
  ASSERT_NE(slapd, nullptr);
  auto config = directory_config(slapd->ldap_uri());
  auto source = make_ldap_source(config);
  ASSERT_TRUE(source->open());
  slapd->kill();
  auto during = source->search({"ou=people,dc=harbour,dc=example", "(uid=eliska)", {}});
  ASSERT_FALSE(during);
  EXPECT_THAT(during.error().message, HasSubstr(config.uri + ": search of"));
  ASSERT_TRUE(slapd->restart());
  ASSERT_EQ(slapd->ldap_uri(), config.uri);
  ASSERT_TRUE(source->open());
  auto after = source->search({"ou=people,dc=harbour,dc=example", "(uid=eliska)", {}});
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->entries.size(), 1u);
}

}  // namespace
}  // namespace secondsight::directory
