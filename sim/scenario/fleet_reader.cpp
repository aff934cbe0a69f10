#include "scenario/fleet_reader.hpp"

#include <string>

#include "core/limits.hpp"

namespace mlcycle {

namespace {

constexpr std::int64_t kMaxSessionsPerDay = 1440;  // one a minute: sessions last >= 1 min
constexpr std::int64_t kMaxPatterns = 1000000;

std::int64_t count_in(TomlTableReader& t, std::string_view key, std::int64_t fallback,
                      std::int64_t max, const std::string& negative_message) {
  auto value = t.integer(key);
  if (!value) return fallback;
  if (*value < 0) throw t.error_at(key, negative_message);
  if (*value > max) throw t.error_at(key, "at most " + std::to_string(max));
  return *value;
}

double hour_in(TomlTableReader& t, std::string_view key, double fallback, double lo, double hi,
               bool hi_inclusive) {
  auto value = t.number(key);
  if (!value) return fallback;
  if (*value < lo || *value > hi || (!hi_inclusive && *value == hi))
    throw t.error_at(key, "must be in [" + std::to_string(static_cast<int>(lo)) + ", " +
                              std::to_string(static_cast<int>(hi)) + (hi_inclusive ? "]" : ")"));
  return *value;
}

double efficiency(TomlTableReader& t, std::string_view key, double fallback) {
  auto value = t.number(key);
  if (!value) return fallback;
  if (*value <= 0 || *value > 1) throw t.error_at(key, "efficiency must be in (0, 1]");
  return *value;
}

TomlTableReader nested(TomlTableReader& d, const toml::table& table, std::string_view key) {
  return TomlTableReader(table, d.path_of(key), d.file());
}

void read_driving(TomlTableReader& t, DrivingSpec& s) {
  s.sessions_per_day = static_cast<std::uint32_t>(count_in(
      t, "sessions_per_day", s.sessions_per_day, kMaxSessionsPerDay, "must not be negative"));
  s.weekend_sessions_per_day =
      static_cast<std::uint32_t>(count_in(t, "weekend_sessions_per_day", s.weekend_sessions_per_day,
                                          kMaxSessionsPerDay, "must not be negative"));
  s.session_hours_mean = t.positive_number("session_hours_mean", s.session_hours_mean);
  s.session_hours_sd = t.non_negative_number("session_hours_sd", s.session_hours_sd);
  s.first_start_h = hour_in(t, "first_start_h", s.first_start_h, 0, 24, false);
  s.last_start_h = hour_in(t, "last_start_h", s.last_start_h, 0, 24, true);
  if (s.last_start_h < s.first_start_h)
    throw t.error_at("last_start_h", "must not be less than first_start_h");
  s.utc_offset_hours = hour_in(t, "utc_offset_hours", s.utc_offset_hours, -14, 14, true);
  auto patterns = t.integer("patterns");
  if (patterns) {
    if (*patterns < 1) throw t.error_at("patterns", "must be at least 1");
    if (*patterns > kMaxPatterns)
      throw t.error_at("patterns", "at most " + std::to_string(kMaxPatterns));
    s.patterns = static_cast<std::uint32_t>(*patterns);
  }
  t.reject_unknown_keys();
}

void read_ev(TomlTableReader& t, EvSpec& s) {
  s.charger_efficiency = efficiency(t, "charger_efficiency", s.charger_efficiency);
  s.charge_start_h = hour_in(t, "charge_start_h", s.charge_start_h, 0, 24, false);
  if (auto hours = t.number("charge_hours")) {
    if (*hours <= 0) throw t.error_at("charge_hours", "must be greater than zero");
    if (*hours > 24) throw t.error_at("charge_hours", "charging window longer than a day");
    s.charge_hours = *hours;
  }
  t.reject_unknown_keys();
}

void read_ice(TomlTableReader& t, IceSpec& s) {
  s.engine_efficiency = efficiency(t, "engine_efficiency", s.engine_efficiency);
  s.alternator_efficiency = efficiency(t, "alternator_efficiency", s.alternator_efficiency);
  const std::string fuel = t.string("fuel").value_or("gasoline");
  const std::optional<Fuel> parsed = parse_enum<Fuel>(fuel);
  if (!parsed) throw t.error_at("fuel", not_one_of<Fuel>(fuel));
  s.fuel = *parsed;
  const bool gasoline = s.fuel == Fuel::gasoline;
  s.fuel_co2_kg_per_l = gasoline ? kGasolineCo2KgPerL : kDieselCo2KgPerL;
  s.fuel_kwh_per_l = gasoline ? kGasolineKwhPerL : kDieselKwhPerL;
  s.fuel_co2_kg_per_l = t.non_negative_number("fuel_co2_kg_per_l", s.fuel_co2_kg_per_l);
  s.fuel_kwh_per_l = t.positive_number("fuel_kwh_per_l", s.fuel_kwh_per_l);
  t.reject_unknown_keys();
}

}  // namespace

void read_fleet(TomlTableReader& d, FleetSpec& spec) {
  auto vehicles = d.integer("vehicles");
  if (!vehicles) throw d.error_here("missing key 'vehicles' (the fleet size at the start)");
  if (*vehicles < 0) throw d.error_at("vehicles", "negative fleet size");
  const std::string too_many = "is out of range: at most 10^12 vehicles";
  if (*vehicles > limits::kMaxVehicles) throw d.error_at("vehicles", too_many);
  spec.vehicles = *vehicles;
  if (auto growth = d.integer("vehicles_per_month")) {
    if (*growth < 0) throw d.error_at("vehicles_per_month", "must not be negative");
    if (*growth > limits::kMaxVehicles) throw d.error_at("vehicles_per_month", too_many);
    spec.vehicles_per_month = *growth;
  }
  if (auto max = d.integer("max_vehicles")) {
    if (*max < spec.vehicles) throw d.error_at("max_vehicles", "must not be less than vehicles");
    if (*max > limits::kMaxVehicles) throw d.error_at("max_vehicles", too_many);
    spec.max_vehicles = *max;
  }
  auto active = d.number("active_w");
  if (!active) throw d.error_here("missing key 'active_w' (on-board power while driving)");
  if (*active < 0) throw d.error_at("active_w", "must not be negative");
  spec.active_w = *active;
  spec.idle_w = d.non_negative_number("idle_w", 0.0);
  if (const toml::node* n = d.node("per_vehicle")) {
    if (!n->is_boolean())
      throw d.error_at("per_vehicle", std::string("expected a boolean, got ") + toml_type_name(*n));
    spec.per_vehicle = n->as_boolean()->get();
  }
  if (const toml::table* driving = d.table("driving")) {
    TomlTableReader t = nested(d, *driving, "driving");
    read_driving(t, spec.driving);
  }

  auto source = d.string("source");
  if (!source) throw d.error_here("missing key 'source' (ev or ice)");
  const std::optional<FleetSource> parsed_source = parse_enum<FleetSource>(*source);
  if (!parsed_source) throw d.error_at("source", not_one_of<FleetSource>(*source));
  spec.source = *parsed_source;
  const bool ev = spec.source == FleetSource::ev;
  const char* other = ev ? "ice" : "ev";
  if (d.has(other)) {
    d.node(other);
    throw d.error_at(other, std::string("given, but source is '") + *source + "'");
  }
  if (const toml::table* table = d.table(ev ? "ev" : "ice")) {
    TomlTableReader t = nested(d, *table, ev ? "ev" : "ice");
    if (ev)
      read_ev(t, spec.ev);
    else
      read_ice(t, spec.ice);
  }
}

}  // namespace mlcycle
