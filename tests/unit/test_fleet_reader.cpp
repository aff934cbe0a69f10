#include <catch2/catch.hpp>
#include <string>

#include "core/input_error.hpp"
#include "scenario/fleet_reader.hpp"

using namespace mlcycle;

namespace {
const std::string kRequired = "vehicles = 100\nactive_w = 60\nsource = \"ev\"\n";

// Reads `text` as the fleet keys of deployment[0] and checks for unknown keys, as the
// integrator's deployment reader does.
FleetSpec read(const std::string& text) {
  toml::table table = toml::parse(std::string_view(text), std::string_view("fleet.toml"));
  TomlTableReader d(table, "deployment[0]", "fleet.toml");
  FleetSpec spec;
  read_fleet(d, spec);
  d.reject_unknown_keys();
  return spec;
}

// "key: message" of the InputError thrown, without the file and position.
std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const InputError& e) {
    return e.key() + ": " +
           std::string(e.what()).substr(std::string(e.what()).rfind(e.key()) + e.key().size() + 2);
  }
  return "no error";
}
}  // namespace

TEST_CASE("fleet reader: the required keys alone give the documented defaults", "[fleet]") {
  const FleetSpec s = read(kRequired);
  CHECK(s.vehicles == 100);
  CHECK(s.vehicles_per_month == 0);
  CHECK_FALSE(s.max_vehicles.has_value());
  CHECK(s.active_w == 60);
  CHECK(s.idle_w == 0);
  CHECK_FALSE(s.per_vehicle);
  CHECK(s.source == FleetSource::ev);
  CHECK(s.driving.sessions_per_day == 2);
  CHECK(s.driving.weekend_sessions_per_day == 1);
  CHECK(s.driving.session_hours_mean == 0.6);
  CHECK(s.driving.session_hours_sd == 0.2);
  CHECK(s.driving.first_start_h == 7);
  CHECK(s.driving.last_start_h == 19);
  CHECK(s.driving.utc_offset_hours == 0);
  CHECK(s.driving.patterns == 16);
  CHECK(s.ev.charger_efficiency == 0.9);
  CHECK(s.ev.charge_start_h == 22);
  CHECK(s.ev.charge_hours == 8);
}

TEST_CASE("fleet reader: every key of an ev fleet (driving as a standard table)", "[fleet]") {
  const FleetSpec s = read(R"(
vehicles = 0
vehicles_per_month = 250
max_vehicles = 5000
active_w = 75.5
idle_w = 3
per_vehicle = true
source = "ev"
ev = { charger_efficiency = 1, charge_start_h = 0, charge_hours = 24 }
[driving]
sessions_per_day = 3
weekend_sessions_per_day = 0
session_hours_mean = 0.5
session_hours_sd = 0
first_start_h = 6.5
last_start_h = 6.5
utc_offset_hours = -5.5
patterns = 4
)");
  CHECK(s.vehicles == 0);
  CHECK(s.vehicles_per_month == 250);
  CHECK(s.max_vehicles == 5000);
  CHECK(s.active_w == 75.5);
  CHECK(s.idle_w == 3);
  CHECK(s.per_vehicle);
  CHECK(s.driving.sessions_per_day == 3);
  CHECK(s.driving.weekend_sessions_per_day == 0);
  CHECK(s.driving.session_hours_mean == 0.5);
  CHECK(s.driving.session_hours_sd == 0);
  CHECK(s.driving.first_start_h == 6.5);
  CHECK(s.driving.last_start_h == 6.5);
  CHECK(s.driving.utc_offset_hours == -5.5);
  CHECK(s.driving.patterns == 4);
  CHECK(s.ev.charger_efficiency == 1);
  CHECK(s.ev.charge_start_h == 0);
  CHECK(s.ev.charge_hours == 24);
}

TEST_CASE("fleet reader: ice fuels resolve to the EPA and AFDC figures or overrides", "[fleet]") {
  const FleetSpec gasoline = read("vehicles = 1\nactive_w = 60\nsource = \"ice\"\n");
  CHECK(gasoline.source == FleetSource::ice);
  CHECK(gasoline.ice.fuel == Fuel::gasoline);
  CHECK(gasoline.ice.engine_efficiency == 0.25);
  CHECK(gasoline.ice.alternator_efficiency == 0.55);
  // 8,887 g/gal / 3.785411784 L/gal = 2347.7 g/L.
  CHECK(gasoline.ice.fuel_co2_kg_per_l == Approx(2.3477).epsilon(1e-4));
  // 116,090 Btu/gal x 1055.056 J/Btu / 3.785411784 L/gal = 32.356 MJ/L = 8.988 kWh/L.
  CHECK(gasoline.ice.fuel_kwh_per_l == Approx(8.988).epsilon(1e-3));

  const FleetSpec diesel = read(
      "vehicles = 1\nactive_w = 60\nsource = \"ice\"\n"
      "ice = { fuel = \"diesel\", engine_efficiency = 0.3, alternator_efficiency = 0.6 }\n");
  CHECK(diesel.ice.fuel == Fuel::diesel);
  CHECK(diesel.ice.engine_efficiency == 0.3);
  CHECK(diesel.ice.alternator_efficiency == 0.6);
  // 10,180 g/gal / 3.785411784 = 2689.3 g/L; 128,488 Btu/gal -> 35.81 MJ/L = 9.948 kWh/L.
  CHECK(diesel.ice.fuel_co2_kg_per_l == Approx(2.6893).epsilon(1e-4));
  CHECK(diesel.ice.fuel_kwh_per_l == Approx(9.948).epsilon(1e-3));

  const FleetSpec custom = read(
      "vehicles = 1\nactive_w = 60\nsource = \"ice\"\n"
      "ice = { fuel = \"diesel\", fuel_co2_kg_per_l = 2.5, fuel_kwh_per_l = 10 }\n");
  CHECK(custom.ice.fuel_co2_kg_per_l == 2.5);
  CHECK(custom.ice.fuel_kwh_per_l == 10);
}

TEST_CASE("fleet reader: bad values name their key", "[fleet]") {
  const std::string ev = "active_w = 60\nsource = \"ev\"\n";
  CHECK(error_of("vehicles = -1\n" + ev) == "deployment[0].vehicles: negative fleet size");
  CHECK(error_of("active_w = 60\nsource = \"ev\"\n") ==
        "deployment[0]: missing key 'vehicles' (the fleet size at the start)");
  CHECK(error_of("vehicles = 1.5\n" + ev) ==
        "deployment[0].vehicles: expected an integer, got a float");
  CHECK(error_of(kRequired + "vehicles_per_month = -3\n") ==
        "deployment[0].vehicles_per_month: must not be negative");
  CHECK(error_of(kRequired + "max_vehicles = 99\n") ==
        "deployment[0].max_vehicles: must not be less than vehicles");
  CHECK(error_of("vehicles = 1\nactive_w = -1\nsource = \"ev\"\n") ==
        "deployment[0].active_w: must not be negative");
  CHECK(error_of(kRequired + "idle_w = -0.5\n") == "deployment[0].idle_w: must not be negative");
  CHECK(error_of(kRequired + "per_vehicle = 1\n") ==
        "deployment[0].per_vehicle: expected a boolean, got an integer");
  CHECK(error_of("vehicles = 1\nactive_w = 1\nsource = \"hydrogen\"\n") ==
        "deployment[0].source: 'hydrogen' is not one of: ev, ice");
  CHECK(error_of("vehicles = 1\nactive_w = 1\n") ==
        "deployment[0]: missing key 'source' (ev or ice)");
  CHECK(error_of(kRequired + "ice = { fuel = \"diesel\" }\n") ==
        "deployment[0].ice: given, but source is 'ev'");
  CHECK(error_of(kRequired + "colour = \"red\"\n") == "deployment[0].colour: unknown key");
}

TEST_CASE("fleet reader: bad driving ev and ice settings name their nested key", "[fleet]") {
  CHECK(error_of(kRequired + "driving = { patterns = 0 }\n") ==
        "deployment[0].driving.patterns: must be at least 1");
  CHECK(error_of(kRequired + "driving = { session_hours_mean = 0 }\n") ==
        "deployment[0].driving.session_hours_mean: must be greater than zero");
  CHECK(error_of(kRequired + "driving = { session_hours_sd = -0.1 }\n") ==
        "deployment[0].driving.session_hours_sd: must not be negative");
  CHECK(error_of(kRequired + "driving = { sessions_per_day = -1 }\n") ==
        "deployment[0].driving.sessions_per_day: must not be negative");
  CHECK(error_of(kRequired + "driving = { first_start_h = 24 }\n") ==
        "deployment[0].driving.first_start_h: must be in [0, 24)");
  CHECK(error_of(kRequired + "driving = { first_start_h = 9, last_start_h = 8 }\n") ==
        "deployment[0].driving.last_start_h: must not be less than first_start_h");
  CHECK(error_of(kRequired + "driving = { utc_offset_hours = 15 }\n") ==
        "deployment[0].driving.utc_offset_hours: must be in [-14, 14]");
  CHECK(error_of(kRequired + "driving = { sessions = 2 }\n") ==
        "deployment[0].driving.sessions: unknown key");
  CHECK(error_of(kRequired + "ev = { charge_hours = 25 }\n") ==
        "deployment[0].ev.charge_hours: charging window longer than a day");
  CHECK(error_of(kRequired + "ev = { charge_hours = 0 }\n") ==
        "deployment[0].ev.charge_hours: must be greater than zero");
  CHECK(error_of(kRequired + "ev = { charger_efficiency = 1.2 }\n") ==
        "deployment[0].ev.charger_efficiency: efficiency must be in (0, 1]");
  CHECK(error_of(kRequired + "ev = { charge_start_h = -1 }\n") ==
        "deployment[0].ev.charge_start_h: must be in [0, 24)");
  const std::string ice = "vehicles = 1\nactive_w = 60\nsource = \"ice\"\n";
  CHECK(error_of(ice + "ice = { engine_efficiency = 0 }\n") ==
        "deployment[0].ice.engine_efficiency: efficiency must be in (0, 1]");
  CHECK(error_of(ice + "ice = { alternator_efficiency = 1.01 }\n") ==
        "deployment[0].ice.alternator_efficiency: efficiency must be in (0, 1]");
  CHECK(error_of(ice + "ice = { fuel = \"kerosene\" }\n") ==
        "deployment[0].ice.fuel: 'kerosene' is not one of: gasoline, diesel");
  CHECK(error_of(ice + "ice = { fuel_kwh_per_l = 0 }\n") ==
        "deployment[0].ice.fuel_kwh_per_l: must be greater than zero");
  CHECK(error_of(ice + "ev = { charge_hours = 4 }\n") ==
        "deployment[0].ev: given, but source is 'ice'");
}

TEST_CASE("fleet reader: errors point at the line of the key", "[fleet]") {
  try {
    read(kRequired + "\ndriving = { patterns = 0 }\n");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.where().file == "fleet.toml");
    CHECK(e.where().line == 5);  // 3 required lines, a blank one, then driving
  }
}
