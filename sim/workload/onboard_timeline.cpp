#include "workload/onboard_timeline.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "core/units.hpp"
#include "workload/driving_pattern.hpp"

namespace mlcycle {

namespace {

struct Edge {
  double t_s;
  std::uint32_t pattern;
  int delta;  // +1 a session starts, -1 it ends
};
}  // namespace

OnboardTimeline::OnboardTimeline(const FleetSpec& spec, UtcTime scenario_start, double start_s,
                                 double end_s, std::uint64_t seed)
    : driving_(spec.driving),
      per_vehicle_(spec.per_vehicle),
      seed_(seed),
      scenario_unix_s_(scenario_start.unix_s),
      offset_s_(spec.driving.utc_offset_hours * 3600),
      start_s_(start_s),
      end_s_(end_s),
      first_day_(0),
      last_day_(0),
      growth_(spec, 0) {
  first_day_ = day_of(start_s);
  last_day_ = std::max(first_day_, day_of(end_s));
  growth_ = FleetGrowth(spec, first_day_);
  versions_.push_back({-std::numeric_limits<double>::infinity(), spec.active_w, spec.idle_w});
}

double OnboardTimeline::day_start_s(std::int64_t local_day) const {
  // Whole seconds in integers first: exact for any date, then the (usually whole) offset.
  return static_cast<double>(local_day * 86400 - scenario_unix_s_) - offset_s_;
}

std::int64_t OnboardTimeline::day_of(double t_s) const {
  std::int64_t d = local_day_of(static_cast<double>(scenario_unix_s_) + t_s, offset_s_);
  // Rounding near midnight may land one day off; day_start_s is the reference.
  while (day_start_s(d + 1) <= t_s) ++d;
  while (day_start_s(d) > t_s) --d;
  return d;
}

void OnboardTimeline::add_version(double from_s, double active_w, double idle_w) {
  if (from_s < versions_.back().from_s)
    throw std::logic_error("fleet model updates must come in time order");
  if (from_s == versions_.back().from_s)
    versions_.back() = {from_s, active_w, idle_w};
  else
    versions_.push_back({from_s, active_w, idle_w});
}

const PowerVersion& OnboardTimeline::version_at(double t_s) const {
  auto it = std::upper_bound(versions_.begin(), versions_.end(), t_s,
                             [](double t, const PowerVersion& v) { return t < v.from_s; });
  return *std::prev(it);  // the first version starts at -infinity
}

void OnboardTimeline::build_day(std::int64_t local_day, double from_s,
                                std::vector<OnboardSegment>& out) const {
  const double midnight_s = day_start_s(local_day);
  const double a = std::max({midnight_s, start_s_, from_s});
  const double b = std::min(day_start_s(local_day + 1), end_s_);
  if (!(a < b)) return;
  const std::int64_t n = growth_.size_on(local_day);
  const std::uint32_t patterns = driving_.patterns;
  // Patterns without vehicles change nothing; the per-vehicle check evaluates all of them.
  const std::uint32_t used =
      per_vehicle_ ? patterns : static_cast<std::uint32_t>(std::min<std::int64_t>(patterns, n));

  std::vector<Edge> edges;
  std::vector<double> cuts = {a, b};
  for (std::uint32_t p = 0; p < used; ++p) {
    for (const DrivingSession& s : driving_sessions(driving_, seed_, p, local_day)) {
      const double t0 = std::max(a, midnight_s + s.start_s);
      const double t1 = std::min(b, midnight_s + s.end_s);
      if (!(t0 < t1)) continue;
      edges.push_back({t0, p, +1});
      edges.push_back({t1, p, -1});
      cuts.push_back(t0);
      cuts.push_back(t1);
    }
  }
  for (const PowerVersion& v : versions_)
    if (v.from_s > a && v.from_s < b) cuts.push_back(v.from_s);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return std::tie(x.t_s, x.delta, x.pattern) < std::tie(y.t_s, y.delta, y.pattern);
  });

  std::vector<int> open(patterns, 0);  // sessions of pattern p covering the current time
  std::vector<std::int64_t> count(patterns, 0);
  for (std::uint32_t p = 0; p < used; ++p) count[p] = FleetGrowth::pattern_count(n, p, patterns);
  std::int64_t driving_n = 0;
  const std::int64_t month = growth_.months_since_start(local_day);
  std::size_t next_edge = 0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double x = cuts[i];
    for (; next_edge < edges.size() && edges[next_edge].t_s <= x; ++next_edge) {
      const Edge& e = edges[next_edge];
      const bool was = open[e.pattern] > 0;
      open[e.pattern] += e.delta;
      const bool is = open[e.pattern] > 0;
      if (was != is) driving_n += is ? count[e.pattern] : -count[e.pattern];
    }
    const PowerVersion& v = version_at(x);
    OnboardSegment seg{x, cuts[i + 1], 0, 0, 0};
    if (!per_vehicle_) {
      seg.vehicles = static_cast<double>(n);
      seg.driving = static_cast<double>(driving_n);
      seg.power_w = seg.driving * v.active_w + static_cast<double>(n - driving_n) * v.idle_w;
    } else {
      // Vehicles join in index order, so the first one not yet joined ends the fleet of the day.
      for (std::int64_t vehicle = 0;; ++vehicle) {
        const std::int64_t joins = growth_.join_month(vehicle);
        if (joins < 0 || joins > month) break;
        const bool drives = open[static_cast<std::uint32_t>(vehicle % patterns)] > 0;
        seg.power_w += drives ? v.active_w : v.idle_w;
        seg.driving += drives ? 1 : 0;
        seg.vehicles += 1;
      }
    }
    out.push_back(seg);
  }
}

double OnboardTimeline::day_energy_j(std::int64_t local_day) const {
  std::vector<OnboardSegment> segments;
  build_day(local_day, -std::numeric_limits<double>::infinity(), segments);
  double energy_j = 0;
  for (const OnboardSegment& s : segments) energy_j += s.power_w * (s.t1_s - s.t0_s);
  return energy_j;
}

}  // namespace mlcycle
