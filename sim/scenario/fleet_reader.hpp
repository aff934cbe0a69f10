#pragma once
// The fleet-specific keys of a [[deployment]] with kind = "fleet":
//   vehicles = 1000, vehicles_per_month = 50, max_vehicles = 5000, active_w = 60, idle_w = 2,
//   per_vehicle = false, source = "ev" | "ice",
//   driving = { sessions_per_day = 2, weekend_sessions_per_day = 1, session_hours_mean = 0.6,
//               session_hours_sd = 0.2, first_start_h = 7, last_start_h = 19,
//               utc_offset_hours = 1, patterns = 16 },
//   ev = { charger_efficiency = 0.9, charge_start_h = 22, charge_hours = 8 },
//   ice = { engine_efficiency = 0.25, alternator_efficiency = 0.55, fuel = "gasoline" | "diesel",
//           fuel_co2_kg_per_l = ..., fuel_kwh_per_l = ... }.
// `vehicles`, `active_w` and `source` are required; the rest defaults to the values above
// (FleetSpec). The caller reads the common keys and calls reject_unknown_keys() on `d`
// afterwards; the nested tables are checked here.
#include "scenario/fleet_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

void read_fleet(TomlTableReader& d, FleetSpec& spec);

}  // namespace mlcycle
