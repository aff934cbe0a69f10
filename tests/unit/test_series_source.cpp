// SeriesSource and prepare_series: data rows in absolute UTC mapped onto simulation time with
// the scenario's coverage rules (max_gap, fill, hold, wrap). In-memory series, hand oracles.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "grid/series_source.hpp"
#include "grid/step_timeline.hpp"

using namespace mlcycle;

namespace {

constexpr std::int64_t k2020 = 1577836800;  // 2020-01-01T00:00:00Z
constexpr double kHour = 3600;
constexpr double kDay = 86400;

// Rows at k2020 + offset_s, on file lines 2, 3, ... of "mem.csv".
IntensitySeries series(const std::vector<double>& offset_s, const std::vector<double>& values,
                       std::int64_t base = k2020) {
  IntensitySeries s;
  s.source = "mem.csv";
  for (std::size_t i = 0; i < offset_s.size(); ++i) {
    s.time_unix_s.push_back(static_cast<double>(base) + offset_s[i]);
    s.g_per_kwh.push_back(values[i]);
    s.line.push_back(static_cast<int>(i) + 2);
  }
  return s;
}

// prepare_series + SeriesSource + StepTimeline, as region_factory.cpp builds a trace region.
// `chunk_s` is the timeline's look-ahead; tests of the mapping use 1 s so that a query inside
// the data never asks the source for time past the data's end.
std::unique_ptr<StepTimeline> timeline(const IntensitySeries& s, const CoverageSpec& c,
                                       std::int64_t start_unix_s, double chunk_s = 1) {
  return std::make_unique<StepTimeline>(
      std::make_unique<SeriesSource>(prepare_series(s, c, "grid.t"), c, start_unix_s, "grid.t"),
      chunk_s);
}

// The InputError message of `f`, or "no error" / "other error: ...".
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("other error: ") + e.what();
  }
  return "no error";
}

CoverageSpec hold() {
  CoverageSpec c;
  c.hold_edges = true;
  return c;
}

CoverageSpec wrap() {
  CoverageSpec c;
  c.wrap_year = true;
  return c;
}

// Hourly rows over the whole calendar year `year`; row (day d from 0, hour h) has the value
// 10 + d + 0.01 h, so every hour of the year has its own value.
IntensitySeries hourly_year(int year) {
  const std::int64_t first = make_utc(year, 1, 1, 0, 0, 0).unix_s;
  const std::int64_t next = make_utc(year + 1, 1, 1, 0, 0, 0).unix_s;
  std::vector<double> offsets, values;
  for (std::int64_t t = first; t < next; t += 3600) {
    const std::int64_t d = (t - first) / 86400, h = (t - first) % 86400 / 3600;
    offsets.push_back(static_cast<double>(t - first));
    values.push_back(10 + static_cast<double>(d) + 0.01 * static_cast<double>(h));
  }
  return series(offsets, values, first);
}

double data_value(int year, unsigned month, unsigned day, int hour) {
  const double d =
      static_cast<double>(days_from_civil(year, month, day) - days_from_civil(year, 1, 1));
  return 10 + d + 0.01 * hour;
}

// Seconds from `start` to the given UTC instant.
double sim_s(std::int64_t start, int year, unsigned month, unsigned day, int hour) {
  return static_cast<double>(make_utc(year, month, day, hour, 0, 0).unix_s - start);
}

}  // namespace

TEST_CASE("steps land exactly on irregular data rows (15, 30, 60 min)", "[series]") {
  // Rows at 00:00, 00:15, 00:45, 01:45, 02:00 with 100..500 g/kWh. Steps 900, 1800, 3600, 900
  // s; median (sorted 900, 900, 1800, 3600, element 2) = 1800 s, so the data ends 02:30.
  const IntensitySeries s = series({0, 900, 2700, 6300, 7200}, {100, 200, 300, 400, 500});
  const IntensitySeries prepared = prepare_series(s, CoverageSpec{}, "grid.t");
  REQUIRE(prepared.time_unix_s.size() == 6);
  CHECK(prepared.time_unix_s.back() == k2020 + 9000.0);  // 02:00 + 1800 s: the end marker
  CHECK(prepared.line.back() == -1);

  auto tl = timeline(s, CoverageSpec{}, k2020);
  tl->ensure(8000);
  CHECK(tl->start_s() == std::vector<double>{0, 900, 2700, 6300, 7200});
  CHECK(tl->values() == std::vector<double>{100, 200, 300, 400, 500});
  CHECK(tl->origins() == std::vector<std::int64_t>{0, 1, 2, 3, 4});
  CHECK(tl->value_at(899.999) == 100);
  CHECK(tl->value_at(900) == 200);
  CHECK(tl->value_at(6299) == 300);
  CHECK(tl->next_change_after_s(900) == 2700);
  CHECK(tl->next_change_after_s(3000) == 6300);

  // A start 10 min after the first row: every step moves 600 s earlier, the first is cut at 0.
  auto late = timeline(s, CoverageSpec{}, k2020 + 600);
  late->ensure(7000);
  CHECK(late->start_s() == std::vector<double>{0, 300, 2100, 5700, 6600});
  CHECK(late->value_at(0) == 100);
  CHECK(late->value_at(300) == 200);
}

TEST_CASE("the integral across several irregular steps is the hand sum", "[series]") {
  // Same rows as above; [600 s, 8000 s] crosses four steps:
  //   100 x (900 - 600) + 200 x (2700 - 900) + 300 x (6300 - 2700) + 400 x (7200 - 6300)
  //   + 500 x (8000 - 7200) = 30000 + 360000 + 1080000 + 360000 + 400000 = 2,230,000.
  const IntensitySeries s = series({0, 900, 2700, 6300, 7200}, {100, 200, 300, 400, 500});
  auto tl = timeline(s, CoverageSpec{}, k2020);
  CHECK(tl->integral(600, 8000) == Approx(2230000).epsilon(1e-15));
  // Inside one step: 300 x 1000.
  CHECK(tl->integral(3000, 4000) == Approx(300000).epsilon(1e-15));
  // Built in 1-s chunks or in one hour-long chunk: the same steps, the same integral.
  auto coarse = timeline(s, CoverageSpec{}, k2020, 3600);
  CHECK(coarse->integral(600, 8000) == Approx(2230000).epsilon(1e-15));
}

TEST_CASE("a run that starts before the data is an error naming the file, line and time",
          "[series]") {
  // The data starts at 00:00 on line 2; the run starts an hour earlier.
  const IntensitySeries s = series({0, 3600, 7200}, {100, 200, 300});
  CHECK(error_of([&] { timeline(s, CoverageSpec{}, k2020 - 3600)->ensure(0); }) ==
        "mem.csv:2:1: grid.t: the run needs 2019-12-31T23:00:00Z but the data starts at "
        "2020-01-01T00:00:00Z (set hold = \"edges\" or wrap = \"year\")");
}

TEST_CASE("a run past the data's end is an error naming the file, last line and end time",
          "[series]") {
  // Rows 00:00, 01:00, 02:00 on lines 2-4: the data ends at 03:00 (one median step after the
  // last row). Asking for 03:30 fails at the last row's line.
  const IntensitySeries s = series({0, 3600, 7200}, {100, 200, 300});
  auto tl = timeline(s, CoverageSpec{}, k2020);
  CHECK(tl->integral(0, 10000) == Approx(100 * 3600.0 + 200 * 3600.0 + 300 * 2800.0));
  const std::string message = error_of([&] { tl->value_at(3.5 * kHour); });
  CHECK(message ==
        "mem.csv:4:1: grid.t: the run goes on past 2020-01-01T03:00:00Z, where the data ends "
        "(set hold = \"edges\" or wrap = \"year\")");
}

TEST_CASE("a run inside the data but near its end is covered (default look-ahead)", "[series]") {
  // Ten days of hourly data, 2020-01-01 to 2020-01-11 (rows on lines 2-241, all 200 g/kWh).
  // A run of one hour from the data's start only needs 00:00-01:00, which the data covers:
  // the timeline built as region_factory.cpp builds it (default chunk, ensure(0)) must work,
  // and [0, 1 h] integrates to 200 x 3600 = 720,000.
  std::vector<double> offsets, values;
  for (int h = 0; h < 240; ++h) {
    offsets.push_back(h * kHour);
    values.push_back(200);
  }
  const IntensitySeries s = series(offsets, values);
  const CoverageSpec none;
  auto make = [&] {
    return std::make_shared<StepTimeline>(
        std::make_unique<SeriesSource>(prepare_series(s, none, "grid.t"), none, k2020, "grid.t"));
  };
  std::string message = error_of([&] {
    auto tl = make();
    tl->ensure(0);
    CHECK(tl->integral(0, kHour) == Approx(720000));
  });
  CHECK(message == "no error");
  // The whole data, up to exactly its end (10 d): 200 x 864,000 = 172,800,000.
  message = error_of([&] {
    auto tl = make();
    CHECK(tl->integral(0, 10 * kDay) == Approx(172800000));
  });
  CHECK(message == "no error");
}

TEST_CASE("hold = edges holds the first value before the data and the last after it", "[series]") {
  // Rows 01:00 (100), 02:00 (200), 03:00 (300); median step 1 h, data end 04:00. The run
  // starts at 00:00. Over [0, 6 h]: 100 x 1 h held + 100 + 200 + 300 (1 h each) + 300 x 2 h
  // held = 3600 x (100 + 100 + 200 + 300 + 600) = 4,680,000.
  const IntensitySeries s = series({kHour, 2 * kHour, 3 * kHour}, {100, 200, 300});
  auto tl = timeline(s, hold(), k2020, 30 * kDay);
  CHECK(tl->value_at(0) == 100);
  CHECK(tl->value_at(1.5 * kHour) == 100);
  CHECK(tl->value_at(2 * kHour) == 200);
  CHECK(tl->value_at(5 * kHour) == 300);
  CHECK(tl->value_at(400 * kDay) == 300);
  CHECK(tl->integral(0, 6 * kHour) == Approx(4680000).epsilon(1e-15));
  // After the held edge (from 04:00) nothing changes any more.
  CHECK(tl->value_at(4 * kHour) == 300);
  CHECK(std::isinf(tl->next_change_after_s(4 * kHour)));
  CHECK(std::isinf(tl->next_change_after_s(100 * kDay)));
  // Held after the end, a year later: 300 x 1 h.
  CHECK(tl->integral(365 * kDay, 365 * kDay + kHour) == Approx(1080000).epsilon(1e-15));
}

TEST_CASE("a gap longer than max_gap is an error naming its line, and max_gap widens it",
          "[series]") {
  // Rows 00:00, 01:00, 02:00, 10:00, 11:00 on lines 2-6. Steps 1, 1, 8, 1 h: median 1 h, so
  // max_gap defaults to 3 h and the 8 h gap before line 5 is too long.
  const IntensitySeries s =
      series({0, kHour, 2 * kHour, 10 * kHour, 11 * kHour}, {100, 100, 100, 500, 500});
  CHECK(error_of([&] { prepare_series(s, CoverageSpec{}, "grid.t"); }) ==
        "mem.csv:5:1: grid.t: gap of 8.0 h before 2020-01-01T10:00:00Z (after "
        "2020-01-01T02:00:00Z, line 4) is longer than max_gap 3.0 h: set fill = \"previous\" or "
        "\"linear\", or a larger max_gap");
  CoverageSpec wide;
  wide.max_gap_s = 8 * kHour;  // a gap of exactly max_gap is allowed
  CHECK(error_of([&] { prepare_series(s, wide, "grid.t"); }) == "no error");
  wide.max_gap_s = 8 * kHour - 1;
  CHECK_THAT(error_of([&] { prepare_series(s, wide, "grid.t"); }),
             Catch::StartsWith("mem.csv:5:1: grid.t: gap of 8.0 h before 2020-01-01T10:00:00Z"));
}

TEST_CASE("fill = previous holds the value before a gap", "[series]") {
  // Rows 00:00 (100), 01:00 (150), 02:00 (200), 10:00 (500), 11:00 (500): the 8 h gap keeps 200.
  // Integral [1 h, 11 h] = 150 x 1 h + 200 x 8 h + 500 x 1 h = 3600 x 2250 = 8,100,000.
  CoverageSpec c;
  c.fill = CoverageSpec::Fill::previous;
  const IntensitySeries s =
      series({0, kHour, 2 * kHour, 10 * kHour, 11 * kHour}, {100, 150, 200, 500, 500});
  const IntensitySeries prepared = prepare_series(s, c, "grid.t");
  CHECK(prepared.time_unix_s.size() == 6);  // no inserted rows, plus the end marker
  auto tl = timeline(s, c, k2020);
  CHECK(tl->value_at(5 * kHour) == 200);
  CHECK(tl->value_at(9.99 * kHour) == 200);
  CHECK(tl->value_at(10 * kHour) == 500);
  CHECK(tl->integral(kHour, 11 * kHour) == Approx(8100000).epsilon(1e-15));
}

TEST_CASE("fill = linear inserts interpolated rows at the median step", "[series]") {
  // Gap 02:00 (100) -> 10:00 (500), median step 1 h: rows at 03:00 .. 09:00 with
  // 100 + 400 x (t - 2 h) / 8 h = 150, 200, 250, 300, 350, 400, 450, line 0 (no file line).
  CoverageSpec c;
  c.fill = CoverageSpec::Fill::linear;
  const IntensitySeries s =
      series({0, kHour, 2 * kHour, 10 * kHour, 11 * kHour}, {100, 100, 100, 500, 500});
  const IntensitySeries p = prepare_series(s, c, "grid.t");
  REQUIRE(p.time_unix_s.size() == 5 + 7 + 1);
  for (int k = 0; k < 7; ++k) {
    INFO("inserted row " << k);
    CHECK(p.time_unix_s[3 + k] == k2020 + (3 + k) * kHour);
    CHECK(p.g_per_kwh[3 + k] == Approx(150 + 50 * k).epsilon(1e-15));
    CHECK(p.line[3 + k] == 0);
  }
  CHECK(p.line[10] == 5);  // the 10:00 row keeps its line
  auto tl = timeline(s, c, k2020);
  CHECK(tl->value_at(5.5 * kHour) == Approx(250));
  // [2 h, 10 h]: 3600 x (100 + 150 + 200 + ... + 450) = 3600 x 2200 = 7,920,000.
  CHECK(tl->integral(2 * kHour, 10 * kHour) == Approx(7920000).epsilon(1e-15));
}

TEST_CASE("wrap = year maps a 2018 run onto 2020 data by calendar date and time of day",
          "[series]") {
  const IntensitySeries data = hourly_year(2020);  // 8784 rows, 10 + day + 0.01 x hour
  const std::int64_t start = make_utc(2018, 1, 1, 0, 0, 0).unix_s;
  auto tl = timeline(data, wrap(), start, 30 * kDay);
  // 2018-03-01T12:00 takes 2020-03-01T12:00 (day 60 of 2020: 70.12), not 2020-02-29.
  CHECK(tl->value_at(sim_s(start, 2018, 3, 1, 12)) == Approx(data_value(2020, 3, 1, 12)));
  CHECK(data_value(2020, 3, 1, 12) == Approx(70.12));
  CHECK(tl->value_at(sim_s(start, 2018, 2, 28, 23)) == Approx(68.23));  // 2020-02-28T23:00
  // The hour after 2018-02-28T23:00 is 2018-03-01T00:00 = 2020-03-01T00:00 (70.00): 29 Feb
  // 2020 (69.xx) is skipped.
  CHECK(tl->next_change_after_s(sim_s(start, 2018, 2, 28, 23)) == sim_s(start, 2018, 3, 1, 0));
  CHECK(tl->value_at(sim_s(start, 2018, 3, 1, 0)) == Approx(70.00));
  CHECK(tl->value_at(sim_s(start, 2018, 12, 31, 23)) == Approx(data_value(2020, 12, 31, 23)));
  CHECK(tl->value_at(sim_s(start, 2019, 1, 1, 0)) == Approx(10.00));  // 2019 starts over
  CHECK(tl->value_at(sim_s(start, 2019, 7, 4, 5)) == Approx(data_value(2020, 7, 4, 5)));

  // The whole 2018 (365 days) is 2020's 366 days without 29 February:
  // 2020: 3600 x sum_d sum_h (10 + d + 0.01 h) = 3600 x (24 x 366 x 10 + 24 x 66795 +
  //       366 x 0.01 x 276) = 3600 x 1,691,930.16 = 6,090,948,576;
  // 29 Feb (d = 59): 3600 x (24 x 69 + 2.76) = 5,971,536; 2018: 6,084,977,040.
  CHECK(tl->integral(0, 365 * kDay) == Approx(6084977040.0).epsilon(1e-12));
  double data_year = 0, feb29 = 0;
  for (std::size_t i = 0; i < data.g_per_kwh.size(); ++i) {
    data_year += data.g_per_kwh[i] * 3600;
    if (i / 24 == 59) feb29 += data.g_per_kwh[i] * 3600;
  }
  CHECK(data_year == Approx(6090948576.0).epsilon(1e-12));
  CHECK(feb29 == Approx(5971536.0).epsilon(1e-12));
  CHECK(tl->integral(0, 365 * kDay) == Approx(data_year - feb29).epsilon(1e-12));
  // One value per data hour, 365 x 24 of them in 2018 (every hour's value differs from the
  // previous one; steps the timeline adds at chunk edges repeat a value and are not counted).
  auto fresh = timeline(data, wrap(), start, 30 * kDay);
  fresh->ensure(365 * kDay);
  std::size_t hours_2018 = 0;
  for (std::size_t i = 0; i < fresh->start_s().size() && fresh->start_s()[i] < 365 * kDay; ++i)
    hours_2018 += i == 0 || fresh->values()[i] != fresh->values()[i - 1];
  CHECK(hours_2018 == 365 * 24);

  // A run that starts at 2018-03-01T12:00 takes 2020-03-01T12:00 at once.
  const std::int64_t march = make_utc(2018, 3, 1, 12, 0, 0).unix_s;
  auto from_march = timeline(data, wrap(), march, 30 * kDay);
  CHECK(from_march->value_at(0) == Approx(70.12));
}

TEST_CASE("wrap = year: a leap run onto common-year data repeats 28 February", "[series]") {
  const IntensitySeries data = hourly_year(2019);  // 8760 rows
  const std::int64_t start = make_utc(2020, 1, 1, 0, 0, 0).unix_s;
  auto tl = timeline(data, wrap(), start, 30 * kDay);
  CHECK(tl->value_at(sim_s(start, 2020, 2, 28, 12)) == Approx(68.12));  // 2019-02-28 (day 58)
  CHECK(tl->value_at(sim_s(start, 2020, 2, 29, 12)) == Approx(68.12));  // repeated
  CHECK(tl->value_at(sim_s(start, 2020, 3, 1, 12)) == Approx(69.12));   // 2019-03-01 (day 59)
  CHECK(tl->value_at(sim_s(start, 2020, 12, 31, 23)) == Approx(data_value(2019, 12, 31, 23)));
}

TEST_CASE("wrap = year: a leap run onto leap-year data keeps 29 February", "[series]") {
  // Same-year data: wrap must be the identity over 2020, so 2020-02-29T12:00 takes the data's
  // own 2020-02-29T12:00 (day 59: 69.12), not 28 February's (68.12). Likewise 2024 onto 2020.
  const IntensitySeries data = hourly_year(2020);
  for (int year : {2020, 2024}) {
    INFO("simulated year " << year);
    const std::int64_t start = make_utc(year, 1, 1, 0, 0, 0).unix_s;
    auto tl = timeline(data, wrap(), start, 30 * kDay);
    CHECK(tl->value_at(sim_s(start, year, 2, 28, 12)) == Approx(68.12));
    CHECK(tl->value_at(sim_s(start, year, 2, 29, 12)) == Approx(69.12));
    CHECK(tl->value_at(sim_s(start, year, 3, 1, 12)) == Approx(70.12));
    // Over the whole leap year the integral is the data year's: 6,090,948,576.
    CHECK(tl->integral(0, 366 * kDay) == Approx(6090948576.0).epsilon(1e-12));
  }
}

TEST_CASE("wrap = year with data that does not cover its year, no hold: an error", "[series]") {
  // Hourly 2020 without its first day: rows from 2020-01-02T00:00 (line 2).
  IntensitySeries data = hourly_year(2020);
  data.time_unix_s.erase(data.time_unix_s.begin(), data.time_unix_s.begin() + 24);
  data.g_per_kwh.erase(data.g_per_kwh.begin(), data.g_per_kwh.begin() + 24);
  data.line.erase(data.line.end() - 24, data.line.end());  // lines 2 .. 8761
  const std::int64_t start = make_utc(2018, 1, 1, 0, 0, 0).unix_s;
  CHECK(error_of([&] { timeline(data, wrap(), start)->ensure(0); }) ==
        "mem.csv:2:1: grid.t: the run needs 2020-01-01T00:00:00Z but the data starts at "
        "2020-01-02T00:00:00Z (the data does not cover its whole year: set hold = \"edges\")");
  // Missing the last day instead: the error names the end and the last line (8761 - 24 + 0).
  IntensitySeries short_end = hourly_year(2020);
  short_end.time_unix_s.resize(8784 - 24);
  short_end.g_per_kwh.resize(8784 - 24);
  short_end.line.resize(8784 - 24);  // last row on line 8761, 2020-12-30T23:00
  CHECK(error_of([&] { timeline(short_end, wrap(), start)->ensure(0); }) ==
        "mem.csv:8761:1: grid.t: the run goes on past 2020-12-31T00:00:00Z, where the data ends "
        "(the data does not cover its whole year: set hold = \"edges\")");
  // With hold = edges as well, the missing day takes the nearest edge: no error.
  CoverageSpec both = wrap();
  both.hold_edges = true;
  CHECK(error_of([&] { timeline(data, both, start)->ensure(0); }) == "no error");
}
