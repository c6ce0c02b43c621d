// Attribute options as servers return them, and Active Directory's range retrieval: a group
// with more members than the server's MaxValRange (1500) comes back as "member;range=0-1499",
// and the rest is fetched in base-scope searches for "member;range=1500-*" until '*'.
#include <algorithm>
#include <charconv>

#include "secondsight/directory/ldap.hpp"

namespace secondsight::directory {
namespace {

constexpr std::string_view k_range_prefix = "range=";

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The type with every option kept except ";binary" (a transfer encoding, not a subtype) and
// ";range=" (a part of the values, not a subtype).
std::string plain_name(const AttributeDescription& description) {
  std::string name(description.type);
  for (auto option : description.options) {
    if (iequals(option, "binary") || starts_with_nocase(option, k_range_prefix)) continue;
    name += ';';
    name += option;
  }
  return name;
}

}  // namespace

AttributeDescription parse_attribute_description(std::string_view description) {
  AttributeDescription out;
  std::size_t semicolon = description.find(';');
  out.type = description.substr(0, semicolon);
  while (semicolon != std::string_view::npos) {
    const std::size_t start = semicolon + 1;
    semicolon = description.find(';', start);
    auto option = description.substr(
        start, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - start);
    if (!option.empty()) out.options.push_back(option);
  }
  return out;
}

Result<std::optional<ValueRange>> description_range(std::string_view description) {
  for (auto option : parse_attribute_description(description).options) {
    if (!starts_with_nocase(option, k_range_prefix)) continue;
    const auto bounds = option.substr(k_range_prefix.size());
    const auto dash = bounds.find('-');
    const auto first =
        dash == std::string_view::npos ? std::nullopt : parse_count(bounds.substr(0, dash));
    if (!first)
      return make_error("attribute '" + std::string(description) + "' has a malformed range");
    ValueRange range{*first, std::nullopt};
    const auto last = bounds.substr(dash + 1);
    if (last != "*") {
      range.last = parse_count(last);
      if (!range.last || *range.last < range.first)
        return make_error("attribute '" + std::string(description) + "' has a malformed range");
    }
    return std::optional<ValueRange>{range};
  }
  return std::optional<ValueRange>{};
}

std::string range_request_description(const RangeRequest& request) {
  return request.attribute + ";range=" + std::to_string(request.next) + "-*";
}

Result<std::vector<RangeRequest>> merge_attribute_options(Entry& entry) {
  std::vector<RangeRequest> pending;
  const auto& present = entry.attributes();
  if (std::none_of(present.begin(), present.end(), [](const Attribute& attribute) {
        return attribute.name.find(';') != std::string::npos;
      }))
    return pending;  // nothing to merge: the common case
  auto attributes = entry.take_attributes();
  for (auto& attribute : attributes) {
    if (attribute.name.find(';') == std::string::npos) {
      entry.add_values(attribute.name, std::move(attribute.values));
      continue;
    }
    const auto description = parse_attribute_description(attribute.name);
    auto range = description_range(attribute.name);
    if (!range) return make_error(entry.dn + ": " + range.error().message);
    std::string name = plain_name(description);
    if (*range) {
      const ValueRange& part = **range;
      if (part.first != 0)
        return make_error(entry.dn + ": attribute '" + attribute.name +
                          "' does not start at the first value");
      if (part.last) {
        if (attribute.values.size() != *part.last - part.first + 1)
          return make_error(entry.dn + ": attribute '" + attribute.name + "' came with " +
                            std::to_string(attribute.values.size()) + " values");
        pending.push_back({name, *part.last + 1});
      }
    }
    entry.add_values(name, std::move(attribute.values));
  }
  return pending;
}

Result<std::optional<RangeRequest>> merge_range_reply(Entry& entry, const Entry& reply,
                                                      const RangeRequest& asked) {
  for (const auto& attribute : reply.attributes()) {
    const auto description = parse_attribute_description(attribute.name);
    if (!iequals(plain_name(description), asked.attribute)) continue;
    auto range = description_range(attribute.name);
    if (!range) return make_error(entry.dn + ": " + range.error().message);
    if (!*range) continue;  // the plain attribute, without a range: not an answer to ours
    const ValueRange& part = **range;
    if (part.first != asked.next)
      return make_error(entry.dn + ": asked for " + range_request_description(asked) +
                        " and received '" + attribute.name + "'");
    if (part.last && attribute.values.size() != *part.last - part.first + 1)
      return make_error(entry.dn + ": attribute '" + attribute.name + "' came with " +
                        std::to_string(attribute.values.size()) + " values");
    entry.add_values(asked.attribute, attribute.values);
    if (part.last)
      return std::optional<RangeRequest>{RangeRequest{asked.attribute, *part.last + 1}};
    return std::optional<RangeRequest>{};
  }
  return make_error(entry.dn + ": asked for " + range_request_description(asked) +
                    " and the server returned no such values");
}

}  // namespace secondsight::directory
