#include <catch2/catch.hpp>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "core/utc_time.hpp"

using namespace mlcycle;

TEST_CASE("durations parse numbers as seconds and strings with units") {
  CHECK(*parse_duration_s("90") == 90.0);
  CHECK(*parse_duration_s("90min") == 5400.0);     // 90 x 60
  CHECK(*parse_duration_s("1.5h") == 5400.0);      // 1.5 x 3600
  CHECK(*parse_duration_s("172d") == 14860800.0);  // 172 x 86400
  CHECK(*parse_duration_s("2 w") == 1209600.0);    // 2 x 7 x 86400
  CHECK(*parse_duration_s("1y") == 31536000.0);    // 365 x 86400
  CHECK(*parse_duration_s("250ms") == 0.25);
}

TEST_CASE("durations reject text that is not a duration") {
  CHECK_FALSE(parse_duration_s("").has_value());
  CHECK_FALSE(parse_duration_s("h").has_value());
  CHECK_FALSE(parse_duration_s("3 parsecs").has_value());
  CHECK_FALSE(parse_duration_s("1h30").has_value());
}

TEST_CASE("UTC conversion round-trips calendar dates") {
  // 2018-01-01T00:00:00Z is 17532 days after the epoch: 48 years with 12 leap days.
  CHECK(make_utc(2018, 1, 1, 0, 0, 0).unix_s == 17532LL * 86400);
  CHECK(format_iso8601(make_utc(2020, 2, 29, 23, 59, 59)) == "2020-02-29T23:59:59Z");
  // 172 days and 1 hour after the start of 2018: 2018-06-22T01:00:00Z.
  CHECK(format_iso8601(make_utc(2018, 1, 1, 0, 0, 0), 172 * 86400.0 + 3600) ==
        "2018-06-22T01:00:00Z");
}

TEST_CASE("input errors print file:line:col: key: message") {
  InputError e(SourceLocation{"a.toml", 3, 7}, "campaign[0].trials", "must be a positive integer");
  CHECK(std::string(e.what()) == "a.toml:3:7: campaign[0].trials: must be a positive integer");
  InputError no_line(SourceLocation{"p.xml", 0, 0}, "host n0: pue", "must be at least 1");
  CHECK(std::string(no_line.what()) == "p.xml: host n0: pue: must be at least 1");
}
