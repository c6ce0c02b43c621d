#include <algorithm>
#include <exception>
#include <optional>
#include <string_view>
#include <utility>

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

// Keeps the requested attributes of an entry. "*" asks for all user attributes and "1.1"
// for none (RFC 4511); names compare case-insensitively, options ignored, as a server does.
Entry select_attributes(const Entry& entry, const std::vector<std::string>& requested) {
  const bool all = std::any_of(requested.begin(), requested.end(),
                               [](const std::string& name) { return name == "*"; });
  if (all) return entry;
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

class LdifSource final : public DirectorySource {
 public:
  explicit LdifSource(std::filesystem::path path) : m_path(std::move(path)) {}

  std::string name() const override { return "ldif:" + m_path.string(); }

  Result<void> open() override {
    try {
      auto content = read_ldif_file(m_path);
      if (!content) return content.error();
      m_entries = std::move(content->entries);
      m_normalized_dns = std::move(content->normalized_dns);
      m_pending_warnings = std::move(content->warnings);
      m_open = true;
      return {};
    } catch (const std::exception& e) {
      m_open = false;
      return make_error("cannot read LDIF export " + m_path.string() + ": " + e.what());
    }
  }

  Result<SearchSummary> search_each(const SearchRequest& request, const EntrySink& sink) override {
    try {
      if (!m_open) return make_error(name() + ": search before open()");
      // A missing filter means "every entry", as ldapsearch's default (objectClass=*) does
      // for entries that, in an export, always have an objectClass.
      std::optional<Filter> filter;
      if (!is_blank(request.filter)) {
        auto parsed = Filter::parse(request.filter);
        if (!parsed) return parsed.error();
        filter = std::move(*parsed);
      }
      if (auto parsed = parse_dn(request.base); !parsed)
        return make_error("search base of " + name() + ": " + parsed.error().message);
      const std::string base = normalize_dn(request.base);

      SearchSummary result;
      // Warnings of reading the export are reported once per poll, with its first search.
      result.warnings = std::exchange(m_pending_warnings, {});
      bool base_found = false;
      for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (!dn_is_within(m_normalized_dns[i], base)) continue;
        base_found = true;
        const Entry& entry = m_entries[i];
        if (filter && !filter->matches(entry)) continue;
        if (auto taken =
                sink(request.attributes.empty() ? Entry(entry)
                                                : select_attributes(entry, request.attributes));
            !taken)
          return taken.error();
        ++result.count;
      }
      result.base_found = base_found;
      if (!base_found)
        result.warnings.push_back("base '" + request.base + "' matches no entry in " +
                                  m_path.string());
      return result;
    } catch (const std::exception& e) {
      return make_error(name() + ": search failed: " + e.what());
    }
  }

 private:
  std::filesystem::path m_path;
  bool m_open = false;
  std::vector<Entry> m_entries;
  std::vector<std::string> m_normalized_dns;  // parallel to m_entries, as the reader gave them
  std::vector<std::string> m_pending_warnings;
};

}  // namespace

std::unique_ptr<DirectorySource> make_ldif_source(std::filesystem::path path) {
  return std::make_unique<LdifSource>(std::move(path));
}

}  // namespace secondsight::directory
