#include "workload/demand_profile.hpp"

#include <algorithm>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>
#include <limits>

#include "core/input_error.hpp"
#include "core/seed_stream.hpp"
#include "core/special_values.hpp"

namespace mlcycle {

namespace {

constexpr double kHour_s = 3600.0;
constexpr double kWeek_s = 7 * 86400.0;
// Separates the noise streams from any other stream of the same seed.
constexpr std::uint64_t kNoisePurpose = 0x5e4b'1a90'0000'0000ULL;

void check_coverage(const DemandSeries& file, UtcTime scenario_start, double start_s,
                    double end_s) {
  if (file.hold_edges || end_s <= start_s) return;
  const double origin = static_cast<double>(scenario_start.unix_s);
  auto at = [&](double unix_s) { return format_iso8601(UtcTime{0}, std::floor(unix_s)); };
  const std::string remedy = " (set hold = \"edges\" to hold the nearest row's rate)";
  if (origin + start_s < file.time_unix_s.front())
    throw InputError({file.path, file.line.front(), 1}, file.key,
                     "the deployment starts at " + at(origin + start_s) +
                         " but the demand data starts at " + at(file.time_unix_s.front()) + remedy);
  if (origin + end_s > file.end_unix_s)
    throw InputError({file.path, file.line.back(), 1}, file.key,
                     "the deployment runs until " + at(origin + end_s) + ", past " +
                         at(file.end_unix_s) +
                         " where the demand data ends (the last row holds for the median row "
                         "spacing)" +
                         remedy);
}

}  // namespace

DemandProfile::DemandProfile(const DemandSpec& spec, UtcTime scenario_start, double start_s,
                             double end_s)
    : start_s_(start_s),
      k_per_s_(std::log1p(spec.monthly_growth) / kSecondsPerGrowthMonth),
      from_file_(!spec.file.time_unix_s.empty()),
      flat_(false) {
  if (from_file_) {
    check_coverage(spec.file, scenario_start, start_s, end_s);
    const double origin = static_cast<double>(scenario_start.unix_s);
    row_s_.reserve(spec.file.time_unix_s.size());
    for (double t : spec.file.time_unix_s) row_s_.push_back(t - origin);
    row_rate_ = spec.file.requests_per_s;
    return;
  }
  // 1970-01-01 was a Thursday: three days after the Monday 1969-12-29 00:00 UTC.
  const std::int64_t since_monday_s = scenario_start.unix_s + 3 * 86400;
  const std::int64_t week = static_cast<std::int64_t>(kWeek_s);
  week_origin_s_ =
      static_cast<double>((since_monday_s % week + week) % week) + spec.utc_offset_hours * kHour_s;
  week_origin_s_ -= std::floor(week_origin_s_ / kWeek_s) * kWeek_s;
  for (std::size_t h = 0; h < 168; ++h)
    hour_of_week_[h] = spec.base_rps * spec.diurnal[h % 24] * spec.weekly[h / 24];
  flat_ = std::all_of(hour_of_week_.begin(), hour_of_week_.end(),
                      [&](double v) { return v == hour_of_week_[0]; });
}

double DemandProfile::shape_from(double t_s, double& piece_end_s) {
  if (from_file_) {
    const std::size_t n = row_s_.size();
    if (row_ >= n || (row_ > 0 && t_s < row_s_[row_]))
      row_ = static_cast<std::size_t>(
          std::max<std::ptrdiff_t>(
              std::upper_bound(row_s_.begin(), row_s_.end(), t_s) - row_s_.begin(), 1) -
          1);
    while (row_ + 1 < n && row_s_[row_ + 1] <= t_s) ++row_;
    if (t_s < row_s_[0])
      piece_end_s = row_s_[0];  // before the data: the first row's rate (hold = "edges")
    else
      piece_end_s = row_ + 1 < n ? row_s_[row_ + 1] : kInfinity;
    return row_rate_[row_];
  }
  if (flat_) {
    piece_end_s = kInfinity;
    return hour_of_week_[0];
  }
  const double position_s = week_origin_s_ + t_s;
  auto hour = static_cast<std::int64_t>(std::floor(position_s / kHour_s));
  piece_end_s = static_cast<double>(hour + 1) * kHour_s - week_origin_s_;
  if (piece_end_s <= t_s) {  // position_s / 3600 rounded down across the boundary
    ++hour;
    piece_end_s += kHour_s;
  }
  return hour_of_week_[static_cast<std::size_t>((hour % 168 + 168) % 168)];
}

double DemandProfile::growth_integral(double a_s, double b_s) const {
  const double length_s = b_s - a_s;
  if (k_per_s_ == 0) return length_s;
  const double x = k_per_s_ * length_s;
  return std::exp(k_per_s_ * (a_s - start_s_)) * length_s * (x == 0 ? 1.0 : std::expm1(x) / x);
}

double DemandProfile::requests(double from_s, double to_s) {
  double total = 0;
  double piece_end_s = 0;
  for (double a = from_s; a < to_s; a = piece_end_s) {
    const double rate = shape_from(a, piece_end_s);
    total += rate * growth_integral(a, std::min(piece_end_s, to_s));
  }
  return total;
}

StepNoise::StepNoise(double sd, std::uint64_t seed) : sd_(sd), seed_(seed) {}

double StepNoise::factor(std::uint64_t step) {
  if (sd_ == 0) return 1.0;
  const std::uint64_t block = step / kBlock;
  if (!seeded_ || block != block_ || step < next_step_) {
    stream_ = make_stream(seed_, kNoisePurpose + block);
    block_ = block;
    next_step_ = block * kBlock;
    seeded_ = true;
  }
  // A distribution object per draw: Boost's normal (ziggurat) keeps no state between draws.
  boost::random::lognormal_distribution<double> noise(-sd_ * sd_ / 2, sd_);
  double value = 1.0;
  for (; next_step_ <= step; ++next_step_) value = noise(stream_);
  return value;
}

}  // namespace mlcycle
