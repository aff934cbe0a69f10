#pragma once
// Building blocks of the built-in synthetic grids (synthetic_grid.hpp): a base class that steps
// hour by hour and enforces the contiguous-call contract, local calendar shapes (daily profile,
// seasons, weekends) and a seeded hourly wind-speed process. Internal to sim/grid.
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "grid/synthetic_grid.hpp"

namespace mlcycle::synthetic {

inline constexpr double kHour_s = 3600.0;
// Seasons repeat with the tropical year, so a shape peaking on a day of the year stays there.
inline constexpr double kTropicalYear_d = 365.2422;

// Purpose of a model's random stream (workload/seed_stream.hpp): 3 * 2^32 + 16 * model + k, a
// range apart from the campaigns' 2^32 + i, so adding a grid never changes trial lengths.
std::uint64_t stream_purpose(unsigned model, unsigned k);

// Steps hour by hour: the first generate() fixes the start (rounded up to an hour boundary); each
// later call must begin at the first hour not yet generated, because the models' noise is a
// sequence that cannot be rewound or skipped cheaply.
class HourlyGrid : public SyntheticGrid {
 public:
  explicit HourlyGrid(std::vector<std::string> sources) : sources_(std::move(sources)) {}
  const std::vector<std::string>& sources() const override { return sources_; }
  double step_s() const override { return kHour_s; }
  void generate(double from_unix_s, double to_unix_s, std::vector<double>& time_unix_s,
                std::vector<double>& mw) override;

 protected:
  // Writes one value per source (MW, >= 0) for the hour starting at hour_index * 3600 s since
  // the epoch. Called exactly once per hour, in increasing order, without gaps.
  virtual void fill_hour(std::int64_t hour_index, std::span<double> row_mw) = 0;

 private:
  std::vector<std::string> sources_;
  std::optional<std::int64_t> next_hour_;  // first hour not generated yet
};

// An hour seen in a fixed local standard time (no daylight saving: demand shapes are averages).
struct LocalHour {
  int hour = 0;              // 0..23
  std::int64_t day = 0;      // local days since 1970-01-01
  bool weekend = false;      // Saturday or Sunday
  double day_of_year = 0.0;  // at the middle of the hour, 0 = 1 January 00:00 (within a day)
};
LocalHour local_hour(std::int64_t hour_index, int utc_offset_h);

// 1 + amplitude * cos(2 pi (day_of_year - peak_day) / year): a swing peaking on `peak_day`.
double seasonal(double day_of_year, double peak_day, double amplitude);
// exp(-(d / width_d)^2), d the distance in days from `peak_day` across the new year: a bump.
double seasonal_pulse(double day_of_year, double peak_day, double width_d);

// Hourly demand factors (index: local hour) rescaled to mean 1, so that the mean demand stays
// the model's parameter whatever the shape.
std::array<double, 24> mean_one(std::array<double, 24> factors);

// Wind turbine power curve as a fraction of rated power: cubic between cut-in and rated speed
// (the wind's kinetic power), flat to cut-out, where turbines stop to protect themselves.
struct PowerCurve {
  double cut_in_m_per_s = 3.0;
  double rated_m_per_s = 12.0;
  double cut_out_m_per_s = 25.0;
};
double power_fraction(double speed_m_per_s, const PowerCurve& curve);

// The weather state behind hourly wind: a standard normal AR(1) process (the first value from
// its stationary law), mapped to a Weibull wind speed at the same quantile. The autocorrelation
// gives weather systems lasting days; the Weibull marginal is the usual fit of measured speeds.
class WindWeather {
 public:
  WindWeather(boost::random::mt19937_64 stream, double lag1_autocorrelation)
      : stream_(stream), lag1_(lag1_autocorrelation) {}
  double next_state();  // advances one hour

 private:
  boost::random::mt19937_64 stream_;
  boost::random::normal_distribution<double> normal_;
  double lag1_;
  std::optional<double> state_;
};

// A wind fleet: Weibull scale (m/s) varies with the season, output = capacity x availability x
// power curve at the fleet's speed for the shared weather state.
struct WindFleet {
  double capacity_mw = 0.0;
  double weibull_scale_m_per_s = 8.0;
  double weibull_shape = 2.0;
  double availability = 0.92;  // outages, wake and electrical losses
  double season_peak_day = 15.0;
  double season_amplitude = 0.0;
  PowerCurve curve;
  double mw(double weather_state, double day_of_year) const;
};

std::unique_ptr<SyntheticGrid> make_us_average_2018();
std::unique_ptr<SyntheticGrid> make_solar_heavy(std::uint64_t seed);
std::unique_ptr<SyntheticGrid> make_hydro_heavy(std::uint64_t seed);
std::unique_ptr<SyntheticGrid> make_coal_heavy(std::uint64_t seed);
std::unique_ptr<SyntheticGrid> make_wind(std::uint64_t seed);

}  // namespace mlcycle::synthetic
