#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/input_error.hpp"
#include "scenario/demand_csv.hpp"
#include "support/temp_dir.hpp"
#include "workload/demand_profile.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;

namespace {

const double kHour = 3600;

// diurnal[h] = h + 1, weekly[d] = d + 1 (Monday 1 .. Sunday 7), base 10 req/s.
DemandSpec ramp_profile(double utc_offset_hours) {
  DemandSpec spec;
  spec.base_rps = 10;
  for (std::size_t h = 0; h < 24; ++h) spec.diurnal[h] = static_cast<double>(h + 1);
  for (std::size_t d = 0; d < 7; ++d) spec.weekly[d] = static_cast<double>(d + 1);
  spec.utc_offset_hours = utc_offset_hours;
  return spec;
}

using test::TempDir;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("diurnal and weekly factors are looked up at local time", "[demand]") {
  const UtcTime monday = make_utc(2020, 1, 6, 0, 0, 0);  // 2020-01-06 was a Monday
  DemandProfile plus2(ramp_profile(2), monday, 0, 14 * 86400.0);
  // Simulation 0 h = local Monday 02:00: 10 * diurnal[2] * weekly[Mon] = 10 * 3 * 1 = 30 req/s.
  CHECK(plus2.requests(0, kHour) == 108000);  // 30 * 3600
  // 22 h = local Tuesday 00:00: 10 * 1 * 2 = 20 req/s.
  CHECK(plus2.requests(22 * kHour, 23 * kHour) == 72000);
  // 165 h = 6 d 21 h = local Sunday 23:00: 10 * 24 * 7 = 1,680 req/s; then Monday 00:00: 10.
  CHECK(plus2.requests(165 * kHour, 166 * kHour) == 6048000);
  CHECK(plus2.requests(166 * kHour, 167 * kHour) == 36000);
  // A week later, the same.
  CHECK(plus2.requests(168 * kHour, 169 * kHour) == 108000);

  // UTC-5: simulation 0 = local Sunday 19:00: 10 * 20 * 7 = 1,400 req/s.
  DemandProfile minus5(ramp_profile(-5), monday, 0, 86400);
  CHECK(minus5.requests(0, kHour) == 5040000);
  // A step across local midnight Sunday -> Monday (sim 4.5 h .. 5.5 h): half an hour at
  // 10 * 24 * 7 = 1,680 and half at 10 * 1 * 1 = 10: 1800 * 1680 + 1800 * 10 = 3,042,000.
  CHECK(minus5.requests(4.5 * kHour, 5.5 * kHour) == 3042000);

  // UTC+0.5: the hour [0, 1 h) is local 00:30 .. 01:30 Monday: 1800 * 10 + 1800 * 20 = 54,000.
  DemandProfile half(ramp_profile(0.5), monday, 0, 86400);
  CHECK(half.requests(0, kHour) == 54000);
}

TEST_CASE("monthly growth compounds continuously from the deployment start", "[demand]") {
  DemandSpec spec;
  spec.base_rps = 100;
  spec.monthly_growth = 0.1;
  const double month = kSecondsPerGrowthMonth;  // 30.44 d = 2,630,016 s
  CHECK(month == 2630016);
  DemandProfile from0(spec, make_utc(2020, 1, 1, 0, 0, 0), 0, 3 * month);
  // One second after one month: 100 * 1.1 = 110 req/s (the second itself adds 4e-8).
  CHECK(from0.requests(month, month + 1) == Approx(110).epsilon(1e-7));
  CHECK(from0.requests(0, 1) == Approx(100).epsilon(1e-7));
  // Over the first month: 100 * M * (1.1 - 1) / ln(1.1) = 100 * M * 1.0492058...
  CHECK(from0.requests(0, month) == Approx(100 * month * 0.1 / std::log(1.1)).epsilon(1e-13));
  CHECK(from0.requests(month, 2 * month) ==
        Approx(1.1 * 100 * month * 0.1 / std::log(1.1)).epsilon(1e-13));
  // Months count from the deployment's own start (here one day into the scenario).
  DemandProfile later(spec, make_utc(2020, 1, 1, 0, 0, 0), 86400, 86400 + month);
  CHECK(later.requests(86400, 86401) == Approx(100).epsilon(1e-7));
  // No growth: exact.
  spec.monthly_growth = 0;
  DemandProfile flat(spec, make_utc(2020, 1, 1, 0, 0, 0), 0, month);
  CHECK(flat.requests(1234, 1294) == 6000);
}

TEST_CASE("a demand CSV is held piecewise constant between its rows", "[demand]") {
  TempDir tmp("mlcycle_demand");
  const std::string path = tmp.write("d.csv",
                                     "timestamp,requests_per_s\n"
                                     "2020-01-01T00:00:00Z,100\n"
                                     "2020-01-01T01:00:00Z,250\n"
                                     "2020-01-01T02:00:00Z,50\n"
                                     "2020-01-01T03:00:00Z,10\n");
  DemandSpec spec;
  spec.file = read_demand_csv(path);
  spec.file.key = "deployment[0].demand.file";
  REQUIRE(spec.file.time_unix_s.size() == 4);
  CHECK(spec.file.line == std::vector<int>{2, 3, 4, 5});
  // The last row holds for the median spacing, one hour: the data ends at 04:00.
  CHECK(spec.file.end_unix_s == make_utc(2020, 1, 1, 4, 0, 0).unix_s);
  const UtcTime start = make_utc(2020, 1, 1, 0, 0, 0);
  DemandProfile p(spec, start, 0, 4 * kHour);
  CHECK(p.requests(0, 4 * kHour) == 1476000);  // (100 + 250 + 50 + 10) * 3600
  CHECK(p.requests(1800, 5400) == 630000);     // 100 * 1800 + 250 * 1800
  CHECK(p.requests(0, 60) == 6000);            // back in time: the cursor finds row 1 again

  // The deployment may not run past the data, nor start before it, unless edges hold.
  CHECK_THAT(error_of([&] { DemandProfile(spec, start, 0, 4 * kHour + 60); }),
             Catch::Contains(path + ":5:1: deployment[0].demand.file: the deployment runs "
                                    "until 2020-01-01T04:01:00Z, past 2020-01-01T04:00:00Z"));
  CHECK_THAT(error_of([&] { DemandProfile(spec, make_utc(2019, 12, 31, 23, 0, 0), 0, 60); }),
             Catch::Contains(path + ":2:1: deployment[0].demand.file: the deployment starts at "
                                    "2019-12-31T23:00:00Z but the demand data starts at "
                                    "2020-01-01T00:00:00Z"));
  spec.file.hold_edges = true;
  DemandProfile held(spec, make_utc(2019, 12, 31, 23, 0, 0), 0, 10 * kHour);
  CHECK(held.requests(0, kHour) == 360000);             // before the data: the first row, 100
  CHECK(held.requests(8 * kHour, 9 * kHour) == 36000);  // after it: the last row, 10
}
