#pragma once
// Request demand of a serving deployment, before noise. The rate at simulation time t is
//   lambda(t) = shape(t) * (1 + g)^((t - t0) / M),   M = 30.44 days = 2,630,016 s,
// with t0 the deployment start and g = monthly_growth (continuous compounding between months).
// shape(t) is either
//   base_rps * diurnal[local hour] * weekly[local weekday]   (local = UTC + utc_offset_hours;
//                                                              weekday Monday first), or
//   the demand file's rate: a row holds from its timestamp until the next row.
// shape is piecewise constant (on local hours, or between rows), so the requests of an interval
// are its exact integral: over a piece [a, b) of constant shape c,
//   integral = c * e^(k (a - t0)) * (b - a) * expm1(k (b - a)) / (k (b - a)),  k = ln(1 + g) / M,
// which is c * (b - a) exactly when g = 0.
//
// StepNoise: the multiplicative noise of step i, lognormal with ln(noise) ~ N(-sd^2/2, sd) so
// that its mean is 1 (noise does not bias the demand). Draws come from make_stream(seed,
// block), one stream per block of 1024 steps: step i's factor depends on the seed and i only.
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <vector>

#include "core/utc_time.hpp"
#include "scenario/serving_spec.hpp"

namespace mlcycle {

inline constexpr double kSecondsPerGrowthMonth = 30.44 * 86400.0;

class DemandProfile {
 public:
  // Checks that a demand file covers [start_s, end_s) (unless it holds its edges): InputError
  // at the file's first or last row otherwise. Times are seconds since `scenario_start`.
  DemandProfile(const DemandSpec& spec, UtcTime scenario_start, double start_s, double end_s);

  // Requests over [from_s, to_s), without noise. Cheapest when called in increasing time.
  double requests(double from_s, double to_s);

 private:
  // The shape on the piece that starts at `t_s`, and where that piece ends (> t_s).
  double shape_from(double t_s, double& piece_end_s);
  double growth_integral(double a_s, double b_s) const;

  double start_s_;
  double k_per_s_;  // ln(1 + g) / M
  bool from_file_;
  bool flat_;  // profile mode with one value for every hour of the week
  std::array<double, 168> hour_of_week_{};  // base_rps * diurnal * weekly, Monday 00h first
  double week_origin_s_ = 0;   // local seconds since a Monday 00:00 at simulation time 0
  std::vector<double> row_s_;  // demand file rows on the simulation clock
  std::vector<double> row_rate_;
  std::size_t row_ = 0;  // cursor: the row in force at the last call
};

class StepNoise {
 public:
  StepNoise(double sd, std::uint64_t seed);
  double factor(std::uint64_t step);  // 1 when sd = 0

 private:
  static constexpr std::uint64_t kBlock = 1024;
  double sd_;
  std::uint64_t seed_;
  std::uint64_t block_ = 0;      // the block the stream belongs to, once seeded
  std::uint64_t next_step_ = 0;  // the step the stream draws next
  bool seeded_ = false;
  boost::random::mt19937_64 stream_;
};

}  // namespace mlcycle
