// A History as JSON for the state database (history.hpp shows the shape).
#include <nlohmann/json.hpp>

#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge {
namespace {

using nlohmann::json;

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t code = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    constexpr char32_t k_least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < k_least[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return false;
    i += length;
  }
  return true;
}

json text_json(const std::string& text) {
  if (is_utf8(text)) return text;
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string hex;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    hex += k_hex[byte >> 4];
    hex += k_hex[byte & 0x0F];
  }
  return json{{"hex", hex}};
}

Result<std::string> text_from_json(const json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("hex") && value["hex"].is_string()) {
    const auto& hex = value["hex"].get_ref<const std::string&>();
    auto digit = [](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      int high = digit(hex[i]);
      int low = digit(hex[i + 1]);
      if (high < 0 || low < 0) break;
      out += static_cast<char>(high * 16 + low);
    }
    if (out.size() * 2 == hex.size()) return out;
  }
  return make_error("stored history: " + where + " is not a string");
}

Result<int> index_from_json(const json& value, std::size_t size, const std::string& where) {
  if (!value.is_number_integer() || value.get<long long>() < 0 ||
      static_cast<unsigned long long>(value.get<long long>()) >= size)
    return make_error("stored history: " + where + " is not an identity");
  return static_cast<int>(value.get<long long>());
}

}  // namespace

json to_json(const History& history) {
  json identities = json::array();
  for (const auto& identity : history.identities)
    identities.push_back(
        {{"name", text_json(identity.name)}, {"email", text_json(identity.email)}});
  json files = json::array();
  for (const auto& file : history.files) {
    json changes = json::array();
    for (const auto& change : file.changes) changes.push_back({change.identity, change.changes});
    files.push_back({{"path", text_json(file.path)},
                     {"creator", file.creator},
                     {"changes", std::move(changes)}});
  }
  return {{"repository", text_json(history.repository)},
          {"head", history.head},
          {"identities", std::move(identities)},
          {"files", std::move(files)}};
}

Result<History> history_from_json(const json& in) {
  if (!in.is_object()) return make_error("stored history: not a JSON object");
  for (const char* field : {"repository", "head", "identities", "files"}) {
    if (!in.contains(field)) return make_error(std::string("stored history: no \"") + field + "\"");
  }
  History out;
  auto repository = text_from_json(in["repository"], "repository");
  if (!repository) return repository.error();
  out.repository = std::move(*repository);
  if (!in["head"].is_string()) return make_error("stored history: head is not a string");
  out.head = in["head"].get<std::string>();
  if (!in["identities"].is_array() || !in["files"].is_array())
    return make_error("stored history: identities and files must be arrays");
  for (const auto& identity : in["identities"]) {
    if (!identity.is_object() || !identity.contains("name") || !identity.contains("email"))
      return make_error("stored history: an identity needs a name and an email");
    auto name = text_from_json(identity["name"], "an identity's name");
    if (!name) return name.error();
    auto email = text_from_json(identity["email"], "an identity's email");
    if (!email) return email.error();
    out.identities.push_back(GitIdentity{std::move(*name), std::move(*email)});
  }
  const std::size_t count = out.identities.size();
  for (const auto& file : in["files"]) {
    if (!file.is_object() || !file.contains("path") || !file.contains("creator") ||
        !file.contains("changes") || !file["changes"].is_array())
      return make_error("stored history: a file needs a path, a creator and changes");
    auto path = text_from_json(file["path"], "a file's path");
    if (!path) return path.error();
    FileHistory entry;
    entry.path = std::move(*path);
    auto creator = index_from_json(file["creator"], count, "the creator of " + entry.path);
    if (!creator) return creator.error();
    entry.creator = *creator;
    for (const auto& change : file["changes"]) {
      if (!change.is_array() || change.size() != 2 || !change[1].is_number_integer() ||
          change[1].get<long long>() < 1 || change[1].get<long long>() > INT32_MAX)
        return make_error("stored history: a change of " + entry.path +
                          " is not [identity, changes]");
      auto identity = index_from_json(change[0], count, "a change of " + entry.path);
      if (!identity) return identity.error();
      entry.changes.push_back(FileChanges{*identity, static_cast<int>(change[1].get<long long>())});
    }
    out.files.push_back(std::move(entry));
  }
  return out;
}

}  // namespace secondsight::knowledge
