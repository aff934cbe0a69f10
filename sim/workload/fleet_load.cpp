#include "workload/fleet_load.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/special_values.hpp"

namespace mlcycle {

namespace {

// The reader reports these as input errors with their location; here they are misuse.
void check_spec(const FleetSpec& spec, double start_s, double end_s) {
  if (!(end_s >= start_s)) throw std::invalid_argument("fleet: end before start");
  if (spec.driving.patterns < 1) throw std::invalid_argument("fleet: patterns < 1");
  if (spec.vehicles < 0 || spec.vehicles_per_month < 0)
    throw std::invalid_argument("fleet: negative fleet size");
  if (spec.source == FleetSource::ev) {
    if (!(spec.ev.charge_hours > 0 && spec.ev.charge_hours <= 24))
      throw std::invalid_argument("fleet: charging window longer than a day");
    if (!(spec.ev.charger_efficiency > 0 && spec.ev.charger_efficiency <= 1))
      throw std::invalid_argument("fleet: charger efficiency outside (0, 1]");
  } else if (!(spec.ice.engine_efficiency > 0 && spec.ice.alternator_efficiency > 0 &&
               spec.ice.fuel_kwh_per_l > 0)) {
    throw std::invalid_argument("fleet: ice efficiencies and fuel energy must be positive");
  }
}
}  // namespace

FleetLoad::FleetLoad(const FleetSpec& spec, UtcTime scenario_start, double start_s, double end_s,
                     std::uint64_t seed)
    : spec_(spec),
      timeline_((check_spec(spec, start_s, end_s), spec), scenario_start, start_s, end_s, seed),
      start_s_(start_s),
      end_s_(end_s),
      last_step_s_(start_s),
      next_day_(timeline_.first_day()),
      build_from_s_(start_s),
      accrued_until_s_(start_s),
      vehicles_now_(static_cast<double>(timeline_.size_on(timeline_.first_day()))),
      window_day_(timeline_.first_day()) {}

std::optional<PowerStep> FleetLoad::next() {
  if (finished_) return std::nullopt;
  if (restate_) {
    restate_ = false;
    if (ev()) return emit(last_step_s_, last_power_w_);  // windows are planned: unchanged
    const OnboardSegment* seg = peek_segment();          // rebuilt from the last step on
    return emit(last_step_s_, seg ? seg->power_w : 0);
  }
  return ev() ? next_ev() : next_ice();
}

PowerStep FleetLoad::emit(double time_s, double power_w) {
  if (started_) grid_j_ += last_power_w_ * (time_s - last_step_s_);
  started_ = true;
  last_step_s_ = time_s;
  last_power_w_ = power_w;
  return {time_s, power_w};
}

OnboardSegment* FleetLoad::peek_segment() {
  std::vector<OnboardSegment> built;
  while (pending_.empty()) {
    if (next_day_ > timeline_.last_day()) return nullptr;
    built.clear();
    timeline_.build_day(next_day_, build_from_s_, built);
    pending_.insert(pending_.end(), built.begin(), built.end());
    ++next_day_;
  }
  return &pending_.front();
}

void FleetLoad::accrue_until(double time_s) {
  while (OnboardSegment* seg = peek_segment()) {
    if (!(seg->t0_s < time_s)) break;
    const double until_s = std::min(seg->t1_s, time_s);
    const double dt = until_s - seg->t0_s;
    vehicle_s_ += seg->vehicles * dt;
    driving_s_ += seg->driving * dt;
    onboard_j_ += seg->power_w * dt;
    vehicles_now_ = seg->vehicles;
    if (until_s < seg->t1_s) {
      seg->t0_s = until_s;
      break;
    }
    pending_.pop_front();
  }
  accrued_until_s_ = std::max(accrued_until_s_, time_s);
}

std::optional<PowerStep> FleetLoad::next_ice() {
  for (;;) {
    OnboardSegment* seg = peek_segment();
    if (!seg) {
      finished_ = true;
      accrue_until(end_s_);
      return emit(end_s_, 0);
    }
    if (started_ && seg->power_w == last_power_w_) {
      accrue_until(seg->t1_s);
      continue;
    }
    return emit(seg->t0_s, seg->power_w);
  }
}

double FleetLoad::window_open_s(std::int64_t day) const {
  return timeline_.day_start_s(day) + spec_.ev.charge_start_h * 3600;
}

double FleetLoad::next_window_event_s() {
  if (in_window_) return window_end_s_;
  for (;; ++window_day_) {
    const double open_s = window_open_s(window_day_);
    if (open_s >= end_s_) return kInfinity;
    const double close_s = std::min(open_s + spec_.ev.charge_hours * 3600, end_s_);
    if (std::max(open_s, start_s_) < close_s) return std::max(open_s, start_s_);
  }
}

double FleetLoad::fire_window_event() {
  if (in_window_) {
    in_window_ = false;
    ++window_day_;
    return 0;
  }
  const double open_s = window_open_s(window_day_);
  const double length_s = spec_.ev.charge_hours * 3600;
  const double estimate_j = timeline_.day_energy_j(window_day_);
  // Only the previous window's day can still change: updates come no earlier than the last
  // step, and that step is no earlier than this window's opening, after the previous day ended.
  if (committed_ && updated_since_commit_)
    carry_j_ += timeline_.day_energy_j(committed_day_) - committed_estimate_j_;
  committed_ = true;
  updated_since_commit_ = false;
  committed_day_ = window_day_;
  committed_estimate_j_ = estimate_j;
  const double charge_j = std::max(0.0, estimate_j + carry_j_);
  carry_j_ = estimate_j + carry_j_ - charge_j;
  in_window_ = true;
  window_end_s_ = std::min(open_s + length_s, end_s_);
  return charge_j / spec_.ev.charger_efficiency / length_s;
}

std::optional<PowerStep> FleetLoad::next_ev() {
  if (!started_) {
    double power_w = 0;
    while (next_window_event_s() <= start_s_) power_w = fire_window_event();
    if (end_s_ <= start_s_) {
      finished_ = true;
      return emit(end_s_, 0);
    }
    return emit(start_s_, power_w);
  }
  for (;;) {
    const double time_s = next_window_event_s();
    if (time_s >= end_s_) {
      finished_ = true;
      accrue_until(end_s_);
      return emit(end_s_, 0);
    }
    double power_w = last_power_w_;
    while (next_window_event_s() == time_s) power_w = fire_window_event();
    if (power_w != last_power_w_) {
      accrue_until(time_s);
      return emit(time_s, power_w);
    }
  }
}

void FleetLoad::apply_update(double from_s, double active_w, double idle_w) {
  if (finished_) return;  // every step is out: nothing left to change
  if (started_ && from_s < last_step_s_)
    throw std::logic_error("fleet model update before the last power step produced");
  restate_ = restate_ || (started_ && from_s == last_step_s_);
  timeline_.add_version(from_s, active_w, idle_w);
  // Segments not yet accounted were built with the old powers: build them again.
  pending_.clear();
  build_from_s_ = accrued_until_s_;
  next_day_ = timeline_.day_of(accrued_until_s_);
  updated_since_commit_ = true;
}

FleetStats FleetLoad::stats() const {
  FleetStats s;
  s.vehicles_end = vehicles_now_;
  s.vehicle_days = vehicle_s_ / 86400;
  s.driving_hours = driving_s_ / 3600;
  s.onboard_energy_j = onboard_j_;
  if (ev()) {
    s.grid_energy_j = grid_j_;
  } else {
    const IceSpec& ice = spec_.ice;
    const double fuel_kwh =
        onboard_j_ / 3.6e6 / (ice.engine_efficiency * ice.alternator_efficiency);
    s.fuel_l = fuel_kwh / ice.fuel_kwh_per_l;
    s.direct_co2_g = s.fuel_l * ice.fuel_co2_kg_per_l * 1000;
  }
  return s;
}

double FleetLoad::ice_g_per_kwh() const {
  if (ev()) return std::numeric_limits<double>::quiet_NaN();
  const IceSpec& ice = spec_.ice;
  return ice.fuel_co2_kg_per_l * 1000 /
         (ice.fuel_kwh_per_l * ice.engine_efficiency * ice.alternator_efficiency);
}

}  // namespace mlcycle
