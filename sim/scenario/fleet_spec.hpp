#pragma once
// An inference fleet ([[deployment]] with kind = "fleet"): vehicles that run the trained model on
// an on-board computer. Read and checked by read_fleet() (scenario/fleet_reader.hpp); the model
// and its equations are in workload/fleet_load.hpp, workload/driving_pattern.hpp and
// workload/fleet_growth.hpp.
#include <cstdint>
#include <optional>

#include "core/enum_names.hpp"

namespace mlcycle {

// When and how long the vehicles drive; every time is local (UTC + utc_offset_hours).
struct DrivingSpec {
  std::uint32_t sessions_per_day = 2;          // Monday to Friday
  std::uint32_t weekend_sessions_per_day = 1;  // Saturday and Sunday
  double session_hours_mean = 0.6;             // > 0
  double session_hours_sd = 0.2;               // >= 0; 0: every session lasts the mean
  double first_start_h = 7;                    // starts are uniform in [first, last)
  double last_start_h = 19;                    // first == last: every session starts then
  double utc_offset_hours = 0;                 // [-14, 14]
  std::uint32_t patterns = 16;                 // vehicle v follows pattern v % patterns
};

// Default fuel figures.
// CO2: US EPA, "Greenhouse Gas Emissions from a Typical Passenger Vehicle" (EPA-420-F-11-041,
// reissued as EPA-420-F-18-008): 8,887 g CO2 per US gallon of gasoline (75 FR 25324) and 10,180 g
// per gallon of diesel (40 CFR 600.113), i.e. 2.348 and 2.689 kg/L.
// Energy: lower heating values of the US DOE Alternative Fuels Data Center fuel properties table
// (Argonne GREET): conventional gasoline 116,090 Btu/gal and low-sulfur diesel 128,488 Btu/gal,
// i.e. 32.36 MJ/L = 8.99 kWh/L and 35.81 MJ/L = 9.95 kWh/L.
inline constexpr double kLitresPerUsGallon = 3.785411784;  // exact, by definition
inline constexpr double kJoulesPerBtu = 1055.05585262;     // International Table Btu, exact
inline constexpr double kGasolineCo2KgPerL = 8.887 / kLitresPerUsGallon;
inline constexpr double kDieselCo2KgPerL = 10.180 / kLitresPerUsGallon;
inline constexpr double kGasolineKwhPerL = 116090 * kJoulesPerBtu / 3.6e6 / kLitresPerUsGallon;
inline constexpr double kDieselKwhPerL = 128488 * kJoulesPerBtu / 3.6e6 / kLitresPerUsGallon;

// Battery-electric: the day's on-board energy is recharged from the grid in a nightly window.
struct EvSpec {
  double charger_efficiency = 0.9;  // (0, 1]: grid energy = on-board energy / efficiency
  double charge_start_h = 22;       // local hour [0, 24) at which day D's window opens
  double charge_hours = 8;          // (0, 24]; may cross midnight
};

enum class Fuel { gasoline, diesel };
inline constexpr EnumName<Fuel> kFuelNames[] = {{Fuel::gasoline, "gasoline"},
                                                {Fuel::diesel, "diesel"}};
constexpr std::span<const EnumName<Fuel>> enum_names(Fuel) {
  return kFuelNames;
}

// Combustion engine: the on-board electricity comes from the alternator, burning fuel.
struct IceSpec {
  double engine_efficiency = 0.25;      // (0, 1]: shaft energy / fuel energy (LHV)
  double alternator_efficiency = 0.55;  // (0, 1]: electrical energy / shaft energy
  Fuel fuel = Fuel::gasoline;
  // The fuel's figures (above) unless the user overrides them; the reader resolves them.
  double fuel_co2_kg_per_l = kGasolineCo2KgPerL;
  double fuel_kwh_per_l = kGasolineKwhPerL;
};

enum class FleetSource { ev, ice };
inline constexpr EnumName<FleetSource> kFleetSourceNames[] = {{FleetSource::ev, "ev"},
                                                              {FleetSource::ice, "ice"}};
constexpr std::span<const EnumName<FleetSource>> enum_names(FleetSource) {
  return kFleetSourceNames;
}

struct FleetSpec {
  std::int64_t vehicles = 0;                 // at the deployment start; >= 0
  std::int64_t vehicles_per_month = 0;       // added at local midnight of every 1st after the start
  std::optional<std::int64_t> max_vehicles;  // growth stops here; >= vehicles
  double active_w = 0;                       // on-board computer while driving, per vehicle
  double idle_w = 0;                         // while parked (standby)
  DrivingSpec driving;
  FleetSource source = FleetSource::ev;
  EvSpec ev;
  IceSpec ice;
  // Evaluate every vehicle on its own instead of count x per-vehicle power per pattern: a check
  // of the cohort arithmetic, slow for large fleets.
  bool per_vehicle = false;
};

}  // namespace mlcycle
