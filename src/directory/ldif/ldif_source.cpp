#include <algorithm>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "secondsight/directory/dn.hpp"
#include "secondsight/directory/filter.hpp"
#include "secondsight/directory/ldif.hpp"

namespace secondsight::directory {
namespace {

std::string_view strip_options(std::string_view name) {
  return name.substr(0, std::min(name.find(';'), name.size()));
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// None requested, or "*", asks for all user attributes (RFC 4511).
bool all_attributes(const std::vector<std::string>& requested) {
  return requested.empty() || std::any_of(requested.begin(), requested.end(),
                                          [](const std::string& name) { return name == "*"; });
}

// Keeps the requested attributes of an entry; "1.1" asks for none (RFC 4511). Names compare
// case-insensitively, options ignored, as a server does.
Entry select_attributes(const Entry& entry, const std::vector<std::string>& requested) {
  if (all_attributes(requested)) return entry;
  Entry out;
  out.dn = entry.dn;
  out.line = entry.line;
  for (const auto& attribute : entry.attributes()) {
    const auto base = strip_options(attribute.name);
    const bool wanted = std::any_of(requested.begin(), requested.end(), [&](const auto& name) {
      return iequals(strip_options(name), base);
    });
    if (!wanted) continue;
    for (const auto& value : attribute.values) out.add(attribute.name, value);
  }
  return out;
}

Entry select_attributes(Entry&& entry, const std::vector<std::string>& requested) {
  if (all_attributes(requested)) return std::move(entry);
  return select_attributes(static_cast<const Entry&>(entry), requested);
}

// One search of a pass over the export.
struct Search {
  std::optional<Filter> filter;  // none: every entry
  std::string base;              // normalised
  SearchSummary summary;
};

// Each poll reads the export once, as it is then, for all of its searches: an entry goes to
// each search that selects it as it is read. Nothing is kept between polls.
class LdifSource final : public DirectorySource {
 public:
  explicit LdifSource(std::filesystem::path path) : m_path(std::move(path)) {}

  std::string name() const override { return "ldif:" + m_path.string(); }

  // Checks the export can be opened; each search reads it.
  Result<void> open() override {
    auto file = LdifExport::open(m_path);
    m_open = static_cast<bool>(file);
    if (!file) return file.error();
    m_warned = false;
    return {};
  }

  Result<SearchSummary> search_each(const SearchRequest& request, const EntrySink& sink) override {
    auto summaries = search_each_of({request}, {sink});
    if (!summaries) return summaries.error();
    return std::move(summaries->front());
  }

  Result<std::vector<SearchSummary>> search_each_of(const std::vector<SearchRequest>& requests,
                                                    const std::vector<EntrySink>& sinks) override {
    try {
      if (!m_open) return make_error(name() + ": search before open()");
      if (sinks.size() < requests.size()) return make_error(name() + ": a search without a sink");
      std::vector<Search> searches(requests.size());
      for (std::size_t i = 0; i < requests.size(); ++i) {
        const SearchRequest& request = requests[i];
        // A missing filter means "every entry", as ldapsearch's default (objectClass=*) does
        // for entries that, in an export, always have an objectClass.
        if (!is_blank(request.filter)) {
          auto parsed = Filter::parse(request.filter);
          if (!parsed) return parsed.error();
          searches[i].filter = std::move(*parsed);
        }
        if (auto parsed = parse_dn(request.base); !parsed)
          return make_error("search base of " + name() + ": " + parsed.error().message);
        searches[i].base = normalize_dn(request.base);
        searches[i].summary.base_found = false;
      }

      std::vector<std::size_t> wanted;
      auto warnings =
          read_ldif_file_each(m_path, [&](Entry&& entry, std::string&& normalized) -> Result<void> {
            wanted.clear();
            for (std::size_t i = 0; i < searches.size(); ++i) {
              Search& search = searches[i];
              if (!dn_is_within(normalized, search.base)) continue;
              search.summary.base_found = true;
              if (!search.filter || search.filter->matches(entry)) wanted.push_back(i);
            }
            for (std::size_t i : wanted) {
              const auto& attributes = requests[i].attributes;
              Entry selected = i == wanted.back() ? select_attributes(std::move(entry), attributes)
                                                  : select_attributes(entry, attributes);
              ++searches[i].summary.count;
              if (auto taken = sinks[i](std::move(selected)); !taken) return taken.error();
            }
            return {};
          });
      if (!warnings) return warnings.error();

      std::vector<SearchSummary> out;
      for (std::size_t i = 0; i < searches.size(); ++i) {
        Search& search = searches[i];
        if (!search.summary.base_found)
          search.summary.warnings.push_back("base '" + requests[i].base + "' matches no entry in " +
                                            m_path.string());
        out.push_back(std::move(search.summary));
      }
      // Warnings of reading the export are reported once per poll, with its first search.
      if (!m_warned && !out.empty()) {
        out.front().warnings.insert(out.front().warnings.begin(), warnings->begin(),
                                    warnings->end());
        m_warned = true;
      }
      return out;
    } catch (const std::exception& e) {
      return make_error(name() + ": search failed: " + e.what());
    }
  }

 private:
  std::filesystem::path m_path;
  bool m_open = false;
  bool m_warned = false;  // the export's warnings were given since open()
};

}  // namespace

std::unique_ptr<DirectorySource> make_ldif_source(std::filesystem::path path) {
  return std::make_unique<LdifSource>(std::move(path));
}

}  // namespace secondsight::directory
