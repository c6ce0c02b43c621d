// The LDIF reader on any bytes: it reads them or fails with FILE:LINE, and what it reads,
// written back as LDIF, reads back to the same entries. Bytes after a UTF-16 byte-order mark
// read as glibc's iconv decodes them to UTF-8, and fail to read when iconv refuses them.
#include "secondsight/directory/ldif.hpp"

#include <iconv.h>

#include <optional>
#include <sstream>

#include "harness.hpp"
#include "secondsight/directory/dn.hpp"

namespace {

using namespace secondsight;

std::string base64(std::string_view bytes) {
  static constexpr char k_digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += k_digits[(n >> 18) & 63];
    out += k_digits[(n >> 12) & 63];
    out += k_digits[(n >> 6) & 63];
    out += k_digits[n & 63];
  }
  if (bytes.size() - i == 1) {
    const auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += k_digits[(n >> 18) & 63];
    out += k_digits[(n >> 12) & 63];
    out += "==";
  } else if (bytes.size() - i == 2) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += k_digits[(n >> 18) & 63];
    out += k_digits[(n >> 12) & 63];
    out += k_digits[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// Every value base64, so that any bytes survive.
std::string write_ldif(const directory::LdifContent& content) {
  std::string out;
  for (const auto& entry : content.entries) {
    out += "dn:: " + base64(entry.dn) + "\n";
    for (const auto& attribute : entry.attributes())
      for (const auto& value : attribute.values)
        out += attribute.name + ":: " + base64(value) + "\n";
    out += "\n";
  }
  return out;
}

// UTF-16 after its byte-order mark as UTF-8, by an implementation other than the reader's.
std::optional<std::string> iconv_utf16(std::string_view bytes) {
  const iconv_t converter = iconv_open("UTF-8", "UTF-16");
  FUZZ_CHECK(converter != reinterpret_cast<iconv_t>(-1));
  std::string out(bytes.size() * 2 + 4, '\0');  // a code unit is at most 3 bytes of UTF-8
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* to = out.data();
  std::size_t out_left = out.size();
  const std::size_t done = iconv(converter, &in, &in_left, &to, &out_left);
  iconv_close(converter);
  if (done == static_cast<std::size_t>(-1) || in_left != 0) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

bool same_entries(const directory::LdifContent& a, const directory::LdifContent& b) {
  if (a.entries.size() != b.entries.size() || a.warnings != b.warnings) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const auto& x = a.entries[i];
    const auto& y = b.entries[i];
    if (x.dn != y.dn || x.line != y.line || x.attributes().size() != y.attributes().size())
      return false;
    for (std::size_t j = 0; j < x.attributes().size(); ++j)
      if (x.attributes()[j].name != y.attributes()[j].name ||
          x.attributes()[j].values != y.attributes()[j].values)
        return false;
  }
  return true;
}

// A UTF-16 export reads as its text in UTF-8 does. Not compared: UTF-32 marks, which are
// refused, and texts whose start means something of its own in UTF-8 (a second byte-order
// mark, a NUL byte taken for UTF-16 without a mark).
void check_utf16(std::string_view bytes, const Result<directory::LdifContent>& read) {
  const bool utf16 = bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF";
  if (!utf16 || bytes.substr(0, 4) == std::string_view("\xFF\xFE\0\0", 4)) return;
  const auto text = iconv_utf16(bytes);
  if (!text) {
    FUZZ_CHECK(!read.ok());
    return;
  }
  if (text->rfind("\xEF\xBB\xBF", 0) == 0 || text->substr(0, 2).find('\0') != std::string::npos)
    return;
  std::istringstream plain(*text);
  const auto expected = directory::read_ldif(plain, "fuzz.ldif");
  FUZZ_CHECK(read.ok() == expected.ok());
  if (read.ok()) {
    FUZZ_CHECK(same_entries(*read, *expected));
  } else {
    FUZZ_CHECK(read.error().message == expected.error().message);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in{std::string(fuzz::text_of(data, size))};
  const auto read = directory::read_ldif(in, "fuzz.ldif");
  check_utf16(fuzz::text_of(data, size), read);
  if (!read) {
    FUZZ_CHECK(read.error().message.rfind("fuzz.ldif:", 0) == 0);
    return 0;
  }
  for (const auto& entry : read->entries) {
    FUZZ_CHECK(entry.line >= 1);
    FUZZ_CHECK(directory::parse_dn(entry.dn).ok());
    for (const auto& attribute : entry.attributes()) {
      FUZZ_CHECK(!attribute.name.empty());
      FUZZ_CHECK(!attribute.values.empty());
    }
  }
  for (const auto& warning : read->warnings) FUZZ_CHECK(warning.rfind("fuzz.ldif:", 0) == 0);

  std::istringstream again(write_ldif(*read));
  const auto reread = directory::read_ldif(again, "again.ldif");
  FUZZ_CHECK(reread.ok());
  FUZZ_CHECK(reread->entries.size() == read->entries.size());
  for (std::size_t i = 0; i < read->entries.size(); ++i) {
    const auto& a = read->entries[i];
    const auto& b = reread->entries[i];
    FUZZ_CHECK(a.dn == b.dn);
    FUZZ_CHECK(a.attributes().size() == b.attributes().size());
    for (std::size_t j = 0; j < a.attributes().size(); ++j) {
      FUZZ_CHECK(a.attributes()[j].name == b.attributes()[j].name);
      FUZZ_CHECK(a.attributes()[j].values == b.attributes()[j].values);
    }
  }
  return 0;
}
