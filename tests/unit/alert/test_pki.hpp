// Certificates for the tests' HTTPS receiver, made with the openssl command: a CA, a server
// certificate it signs for 127.0.0.1 and localhost, one it signs for another name, and a
// second CA that signed neither.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace secondsight::alert::testing {

// The receiver's side of a webhook signature, written out with OpenSSL as a receiver would:
// "sha256=" and the hex HMAC-SHA256 of the body.
inline std::string expected_signature(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(two, sizeof two, "%02x", mac[i]);
    hex += two;
  }
  return "sha256=" + hex;
}

namespace fs = std::filesystem;

struct TestPki {
  fs::path dir;
  fs::path ca_cert, other_ca_cert;
  fs::path server_cert, server_key;          // 127.0.0.1, localhost
  fs::path wrong_name_cert, wrong_name_key;  // elsewhere.example only

  static TestPki make() {
    TestPki pki;
    std::string pattern = (fs::temp_directory_path() / "secondsight-pki-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed";
    pki.dir = pattern;
    auto at = [&](const char* name) { return pki.dir / name; };
    pki.ca_cert = at("ca.crt");
    pki.other_ca_cert = at("other-ca.crt");
    pki.server_cert = at("server.crt");
    pki.server_key = at("server.key");
    pki.wrong_name_cert = at("wrong.crt");
    pki.wrong_name_key = at("wrong.key");
    std::ofstream(at("server.ext")) << "basicConstraints=CA:FALSE\n"
                                       "extendedKeyUsage=serverAuth\n"
                                       "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    std::ofstream(at("wrong.ext")) << "basicConstraints=CA:FALSE\n"
                                      "extendedKeyUsage=serverAuth\n"
                                      "subjectAltName=DNS:elsewhere.example\n";
    const std::string d = "'" + pki.dir.string() + "/";
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string ca_ext =
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign";
    for (const std::string& command : {
             "openssl req -x509" + key + " -keyout " + d + "ca.key' -out " + d +
                 "ca.crt' -days 3 -subj '/CN=secondsight test CA'" + ca_ext,
             "openssl req -x509" + key + " -keyout " + d + "other-ca.key' -out " + d +
                 "other-ca.crt' -days 3 -subj '/CN=another CA'" + ca_ext,
             "openssl req" + key + " -keyout " + d + "server.key' -out " + d +
                 "server.csr' -subj '/CN=localhost'",
             "openssl x509 -req -in " + d + "server.csr' -CA " + d + "ca.crt' -CAkey " + d +
                 "ca.key' -CAcreateserial -days 2 -extfile " + d + "server.ext' -out " + d +
                 "server.crt'",
             "openssl req" + key + " -keyout " + d + "wrong.key' -out " + d +
                 "wrong.csr' -subj '/CN=elsewhere.example'",
             "openssl x509 -req -in " + d + "wrong.csr' -CA " + d + "ca.crt' -CAkey " + d +
                 "ca.key' -CAcreateserial -days 2 -extfile " + d + "wrong.ext' -out " + d +
                 "wrong.crt'",
         }) {
      std::string quiet = command + " >/dev/null 2>&1";
      EXPECT_EQ(std::system(quiet.c_str()), 0) << command;
    }
    return pki;
  }

  void remove() const {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace secondsight::alert::testing
