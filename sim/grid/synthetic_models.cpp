#include "grid/synthetic_models.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace mlcycle::synthetic {

namespace {
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

constexpr std::int64_t kDaysFrom1970To2000 = 10957;
}  // namespace

std::uint64_t stream_purpose(unsigned model, unsigned k) {
  return 3 * 0x100000000ULL + 16ULL * model + k;
}

void HourlyGrid::generate(double from_unix_s, double to_unix_s, std::vector<double>& time_unix_s,
                          std::vector<double>& mw) {
  if (!std::isfinite(from_unix_s) || !std::isfinite(to_unix_s))
    throw std::logic_error("synthetic grid: generate() needs finite times");
  // Hours h with from <= h * 3600 < to: ceil(from / 3600) <= h < ceil(to / 3600).
  const auto first_hour = static_cast<std::int64_t>(std::ceil(from_unix_s / kHour_s));
  const auto end_hour =
      std::max(first_hour, static_cast<std::int64_t>(std::ceil(to_unix_s / kHour_s)));
  if (next_hour_ && first_hour != *next_hour_)
    throw std::logic_error("synthetic grid: generate() must continue at the first hour not " +
                           std::string("generated yet (") + std::to_string(*next_hour_ * 3600) +
                           " s), not at " + std::to_string(first_hour * 3600) + " s");
  const std::size_t width = sources_.size();
  const auto rows = static_cast<std::size_t>(end_hour - first_hour);
  time_unix_s.reserve(time_unix_s.size() + rows);
  mw.reserve(mw.size() + rows * width);
  for (std::int64_t h = first_hour; h < end_hour; ++h) {
    time_unix_s.push_back(static_cast<double>(h) * kHour_s);
    const std::size_t at = mw.size();
    mw.resize(at + width, 0.0);
    fill_hour(h, std::span<double>(mw.data() + at, width));
  }
  next_hour_ = end_hour;
}

LocalHour local_hour(std::int64_t hour_index, int utc_offset_h) {
  const std::int64_t local_h = hour_index + utc_offset_h;
  LocalHour out;
  out.day = floor_div(local_h, 24);
  out.hour = static_cast<int>(local_h - out.day * 24);
  const std::int64_t weekday = out.day + 4 - floor_div(out.day + 4, 7) * 7;  // 1970-01-01: Thu
  out.weekend = weekday == 0 || weekday == 6;                                // Sun, Sat
  // Counted in tropical years from 2000-01-01 so that the seasons do not drift over decades.
  const double days_since_2000 =
      (static_cast<double>(local_h) + 0.5) / 24.0 - static_cast<double>(kDaysFrom1970To2000);
  out.day_of_year =
      days_since_2000 - std::floor(days_since_2000 / kTropicalYear_d) * kTropicalYear_d;
  return out;
}

double seasonal(double day_of_year, double peak_day, double amplitude) {
  return 1.0 +
         amplitude * std::cos(2.0 * std::numbers::pi * (day_of_year - peak_day) / kTropicalYear_d);
}

double seasonal_pulse(double day_of_year, double peak_day, double width_d) {
  double d = std::fmod(std::abs(day_of_year - peak_day), kTropicalYear_d);
  d = std::min(d, kTropicalYear_d - d);
  return std::exp(-(d / width_d) * (d / width_d));
}

std::array<double, 24> mean_one(std::array<double, 24> factors) {
  const double mean = std::accumulate(factors.begin(), factors.end(), 0.0) / 24.0;
  for (double& f : factors) f /= mean;
  return factors;
}

double power_fraction(double speed_m_per_s, const PowerCurve& curve) {
  if (speed_m_per_s < curve.cut_in_m_per_s || speed_m_per_s >= curve.cut_out_m_per_s) return 0.0;
  if (speed_m_per_s >= curve.rated_m_per_s) return 1.0;
  const double cube_in = std::pow(curve.cut_in_m_per_s, 3);
  return (std::pow(speed_m_per_s, 3) - cube_in) / (std::pow(curve.rated_m_per_s, 3) - cube_in);
}

double WindWeather::next_state() {
  const double innovation = normal_(stream_);
  // Scaling the innovation by sqrt(1 - r^2) keeps the process standard normal at every hour.
  state_ = state_ ? lag1_ * *state_ + std::sqrt(1.0 - lag1_ * lag1_) * innovation : innovation;
  return *state_;
}

double WindFleet::mw(double weather_state, double day_of_year) const {
  // Quantile mapping: P(speed > v) = exp(-(v / scale)^k) equals P(Z > state) = erfc(state/sqrt2)/2.
  const double upper_tail = std::max(0.5 * std::erfc(weather_state / std::numbers::sqrt2),
                                     std::numeric_limits<double>::min());
  const double scale_m_per_s =
      weibull_scale_m_per_s * seasonal(day_of_year, season_peak_day, season_amplitude);
  const double speed_m_per_s = scale_m_per_s * std::pow(-std::log(upper_tail), 1.0 / weibull_shape);
  return capacity_mw * availability * power_fraction(speed_m_per_s, curve);
}

}  // namespace mlcycle::synthetic
