// LDIF exports in the encodings exporters write: UTF-16 LE and BE with a byte-order mark
// (ldifde -u), UTF-8 with and without one. Each reads exactly as the same text in plain UTF-8;
// bytes that are not text in their encoding fail the read with file, line and what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fixtures/encodings.hpp"
#include "fixtures/temp_dir.hpp"
#include "secondsight/config/config.hpp"
#include "secondsight/core/text.hpp"
#include "secondsight/directory/ldif.hpp"
#include "secondsight/directory/snapshot.hpp"

namespace secondsight::directory {
namespace {

namespace fs = std::filesystem;
using testing::code_points;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::utf16;

// An Active Directory export as ldifde writes it (CRLF), with names outside ASCII: Latin (é, ß),
// CJK (日本) and a character outside the Basic Multilingual Plane (𝄞, a surrogate pair in UTF-16).
// Line 29 is a search reference, skipped with a warning that names it.
constexpr std::string_view k_export =
    "version: 1\r\n"
    "# exported for Équipe 日本 𝄞\r\n"
    "\r\n"
    "dn: CN=José Müller,OU=Users,DC=corp,DC=example\r\n"
    "changetype: add\r\n"
    "objectClass: user\r\n"
    "cn: José Müller\r\n"
    "sAMAccountName: jmuller\r\n"
    "displayName: José Müller (Straße 日本)\r\n"
    "description: plays the 𝄞\r\n"
    "  clef, folded\r\n"
    "mail: jose@corp.example\r\n"
    "\r\n"
    "dn: CN=山田 太郎,OU=Users,DC=corp,DC=example\r\n"
    "changetype: add\r\n"
    "objectClass: user\r\n"
    "cn: 山田 太郎\r\n"
    "sAMAccountName: tyamada\r\n"
    "displayName: 山田 𝄞 太郎\r\n"
    "sn:: V2Vpw58=\r\n"
    "\r\n"
    "dn: CN=Équipe 日本 𝄞,OU=Groups,DC=corp,DC=example\r\n"
    "changetype: add\r\n"
    "objectClass: group\r\n"
    "cn: Équipe 日本 𝄞\r\n"
    "member: CN=José Müller,OU=Users,DC=corp,DC=example\r\n"
    "member: CN=山田 太郎,OU=Users,DC=corp,DC=example\r\n"
    "\r\n"
    "ref: ldap://DomainDnsZones.corp.example/DC=DomainDnsZones,DC=corp,DC=example\r\n"
    "\r\n";

std::string utf16le(std::string_view utf8) {
  return utf16(utf8, true);
}
std::string utf16be(std::string_view utf8) {
  return utf16(utf8, false);
}
std::string utf8_with_mark(std::string_view utf8) {
  return "\xEF\xBB\xBF" + std::string(utf8);
}

struct Encoded {
  const char* name;
  std::string (*encode)(std::string_view);
};
const Encoded k_encodings[] = {
    {"UTF-16LE", utf16le}, {"UTF-16BE", utf16be}, {"UTF-8 with BOM", utf8_with_mark}};

Result<LdifContent> read(const std::string& bytes) {
  std::istringstream in(bytes);
  return read_ldif(in, "export.ldif");
}

std::string read_error(const std::string& bytes) {
  auto content = read(bytes);
  EXPECT_FALSE(content) << "read succeeded";
  return content ? std::string() : content.error().message;
}

// A message fit for a terminal as it is: nothing that escape_terminal would change (no control
// bytes, no bytes that are not UTF-8), so none of the input's bytes went into it raw.
void expect_printable(const std::string& message) {
  EXPECT_TRUE(is_valid_utf8(message)) << escape_terminal(message);
  EXPECT_EQ(escape_terminal(message), message);
}

void expect_same_content(const LdifContent& got, const LdifContent& expected) {
  ASSERT_EQ(got.entries.size(), expected.entries.size());
  for (std::size_t i = 0; i < expected.entries.size(); ++i) {
    const Entry& a = got.entries[i];
    const Entry& b = expected.entries[i];
    EXPECT_EQ(a.dn, b.dn);
    EXPECT_EQ(a.line, b.line) << b.dn;
    ASSERT_EQ(a.attributes().size(), b.attributes().size()) << b.dn;
    for (std::size_t j = 0; j < b.attributes().size(); ++j) {
      EXPECT_EQ(a.attributes()[j].name, b.attributes()[j].name);
      EXPECT_EQ(a.attributes()[j].values, b.attributes()[j].values);
    }
  }
  EXPECT_EQ(got.normalized_dns, expected.normalized_dns);
  EXPECT_EQ(got.warnings, expected.warnings);
}

TEST(LdifEncoding, EachEncodingReadsAsThePlainUtf8Text) {
  auto plain = read(std::string(k_export));
  ASSERT_TRUE(plain) << plain.error().message;
  // What the plain text gives, stated once, so that equal results are also right ones.
  ASSERT_EQ(plain->entries.size(), 3u);
  const Entry& jose = plain->entries[0];
  EXPECT_EQ(jose.dn, "CN=José Müller,OU=Users,DC=corp,DC=example");
  EXPECT_EQ(jose.line, 4);
  EXPECT_EQ(jose.first("displayName"), "José Müller (Straße 日本)");
  EXPECT_EQ(jose.first("description"), "plays the 𝄞 clef, folded");
  EXPECT_EQ(plain->entries[1].first("sn"), "Weiß");
  EXPECT_EQ(plain->entries[1].line, 14);
  EXPECT_EQ(plain->entries[2].dn, "CN=Équipe 日本 𝄞,OU=Groups,DC=corp,DC=example");
  EXPECT_EQ(plain->entries[2].line, 22);
  EXPECT_EQ(plain->warnings,
            std::vector<std::string>{
                "export.ldif:29: search reference skipped: "
                "ldap://DomainDnsZones.corp.example/DC=DomainDnsZones,DC=corp,DC=example"});

  for (const auto& encoding : k_encodings) {
    SCOPED_TRACE(encoding.name);
    auto content = read(encoding.encode(k_export));
    ASSERT_TRUE(content) << content.error().message;
    expect_same_content(*content, *plain);
  }
}

// Alignment of characters against the reader's blocks is arbitrary: a long value of characters
// of every UTF-8 length, shifted by a byte at a time, puts every kind of character (and the two
// halves of a surrogate pair) across every boundary.
TEST(LdifEncoding, CharactersAcrossReadBlocksAreDecodedWhole) {
  std::string value;
  while (value.size() < (std::size_t{600} << 10)) value += "aé日𝄞ß";
  for (std::size_t shift = 0; shift < 4; ++shift) {
    SCOPED_TRACE(shift);
    const std::string text = "dn: cn=a,dc=x\r\ncn: " + std::string(shift, 'x') + "\r\n" +
                             "description: " + value + "\r\n\r\ndn: cn=b,dc=x\r\ncn: b\r\n";
    auto plain = read(text);
    ASSERT_TRUE(plain) << plain.error().message;
    ASSERT_EQ(plain->entries.size(), 2u);
    EXPECT_EQ(plain->entries[0].first("description"), value);
    EXPECT_EQ(plain->entries[1].line, 5);
    for (const auto& encoding : k_encodings) {
      SCOPED_TRACE(encoding.name);
      auto content = read(encoding.encode(text));
      ASSERT_TRUE(content) << content.error().message;
      expect_same_content(*content, *plain);
    }
  }
}

TEST(LdifEncoding, AByteOrderMarkAloneIsAnEmptyExport) {
  for (const auto& encoding : k_encodings) {
    SCOPED_TRACE(encoding.name);
    auto content = read(encoding.encode(""));
    ASSERT_TRUE(content) << content.error().message;
    EXPECT_TRUE(content->entries.empty());
  }
}

using testing::TempDir;

config::DirectoryConfig active_directory() {
  config::DirectoryConfig config;
  config.flavor = config::Flavor::active_directory;
  config.attributes = config::default_attributes(config::Flavor::active_directory);
  config.people.base = "OU=Users,DC=corp,DC=example";
  config.people.filter = "(objectClass=user)";
  config.groups.base = "OU=Groups,DC=corp,DC=example";
  config.groups.filter = "(objectClass=group)";
  return config;
}

Result<DirectorySnapshot> poll_export(const TempDir& dir, const std::string& bytes) {
  auto source = make_ldif_source(dir.write("export.ldif", bytes));
  return poll_directory(*source, active_directory(), nullptr);
}

// Who is in the snapshot and in which groups, as "id|name|dn" and "group: id, id".
std::vector<std::string> snapshot_lines(const DirectorySnapshot& snapshot) {
  std::vector<std::string> lines;
  for (const auto& person : snapshot.people)
    lines.push_back(person.id + "|" + person.display_name + "|" + person.dn);
  for (const auto& group : snapshot.groups) {
    std::string line = group.name + ":";
    std::vector<std::string> members;
    for (const auto& [person, paths] : snapshot.members_of(group.dn)) members.push_back(person->id);
    std::sort(members.begin(), members.end());
    for (const auto& id : members) line += " " + id;
    lines.push_back(line);
  }
  return lines;
}

TEST(LdifEncoding, AnExportFileInEachEncodingGivesTheSameSnapshot) {
  TempDir dir;
  auto plain = poll_export(dir, std::string(k_export));
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(snapshot_lines(*plain),
            (std::vector<std::string>{
                "jmuller|José Müller (Straße 日本)|CN=José Müller,OU=Users,DC=corp,DC=example",
                "tyamada|山田 𝄞 太郎|CN=山田 太郎,OU=Users,DC=corp,DC=example",
                "Équipe 日本 𝄞: jmuller tyamada"}));
  for (const auto& encoding : k_encodings) {
    SCOPED_TRACE(encoding.name);
    auto snapshot = poll_export(dir, encoding.encode(k_export));
    ASSERT_TRUE(snapshot) << snapshot.error().message;
    EXPECT_EQ(snapshot_lines(*snapshot), snapshot_lines(*plain));
    EXPECT_EQ(snapshot->warnings, plain->warnings);
  }
}

// Replaces the bytes of `text` from `at` with `bytes`.
std::string with_bytes_at(std::string text, std::size_t at, std::string_view bytes) {
  return text.replace(at, bytes.size(), bytes);
}

// The byte offset of the code unit for the first `marker` character in the UTF-16 text of `text`.
std::size_t utf16_offset(std::string_view text, std::string_view marker) {
  return 2 + 2 * code_points(text.substr(0, text.find(marker))).size();
}

TEST(LdifEncoding, AnUnpairedSurrogateNamesItsLineAndOffset) {
  const std::string text = "dn: cn=a,dc=x\r\ncn: a\r\nsn: Müller#\r\n";
  const std::size_t at = utf16_offset(text, "#");
  // A first half followed by a character that is not a second half.
  std::string error = read_error(with_bytes_at(utf16le(text), at, "\x34\xD8"));
  EXPECT_EQ(error, "export.ldif:3: invalid UTF-16LE: unpaired surrogate 0xD834 at offset " +
                       std::to_string(at));
  expect_printable(error);
  // A second half alone.
  error = read_error(with_bytes_at(utf16be(text), at, "\xDD\x1E"));
  EXPECT_EQ(error, "export.ldif:3: invalid UTF-16BE: unpaired surrogate 0xDD1E at offset " +
                       std::to_string(at));
  expect_printable(error);
  // A first half that ends the file.
  const std::string cut = utf16le("dn: cn=a,dc=x\r\ncn: a") + "\x34\xD8";
  error = read_error(cut);
  EXPECT_EQ(error, "export.ldif:2: invalid UTF-16LE: unpaired surrogate 0xD834 at offset " +
                       std::to_string(cut.size() - 2));
  expect_printable(error);
}

TEST(LdifEncoding, AnOddNumberOfBytesIsAnEncodingError) {
  const std::string bytes = utf16le("dn: cn=a,dc=x\r\ncn: a\r\n") + "\x0A";
  const std::string error = read_error(bytes);
  EXPECT_EQ(error,
            "export.ldif:3: invalid UTF-16LE: an odd number of bytes (a lone byte at "
            "offset " +
                std::to_string(bytes.size() - 1) + " ends the file)");
  expect_printable(error);
}

TEST(LdifEncoding, BytesThatAreNotUtf8NameTheByteLineAndOffset) {
  // Latin-1, as an export written in another encoding has it: 0xE9 is é there.
  const std::string latin1 = "dn: cn=a,dc=x\ncn: a\nsn: Ren\xE9\x1B[2J\n";
  std::string error = read_error(latin1);
  EXPECT_THAT(error, StartsWith("export.ldif:3: not UTF-8: byte 0xE9 at offset 27; "));
  EXPECT_THAT(error, HasSubstr("base64"));
  expect_printable(error);
  // After a byte-order mark, offsets count it.
  error = read_error(utf8_with_mark("dn: cn=a,dc=x\r\ncn: \xFF\r\n"));
  EXPECT_THAT(error, StartsWith("export.ldif:2: not UTF-8: byte 0xFF at offset 22; "));
  expect_printable(error);
  // Overlong forms and encoded surrogates are not UTF-8 either.
  EXPECT_THAT(read_error("dn: cn=a,dc=x\ncn: \xC0\xAF\n"),
              StartsWith("export.ldif:2: not UTF-8: byte 0xC0 at offset 18; "));
  EXPECT_THAT(read_error("dn: cn=a,dc=x\ncn: \xED\xA0\x80\n"),
              StartsWith("export.ldif:2: not UTF-8: byte 0xED at offset 18; "));
  // A character that the end of the file cuts short.
  error = read_error("dn: cn=a,dc=x\ncn: \xE6\x97");
  EXPECT_EQ(error,
            "export.ldif:2: not UTF-8: the file ends inside a character (byte 0xE6 at offset 18)");
  expect_printable(error);
}

TEST(LdifEncoding, AValueThatIsNotUtf8IsReadFromBase64) {
  auto content = read("dn: cn=a,dc=x\ncn:: UmVu6Q==\n");
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(content->entries[0].first("cn"), "Ren\xE9");
}

TEST(LdifEncoding, Utf16WithoutAByteOrderMarkIsNamed) {
  for (const bool little : {true, false}) {
    const std::string bytes = utf16("dn: cn=a,dc=x\r\ncn: a\r\n", little).substr(2);
    const std::string error = read_error(bytes);
    EXPECT_EQ(error,
              "export.ldif:1: looks like UTF-16 without a byte-order mark (NUL bytes between the "
              "characters); export with ldifde -u, which writes one, or convert the file to UTF-8");
    expect_printable(error);
  }
}

TEST(LdifEncoding, Utf32IsRefusedByName) {
  using namespace std::string_literals;
  EXPECT_THAT(read_error("\xFF\xFE\0\0d\0\0\0"s), StartsWith("export.ldif:1: UTF-32 "));
  EXPECT_THAT(read_error("\0\0\xFE\xFF\0\0\0d"s), StartsWith("export.ldif:1: UTF-32 "));
}

// The read stops at the first problem in the file, as a reader from the top would see it.
TEST(LdifEncoding, AnEarlierDamagedRecordIsReportedFirst) {
  const std::string text = "dn: cn=a,dc=x\r\ncn a\r\n\r\ndn: cn=b,dc=x\r\ncn: b#\r\n";
  const std::string bytes =
      with_bytes_at(utf16le(text), utf16_offset(text, "#"), std::string_view("\x00\xDC", 2));
  EXPECT_EQ(read_error(bytes), "export.ldif:2: expected 'attribute: value' but found 'cn a'");
}

TEST(LdifEncoding, AnExportFileWithAnEncodingProblemFailsThePoll) {
  TempDir dir;
  const std::string bytes = utf16le(k_export);
  const std::string odd = bytes + "\x41";
  auto snapshot = poll_export(dir, odd);
  ASSERT_FALSE(snapshot);
  EXPECT_THAT(snapshot.error().message, HasSubstr("export.ldif:31: invalid UTF-16LE: an odd "
                                                  "number of bytes"));
  expect_printable(snapshot.error().message);
}

}  // namespace
}  // namespace secondsight::directory
