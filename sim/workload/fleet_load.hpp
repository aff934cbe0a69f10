#pragma once
// The grid-side power of an inference fleet ([[deployment]] with kind = "fleet") as a step
// function, produced in time order.
//
// On board: the fleet's computers draw P(t) = d(t) * active_w + (N - d(t)) * idle_w, where N is
// the fleet size of the local day and d(t) the vehicles driving (workload/onboard_timeline.hpp,
// workload/driving_pattern.hpp, workload/fleet_growth.hpp). Hours driven per vehicle-day are a
// result of the seeded driving patterns.
//
// ev: the on-board energy E_D of local day D (inside the deployment) is recharged in D's window
//   [W_D, W_D + L), W_D = local midnight of D + charge_start_h, L = charge_hours (<= 24 h, so
//   windows never overlap; they may cross midnight), at the constant grid power
//     G_D = E_D / charger_efficiency / L,
//   fixed when the window opens: the recharge is planned from the day's whole driving, also when
//   the window opens before the day's last trip. The steps change only at window edges. Windows
//   are clipped to [start_s, end_s]: the part of a window outside the deployment is not charged,
//   so at each edge up to about one day's charge is missing from stats().grid_energy_j (the
//   energy actually charged), and onboard_energy_j / efficiency exceeds it by that much.
//   An update arriving after D's window opened but taking effect inside day D changes E_D after
//   it was charged; the difference is added to the next window's energy (never below zero), so
//   over whole days the grid energy stays on-board energy / efficiency.
// ice: the steps are the on-board power itself (they change at session edges). Fuel burnt for
//   on-board energy E: E / (engine_efficiency * alternator_efficiency) of fuel energy (LHV),
//     litres = E_kWh / (eta_e * eta_a) / fuel_kwh_per_l
//     CO2_g  = litres * fuel_co2_kg_per_l * 1000
//   emitted while the energy is used, so its intensity per on-board kWh is the constant
//     I = fuel_co2_kg_per_l * 1000 / (fuel_kwh_per_l * eta_e * eta_a)   [g/kWh]
//   (defaults 0.25 x 0.55 and gasoline: 2347.7 / (8.988 x 0.1375) = 1900 g/kWh).
//
// Model updates (apply_update) take effect from their time on for every vehicle. They must come
// in non-decreasing time and never before the last step produced. An update from exactly the
// last step's time makes the next step restate that time with the power then in force (the
// later wins), so a caller holding that step unapplied may replace it by the next one.
#include <cstdint>
#include <deque>
#include <optional>

#include "core/utc_time.hpp"
#include "scenario/fleet_spec.hpp"
#include "workload/onboard_timeline.hpp"

namespace mlcycle {

struct PowerStep {
  double time_s;   // seconds since the scenario start
  double power_w;  // grid-side power from time_s until the next step
};

struct FleetStats {
  double vehicles_end = 0;      // fleet size at the last step produced
  double vehicle_days = 0;      // vehicles on the road x days
  double driving_hours = 0;     // vehicle-hours driving
  double onboard_energy_j = 0;  // drawn by the on-board computers
  double grid_energy_j = 0;     // ev: charged from the grid; ice: 0
  double fuel_l = 0;            // ice: fuel burnt for the on-board energy
  double direct_co2_g = 0;      // ice: CO2 of that fuel
};

class FleetLoad {
 public:
  // `seed` should already identify this deployment (the patterns are drawn from it).
  FleetLoad(const FleetSpec& spec, UtcTime scenario_start, double start_s, double end_s,
            std::uint64_t seed);

  // The next power change within [start_s, end_s]: the first step is at start_s, the last sets
  // power 0 at end_s; nullopt after that.
  std::optional<PowerStep> next();

  // From `from_s` on, every vehicle's computer draws active_w / idle_w. No effect once the last
  // step (at end_s) is out.
  void apply_update(double from_s, double active_w, double idle_w);

  // Over [start_s, time of the last step produced].
  FleetStats stats() const;
  double ice_g_per_kwh() const;  // NaN for ev
  bool ev() const { return spec_.source == FleetSource::ev; }

 private:
  std::optional<PowerStep> next_ice();
  std::optional<PowerStep> next_ev();
  PowerStep emit(double time_s, double power_w);

  OnboardSegment* peek_segment();  // builds days as needed; nullptr past end_s
  void accrue_until(double time_s);

  double next_window_event_s();  // +infinity when no window edge is left before end_s
  double fire_window_event();    // the grid power after the event
  double window_open_s(std::int64_t day) const;

  FleetSpec spec_;
  OnboardTimeline timeline_;
  double start_s_;
  double end_s_;

  bool started_ = false;
  bool finished_ = false;
  bool restate_ = false;  // the next step repeats last_step_s_ after an update from then
  double last_step_s_;
  double last_power_w_ = 0;

  // On-board segments not yet accounted, and where building resumes.
  std::deque<OnboardSegment> pending_;
  std::int64_t next_day_;
  double build_from_s_;
  double accrued_until_s_;

  double vehicle_s_ = 0;
  double driving_s_ = 0;
  double onboard_j_ = 0;
  double grid_j_ = 0;
  double vehicles_now_ = 0;

  // ev charging windows.
  std::int64_t window_day_;
  bool in_window_ = false;
  double window_end_s_ = 0;
  bool committed_ = false;
  std::int64_t committed_day_ = 0;
  double committed_estimate_j_ = 0;
  bool updated_since_commit_ = false;
  double carry_j_ = 0;
};

}  // namespace mlcycle
