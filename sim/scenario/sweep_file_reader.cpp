#include "scenario/sweep_file_reader.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "scenario/toml_reader.hpp"

namespace mlcycle {

namespace {

std::uint32_t count_at_least_1(TomlTableReader& reader, std::string_view key, std::int64_t n) {
  if (n < 1) throw reader.error_at(key, "must be at least 1");
  if (n > std::numeric_limits<std::uint32_t>::max()) throw reader.error_at(key, "is too large");
  return static_cast<std::uint32_t>(n);
}

// One element of `values` as the text `--set KEY=text` takes.
std::string value_text(const toml::node& n, const std::string& key_path, const std::string& file) {
  auto fail = [&](const std::string& message) {
    return InputError(toml_location(n, file), key_path, message);
  };
  if (auto i = n.as_integer()) return std::to_string(i->get());
  if (auto f = n.as_floating_point()) return toml_float_text(f->get());
  if (auto b = n.as_boolean()) return b->get() ? "true" : "false";
  if (auto s = n.as_string()) {
    if (s->get().empty()) throw fail("empty string");
    if (s->get().find(',') != std::string::npos) throw fail("a value must not contain ','");
    return s->get();
  }
  std::ostringstream text;
  if (auto d = n.as_date()) text << *d;
  if (auto t = n.as_time()) text << *t;
  if (auto dt = n.as_date_time()) text << *dt;
  if (!text.str().empty()) return text.str();
  throw fail(std::string("expected a number, a boolean or a string, got ") + toml_type_name(n));
}

// Reads the entries of [[sweep.vary]] (`ranges` allowed) or [[sweep.zip]] as option texts.
std::vector<SweepAxisEntry> read_axis_entries(TomlTableReader& sweep, std::string_view name,
                                              bool ranges) {
  std::vector<SweepAxisEntry> options;
  const toml::array* entries = sweep.array(name);
  if (!entries) return options;
  const std::string file = sweep.file();
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const std::string path = sweep.path_of(name) + "[" + std::to_string(i) + "]";
    const toml::node& entry = *entries->get(i);
    if (!entry.is_table())
      throw InputError(toml_location(entry, file), path,
                       std::string("expected a table, got ") + toml_type_name(entry));
    TomlTableReader e(*entry.as_table(), path, file);
    const auto key = e.string("key");
    if (!key) throw e.error_here("missing key 'key' (the scenario key to vary)");
    if (key->empty() || key->find('=') != std::string::npos)
      throw e.error_at("key", "must be a non-empty key without '='");
    const toml::array* values = e.array("values");
    if (!ranges && e.has("range"))
      throw e.error_at("range", "zipped keys take a list of values, not a range");
    const auto range = ranges ? e.string("range") : std::nullopt;
    e.reject_unknown_keys();
    std::string text = *key + "=";
    if (values && range) throw e.error_at("range", "give either values or range, not both");
    if (range) {
      const auto colons = std::count(range->begin(), range->end(), ':');
      if (colons != 2 || range->find(',') != std::string::npos)
        throw e.error_at("range", "expected \"start:stop:step\", got \"" + *range + "\"");
      text += *range;
    } else if (values) {
      if (values->empty()) throw e.error_at("values", "no values");
      for (std::size_t k = 0; k < values->size(); ++k) {
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on chained string +.
        if (k > 0) text.append(",");
        const std::string element = e.path_of("values") + "[" + std::to_string(k) + "]";
        text.append(value_text(*values->get(k), element, file));
      }
    } else {
      throw e.error_here(ranges ? "missing 'values' or 'range'" : "missing 'values'");
    }
    const char* given = range ? "range" : "values";
    options.push_back(SweepAxisEntry{std::move(text), e.location_of_key(given), e.path_of(given)});
  }
  return options;
}

}  // namespace

bool is_sweep_file(const std::string& path) {
  try {
    return toml::parse_file(path).contains("sweep");
  } catch (const toml::parse_error&) {
    return false;  // the scenario loader reports the syntax error with its location
  }
}

std::string toml_float_text(double value) {
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, value);
  std::string s(text, result.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // inf and nan contain 'n'
  return s;
}

SweepFileEntries read_sweep_file_entries(const std::string& text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw InputError(
        SourceLocation{path, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)},
        "", "malformed TOML: " + std::string(e.description()));
  }
  TomlTableReader top(root, "", path);
  const toml::table* table = top.table("sweep");
  top.reject_unknown_keys();
  if (!table) throw InputError(SourceLocation{path, 0, 0}, "sweep", "missing the [sweep] table");
  TomlTableReader sweep(*table, "sweep", path);

  SweepFileEntries spec;
  const auto scenario = sweep.string("scenario");
  if (!scenario) throw sweep.error_here("missing key 'scenario' (path to the scenario TOML)");
  std::filesystem::path scenario_path(*scenario);
  if (scenario_path.is_relative())
    scenario_path = std::filesystem::path(path).parent_path() / scenario_path;
  if (const std::string why = not_a_file(scenario_path); !why.empty())
    throw sweep.error_at("scenario", why);
  spec.scenario_path = scenario_path.lexically_normal().string();
  if (auto n = sweep.integer("replicates"))
    spec.replicates = count_at_least_1(sweep, "replicates", *n);
  if (auto n = sweep.integer("jobs")) spec.jobs = count_at_least_1(sweep, "jobs", *n);
  if (const toml::array* set = sweep.array("set")) {
    for (std::size_t i = 0; i < set->size(); ++i) {
      const toml::node& n = *set->get(i);
      if (!n.is_string())
        throw InputError(toml_location(n, path), "sweep.set[" + std::to_string(i) + "]",
                         std::string("expected a string KEY=VALUE, got ") + toml_type_name(n));
      spec.set.push_back(n.as_string()->get());
    }
  }
  spec.vary = read_axis_entries(sweep, "vary", true);
  spec.zip = read_axis_entries(sweep, "zip", false);
  sweep.reject_unknown_keys();
  return spec;
}

std::string read_sweep_file_text(const std::string& path) {
  std::error_code unknown;  // a path the system cannot look up fails to open just below
  if (std::filesystem::is_directory(path, unknown))
    throw InputError(SourceLocation{path, 0, 0}, "", "is a directory, not a sweep file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, 0}, "", "cannot open the sweep file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mlcycle
