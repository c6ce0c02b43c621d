// The measures of docs/knowledge.md on a History: degree of authorship, authors of files, truck
// factor, and the merging of git identities. docs/knowledge.md says where each detail follows
// Avelino et al.'s tool (aserg-ufmg/Truck-Factor).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <unordered_map>

#include "secondsight/knowledge/history.hpp"

namespace secondsight::knowledge {
namespace {

// Fritz et al.'s model, as docs/knowledge.md and Avelino et al. use it.
constexpr double k_doa_base = 3.293;
constexpr double k_doa_first_author = 1.098;
constexpr double k_doa_own_change = 0.164;
constexpr double k_doa_others_changes = 0.321;
// An author's DOA is at least this share of the file's highest, and at least k_doa_base
// unless they created the file (Avelino et al.'s config.properties: normalizedDOA, absoluteDOA).
constexpr double k_normalized_doa = 0.75;

// Appends code point `c` as UTF-8.
void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The lower case of the capital letters people's names are written with: Latin (with
// Latin-1 and Latin Extended-A accents), Greek and Cyrillic.
char32_t lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 0x20;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return c | 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) != 0 ? c + 1 : c;
  if (c == 0x178) return 0xFF;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

// `text` with its letters in lower case; bytes that are no UTF-8 stay as they are.
std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out += static_cast<char>(lower(byte));
      ++i;
      continue;
    }
    auto continuation = [&](std::size_t at) {
      return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
    };
    auto bits = [&](std::size_t at) {
      return static_cast<char32_t>(static_cast<unsigned char>(text[at]) & 0x3F);
    };
    if ((byte & 0xE0) == 0xC0 && byte >= 0xC2 && continuation(i + 1)) {
      append_utf8(out, lower((static_cast<char32_t>(byte & 0x1F) << 6) | bits(i + 1)));
      i += 2;
    } else {
      out += static_cast<char>(byte);  // three- and four-byte letters have no case we fold
      ++i;
    }
  }
  return out;
}

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

// One author's counts on one file, with every identity of theirs merged.
struct AuthorCounts {
  const std::string* key = nullptr;
  bool first_author = false;
  int own_changes = 0;
};

}  // namespace

std::vector<std::string> merge_by_email_or_name(std::span<const GitIdentity> identities) {
  std::vector<std::size_t> parent(identities.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  // The lowest index is the root of each group, so the key is that of the group's first identity.
  auto join = [&](std::size_t a, std::size_t b) {
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  std::unordered_map<std::string, std::size_t> by_email;
  std::unordered_map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < identities.size(); ++i) {
    // An empty email or name says nothing about who it is (Avelino et al. skip empty names too).
    for (auto [field, seen] :
         {std::pair{&identities[i].email, &by_email}, std::pair{&identities[i].name, &by_name}}) {
      if (field->empty()) continue;
      auto [found, inserted] = seen->emplace(fold_case(*field), i);
      if (!inserted) join(found->second, i);
    }
  }
  std::vector<std::string> keys(identities.size());
  for (std::size_t i = 0; i < identities.size(); ++i) {
    const auto& first = identities[find_root(parent, i)];
    keys[i] = first.name + " <" + first.email + ">";
  }
  return keys;
}

double degree_of_authorship(bool first_author, int own_changes, int others_changes) {
  return k_doa_base + k_doa_first_author * (first_author ? 1.0 : 0.0) +
         k_doa_own_change * own_changes - k_doa_others_changes * std::log1p(others_changes);
}

std::vector<FileAuthors> authors_of_files(const History& history,
                                          std::span<const std::string> key_of_identity,
                                          FileSet set) {
  std::vector<FileAuthors> out;
  std::vector<AuthorCounts> tally;
  auto key_of = [&](int identity) -> const std::string* {
    auto index = static_cast<std::size_t>(identity);
    return index < key_of_identity.size() ? &key_of_identity[index] : nullptr;
  };
  for (const auto& file : history.files) {
    if (!counts(file.path, set)) continue;
    tally.clear();
    auto entry = [&](const std::string* key) -> AuthorCounts& {
      for (auto& item : tally) {
        if (*item.key == *key) return item;
      }
      tally.push_back(AuthorCounts{key});
      return tally.back();
    };
    int total_changes = 0;
    if (const auto* creator = key_of(file.creator)) entry(creator).first_author = true;
    for (const auto& change : file.changes) {
      const auto* key = key_of(change.identity);
      if (key == nullptr) continue;
      entry(key).own_changes += change.changes;
      total_changes += change.changes;
    }
    std::vector<double> doa(tally.size());
    double best = 0;
    for (std::size_t i = 0; i < tally.size(); ++i) {
      doa[i] = degree_of_authorship(tally[i].first_author, tally[i].own_changes,
                                    total_changes - tally[i].own_changes);
      best = std::max(best, doa[i]);
    }
    FileAuthors authors{file.path, {}};
    for (std::size_t i = 0; i < tally.size() && best > 0; ++i) {
      if (doa[i] / best >= k_normalized_doa && (doa[i] >= k_doa_base || tally[i].first_author))
        authors.authors.push_back(*tally[i].key);
    }
    std::sort(authors.authors.begin(), authors.authors.end());
    out.push_back(std::move(authors));
  }
  return out;
}

TruckFactor truck_factor(std::span<const FileAuthors> files, const std::set<std::string>& gone) {
  // Each author's files; std::map keeps them by key, so the first of several authors with as
  // many files is the smallest key: the same answer on every run.
  std::map<std::string, std::vector<std::size_t>> files_of;
  std::vector<int> holders(files.size(), 0);
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (const auto& author : files[f].authors) {
      if (gone.count(author) != 0) continue;
      auto& mine = files_of[author];
      if (!mine.empty() && mine.back() == f) continue;  // listed twice
      mine.push_back(f);
      ++holders[f];
    }
  }
  std::size_t covered = static_cast<std::size_t>(
      std::count_if(holders.begin(), holders.end(), [](int n) { return n > 0; }));
  TruckFactor out;
  // Avelino et al.: stop once less than half of the files have an author left.
  while (!files_of.empty() && covered * 2 >= files.size()) {
    auto most = files_of.begin();
    for (auto it = files_of.begin(); it != files_of.end(); ++it) {
      if (it->second.size() > most->second.size()) most = it;
    }
    for (std::size_t f : most->second) {
      if (--holders[f] == 0) --covered;
    }
    out.removed.push_back(most->first);
    ++out.value;
    files_of.erase(most);
  }
  return out;
}

}  // namespace secondsight::knowledge
