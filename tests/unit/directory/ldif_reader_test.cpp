#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <streambuf>

#include "secondsight/directory/ldif.hpp"
#include "secondsight/directory/limits.hpp"

namespace secondsight::directory {
namespace {

Result<LdifContent> read(const std::string& text) {
  std::istringstream in(text);
  return read_ldif(in, "export.ldif");
}

LdifContent read_ok(const std::string& text) {
  auto content = read(text);
  EXPECT_TRUE(content) << content.error().message;
  return content ? std::move(*content) : LdifContent{};
}

std::string read_error(const std::string& text) {
  auto content = read(text);
  EXPECT_FALSE(content) << "read succeeded";
  return content ? std::string() : content.error().message;
}

TEST(LdifReader, ReadsRecordsSeparatedByBlankLines) {
  const auto content = read_ok(
      "dn: uid=alice,ou=people,dc=x\n"
      "objectClass: inetOrgPerson\n"
      "uid: alice\n"
      "mail: alice@x\n"
      "mail: a.smith@x\n"
      "\n"
      "\n"
      "dn: uid=bob,ou=people,dc=x\n"
      "uid:    bob\n");
  ASSERT_EQ(content.entries.size(), 2u);
  const Entry& alice = content.entries[0];
  EXPECT_EQ(alice.dn, "uid=alice,ou=people,dc=x");
  EXPECT_EQ(alice.line, 1);
  EXPECT_EQ(alice.first("uid"), "alice");
  ASSERT_NE(alice.find("MAIL"), nullptr);
  EXPECT_EQ(*alice.find("mail"), (std::vector<std::string>{"alice@x", "a.smith@x"}));
  EXPECT_EQ(content.entries[1].line, 8);
  EXPECT_EQ(content.entries[1].first("uid"), "bob");  // spaces after ':' skipped
  EXPECT_TRUE(content.warnings.empty());
}

TEST(LdifReader, VersionLineCommentsAndFoldedComments) {
  const auto content = read_ok(
      "version: 1\n"
      "\n"
      "# a comment that is folded\n"
      " dn: uid=not-an-entry,dc=x\n"
      "dn: uid=alice,dc=x\n"
      "# comment inside a record\n"
      "uid: alice\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_EQ(content.entries[0].dn, "uid=alice,dc=x");
  EXPECT_EQ(content.entries[0].line, 5);
  EXPECT_EQ(content.entries[0].first("uid"), "alice");
}

TEST(LdifReader, VersionLineDirectlyFollowedByRecord) {
  const auto content = read_ok("version: 1\ndn: dc=x\ndc: x\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_EQ(content.entries[0].line, 2);
}

TEST(LdifReader, UnsupportedVersionIsRefused) {
  EXPECT_EQ(read_error("version: 2\n\ndn: dc=x\n"),
            "export.ldif:1: unsupported LDIF version '2' (expected 1)");
}

TEST(LdifReader, UnfoldsValuesAndDns) {
  const auto content = read_ok(
      "dn: cn=route-optimisation-engineers,ou=project-groups,ou=groups,dc=acme,dc=e\n"
      " xample\n"
      "description: a long value that was\n"
      "  folded at a space\n"
      "cn: rou\n"
      " te\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_EQ(content.entries[0].dn,
            "cn=route-optimisation-engineers,ou=project-groups,ou=groups,dc=acme,dc=example");
  EXPECT_EQ(content.entries[0].first("description"), "a long value that was folded at a space");
  EXPECT_EQ(content.entries[0].first("cn"), "route");
}

TEST(LdifReader, DecodesBase64ValuesAndDns) {
  const auto content = read_ok(
      "dn:: dWlkPXBldHJhLG91PXBlb3BsZSxkYz14\n"
      "cn:: UGV0cmEgTcO8bGxlcg==\n"
      "sn:: TcO8bGxl\n"
      " cg==\n"
      "description::\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_EQ(content.entries[0].dn, "uid=petra,ou=people,dc=x");
  EXPECT_EQ(content.entries[0].first("cn"), "Petra M\xC3\xBCller");
  EXPECT_EQ(content.entries[0].first("sn"), "M\xC3\xBCller");
  EXPECT_TRUE(content.entries[0].has("description"));
  EXPECT_EQ(content.entries[0].first("description"), "");
}

TEST(LdifReader, AcceptsRawUtf8EmptyValuesAndAttributeOptions) {
  const auto content = read_ok(
      "dn: cn=Ren\xC3\xA9 M\xC3\xBCller,dc=x\n"
      "cn: Ren\xC3\xA9 M\xC3\xBCller\n"
      "description:\n"
      "member;range=0-1499: cn=a,dc=x\n");
  ASSERT_EQ(content.entries.size(), 1u);
  const Entry& entry = content.entries[0];
  EXPECT_EQ(entry.first("cn"), "Ren\xC3\xA9 M\xC3\xBCller");
  EXPECT_EQ(entry.first("description"), "");
  ASSERT_EQ(entry.attributes().size(), 3u);
  EXPECT_EQ(entry.attributes()[2].name, "member;range=0-1499");
}

TEST(LdifReader, CrlfLineEndsAndByteOrderMark) {
  const auto content = read_ok(
      "\xEF\xBB\xBFversion: 1\r\n"
      "\r\n"
      "dn: CN=Alice,OU=Users,DC=corp\r\n"
      "cn: Alice\r\n"
      "description: folded\r\n"
      "  value\r\n"
      "\r\n"
      "dn: CN=Bob,OU=Users,DC=corp\r\n"
      "cn: Bob\r\n");
  ASSERT_EQ(content.entries.size(), 2u);
  EXPECT_EQ(content.entries[0].dn, "CN=Alice,OU=Users,DC=corp");
  EXPECT_EQ(content.entries[0].first("cn"), "Alice");
  EXPECT_EQ(content.entries[0].first("description"), "folded value");
  EXPECT_EQ(content.entries[1].line, 8);
  EXPECT_EQ(content.entries[1].first("cn"), "Bob");
}

TEST(LdifReader, LdifdeExportOfActiveDirectory) {
  const auto content = read_ok(
      "\r\n"
      "dn: CN=Frank Meijer,OU=Contractors,DC=corp,DC=example\r\n"
      "changetype: add\r\n"
      "objectClass: top\r\n"
      "objectClass: person\r\n"
      "objectClass: organizationalPerson\r\n"
      "objectClass: user\r\n"
      "cn: Frank Meijer\r\n"
      "sAMAccountName: fmeijer\r\n"
      "userAccountControl: 514\r\n"
      "accountExpires: 133860420000000000\r\n"
      "memberOf: CN=Payments Dev,OU=Groups,DC=corp,DC=example\r\n"
      "memberOf: CN=VPN Users,OU=Groups,DC=corp,DC=example\r\n"
      "\r\n"
      "dn: CN=Payments Dev,OU=Groups,DC=corp,DC=example\r\n"
      "changetype: add\r\n"
      "objectClass: top\r\n"
      "objectClass: group\r\n"
      "member: CN=Frank Meijer,OU=Contractors,DC=corp,DC=example\r\n"
      "groupType: -2147483646\r\n"
      "\r\n");
  ASSERT_EQ(content.entries.size(), 2u);
  const Entry& frank = content.entries[0];
  EXPECT_EQ(frank.line, 2);
  EXPECT_FALSE(frank.has("changetype"));
  ASSERT_NE(frank.find("objectClass"), nullptr);
  EXPECT_EQ(*frank.find("objectclass"),
            (std::vector<std::string>{"top", "person", "organizationalPerson", "user"}));
  EXPECT_EQ(frank.first("userAccountControl"), "514");
  EXPECT_EQ(frank.first("accountExpires"), "133860420000000000");
  ASSERT_NE(frank.find("memberOf"), nullptr);
  EXPECT_EQ(frank.find("memberOf")->size(), 2u);
  EXPECT_EQ(content.entries[1].first("groupType"), "-2147483646");
}

TEST(LdifReader, ControlLinesAreIgnored) {
  const auto content = read_ok(
      "dn: cn=a,dc=x\n"
      "control: 1.2.840.113556.1.4.417 true\n"
      "changetype: add\n"
      "cn: a\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_FALSE(content.entries[0].has("control"));
  EXPECT_EQ(content.entries[0].first("cn"), "a");
}

TEST(LdifReader, SearchReferencesAreSkippedWithWarning) {
  const auto content = read_ok(
      "dn: cn=a,dc=corp\n"
      "cn: a\n"
      "\n"
      "# search reference\n"
      "ref: ldap://DomainDnsZones.corp.example/DC=DomainDnsZones,DC=corp,DC=example\n"
      "\n"
      "# search reference\n"
      "ref: ldap://corp.example/CN=Configuration,DC=corp,DC=example\n"
      "\n"
      "dn: cn=b,dc=corp\n"
      "cn: b\n");
  ASSERT_EQ(content.entries.size(), 2u);
  ASSERT_EQ(content.warnings.size(), 2u);
  EXPECT_EQ(content.warnings[0],
            "export.ldif:5: search reference skipped: "
            "ldap://DomainDnsZones.corp.example/DC=DomainDnsZones,DC=corp,DC=example");
  EXPECT_EQ(content.warnings[1],
            "export.ldif:8: search reference skipped: "
            "ldap://corp.example/CN=Configuration,DC=corp,DC=example");
}

TEST(LdifReader, LdapsearchResultTrailerIsSkipped) {
  const auto content = read_ok(
      "dn: cn=a,dc=x\n"
      "cn: a\n"
      "\n"
      "# search result\n"
      "search: 2\n"
      "result: 0 Success\n"
      "\n"
      "# numResponses: 2\n"
      "# numEntries: 1\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_TRUE(content.warnings.empty());
}

TEST(LdifReader, TrailerWithErrorResultWarnsThatExportIsIncomplete) {
  const auto content = read_ok(
      "dn: cn=a,dc=x\n"
      "cn: a\n"
      "\n"
      "search: 2\n"
      "result: 4 Size limit exceeded\n");
  ASSERT_EQ(content.entries.size(), 1u);
  ASSERT_EQ(content.warnings.size(), 1u);
  EXPECT_EQ(content.warnings[0],
            "export.ldif:5: the export ends with 'result: 4 Size limit exceeded'; it may be "
            "incomplete");
}

TEST(LdifReader, ChangeRecordsAreRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\nchangetype: modify\nadd: "
                       "member\nmember: cn=c,dc=x\n-\n"),
            "export.ldif:5: change records (changetype: modify) are not a directory export; "
            "export with ldapsearch, slapcat or ldifde");
  EXPECT_EQ(read_error("dn: cn=b,dc=x\nchangetype: delete\n"),
            "export.ldif:2: change records (changetype: delete) are not a directory export; "
            "export with ldapsearch, slapcat or ldifde");
  EXPECT_EQ(read_error("dn: cn=b,dc=x\nchangetype: modrdn\nnewrdn: cn=c\n"),
            "export.ldif:2: change records (changetype: modrdn) are not a directory export; "
            "export with ldapsearch, slapcat or ldifde");
  EXPECT_EQ(read_error("dn: cn=b,dc=x\nchangetype: frobnicate\n"),
            "export.ldif:2: unknown changetype 'frobnicate'");
}

TEST(LdifReader, BadBase64IsRefusedWithLine) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn: a\nsn:: TcO8b!xlcg==\n"),
            "export.ldif:3: bad base64 in value of 'sn': bad character '!' at position 6");
  EXPECT_EQ(read_error("dn: cn=a,dc=x\nsn:: TcO8b\n"),
            "export.ldif:2: bad base64 in value of 'sn': truncated (length is not a multiple of "
            "4)");
  EXPECT_EQ(read_error("dn:: QQ=\n"),
            "export.ldif:1: bad base64 in value of 'dn': wrong '=' padding");
}

TEST(LdifReader, Base64WithBitsAfterTheLastByteIsRefused) {
  // "QR==" and "QUJ=" decode to "A" and "AB" only by dropping set bits: not what was written.
  EXPECT_EQ(read_error("dn: cn=a,dc=x\nsn:: QR==\n"),
            "export.ldif:2: bad base64 in value of 'sn': bits set after the last byte");
  EXPECT_EQ(read_error("dn: cn=a,dc=x\nsn:: QUJ=\n"),
            "export.ldif:2: bad base64 in value of 'sn': bits set after the last byte");
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn: a\nsn:: QR\n"),
            "export.ldif:3: bad base64 in value of 'sn': bits set after the last byte");
  EXPECT_EQ(read_error("dn: cn=a,dc=x\nsn:: QQ==QQ==\n"),
            "export.ldif:2: bad base64 in value of 'sn': bad character '=' at position 3");
  EXPECT_EQ(read_error("dn: cn=a,dc=x\nsn:: QQ=\n"),
            "export.ldif:2: bad base64 in value of 'sn': wrong '=' padding");
  const auto content = read_ok("dn: cn=a,dc=x\nsn:: QQ==\ncn:: QUI=\ngn:: QQ\n");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_EQ(content.entries[0].first("sn"), "A");
  EXPECT_EQ(content.entries[0].first("cn"), "AB");
  EXPECT_EQ(content.entries[0].first("gn"), "A");  // missing padding is tolerated
}

TEST(LdifReader, TheSameDnTwiceIsADamagedExport) {
  // An employee's copy before a contractor's would otherwise hide the contractor.
  EXPECT_EQ(read_error("dn: uid=ann,ou=people,dc=x\nuid: ann\nemployeeType: employee\n\n"
                       "dn: cn=b,dc=x\ncn: b\n\n"
                       "dn: uid=ann,ou=people,dc=x\nuid: ann\nemployeeType: contractor\n"),
            "export.ldif:8: entry 'uid=ann,ou=people,dc=x' appears again; first at line 1");
  // Case, spacing and base64 are the same DN.
  EXPECT_EQ(read_error("dn: uid=ann,ou=people,dc=x\n\ndn: UID=Ann , OU=People,DC=X\n"),
            "export.ldif:3: entry 'UID=Ann , OU=People,DC=X' appears again; first at line 1");
  EXPECT_EQ(read_error("version: 1\n\ndn: cn=a,dc=x\n\ndn:: Y249YSxkYz14\n"),
            "export.ldif:5: entry 'cn=a,dc=x' appears again; first at line 3");
  const auto content = read_ok("dn: uid=ann,ou=people,dc=x\n\ndn: uid=ann2,ou=people,dc=x\n");
  EXPECT_EQ(content.entries.size(), 2u);
  EXPECT_EQ(content.normalized_dns,
            (std::vector<std::string>{"uid=ann,ou=people,dc=x", "uid=ann2,ou=people,dc=x"}));
}

// An LDIF text made on demand, so that a test of the size limits does not build it in memory:
// `head`, `body` `count` times, then `tail`.
class RepeatingText final : public std::streambuf {
 public:
  RepeatingText(std::string head, std::string body, std::size_t count, std::string tail = {})
      : m_head(std::move(head)), m_body(std::move(body)), m_tail(std::move(tail)), m_count(count) {}

 protected:
  int_type underflow() override {
    for (;;) {
      std::string* next = nullptr;
      if (m_step == 0)
        next = &m_head;
      else if (m_step <= m_count)
        next = &m_body;
      else if (m_step == m_count + 1)
        next = &m_tail;
      else
        return traits_type::eof();
      ++m_step;
      if (next->empty()) continue;
      setg(next->data(), next->data(), next->data() + next->size());
      return traits_type::to_int_type(next->front());
    }
  }

 private:
  std::string m_head;
  std::string m_body;
  std::string m_tail;
  std::size_t m_count;
  std::size_t m_step = 0;
};

TEST(LdifReader, AValueOverTheLimitIsSkippedWithItsLine) {
  const std::string at_limit(k_max_value_bytes, 'a');
  const std::string over(k_max_value_bytes + 1, 'b');
  std::string base64_over;  // k_max_value_bytes + 2 bytes of "AAA..." in base64
  for (std::size_t i = 0; i < (k_max_value_bytes + 2) / 3; ++i) base64_over += "QUFB";
  const auto content =
      read_ok("dn: cn=a,dc=x\ncn: a\ndescription: " + over + "\ndescription: " + at_limit +
              "\njpegPhoto:: " + base64_over + "\nsn: after\n");
  ASSERT_EQ(content.entries.size(), 1u);
  const Entry& entry = content.entries[0];
  ASSERT_NE(entry.find("description"), nullptr);
  ASSERT_EQ(entry.find("description")->size(), 1u);
  EXPECT_TRUE(entry.first("description") == at_limit) << "the value at the limit is kept whole";
  EXPECT_FALSE(entry.has("jpegPhoto"));
  EXPECT_EQ(entry.first("sn"), "after");
  EXPECT_EQ(content.warnings,
            (std::vector<std::string>{
                "export.ldif:3: value of 'description' is over the 1 MiB limit of one value; "
                "skipped",
                "export.ldif:5: value of 'jpegPhoto' is over the 1 MiB limit of one value; "
                "skipped"}));
}

TEST(LdifReader, AVeryLongLineIsReadPastNotKept) {
  // 64 MiB of one value, on one line or folded over many: the value is skipped, the rest of
  // the entry kept, and the lines after it still counted right.
  const std::string megabyte(std::size_t{1} << 20, 'x');
  RepeatingText one_line("dn: cn=a,dc=x\ndescription: ", megabyte, 64,
                         "\nsn: after\n\ndn: cn=b,dc=x\n");
  RepeatingText folded("dn: cn=a,dc=x\ndescription: start", "\n " + megabyte, 64,
                       "\nsn: after\n\ndn: cn=b,dc=x\n");
  for (auto [text, second_line] : {std::pair{&one_line, 5}, std::pair{&folded, 69}}) {
    std::istream in(text);
    auto content = read_ldif(in, "export.ldif");
    ASSERT_TRUE(content) << content.error().message;
    ASSERT_EQ(content->entries.size(), 2u);
    EXPECT_FALSE(content->entries[0].has("description"));
    EXPECT_EQ(content->entries[0].first("sn"), "after");
    EXPECT_EQ(content->entries[1].line, second_line);
    EXPECT_EQ(content->warnings,
              std::vector<std::string>{"export.ldif:2: value of 'description' is over the 1 MiB "
                                       "limit of one value; skipped"});
  }
}

TEST(LdifReader, AnEntryOverTheLimitFailsTheRead) {
  // Values within their limit, but the entry past its own: skipping it could hide a person.
  const std::size_t lines = k_max_entry_bytes / (1 << 20) + 2;
  RepeatingText text("dn: cn=a,dc=x\ncn: a\n", "member: " + std::string((1 << 20) - 9, 'm') + "\n",
                     lines);
  std::istream in(&text);
  auto content = read_ldif(in, "export.ldif");
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().message,
            "export.ldif:1: the record starting here is over the 128 MiB limit of one entry");
}

TEST(LdifReader, ADnOverTheLimitFailsTheRead) {
  EXPECT_EQ(
      read_error("dn: cn=a,dc=x\n\ndn: cn=" + std::string(k_max_value_bytes, 'a') + ",dc=x\n"),
      "export.ldif:3: the DN is over the 1 MiB limit of one value");
}

TEST(LdifReader, UrlValuesAreRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\njpegPhoto:< file:///tmp/photo.jpg\n"),
            "export.ldif:2: value of 'jpegPhoto' is the URL 'file:///tmp/photo.jpg'; "
            "secondsight does not fetch files or URLs, so put the value itself in the export");
}

TEST(LdifReader, UnexpandedTemplatesAreRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn: a\nmanager: uid=${MANAGER},ou=people,dc=x\n"),
            "export.ldif:3: unexpanded template '${MANAGER}'");
  EXPECT_EQ(read_error("\n\ndn: uid=${user},dc=x\n"),
            "export.ldif:3: unexpanded template '${user}'");
}

TEST(LdifReader, BadDnIsRefusedWithLineAndReason) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\n\ndn: cn=a,,dc=x\ncn: a\n"),
            "export.ldif:3: bad DN 'cn=a,,dc=x': empty RDN (an attribute type is expected) at "
            "offset 5");
  const std::string folded = read_error("dn: cn=a,dc=x\n\ndn: cn\n =a\\\n");
  EXPECT_EQ(folded.rfind("export.ldif:3: bad DN 'cn=a\\': unterminated escape", 0), 0u) << folded;
}

TEST(LdifReader, LinesWithoutColonAreRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn a\n"),
            "export.ldif:2: expected 'attribute: value' but found 'cn a'");
}

TEST(LdifReader, ValueLinesBeforeDnAreRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn: a\n\ncn: b\ndn: cn=b,dc=x\n"),
            "export.ldif:4: expected 'dn:' at the start of a record but found 'cn:'");
}

TEST(LdifReader, MissingBlankLineBetweenRecordsIsRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\ncn: a\ndn: cn=b,dc=x\ncn: b\n"),
            "export.ldif:3: second 'dn:' in one record (is the blank line before it missing?)");
}

TEST(LdifReader, ContinuationWithoutLineIsRefused) {
  EXPECT_EQ(read_error("dn: cn=a,dc=x\n\n continued\n"),
            "export.ldif:3: continuation line (starting with a space) without a line to "
            "continue");
}

TEST(LdifReader, EmptyInputHasNoEntries) {
  const auto content = read_ok("");
  EXPECT_TRUE(content.entries.empty());
  const auto comments = read_ok("version: 1\n\n# nothing here\n");
  EXPECT_TRUE(comments.entries.empty());
}

TEST(LdifReader, LastRecordWithoutTrailingNewline) {
  const auto content = read_ok("dn: cn=a,dc=x\ncn: a");
  ASSERT_EQ(content.entries.size(), 1u);
  EXPECT_EQ(content.entries[0].first("cn"), "a");
}

TEST(LdifReader, MissingFileNamesPathAndReason) {
  auto content = read_ldif_file("/nonexistent/secondsight/export.ldif");
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().message,
            "cannot read LDIF export /nonexistent/secondsight/export.ldif: No such file or "
            "directory");
}

TEST(LdifReader, ManyEntriesAreReadInLinearTime) {
  constexpr int k_entries = 100000;
  std::string text = "version: 1\n\n";
  text.reserve(static_cast<std::size_t>(k_entries) * 120);
  for (int i = 0; i < k_entries; ++i) {
    const std::string uid = "user" + std::to_string(i);
    text += "dn: uid=" + uid +
            ",ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: " + uid +
            "\ncn: User " + std::to_string(i) + "\nsn: User\n\n";
  }
  const auto content = read_ok(text);
  ASSERT_EQ(content.entries.size(), static_cast<std::size_t>(k_entries));
  EXPECT_EQ(content.entries.back().first("uid"), "user99999");
  EXPECT_EQ(content.entries.back().line, 3 + (k_entries - 1) * 6);
}

TEST(LdifReader, TheTestCompanysExport) {
  auto content = read_ldif_file(SECONDSIGHT_SOURCE_DIR "/tests/scenarios/harbour/directory.ldif");
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(content->entries.size(), 30u);
  EXPECT_TRUE(content->warnings.empty());
  const Entry& last = content->entries.back();
  EXPECT_EQ(last.dn,
            "cn=leak-detection-analysts,ou=project-groups,ou=groups,dc=harbour,dc=example");
  EXPECT_EQ(last.line, 462);
  // Its description is folded too.
  EXPECT_EQ(last.first("description"),
            "Analysts and engineers of the leak detection models (project group)");
  bool found_eliska = false;
  for (const auto& entry : content->entries) {
    if (entry.first("uid") != "eliska") continue;
    found_eliska = true;
    EXPECT_EQ(entry.first("cn"), "Eli\xC5\xA1ka Nov\xC3\xA1kov\xC3\xA1");
    EXPECT_EQ(entry.first("sn"), "Nov\xC3\xA1kov\xC3\xA1");
  }
  EXPECT_TRUE(found_eliska);
}

}  // namespace
}  // namespace secondsight::directory
