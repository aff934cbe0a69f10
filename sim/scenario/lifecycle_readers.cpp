#include "scenario/lifecycle_readers.hpp"

#include "core/limits.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace mlcycle {

namespace {

// The position of the table itself (a reader knows it only through its errors).
SourceLocation table_location(const TomlTableReader& t) {
  return t.error_here("").where();
}

bool read_bool(TomlTableReader& t, std::string_view key, bool fallback) {
  const toml::node* n = t.node(key);
  if (!n) return fallback;
  if (!n->is_boolean())
    throw t.error_at(key, std::string("expected true or false, got ") + toml_type_name(*n));
  return n->as_boolean()->get();
}

double required_positive(TomlTableReader& t, std::string_view key, const std::string& hint) {
  if (!t.has(key)) throw t.error_here("missing key '" + std::string(key) + "' (" + hint + ")");
  return t.positive_number(key, 0);
}

double hour_of_day(TomlTableReader& t, std::string_view key, double fallback) {
  const double h = t.number(key).value_or(fallback);
  if (h < 0 || h > 24) throw t.error_at(key, "must be an hour of the day within [0, 24]");
  return h;
}

std::vector<int> read_weekdays(TomlTableReader& t) {
  const toml::array* days = t.array("weekdays");
  if (!days) return {1, 2, 3, 4, 5};
  if (days->empty())
    throw t.error_at("weekdays", "must list at least one day (1 = Monday ... 7 = Sunday)");
  std::vector<int> out;
  for (const toml::node& n : *days) {
    const auto where = [&] { return toml_location(n, t.file()); };
    if (!n.is_integer())
      throw InputError(where(), t.path_of("weekdays"),
                       "every entry must be an ISO weekday number, 1 = Monday ... 7 = Sunday");
    const std::int64_t day = n.as_integer()->get();
    if (day < 1 || day > 7)
      throw InputError(where(), t.path_of("weekdays"),
                       std::to_string(day) + " is not an ISO weekday (1 = Monday ... 7 = Sunday)");
    if (std::find(out.begin(), out.end(), day) != out.end())
      throw InputError(where(), t.path_of("weekdays"), std::to_string(day) + " is listed twice");
    out.push_back(static_cast<int>(day));
  }
  return out;
}

// Keys that belong to one pattern only; written under another they are mistakes.
void reject_keys_of_other_pattern(const TomlTableReader& t, const std::string& pattern) {
  static const char* const kRateKeys[] = {"rate_per_hour", "poisson"};
  static const char* const kResearcherKeys[] = {"per_day", "day_start_h", "day_end_h",
                                                "utc_offset_hours", "weekdays"};
  if (pattern != "rate")
    for (const char* key : kRateKeys)
      if (t.has(key)) throw t.error_at(key, "applies to pattern = \"rate\" only");
  if (pattern != "researcher")
    for (const char* key : kResearcherKeys)
      if (t.has(key)) throw t.error_at(key, "applies to pattern = \"researcher\" only");
}

}  // namespace

ArrivalSpec read_arrival(TomlTableReader& t) {
  ArrivalSpec spec;
  spec.where = table_location(t);
  const std::string pattern = t.string("pattern").value_or("all-at-start");
  const std::optional<ArrivalSpec::Pattern> parsed = parse_enum<ArrivalSpec::Pattern>(pattern);
  if (!parsed) throw t.error_at("pattern", not_one_of<ArrivalSpec::Pattern>(pattern, true));
  spec.pattern = *parsed;
  if (spec.pattern == ArrivalSpec::Pattern::rate) {
    spec.rate_per_hour = required_positive(t, "rate_per_hour", "jobs submitted per hour");
    if (spec.rate_per_hour > limits::kMaxArrivalsPerHour)
      throw t.error_at("rate_per_hour", "is out of range: at most 3600000 jobs per hour");
    spec.poisson = read_bool(t, "poisson", false);
  } else if (spec.pattern == ArrivalSpec::Pattern::researcher) {
    spec.per_day = required_positive(t, "per_day", "jobs submitted per working day");
    if (spec.per_day < limits::kMinArrivalsPerDay || spec.per_day > limits::kMaxArrivalsPerDay)
      throw t.error_at("per_day", "is out of range: 0.001 to 3600000 jobs per working day");
    spec.day_start_h = hour_of_day(t, "day_start_h", spec.day_start_h);
    spec.day_end_h = hour_of_day(t, "day_end_h", spec.day_end_h);
    if (spec.day_end_h <= spec.day_start_h)
      throw t.error_at(t.has("day_end_h") ? "day_end_h" : "day_start_h",
                       "the working day must end after it starts (day_end_h > day_start_h)");
    // Real offsets span UTC-12 to UTC+14.
    spec.utc_offset_hours = t.number("utc_offset_hours").value_or(0);
    if (spec.utc_offset_hours < -14 || spec.utc_offset_hours > 14)
      throw t.error_at("utc_offset_hours", "must be within [-14, 14] hours");
    spec.weekdays = read_weekdays(t);
  }
  reject_keys_of_other_pattern(t, pattern);
  t.reject_unknown_keys();
  return spec;
}

FailureSpec read_failures(TomlTableReader& t) {
  FailureSpec spec;
  spec.where = table_location(t);
  if (auto p = t.number("crash_probability")) {
    if (*p < 0 || *p > 1) throw t.error_at("crash_probability", "must be within [0, 1]");
    spec.crash_probability = *p;
  }
  spec.rate_per_gpu_hour = t.non_negative_number("rate_per_gpu_hour", 0);
  if (spec.crash_probability > 0 && spec.rate_per_gpu_hour > 0)
    throw t.error_at("rate_per_gpu_hour",
                     "give either crash_probability or rate_per_gpu_hour, not both");
  if (auto interval = t.duration_s("checkpoint_interval")) {
    if (*interval <= 0)
      throw t.error_at("checkpoint_interval", "checkpoint interval must be greater than zero");
    spec.checkpoint_interval_s = *interval;
  }
  if (auto write = t.duration_s("checkpoint_write")) {
    if (*write < 0) throw t.error_at("checkpoint_write", "must not be negative");
    if (spec.checkpoint_interval_s == 0)
      throw t.error_at("checkpoint_write", "needs a checkpoint_interval");
    spec.checkpoint_write_s = *write;
  }
  if (auto retries = t.integer("max_retries")) {
    if (*retries < 0) throw t.error_at("max_retries", "must not be negative");
    if (*retries >= std::numeric_limits<std::uint32_t>::max())
      throw t.error_at("max_retries", "must be below 2^32 - 1");
    spec.max_retries = static_cast<std::uint32_t>(*retries);
  }
  t.reject_unknown_keys();
  return spec;
}

}  // namespace mlcycle
