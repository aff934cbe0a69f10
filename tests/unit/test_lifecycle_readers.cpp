#include <catch2/catch.hpp>
#include <string>

#include "core/input_error.hpp"
#include "scenario/lifecycle_readers.hpp"

using namespace mlcycle;

namespace {
// Parses `key = { ... }` as a campaign would hold it; the reader sees the inline table.
struct Parsed {
  toml::table root;
  TomlTableReader reader(const std::string& key) {
    return TomlTableReader(*root[key].as_table(), "campaign[0]." + key, "s.toml");
  }
};

ArrivalSpec arrival(const std::string& inline_table) {
  Parsed p{toml::parse("arrival = " + inline_table)};
  TomlTableReader r = p.reader("arrival");
  return read_arrival(r);
}

FailureSpec failures(const std::string& inline_table) {
  Parsed p{toml::parse("failures = " + inline_table)};
  TomlTableReader r = p.reader("failures");
  return read_failures(r);
}

// The message of the InputError thrown ("no error" when none is).
template <typename Read>
std::string error_of(Read read) {
  try {
    read();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
std::string arrival_error(const std::string& t) {
  return error_of([&] { arrival(t); });
}
std::string failures_error(const std::string& t) {
  return error_of([&] { failures(t); });
}
using Catch::Matchers::Contains;
}  // namespace

TEST_CASE("arrival tables of each pattern", "[readers]") {
  CHECK(arrival("{}").pattern == ArrivalSpec::Pattern::all_at_start);
  CHECK(arrival("{ pattern = \"all-at-start\" }").pattern == ArrivalSpec::Pattern::all_at_start);

  const ArrivalSpec rate = arrival("{ pattern = \"rate\", rate_per_hour = 4, poisson = true }");
  CHECK(rate.pattern == ArrivalSpec::Pattern::rate);
  CHECK(rate.rate_per_hour == 4);
  CHECK(rate.poisson);
  CHECK_FALSE(arrival("{ pattern = \"rate\", rate_per_hour = 0.5 }").poisson);

  const ArrivalSpec r = arrival(
      "{ pattern = \"researcher\", per_day = 2.5, day_start_h = 8.5, day_end_h = 17, "
      "utc_offset_hours = -5, weekdays = [1, 3, 6] }");
  CHECK(r.pattern == ArrivalSpec::Pattern::researcher);
  CHECK(r.per_day == 2.5);
  CHECK(r.day_start_h == 8.5);
  CHECK(r.day_end_h == 17);
  CHECK(r.utc_offset_hours == -5);
  CHECK(r.weekdays == std::vector<int>{1, 3, 6});
  CHECK(r.where.line == 1);
  CHECK(r.where.file == "s.toml");

  const ArrivalSpec defaults = arrival("{ pattern = \"researcher\", per_day = 3 }");
  CHECK(defaults.day_start_h == 9);
  CHECK(defaults.day_end_h == 18);
  CHECK(defaults.utc_offset_hours == 0);
  CHECK(defaults.weekdays == std::vector<int>{1, 2, 3, 4, 5});
}

TEST_CASE("bad arrival tables name the key", "[readers]") {
  CHECK_THAT(arrival_error("{ pattern = \"bursty\" }"),
             Contains("arrival.pattern") && Contains("\"all-at-start\", \"rate\", \"researcher\""));
  CHECK_THAT(arrival_error("{ pattern = \"rate\", rate_per_hour = 0 }"),
             Contains("rate_per_hour") && Contains("greater than zero"));
  CHECK_THAT(arrival_error("{ pattern = \"rate\", rate_per_hour = -1 }"),
             Contains("rate_per_hour"));
  CHECK_THAT(arrival_error("{ pattern = \"rate\" }"), Contains("missing key 'rate_per_hour'"));
  CHECK_THAT(arrival_error("{ pattern = \"rate\", rate_per_hour = 1, poisson = 1 }"),
             Contains("poisson") && Contains("true or false"));
  CHECK_THAT(arrival_error("{ pattern = \"researcher\", per_day = 0 }"), Contains("per_day"));
  CHECK_THAT(arrival_error("{ pattern = \"researcher\" }"), Contains("missing key 'per_day'"));
  const std::string r = "{ pattern = \"researcher\", per_day = 2, ";
  CHECK_THAT(arrival_error(r + "day_start_h = 18, day_end_h = 9 }"), Contains("day_end_h"));
  CHECK_THAT(arrival_error(r + "day_start_h = 12, day_end_h = 12 }"), Contains("day_end_h"));
  CHECK_THAT(arrival_error(r + "day_start_h = 19 }"), Contains("day_start_h"));  // end 18
  CHECK_THAT(arrival_error(r + "day_end_h = 25 }"), Contains("day_end_h") && Contains("[0, 24]"));
  CHECK_THAT(arrival_error(r + "day_start_h = -1 }"), Contains("day_start_h"));
  CHECK_THAT(arrival_error(r + "weekdays = [1, 8] }"),
             Contains("weekdays") && Contains("8 is not an ISO weekday"));
  CHECK_THAT(arrival_error(r + "weekdays = [0] }"), Contains("weekdays"));
  CHECK_THAT(arrival_error(r + "weekdays = [] }"), Contains("weekdays"));
  CHECK_THAT(arrival_error(r + "weekdays = [2, 2] }"), Contains("listed twice"));
  CHECK_THAT(arrival_error(r + "utc_offset_hours = 15 }"), Contains("utc_offset_hours"));
  // Keys of another pattern, and unknown keys.
  CHECK_THAT(arrival_error("{ pattern = \"rate\", rate_per_hour = 1, per_day = 2 }"),
             Contains("per_day") && Contains("researcher"));
  CHECK_THAT(arrival_error("{ rate_per_hour = 1 }"), Contains("rate_per_hour"));
  CHECK_THAT(arrival_error(r + "per_week = 3 }"), Contains("per_week") && Contains("unknown key"));
  // Errors carry the file and line ("s.toml:1:...").
  CHECK_THAT(arrival_error("{ pattern = \"rate\", rate_per_hour = 0 }"), Contains("s.toml:1:"));
}

TEST_CASE("failure tables with durations in seconds or with units", "[readers]") {
  const FailureSpec none = failures("{}");
  CHECK(none.crash_probability == 0);
  CHECK(none.rate_per_gpu_hour == 0);
  CHECK(none.checkpoint_interval_s == 0);
  CHECK(none.max_retries == 3);

  const FailureSpec p = failures(
      "{ crash_probability = 0.2, checkpoint_interval = \"2h\", checkpoint_write = \"30min\", "
      "max_retries = 5 }");
  CHECK(p.crash_probability == 0.2);
  CHECK(p.checkpoint_interval_s == 7200);  // 2 x 3600
  CHECK(p.checkpoint_write_s == 1800);     // 30 x 60
  CHECK(p.max_retries == 5);

  const FailureSpec r = failures(
      "{ rate_per_gpu_hour = 0.001, checkpoint_interval = 900, checkpoint_write = 0, "
      "max_retries = 0 }");
  CHECK(r.rate_per_gpu_hour == 0.001);
  CHECK(r.checkpoint_interval_s == 900);
  CHECK(r.checkpoint_write_s == 0);
  CHECK(r.max_retries == 0);
  // A zero in one model leaves the other free.
  CHECK(failures("{ crash_probability = 0, rate_per_gpu_hour = 0.1 }").rate_per_gpu_hour == 0.1);
}

TEST_CASE("bad failure tables name the key", "[readers]") {
  CHECK_THAT(failures_error("{ crash_probability = 1.5 }"),
             Contains("failures.crash_probability") && Contains("[0, 1]"));
  CHECK_THAT(failures_error("{ crash_probability = -0.1 }"), Contains("crash_probability"));
  CHECK_THAT(failures_error("{ rate_per_gpu_hour = -1 }"),
             Contains("rate_per_gpu_hour") && Contains("negative"));
  CHECK_THAT(failures_error("{ crash_probability = 0.1, rate_per_gpu_hour = 0.1 }"),
             Contains("rate_per_gpu_hour") && Contains("not both"));
  CHECK_THAT(
      failures_error("{ checkpoint_interval = 0 }"),
      Contains("checkpoint_interval") && Contains("checkpoint interval must be greater than zero"));
  CHECK_THAT(failures_error("{ checkpoint_interval = \"-1h\" }"), Contains("checkpoint_interval"));
  CHECK_THAT(failures_error("{ checkpoint_interval = \"soon\" }"),
             Contains("checkpoint_interval") && Contains("not a duration"));
  CHECK_THAT(failures_error("{ checkpoint_interval = 60, checkpoint_write = -5 }"),
             Contains("checkpoint_write") && Contains("negative"));
  CHECK_THAT(failures_error("{ checkpoint_write = 5 }"),
             Contains("checkpoint_write") && Contains("checkpoint_interval"));
  CHECK_THAT(failures_error("{ max_retries = -1 }"), Contains("max_retries"));
  CHECK_THAT(failures_error("{ max_retries = 1.5 }"),
             Contains("max_retries") && Contains("integer"));
  CHECK_THAT(failures_error("{ retries = 2 }"), Contains("retries") && Contains("unknown key"));
}
