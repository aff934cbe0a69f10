#include "scenario/overrides.hpp"

#include <cctype>
#include <charconv>
#include <vector>

#include "core/input_error.hpp"

namespace mlcycle {

namespace {

InputError override_error(const std::string& key, const std::string& message) {
  return InputError(SourceLocation{"--set", 0, 0}, key, message);
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    std::size_t dot = path.find('.', begin);
    parts.push_back(path.substr(begin, dot - begin));
    if (dot == std::string::npos) break;
    begin = dot + 1;
  }
  return parts;
}

toml::node* array_element(toml::array& array, const std::string& selector) {
  std::size_t index = 0;
  auto [ptr, ec] = std::from_chars(selector.data(), selector.data() + selector.size(), index);
  if (ec == std::errc() && ptr == selector.data() + selector.size())
    return index < array.size() ? array.get(index) : nullptr;
  for (auto& element : array) {
    if (auto* t = element.as_table()) {
      if (auto name = (*t)["name"].value<std::string>(); name && *name == selector) return &element;
    }
  }
  return nullptr;
}

bool looks_like_integer(const std::string& text) {
  std::size_t i = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i)
    if (!(std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '_')) return false;
  return true;
}

}  // namespace

void apply_override(toml::table& root, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw override_error(assignment, "expected KEY=VALUE (for example simulation.seed=7)");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  const std::vector<std::string> parts = split_path(key);

  toml::table* table = &root;
  std::string walked;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (walked.empty() ? "" : ".") + parts[i];
    toml::node* child = table->get(parts[i]);
    if (child && child->is_array()) {
      if (i + 2 >= parts.size())
        throw override_error(key, "'" + walked + "' is an array: name an element, then a key");
      ++i;
      walked += "." + parts[i];
      child = array_element(*child->as_array(), parts[i]);
      if (!child) throw override_error(key, "no element '" + parts[i] + "' in the array");
    }
    if (!child) {
      table->insert(parts[i], toml::table{});
      child = table->get(parts[i]);
    }
    if (!child->is_table()) throw override_error(key, "'" + walked + "' is not a table");
    table = child->as_table();
  }
  const std::string& leaf = parts.back();
  if (leaf.empty()) throw override_error(key, "empty key");
  if (toml::node* existing = table->get(leaf);
      existing && (existing->is_table() || existing->is_array()))
    throw override_error(key, "only scalar values can be set; this key holds a table or an array");

  try {
    toml::table parsed = toml::parse("v = " + text);
    toml::node* value = parsed.get("v");
    if (value && (value->is_table() || value->is_array()))
      throw override_error(key, "only scalar values can be set, not an array or a table");
    if (value) {
      value->visit([&](auto& v) {
        using V = std::remove_cvref_t<decltype(v)>;
        if constexpr (toml::is_value<V>) table->insert_or_assign(leaf, V(v.get()));
      });
      return;
    }
  } catch (const toml::parse_error&) {
    // Not TOML: a bare word such as `exec` or `us-average-2018` is meant as a string, but digits
    // that TOML refuses are an integer beyond 64 bits, not a string.
    if (looks_like_integer(text))
      throw override_error(
          key, "'" + text + "' is out of range: integers are at most 9223372036854775807");
  }
  table->insert_or_assign(leaf, text);
}

}  // namespace mlcycle
