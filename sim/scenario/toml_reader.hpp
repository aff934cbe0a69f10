#pragma once
// Typed, located reads of one TOML table. Every getter records the key as known, so that
// reject_unknown_keys() can point at a misspelt key with its file, line and column.
#include <toml++/toml.h>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "core/input_error.hpp"
#include "core/utc_time.hpp"

namespace mlcycle {

class TomlTableReader {
 public:
  // `key_path` is the dotted path of this table ("campaign[0].length"), used in messages.
  TomlTableReader(const toml::table& table, std::string key_path, std::string file);

  bool has(std::string_view key) const;
  const toml::node* node(std::string_view key);  // marks the key known

  std::optional<double> number(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  std::optional<std::string> string(std::string_view key);
  // A number of seconds or "1.5h"; at most limits::kMaxDuration_s either way.
  std::optional<double> duration_s(std::string_view key);
  const toml::table* table(std::string_view key);
  const toml::array* array(std::string_view key);
  std::optional<toml::date_time> date_time(std::string_view key);
  // Seconds since `start` for a key given as a duration offset ("30d") or a UTC date-time;
  // an error when it lies before `start`.
  std::optional<double> offset_s(std::string_view key, const UtcTime& start);

  // Range-checked forms; `min_exclusive` rejects values <= min.
  double positive_number(std::string_view key, double fallback);
  double non_negative_number(std::string_view key, double fallback);
  std::uint64_t positive_integer(std::string_view key, std::uint64_t fallback);

  void reject_unknown_keys() const;

  InputError error_at(std::string_view key, const std::string& message) const;
  // Where `key` is written (the table's position when the key is absent).
  SourceLocation location_of_key(std::string_view key) const;
  InputError error_here(const std::string& message) const;
  std::string path_of(std::string_view key) const;
  const std::string& file() const { return file_; }

 private:
  SourceLocation location_of(const toml::node& n) const;
  void check_duration_range(std::string_view key, double seconds) const;

  const toml::table& table_;
  std::string key_path_;
  std::string file_;
  std::set<std::string, std::less<>> known_;
};

// Where a node came from: its source position, or "--set" for values set on the command line.
SourceLocation toml_location(const toml::node& n, const std::string& file);

const char* toml_type_name(const toml::node& n);

// Empty when `path` is a regular file; else what is wrong, for a message at the key that named
// it: "no such file: PATH", or the system's reason when it cannot even look (a name too long).
std::string not_a_file(const std::filesystem::path& path);

}  // namespace mlcycle
