// The state folder of a scan on the test company: checklist file names for any person id,
// no symbolic link followed when the checklists are written, exact modes whatever the umask,
// and a state folder others may write refused.
#include <gmock/gmock.h>
#include <sys/stat.h>

#include "fixtures/encodings.hpp"
#include "fixtures/scenario.hpp"
#include "secondsight/app/commands.hpp"
#include "secondsight/checklist/render.hpp"

namespace secondsight::testing {
namespace {

using ::testing::HasSubstr;

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

bool is_regular(const fs::path& path) {
  return fs::is_regular_file(fs::symlink_status(path));
}

// ---------------------------------------------------------------------------------------------
// The file name of a checklist

TEST(ChecklistFileStem, APlainIdIsItsOwnName) {
  for (const char* id : {"dvisser", "d.visser-2_x", "A1"}) EXPECT_EQ(checklist::file_stem(id), id);
  const std::string sixty_four(64, 'p');
  EXPECT_EQ(checklist::file_stem(sixty_four), sixty_four);
}

TEST(ChecklistFileStem, OtherIdsGetAPrefixAndAHash) {
  const auto stem = checklist::file_stem("ext/petra müller");
  EXPECT_EQ(stem.substr(0, 17), "ext_petra_m_ller~");
  EXPECT_EQ(stem.size(), 17u + 16u);
  EXPECT_EQ(stem.find_first_not_of("0123456789abcdef", 17), std::string::npos);
  EXPECT_EQ(checklist::file_stem(".profile").substr(0, 8), "profile~");
  EXPECT_EQ(checklist::file_stem("").size(), 17u);
  EXPECT_EQ(checklist::file_stem("..")[0], '~');
}

TEST(ChecklistFileStem, EveryIdHasANameOfItsOwnWithinFileNameLimits) {
  const std::vector<std::string> ids{
      "a/b",
      "a_b",
      "a b",
      "a\nb",
      "a\\b",
      "a\xc3\xbc"
      "b",
      "a\xff"
      "b",
      "a\x01"
      "b",
      "A_b",
      "a_B",
      std::string(65, 'p'),
      std::string(250, 'p'),
      std::string(250, 'p') + "q",
      std::string(1000, '/'),
      std::string(1001, '/'),
      ".",
      "..",
      "",
      "~",
      checklist::file_stem("a/b")};  // a stem of the hashed kind, as an id
  std::set<std::string> stems;
  for (const auto& id : ids) {
    const auto stem = checklist::file_stem(id);
    EXPECT_TRUE(stems.insert(stem).second) << "'" << id << "' shares " << stem;
    EXPECT_LE(stem.size() + std::string(".html.tmp").size(), 255u) << id;
    EXPECT_EQ(stem.find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-~"),
              std::string::npos)
        << stem;
    EXPECT_NE(stem.front(), '.') << stem;
    EXPECT_EQ(checklist::file_stem(id), stem) << "the same every time";
  }
}

// ---------------------------------------------------------------------------------------------
// A scan's state folder

class CompanyStateFolder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_company = new fs::path(setup_company()); }
  static void TearDownTestSuite() {
    fs::remove_all(*s_company);
    delete s_company;
  }
  void SetUp() override {
    fs::remove_all(state());
    fs::remove_all(outside());
    fs::create_directory(outside());
    m_ldif = read_file(*s_company / "directory.ldif");
  }
  void TearDown() override {
    write_file(*s_company / "directory.ldif", m_ldif);
    fs::remove_all(outside());
  }

  static fs::path state() { return *s_company / "state"; }
  static fs::path checklists() { return state() / "checklists"; }
  static fs::path outside() { return *s_company / "outside"; }

  // Gives the person `uid` the id `id` (their DN, and so their groups, stay).
  void rename_person(const std::string& uid, const std::string& id) {
    std::string ldif = read_file(*s_company / "directory.ldif");
    const std::string line = "\nuid: " + uid + "\n";
    ASSERT_NE(ldif.find(line), std::string::npos) << uid;
    ldif.replace(ldif.find(line), line.size(), "\nuid:: " + base64(id) + "\n");
    write_file(*s_company / "directory.ldif", ldif);
  }

  struct Run {
    int code;
    std::string out;
    std::string err;
  };
  Run scan() {
    app::ScanOptions options{*s_company / "config.yaml", k_company_now, app::OutputFormat::jsonl,
                             std::nullopt};
    std::ostringstream out, err;
    const int code = app::command_scan(options, out, err);
    return {code, out.str(), err.str()};
  }
  nlohmann::json checklist_json(const std::string& id) {
    const auto path = checklists() / (checklist::file_stem(id) + ".json");
    EXPECT_TRUE(is_regular(path)) << path;
    return nlohmann::json::parse(read_file(path), nullptr, false);
  }
  void make_state(mode_t mode) {
    ASSERT_EQ(::mkdir(state().c_str(), 0700), 0);
    ASSERT_EQ(::chmod(state().c_str(), mode), 0);
  }

  std::string m_ldif;
  static fs::path* s_company;
};
fs::path* CompanyStateFolder::s_company = nullptr;

TEST_F(CompanyStateFolder, APersonWithA250CharacterIdGetsAChecklistFile) {
  const std::string id = "eliska." + std::string(243, 'x');
  rename_person("eliska", id);
  auto run = scan();
  ASSERT_EQ(run.code, 0) << run.err;
  for (const char* extension : {".md", ".html", ".json"})
    EXPECT_TRUE(is_regular(checklists() / (checklist::file_stem(id) + extension))) << extension;
  EXPECT_EQ(checklist_json(id)["person"], id);
}

TEST_F(CompanyStateFolder, IdsDifferingOnlyInASlashAndAnUnderscoreGetTwoFiles) {
  rename_person("eliska", "ext/eliska");
  rename_person("tim", "ext_eliska");
  auto run = scan();
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(is_regular(checklists() / "ext_eliska.json"));
  EXPECT_NE(checklist::file_stem("ext/eliska"), "ext_eliska");
  EXPECT_EQ(checklist_json("ext/eliska")["person"], "ext/eliska");
  EXPECT_EQ(checklist_json("ext_eliska")["person"], "ext_eliska");
  EXPECT_EQ(checklist_json("ext_eliska")["dn"], "uid=tim,ou=people,dc=harbour,dc=example");
}

TEST_F(CompanyStateFolder, ALinkPlantedAtAChecklistFileIsReplacedNotFollowed) {
  make_state(0700);
  ASSERT_EQ(::mkdir(checklists().c_str(), 0700), 0);
  const auto target = outside() / "authorized_keys";
  write_file(target, "ssh-ed25519 AAAA precious\n");
  fs::create_symlink(target, checklists() / "eliska.md");
  fs::create_symlink(target, checklists() / "eliska.html.tmp");
  fs::create_symlink(outside() / "created", checklists() / "eliska.json.tmp");
  auto run = scan();
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(read_file(target), "ssh-ed25519 AAAA precious\n");
  EXPECT_FALSE(fs::exists(fs::symlink_status(outside() / "created")));
  for (const char* name : {"eliska.md", "eliska.html", "eliska.json"}) {
    EXPECT_TRUE(is_regular(checklists() / name)) << name;
    EXPECT_EQ(mode_of(checklists() / name), 0600u) << name;
  }
  EXPECT_THAT(read_file(checklists() / "eliska.md"), HasSubstr("Offboarding checklist: eliska"));
}

TEST_F(CompanyStateFolder, ALinkPlantedAsTheChecklistsFolderIsRefusedAndNothingIsWrittenThere) {
  make_state(0700);
  fs::create_symlink(outside(), checklists());
  auto run = scan();
  EXPECT_EQ(run.code, app::k_exit_source);
  EXPECT_THAT(run.err, HasSubstr(checklists().string() + " is a symbolic link"));
  EXPECT_TRUE(fs::is_empty(outside()));
}

TEST_F(CompanyStateFolder, UnderUmaskZeroEverythingIsForItsOwnerOnly) {
  const mode_t old = ::umask(0);
  auto run = scan();
  ::umask(old);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(mode_of(state()), 0700u);
  EXPECT_EQ(mode_of(checklists()), 0700u);
  EXPECT_EQ(mode_of(state() / "secondsight.db"), 0600u);
  EXPECT_EQ(mode_of(state() / "secondsight.lock"), 0600u);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(checklists())) {
    EXPECT_EQ(mode_of(entry.path()), 0600u) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 6u * 3u);
}

TEST_F(CompanyStateFolder, AStateFolderOthersMayWriteIsRefused) {
  make_state(0777);
  auto run = scan();
  EXPECT_EQ(run.code, app::k_exit_source);
  EXPECT_THAT(run.err, HasSubstr("state folder " + state().string()));
  EXPECT_THAT(run.err, HasSubstr("chmod 0700 " + state().string()));
  EXPECT_TRUE(fs::is_empty(state()));
  EXPECT_EQ(mode_of(state()), 0777u);

  // Every command that opens the state.
  std::ostringstream out, err;
  app::FindingsListOptions list{*s_company / "config.yaml", app::OutputFormat::jsonl, false};
  EXPECT_EQ(app::command_findings_list(list, out, err), app::k_exit_source);
  EXPECT_THAT(err.str(), HasSubstr("chmod 0700 " + state().string()));
  EXPECT_TRUE(fs::is_empty(state()));
}

TEST_F(CompanyStateFolder, AStateFolderOthersMayReadIsRestricted) {
  make_state(0755);
  auto run = scan();
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(mode_of(state()), 0700u);
}

}  // namespace
}  // namespace secondsight::testing
