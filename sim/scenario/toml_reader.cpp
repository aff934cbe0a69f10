#include "scenario/toml_reader.hpp"

#include <cmath>

#include "core/duration.hpp"
#include "core/limits.hpp"

namespace mlcycle {

SourceLocation toml_location(const toml::node& n, const std::string& file) {
  const toml::source_region& src = n.source();
  if (src.begin.line == 0) return SourceLocation{"--set", 0, 0};
  return SourceLocation{file, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}

const char* toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

TomlTableReader::TomlTableReader(const toml::table& table, std::string key_path, std::string file)
    : table_(table), key_path_(std::move(key_path)), file_(std::move(file)) {}

bool TomlTableReader::has(std::string_view key) const {
  return table_.contains(key);
}

const toml::node* TomlTableReader::node(std::string_view key) {
  known_.emplace(key);
  return table_.get(key);
}

std::string TomlTableReader::path_of(std::string_view key) const {
  return key_path_.empty() ? std::string(key) : key_path_ + "." + std::string(key);
}

SourceLocation TomlTableReader::location_of(const toml::node& n) const {
  return toml_location(n, file_);
}

namespace {
SourceLocation key_location(const toml::key& key, const toml::node& value,
                            const std::string& file) {
  // A value set by --set has no source, even where it replaced a key of the file.
  const toml::source_region& src = key.source();
  if (src.begin.line == 0 || value.source().begin.line == 0) return toml_location(value, file);
  return SourceLocation{file, static_cast<int>(src.begin.line), static_cast<int>(src.begin.column)};
}
}  // namespace

// Errors point at the key (where a reader looks), or at the table when the key is missing.
SourceLocation TomlTableReader::location_of_key(std::string_view key) const {
  auto it = table_.find(key);
  if (it == table_.end()) return location_of(table_);
  return key_location(it->first, it->second, file_);
}

InputError TomlTableReader::error_at(std::string_view key, const std::string& message) const {
  return InputError(location_of_key(key), path_of(key), message);
}

InputError TomlTableReader::error_here(const std::string& message) const {
  return InputError(location_of(table_), key_path_, message);
}

std::optional<double> TomlTableReader::number(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_number())
    throw error_at(key, std::string("expected a number, got ") + toml_type_name(*n));
  double value = *n->value<double>();
  if (!std::isfinite(value)) throw error_at(key, "must be a finite number");
  return value;
}

std::optional<std::int64_t> TomlTableReader::integer(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (n->is_floating_point()) {
    // 1e19 or 1e3 where a count is expected: say which of the two is wrong.
    const double value = n->as_floating_point()->get();
    if (std::isfinite(value) && std::floor(value) == value)
      throw error_at(key, std::abs(value) >= 9.2233720368547758e18
                              ? "is out of range: integers are at most 9223372036854775807"
                              : "expected an integer, got a float (write it without a "
                                "decimal point or exponent)");
  }
  if (!n->is_integer())
    throw error_at(key, std::string("expected an integer, got ") + toml_type_name(*n));
  return n->as_integer()->get();
}

std::optional<std::string> TomlTableReader::string(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_string())
    throw error_at(key, std::string("expected a string, got ") + toml_type_name(*n));
  return n->as_string()->get();
}

std::optional<double> TomlTableReader::duration_s(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  double seconds = 0;
  if (n->is_number()) {
    seconds = *n->value<double>();
    if (!std::isfinite(seconds)) throw error_at(key, "must be a finite number of seconds");
  } else if (n->is_string()) {
    auto parsed = parse_duration_s(n->as_string()->get());
    if (!parsed)
      throw error_at(key, "'" + n->as_string()->get() +
                              "' is not a duration (use seconds or a unit: s, min, h, d, w, y)");
    seconds = *parsed;
  } else {
    throw error_at(key, std::string("expected a duration, got ") + toml_type_name(*n));
  }
  check_duration_range(key, seconds);
  return seconds;
}

void TomlTableReader::check_duration_range(std::string_view key, double seconds) const {
  if (std::abs(seconds) > limits::kMaxDuration_s)
    throw error_at(
        key, std::string("is out of range: durations are at most ") + limits::kMaxDurationText);
}

const toml::table* TomlTableReader::table(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_table())
    throw error_at(key, std::string("expected a table, got ") + toml_type_name(*n));
  return n->as_table();
}

const toml::array* TomlTableReader::array(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_array())
    throw error_at(key, std::string("expected an array, got ") + toml_type_name(*n));
  return n->as_array();
}

std::optional<toml::date_time> TomlTableReader::date_time(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_date_time())
    throw error_at(key, std::string("expected a date-time like 2020-01-01T00:00:00Z, got ") +
                            toml_type_name(*n));
  return n->as_date_time()->get();
}

std::optional<double> TomlTableReader::offset_s(std::string_view key, const UtcTime& start) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  double offset_s = 0;
  if (n->is_date_time()) {
    const toml::date_time v = n->as_date_time()->get();
    if (!v.offset) throw error_at(key, "needs a UTC offset (write ...Z)");
    UtcTime at =
        make_utc(v.date.year, v.date.month, v.date.day, v.time.hour, v.time.minute, v.time.second);
    at.unix_s -= static_cast<std::int64_t>(v.offset->minutes) * 60;
    offset_s = static_cast<double>(at.unix_s - start.unix_s);
    check_duration_range(key, offset_s);
  } else {
    offset_s = *duration_s(key);
  }
  if (offset_s < 0) throw error_at(key, "is before the scenario start");
  return offset_s;
}

double TomlTableReader::positive_number(std::string_view key, double fallback) {
  auto value = number(key);
  if (!value) return fallback;
  if (*value <= 0) throw error_at(key, "must be greater than zero");
  return *value;
}

double TomlTableReader::non_negative_number(std::string_view key, double fallback) {
  auto value = number(key);
  if (!value) return fallback;
  if (*value < 0) throw error_at(key, "must not be negative");
  return *value;
}

std::uint64_t TomlTableReader::positive_integer(std::string_view key, std::uint64_t fallback) {
  auto value = integer(key);
  if (!value) return fallback;
  if (*value <= 0) throw error_at(key, "must be a positive integer");
  return static_cast<std::uint64_t>(*value);
}

void TomlTableReader::reject_unknown_keys() const {
  for (const auto& [key, value] : table_) {
    if (!known_.count(key.str()))
      throw InputError(key_location(key, value, file_), path_of(key.str()), "unknown key");
  }
}

std::string not_a_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) return "";
  if (error && error != std::errc::no_such_file_or_directory)
    return "cannot read " + path.string() + ": " + error.message();
  return "no such file: " + path.string();
}

}  // namespace mlcycle
