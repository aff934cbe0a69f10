#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/utc_time.hpp"
#include "grid/synthetic_grid.hpp"

using namespace mlcycle;

namespace {

// IPCC AR5 life-cycle medians (g CO2e/kWh), mlcycle's default factor set, keyed by the source
// vocabulary of mix CSVs. The models only output MW; intensity is computed here to check that
// the mixes behave as their comments claim.
const std::map<std::string, double> kAr5{
    {"hard_coal", 820}, {"lignite", 820},     {"gas", 490},          {"oil", 840},
    {"biomass", 230},   {"solar", 48},        {"hydro", 24},         {"hydro_reservoir", 24},
    {"nuclear", 12},    {"wind_onshore", 11}, {"wind_offshore", 12}, {"geothermal", 38},
    {"other", 770}};

const double kYear2018_s = static_cast<double>(make_utc(2018, 1, 1, 0, 0, 0).unix_s);
constexpr double kHour_s = 3600;
constexpr double kDay_s = 86400;

struct Rows {
  std::vector<std::string> sources;
  std::vector<double> factors_g_per_kwh;  // per source
  std::vector<double> time_unix_s;
  std::vector<double> mw;
  std::size_t size() const { return time_unix_s.size(); }
  double at(std::size_t row, std::size_t source) const { return mw[row * sources.size() + source]; }
  double total_mw(std::size_t row) const {
    double sum = 0;
    for (std::size_t s = 0; s < sources.size(); ++s) sum += at(row, s);
    return sum;
  }
  double emissions(std::size_t row) const {  // g/h per MW-unit: sum of MW x g/kWh
    double sum = 0;
    for (std::size_t s = 0; s < sources.size(); ++s) sum += at(row, s) * factors_g_per_kwh[s];
    return sum;
  }
  double intensity(std::size_t row) const { return emissions(row) / total_mw(row); }
  // Generation-weighted mean intensity of the rows [begin, end).
  double mean_intensity(std::size_t begin, std::size_t end) const {
    double emitted = 0, generated = 0;
    for (std::size_t r = begin; r < end; ++r) emitted += emissions(r), generated += total_mw(r);
    return emitted / generated;
  }
};

Rows generate(const std::string& name, std::uint64_t seed, double from_unix_s, double to_unix_s) {
  auto grid = SyntheticGrid::make(name, seed);
  REQUIRE(grid);
  Rows rows;
  rows.sources = grid->sources();
  const auto own = grid->own_factors_g_per_kwh();
  for (const auto& source : rows.sources) {
    const auto it = std::find_if(own.begin(), own.end(),
                                 [&](const auto& factor) { return factor.first == source; });
    if (it != own.end()) {
      rows.factors_g_per_kwh.push_back(it->second);
    } else {
      INFO("source " << source << " of " << name << " is not in the mix vocabulary");
      REQUIRE(kAr5.count(source) == 1);
      rows.factors_g_per_kwh.push_back(kAr5.at(source));
    }
  }
  grid->generate(from_unix_s, to_unix_s, rows.time_unix_s, rows.mw);
  REQUIRE(rows.mw.size() == rows.size() * rows.sources.size());
  return rows;
}

Rows year_2018(const std::string& name, std::uint64_t seed = 1) {
  return generate(name, seed, kYear2018_s, kYear2018_s + 365 * kDay_s);
}

const std::vector<std::string> kNoisy{"solar-heavy", "hydro-heavy", "coal-heavy", "wind"};

}  // namespace

TEST_CASE("the five built-in synthetic grids, and no others", "[synthetic]") {
  CHECK(SyntheticGrid::names() == std::vector<std::string>{"us-average-2018", "solar-heavy",
                                                           "hydro-heavy", "coal-heavy", "wind"});
  CHECK(SyntheticGrid::make("no-such-grid", 1) == nullptr);
  CHECK(SyntheticGrid::make("", 1) == nullptr);
  for (const auto& name : SyntheticGrid::names()) {
    auto grid = SyntheticGrid::make(name, 1);
    REQUIRE(grid);
    CHECK(grid->step_s() == 3600);
    CHECK_FALSE(grid->sources().empty());
  }
}

TEST_CASE("us-average-2018 is the constant EPA 2018 factor", "[synthetic]") {
  auto grid = SyntheticGrid::make("us-average-2018", 1);
  REQUIRE(grid);
  CHECK(grid->sources() == std::vector<std::string>{"us_grid_average"});
  const auto own = grid->own_factors_g_per_kwh();
  REQUIRE(own.size() == 1);
  CHECK(own[0].first == "us_grid_average");
  CHECK(own[0].second == 0.954 * 453.59237);  // 0.954 lbs/kWh
  const Rows rows = year_2018("us-average-2018");
  REQUIRE(rows.size() == 8760);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    CHECK(rows.intensity(r) == Approx(432.72712098).epsilon(1e-12));
    CHECK(rows.at(r, 0) == rows.at(0, 0));
  }
}

TEST_CASE("synthetic grids are a function of the seed", "[synthetic]") {
  const double to = kYear2018_s + 30 * kDay_s;
  for (const auto& name : SyntheticGrid::names()) {
    INFO(name);
    const Rows a = generate(name, 7, kYear2018_s, to), b = generate(name, 7, kYear2018_s, to);
    CHECK(a.time_unix_s == b.time_unix_s);
    CHECK(a.mw == b.mw);
  }
  for (const auto& name : kNoisy) {
    INFO(name);
    const Rows a = generate(name, 7, kYear2018_s, to), c = generate(name, 8, kYear2018_s, to);
    std::size_t differing_rows = 0;
    for (std::size_t r = 0; r < a.size(); ++r)
      differing_rows += a.intensity(r) != c.intensity(r) ? 1 : 0;
    // Solar differs only by day (clouds); the wind-driven grids nearly every hour.
    CHECK(differing_rows > a.size() / 4);
  }
}

TEST_CASE("synthetic grids generate in chunks exactly as in one call", "[synthetic]") {
  const double start = kYear2018_s + 100 * kDay_s;
  for (const auto& name : SyntheticGrid::names()) {
    INFO(name);
    const Rows whole = generate(name, 3, start, start + 48 * kHour_s);
    REQUIRE(whole.size() == 48);
    auto grid = SyntheticGrid::make(name, 3);
    std::vector<double> time_unix_s, mw;
    grid->generate(start, start + 24 * kHour_s, time_unix_s, mw);
    CHECK(time_unix_s.size() == 24);
    grid->generate(start + 24 * kHour_s, start + 48 * kHour_s, time_unix_s, mw);
    CHECK(time_unix_s == whole.time_unix_s);
    CHECK(mw == whole.mw);

    // Unaligned bounds: the first row is the next hour boundary, a row's start lies below `to`,
    // and a call starting at the previous `to` continues with the next hour.
    auto odd = SyntheticGrid::make(name, 3);
    std::vector<double> odd_time_unix_s, odd_mw;
    odd->generate(start - 1800, start + 10 * kHour_s + 1, odd_time_unix_s, odd_mw);
    CHECK(odd_time_unix_s.size() == 11);
    odd->generate(start + 10 * kHour_s + 1, start + 48 * kHour_s - 1, odd_time_unix_s, odd_mw);
    CHECK(odd_time_unix_s == whole.time_unix_s);
    CHECK(odd_mw == whole.mw);
  }
}

TEST_CASE("synthetic grids refuse calls that skip or repeat hours", "[synthetic]") {
  for (const auto& name : SyntheticGrid::names()) {
    INFO(name);
    auto grid = SyntheticGrid::make(name, 1);
    std::vector<double> time_unix_s, mw;
    grid->generate(kYear2018_s, kYear2018_s + 5 * kHour_s, time_unix_s, mw);
    CHECK_THROWS_AS(
        grid->generate(kYear2018_s + 6 * kHour_s, kYear2018_s + 9 * kHour_s, time_unix_s, mw),
        std::logic_error);
    CHECK_THROWS_AS(
        grid->generate(kYear2018_s + 4 * kHour_s, kYear2018_s + 9 * kHour_s, time_unix_s, mw),
        std::logic_error);
    CHECK(time_unix_s.size() == 5);
    CHECK_NOTHROW(
        grid->generate(kYear2018_s + 5 * kHour_s, kYear2018_s + 9 * kHour_s, time_unix_s, mw));
    CHECK(time_unix_s.size() == 9);
  }
}

TEST_CASE("synthetic grids never generate negative or no power over a year", "[synthetic]") {
  for (const auto& name : SyntheticGrid::names()) {
    INFO(name);
    const Rows rows = year_2018(name, 11);
    REQUIRE(rows.size() == 8760);
    CHECK(rows.time_unix_s.front() == kYear2018_s);
    CHECK(rows.time_unix_s.back() == kYear2018_s + 8759 * kHour_s);
    CHECK(*std::min_element(rows.mw.begin(), rows.mw.end()) >= 0.0);
    double min_total_mw = 1e300;
    for (std::size_t r = 0; r < rows.size(); ++r)
      min_total_mw = std::min(min_total_mw, rows.total_mw(r));
    CHECK(min_total_mw > 0.0);
  }
}

TEST_CASE("solar-heavy is clean at noon and dirty at night in June", "[synthetic]") {
  const double june_s = static_cast<double>(make_utc(2018, 6, 1, 0, 0, 0).unix_s);
  const Rows rows = generate("solar-heavy", 1, june_s, june_s + 30 * kDay_s);
  double noon_sum = 0, midnight_sum = 0;
  int noon_hours = 0, midnight_hours = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    // Local time is UTC-8: local 11-13 h is 19-21 h UTC, local 23-1 h is 7-9 h UTC.
    const int local_hour =
        (static_cast<int>(std::fmod(rows.time_unix_s[r], kDay_s) / kHour_s) + 24 - 8) % 24;
    if (local_hour >= 11 && local_hour <= 13) noon_sum += rows.intensity(r), ++noon_hours;
    if (local_hour == 23 || local_hour <= 1) midnight_sum += rows.intensity(r), ++midnight_hours;
  }
  REQUIRE(noon_hours == 90);
  REQUIRE(midnight_hours == 90);
  const double noon = noon_sum / noon_hours, midnight = midnight_sum / midnight_hours;
  INFO("noon " << noon << " g/kWh, midnight " << midnight << " g/kWh");
  CHECK(noon < 0.5 * midnight);
}

TEST_CASE("hydro-heavy is mostly hydro and clean", "[synthetic]") {
  const Rows rows = year_2018("hydro-heavy");
  double hydro_mwh = 0, total_mwh = 0;
  for (std::size_t r = 0; r < rows.size(); ++r)
    hydro_mwh += rows.at(r, 0), total_mwh += rows.total_mw(r);
  REQUIRE(rows.sources[0] == "hydro");
  CHECK(hydro_mwh / total_mwh > 0.85);
  CHECK(hydro_mwh / total_mwh < 0.95);
  const double mean = rows.mean_intensity(0, rows.size());
  INFO("annual mean " << mean << " g/kWh");
  CHECK(mean < 60);
  // Snow melt: more hydro from mid-May to mid-June than from mid-July to mid-August, although
  // demand is about the same.
  auto mean_hydro_mw = [&](std::size_t first_day) {
    double sum_mw = 0;
    for (std::size_t r = first_day * 24; r < (first_day + 31) * 24; ++r) sum_mw += rows.at(r, 0);
    return sum_mw / (31 * 24);
  };
  const double melt_mw = mean_hydro_mw(134), late_summer_mw = mean_hydro_mw(195);
  INFO("hydro " << melt_mw << " MW in the melt, " << late_summer_mw << " MW in late summer");
  CHECK(melt_mw > 1.2 * late_summer_mw);
}

TEST_CASE("coal-heavy is dirty all year, a little more at the evening peak", "[synthetic]") {
  const Rows rows = year_2018("coal-heavy");
  const double mean = rows.mean_intensity(0, rows.size());
  INFO("annual mean " << mean << " g/kWh");
  CHECK(mean > 600);
  // Coal follows demand: local 18 h (17 h UTC) above local 3 h (2 h UTC), by little.
  double evening = 0, night = 0;
  for (std::size_t day = 0; day < 365; ++day) {
    evening += rows.intensity(day * 24 + 17) / 365;
    night += rows.intensity(day * 24 + 2) / 365;
  }
  INFO("evening " << evening << " g/kWh, night " << night << " g/kWh");
  CHECK(evening > night);
  CHECK(evening - night < 100);
}

TEST_CASE("wind swings over days, smoothly from hour to hour", "[synthetic]") {
  const Rows rows = year_2018("wind");
  std::vector<double> daily;
  for (std::size_t day = 0; day < 365; ++day)
    daily.push_back(rows.mean_intensity(day * 24, day * 24 + 24));
  const double daily_mean = std::accumulate(daily.begin(), daily.end(), 0.0) / daily.size();
  double variance = 0;
  for (double d : daily) variance += (d - daily_mean) * (d - daily_mean) / daily.size();
  INFO("annual mean " << rows.mean_intensity(0, rows.size()) << " g/kWh, daily sd "
                      << std::sqrt(variance));
  CHECK(std::sqrt(variance) > 60);

  // Lag-1 autocorrelation of the hourly intensity.
  std::vector<double> hourly;
  for (std::size_t r = 0; r < rows.size(); ++r) hourly.push_back(rows.intensity(r));
  const double mean = std::accumulate(hourly.begin(), hourly.end(), 0.0) / hourly.size();
  double lagged = 0, squared = 0;
  for (std::size_t r = 0; r < hourly.size(); ++r) {
    squared += (hourly[r] - mean) * (hourly[r] - mean);
    if (r > 0) lagged += (hourly[r] - mean) * (hourly[r - 1] - mean);
  }
  INFO("lag-1 autocorrelation " << lagged / squared);
  CHECK(lagged / squared > 0.9);
}
