#include <fcntl.h>
#include <gmock/gmock.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "conformance/source_conformance.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/ldif.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::directory {
namespace {

namespace fs = std::filesystem;

using ::testing::ElementsAre;
using testing::TempDir;

// The LDIF source over a temporary file that lives as long as the source.
class TempFileLdifSource final : public DirectorySource {
 public:
  explicit TempFileLdifSource(const std::string& ldif_text)
      : m_source(make_ldif_source(m_dir.write("export.ldif", ldif_text))) {}
  std::string name() const override { return m_source->name(); }
  Result<void> open() override { return m_source->open(); }
  Result<SearchSummary> search_each(const SearchRequest& request, const EntrySink& sink) override {
    return m_source->search_each(request, sink);
  }
  Result<std::vector<SearchSummary>> search_each_of(const std::vector<SearchRequest>& requests,
                                                    const std::vector<EntrySink>& sinks) override {
    return m_source->search_each_of(requests, sinks);
  }

 private:
  TempDir m_dir;
  std::unique_ptr<DirectorySource> m_source;
};

INSTANTIATE_TEST_SUITE_P(Ldif, DirectorySourceConformance,
                         ::testing::Values(DirectorySourceFactory([](const std::string& text) {
                           return std::unique_ptr<DirectorySource>(
                               std::make_unique<TempFileLdifSource>(text));
                         })),
                         [](const auto&) { return std::string("ldif"); });

TEST(LdifSource, NameIsLdifColonPath) {
  EXPECT_EQ(make_ldif_source("/srv/export.ldif")->name(), "ldif:/srv/export.ldif");
}

TEST(LdifSource, OpenOfMissingFileSaysWhy) {
  TempDir dir;
  const fs::path missing = dir.path() / "missing.ldif";
  auto source = make_ldif_source(missing);
  auto opened = source->open();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message,
            "cannot read LDIF export " + missing.string() + ": No such file or directory");
}

TEST(LdifSource, ASearchFailsWithTheReadersLocation) {
  TempDir dir;
  const fs::path path = dir.write("bad.ldif", "dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,,dc=x\n");
  auto source = make_ldif_source(path);
  ASSERT_TRUE(source->open());
  auto searched = source->search({"dc=x", "", {}});
  ASSERT_FALSE(searched);
  EXPECT_EQ(searched.error().message.rfind(path.string() + ":4: bad DN 'cn=b,,dc=x'", 0), 0u)
      << searched.error().message;
}

// An export is read in its own order: a group that comes before its members, whichever way it
// names them, still has them all.
// An entry both searches select comes whole to the one that asked for every attribute, also
// when it is not the last to get it.
TEST(LdifSource, AnEntryForTwoSearchesComesToEachAsItAsked) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif", "dn: uid=ann,dc=x\nuid: ann\ncn: Ann\nsn: A\n");
  auto source = make_ldif_source(path);
  ASSERT_TRUE(source->open());
  std::vector<std::size_t> sizes;
  const auto count = [&](Entry&& entry) -> Result<void> {
    sizes.push_back(entry.attributes().size());
    return {};
  };
  auto summaries = source->search_each_of(
      {{"dc=x", "", {}}, {"dc=x", "", {"*"}}, {"dc=x", "", {"cn"}}}, {count, count, count});
  ASSERT_TRUE(summaries) << summaries.error().message;
  EXPECT_THAT(sizes, ElementsAre(3u, 3u, 1u));
}

TEST(LdifSource, AGroupBeforeItsPeopleStillHasThem) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif",
                                  "dn: ou=g,dc=x\nou: g\n\n"
                                  "dn: cn=ops,ou=g,dc=x\ncn: ops\nmemberUid: ann\n"
                                  "member: uid=bo,ou=p,dc=x\n\n"
                                  "dn: ou=p,dc=x\nou: p\n\n"
                                  "dn: uid=ann,ou=p,dc=x\nuid: ann\n\n"
                                  "dn: uid=bo,ou=p,dc=x\nuid: bo\n\n"
                                  "dn: uid=cy,ou=p,dc=x\nuid: cy\nmemberOf: cn=ops,ou=g,dc=x\n");
  config::DirectoryConfig config;
  config.attributes = config::default_attributes(config::Flavor::openldap);
  config.people = {"ou=p,dc=x", "(uid=*)", {}};
  config.groups = {"ou=g,dc=x", "(cn=*)", {}};
  auto source = make_ldif_source(path);
  auto polled = poll_directory(*source, config, nullptr);
  ASSERT_TRUE(polled) << polled.error().message;
  std::set<std::string> members;
  for (const auto& [person, paths] : polled->members_of("cn=ops,ou=g,dc=x"))
    members.insert(person->id);
  EXPECT_EQ(members, (std::set<std::string>{"ann", "bo", "cy"}));
}

TEST(LdifSource, TheSameDnTwiceMakesThePollIncomplete) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif",
                                  "dn: ou=p,dc=x\nou: p\n\n"
                                  "dn: uid=ann,ou=p,dc=x\nuid: ann\nemployeeType: employee\n\n"
                                  "dn: UID=ann,OU=p, DC=x\nuid: ann\nemployeeType: contractor\n");
  config::DirectoryConfig config;
  config.attributes = config::default_attributes(config::Flavor::openldap);
  config.people.base = config.groups.base = "ou=p,dc=x";
  config.people.filter = "(uid=*)";
  config.groups.filter = "(cn=*)";
  auto source = make_ldif_source(path);
  auto polled = poll_directory(*source, config, nullptr);
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().message,
            path.string() + ":8: entry 'UID=ann,OU=p, DC=x' appears again; first at line 4");
}

// The one poll every command and the daemon make: the configured source, made and polled.
TEST(LdifSource, TheConfiguredDirectoryIsPolledThroughItsUri) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif",
                                  "dn: ou=p,dc=x\nou: p\n\n"
                                  "dn: uid=ann,ou=p,dc=x\nuid: ann\nemployeeType: employee\n");
  config::DirectoryConfig config;
  config.attributes = config::default_attributes(config::Flavor::openldap);
  config.people.base = config.groups.base = "ou=p,dc=x";
  config.people.filter = "(uid=*)";
  config.groups.filter = "(cn=*)";
  config.uri = "ldif:" + path.string();
  config.ldif_path = path;
  auto polled = poll_configured_directory(config, nullptr);
  ASSERT_TRUE(polled) << polled.error().message;
  ASSERT_EQ(polled->people.size(), 1u);
  EXPECT_EQ(polled->people[0].id, "ann");

  config.uri = "ftp://directory.example";
  auto refused = poll_configured_directory(config, nullptr);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "directory ftp://directory.example: not an ldap://, ldaps:// or ldif: URI");
}

TEST(LdifSource, TwoPeopleWithOneIdMakeThePollIncomplete) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif",
                                  "dn: ou=p,dc=x\nou: p\n\n"
                                  "dn: uid=ann,ou=p,dc=x\nuid: ann\nemployeeType: employee\n\n"
                                  "dn: cn=Ann C,ou=p,dc=x\nuid: ann\nemployeeType: contractor\n");
  config::DirectoryConfig config;
  config.attributes = config::default_attributes(config::Flavor::openldap);
  config.people.base = config.groups.base = "ou=p,dc=x";
  config.people.filter = "(uid=*)";
  config.groups.filter = "(cn=nothing)";
  auto source = make_ldif_source(path);
  auto polled = poll_directory(*source, config, nullptr);
  ASSERT_FALSE(polled);
  EXPECT_EQ(polled.error().message, "ldif:" + path.string() +
                                        ":8: uid 'ann' of 'cn=Ann C,ou=p,dc=x' is also the uid "
                                        "of 'uid=ann,ou=p,dc=x' (line 4); each person needs an "
                                        "id of their own");
}

TEST(LdifSource, OnlyARegularFileIsRead) {
  // /dev/zero would feed the reader one endless line; a directory, a socket or a device is no
  // export either. Each is refused at once.
  auto zero = make_ldif_source("/dev/zero")->open();
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().message, "ldif:/dev/zero is a character device, not a regular file");

  TempDir dir;
  auto folder = read_ldif_file(dir.path());
  ASSERT_FALSE(folder);
  EXPECT_EQ(folder.error().message,
            "ldif:" + dir.path().string() + " is a directory, not a regular file");

  const fs::path socket_path = dir.path() / "export.sock";
  const int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  auto socket = read_ldif_file(socket_path);
  ::close(listener);
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().message,
            "ldif:" + socket_path.string() + " is a socket, not a regular file");
}

TEST(LdifSource, AFifoIsRefusedAtOnceWhileItsWriterNeverStops) {
  TempDir dir;
  const fs::path fifo = dir.path() / "export.ldif";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    // A reader that goes makes write() fail with EPIPE rather than raise SIGPIPE.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    // Opens as soon as a reader has the FIFO open (until then: ENXIO), then writes until the
    // reader goes (EPIPE) or the test is over.
    int fd = -1;
    while (fd < 0 && !stop) fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return;
    const std::string comment = "# an export that never ends\n";
    while (!stop && (::write(fd, comment.data(), comment.size()) > 0 || errno == EAGAIN)) {
    }
    ::close(fd);
  });
  auto opened = make_ldif_source(fifo)->open();
  stop = true;
  writer.join();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message, "ldif:" + fifo.string() + " is a FIFO, not a regular file");
}

TEST(LdifSource, AFileAppendedWhileReadIsReadToItsSizeAtOpenAndRefused) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif", "dn: cn=a,dc=x\ncn: a\n");
  auto file = LdifExport::open(path);
  ASSERT_TRUE(file) << file.error().message;
  // A writer that appends until the reading is done, at least once.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    do {
      out << "\ndn: cn=more,dc=x\ncn: more\n" << std::flush;
    } while (!stop);
  });
  auto content = read_ldif(file->stream(), path.string());
  stop = true;
  writer.join();
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(content->entries.size(), 1u) << "what came after the open is not read";
  auto finished = file->finish();
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().message.rfind(
                "ldif:" + path.string() + " changed while it was read (20 bytes when opened, ", 0),
            0u)
      << finished.error().message;
}

TEST(LdifSource, AFileThatShrinksWhileReadIsRefused) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif", "dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\ncn: b\n");
  auto file = LdifExport::open(path);
  ASSERT_TRUE(file) << file.error().message;
  fs::resize_file(path, 20);
  auto content = read_ldif(file->stream(), path.string());
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(content->entries.size(), 1u);
  auto finished = file->finish();
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().message,
            "ldif:" + path.string() +
                " changed while it was read (41 bytes when opened, 20 now): is the export still "
                "being written?");
  // Read again once it no longer changes, it is what it now holds.
  auto whole = read_ldif_file(path);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->entries.size(), 1u);
}

TEST(LdifSource, SearchBeforeOpenIsAnError) {
  auto source = make_ldif_source("/srv/export.ldif");
  EXPECT_FALSE(source->search({"dc=x", "(objectClass=*)", {}}));
}

TEST(LdifSource, BadFilterAndBadBaseAreErrors) {
  TempDir dir;
  auto source = make_ldif_source(dir.write("x.ldif", "dn: dc=x\ndc: x\n"));
  ASSERT_TRUE(source->open());
  auto bad_filter = source->search({"dc=x", "(uid=frank", {}});
  ASSERT_FALSE(bad_filter);
  EXPECT_EQ(bad_filter.error().message, "bad LDAP filter '(uid=frank': missing ')' at offset 10");
  auto bad_base = source->search({"dc=x,,", "(objectClass=*)", {}});
  ASSERT_FALSE(bad_base);
  EXPECT_NE(bad_base.error().message.find("bad DN 'dc=x,,'"), std::string::npos)
      << bad_base.error().message;
}

TEST(LdifSource, EmptyFilterMatchesEverything) {
  TempDir dir;
  auto source = make_ldif_source(dir.write("x.ldif", "dn: dc=x\ndc: x\n\ndn: cn=a,dc=x\ncn: a\n"));
  ASSERT_TRUE(source->open());
  auto result = source->search({"dc=x", "", {}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->entries.size(), 2u);
}

TEST(LdifSource, BaseMatchingNothingWarns) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif", "dn: dc=x\ndc: x\n");
  auto source = make_ldif_source(path);
  ASSERT_TRUE(source->open());
  auto result = source->search({"ou=Nowhere,dc=x", "(objectClass=*)", {}});
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->entries.empty());
  EXPECT_EQ(result->warnings, std::vector<std::string>{
                                  "base 'ou=Nowhere,dc=x' matches no entry in " + path.string()});
  // A base that exists but whose entries the filter rejects is no reason to warn.
  auto filtered = source->search({"dc=x", "(uid=nobody)", {}});
  ASSERT_TRUE(filtered);
  EXPECT_TRUE(filtered->entries.empty());
  EXPECT_TRUE(filtered->warnings.empty());
}

TEST(LdifSource, ReaderWarningsAreReportedOncePerOpen) {
  TempDir dir;
  const fs::path path =
      dir.write("ad.ldif", "dn: dc=corp\ndc: corp\n\nref: ldap://corp/CN=Configuration,DC=corp\n");
  auto source = make_ldif_source(path);
  ASSERT_TRUE(source->open());
  auto first = source->search({"dc=corp", "(objectClass=*)", {}});
  ASSERT_TRUE(first);
  EXPECT_EQ(
      first->warnings,
      std::vector<std::string>{
          path.string() + ":4: search reference skipped: ldap://corp/CN=Configuration,DC=corp"});
  auto second = source->search({"dc=corp", "(objectClass=*)", {}});
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->warnings.empty());
  ASSERT_TRUE(source->open());
  auto after_reopen = source->search({"dc=corp", "(objectClass=*)", {}});
  ASSERT_TRUE(after_reopen);
  EXPECT_EQ(after_reopen->warnings.size(), 1u);
}

TEST(LdifSource, AttributeSelectionKeepsDnLineAndOptions) {
  TempDir dir;
  auto source =
      make_ldif_source(dir.write("x.ldif",
                                 "dn: dc=x\ndc: x\n\ndn: cn=a,dc=x\nobjectClass: group\ncn: a\n"
                                 "member;range=0-1: cn=b,dc=x\nmember;range=0-1: cn=c,dc=x\n"));
  ASSERT_TRUE(source->open());
  auto result = source->search({"dc=x", "(cn=a)", {"MEMBER"}});
  ASSERT_TRUE(result);
  ASSERT_EQ(result->entries.size(), 1u);
  const Entry& group = result->entries.front();
  EXPECT_EQ(group.dn, "cn=a,dc=x");
  EXPECT_EQ(group.line, 4);
  ASSERT_EQ(group.attributes().size(), 1u);
  EXPECT_EQ(group.attributes().front().name, "member;range=0-1");
  EXPECT_EQ(group.attributes().front().values.size(), 2u);
  auto none = source->search({"dc=x", "(cn=a)", {"1.1"}});
  ASSERT_TRUE(none);
  ASSERT_EQ(none->entries.size(), 1u);
  EXPECT_TRUE(none->entries.front().attributes().empty());
}

TEST(LdifSource, EachPollReadsTheExportAsItIsThen) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif", "dn: dc=x\ndc: x\n");
  auto source = make_ldif_source(path);
  ASSERT_TRUE(source->open());
  auto before = source->search({"dc=x", "(cn=new)", {}});
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->entries.empty());
  dir.write("x.ldif", "dn: dc=x\ndc: x\n\ndn: cn=new,dc=x\ncn: new\n");
  ASSERT_TRUE(source->open());
  auto after = source->search({"dc=x", "(cn=new)", {}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->entries.size(), 1u);
}

// The searches of one poll are answered in one reading of the export, each entry as it comes
// to every search that selects it.
TEST(LdifSource, ThePollsSearchesAreAnsweredInOneReading) {
  TempDir dir;
  const fs::path path = dir.write("x.ldif",
                                  "dn: dc=x\ndc: x\n\n"
                                  "dn: cn=g,dc=x\nobjectClass: groupOfNames\ncn: g\n\n"
                                  "dn: uid=ann,dc=x\nobjectClass: person\nuid: ann\ncn: Ann\n");
  auto source = make_ldif_source(path);
  ASSERT_TRUE(source->open());
  std::vector<std::string> order;
  auto summaries = source->search_each_of(
      {{"dc=x", "(objectClass=person)", {"uid"}}, {"dc=x", "", {}}},
      {[&](Entry&& entry) -> Result<void> {
         order.push_back("person " + entry.dn + " " + std::to_string(entry.attributes().size()));
         return {};
       },
       [&](Entry&& entry) -> Result<void> {
         order.push_back("any " + entry.dn);
         return {};
       }});
  ASSERT_TRUE(summaries) << summaries.error().message;
  ASSERT_EQ(summaries->size(), 2u);
  EXPECT_EQ((*summaries)[0].count, 1u);
  EXPECT_EQ((*summaries)[1].count, 3u);
  EXPECT_THAT(
      order, ElementsAre("any dc=x", "any cn=g,dc=x", "person uid=ann,dc=x 1", "any uid=ann,dc=x"));
}

class CompanyExport : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(m_source->open()); }

  std::set<std::string> search(const std::string& base, const std::string& filter) {
    auto result = m_source->search({base, filter, {}});
    EXPECT_TRUE(result) << result.error().message;
    std::set<std::string> out;
    if (!result) return out;
    EXPECT_TRUE(result->warnings.empty());
    for (const auto& entry : result->entries) out.insert(normalize_dn(entry.dn));
    return out;
  }

  std::unique_ptr<DirectorySource> m_source =
      make_ldif_source(SECONDSIGHT_SOURCE_DIR "/tests/scenarios/harbour/directory.ldif");
};

TEST_F(CompanyExport, People) {
  const auto people = search("ou=people,dc=harbour,dc=example", "(objectClass=inetOrgPerson)");
  EXPECT_EQ(people.size(), 17u);
  EXPECT_TRUE(people.count("uid=eliska,ou=people,dc=harbour,dc=example"));
  EXPECT_TRUE(people.count("uid=bram,ou=people,dc=harbour,dc=example"));
}

TEST_F(CompanyExport, GroupsIncludingTheNestedOuAndTheFoldedDn) {
  const auto groups = search("ou=groups,dc=harbour,dc=example", "(objectClass=groupOfNames)");
  const std::set<std::string> expected = {
      "cn=everyone,ou=groups,dc=harbour,dc=example",
      "cn=billing-dev,ou=groups,dc=harbour,dc=example",
      "cn=billing-contractors,ou=groups,dc=harbour,dc=example",
      "cn=telemetry-admins,ou=groups,dc=harbour,dc=example",
      "cn=crm-readers,ou=groups,dc=harbour,dc=example",
      "cn=netops,ou=groups,dc=harbour,dc=example",
      "cn=gis-ops,ou=groups,dc=harbour,dc=example",
      "cn=outage-desk,ou=groups,dc=harbour,dc=example",
      "cn=leak-detection-analysts,ou=project-groups,ou=groups,dc=harbour,dc=example",
  };
  EXPECT_EQ(groups, expected);
}

TEST_F(CompanyExport, ContractorsAndMembership) {
  const auto contractors =
      search("dc=harbour,dc=example",
             "(&(objectClass=inetOrgPerson)(|(employeeType=contractor)(employeeType=interim)))");
  EXPECT_EQ(contractors.size(), 11u);
  EXPECT_EQ(search("ou=groups,dc=harbour,dc=example",
                   "(member=uid=eliska,ou=people,dc=harbour,dc=example)"),
            (std::set<std::string>{
                "cn=everyone,ou=groups,dc=harbour,dc=example",
                "cn=gis-ops,ou=groups,dc=harbour,dc=example",
                "cn=leak-detection-analysts,ou=project-groups,ou=groups,dc=harbour,dc=example"}));
}

}  // namespace
}  // namespace secondsight::directory
