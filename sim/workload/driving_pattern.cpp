#include "workload/driving_pattern.hpp"

#include <algorithm>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <utility>

#include "core/seed_stream.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {
constexpr double kMinSessionH = 1.0 / 60;
// Keeps fleet streams apart from the other models' purposes under the same seed.
constexpr std::uint64_t kDrivingTag = 0x666c6565742d6472ULL;  // "fleet-dr"
}  // namespace

int weekday_of(std::int64_t local_day) {
  const std::int64_t shifted = local_day + 3;  // 1970-01-01 was a Thursday (Monday = 0)
  return static_cast<int>(((shifted % 7) + 7) % 7);
}

bool is_weekend(std::int64_t local_day) {
  return weekday_of(local_day) >= 5;
}

std::uint64_t driving_purpose(std::uint32_t pattern, std::int64_t local_day) {
  // Two mixing rounds: (pattern, day) pairs map to unrelated purposes, and no pair collides with
  // another unless SplitMix64 does (it is a bijection on each round's input).
  return mix_seed(mix_seed(kDrivingTag ^ pattern) ^ static_cast<std::uint64_t>(local_day));
}

std::vector<DrivingSession> driving_sessions(const DrivingSpec& spec, std::uint64_t seed,
                                             std::uint32_t pattern, std::int64_t local_day) {
  const std::uint32_t n =
      is_weekend(local_day) ? spec.weekend_sessions_per_day : spec.sessions_per_day;
  std::vector<std::pair<double, double>> drawn;  // (start h, length h)
  drawn.reserve(n);
  if (n > 0) {
    auto stream = make_stream(seed, driving_purpose(pattern, local_day));
    const double m = spec.session_hours_mean;
    const double s = spec.session_hours_sd;
    const double sigma2 = std::log1p((s / m) * (s / m));
    // Boost requires min < max and sigma > 0: the fixed cases draw nothing.
    const bool spread = spec.last_start_h > spec.first_start_h;
    boost::random::uniform_real_distribution<double> start_h(
        spec.first_start_h, spread ? spec.last_start_h : spec.first_start_h + 1);
    boost::random::lognormal_distribution<double> length_h(std::log(m) - sigma2 / 2,
                                                           s > 0 ? std::sqrt(sigma2) : 1);
    for (std::uint32_t i = 0; i < n; ++i) {
      const double start = spread ? start_h(stream) : spec.first_start_h;
      const double length = std::max(kMinSessionH, s > 0 ? length_h(stream) : m);
      drawn.emplace_back(start, length);
    }
  }
  std::stable_sort(drawn.begin(), drawn.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<DrivingSession> sessions;
  sessions.reserve(drawn.size());
  double free_from_s = 0;
  for (const auto& [start_h, length_h] : drawn) {
    const double start_s = std::max(start_h * 3600, free_from_s);
    if (start_s >= units::kSecondsPerDay) break;
    const double end_s = std::min(start_s + length_h * 3600, units::kSecondsPerDay);
    sessions.push_back({start_s, end_s});
    free_from_s = end_s;
  }
  return sessions;
}

}  // namespace mlcycle
