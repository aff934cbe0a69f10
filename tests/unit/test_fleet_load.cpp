#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "workload/fleet_load.hpp"

using namespace mlcycle;

namespace {
constexpr double kDay = 86400;
const UtcTime kMonday = make_utc(2021, 1, 4, 0, 0, 0);  // 2021-01-04 was a Monday

// n identical vehicles: one session a day (weekends too) at start_h for exactly `hours`.
FleetSpec fixed_fleet(std::int64_t n, double active_w, double start_h, double hours) {
  FleetSpec s;
  s.vehicles = n;
  s.active_w = active_w;
  s.idle_w = 0;
  s.driving.sessions_per_day = 1;
  s.driving.weekend_sessions_per_day = 1;
  s.driving.session_hours_mean = hours;
  s.driving.session_hours_sd = 0;
  s.driving.first_start_h = start_h;
  s.driving.last_start_h = start_h;
  s.driving.utc_offset_hours = 0;
  s.driving.patterns = 1;
  return s;
}

std::vector<PowerStep> drain(FleetLoad& load) {
  std::vector<PowerStep> steps;
  while (auto step = load.next()) steps.push_back(*step);
  return steps;
}

// What the integrator integrates: sum of power x time to the next step.
double energy_j(const std::vector<PowerStep>& steps) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < steps.size(); ++i)
    sum += steps[i].power_w * (steps[i + 1].time_s - steps[i].time_s);
  return sum;
}

bool same_steps(const std::vector<PowerStep>& a, const std::vector<PowerStep>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].time_s != b[i].time_s || a[i].power_w != b[i].power_w) return false;
  return true;
}
}  // namespace

TEST_CASE("ev fleet on a fixed pattern charges exactly N x P x Q x D", "[fleet]") {
  FleetSpec spec = fixed_fleet(40, 250, 8, 1.5);
  spec.source = FleetSource::ev;
  spec.ev = {1.0, 20, 4};  // efficiency 1, window 20:00-24:00
  FleetLoad load(spec, kMonday, 0, 30 * kDay, 7);
  const std::vector<PowerStep> steps = drain(load);
  // 40 vehicles x 250 W x 1.5 h x 30 days x 3600 s/h = 1.62e9 J.
  CHECK(energy_j(steps) == 1.62e9);
  // At 300 g/kWh: 1.62e9 / 3.6e6 = 450 kWh x 300 = 135,000 g = 40 x 250 x 1.5 x 30 x 300 / 1000.
  CHECK(energy_j(steps) / 3.6e6 * 300 == 135000);
  // A day's 40 x 250 x 5400 = 5.4e7 J over the 4 h window: 5.4e7 / 14400 = 3750 W.
  REQUIRE(steps.size() == 61);  // start, 30 openings, 29 closings at midnight, the end
  CHECK(steps[0].time_s == 0);
  CHECK(steps[0].power_w == 0);
  CHECK(steps[1].time_s == 20 * 3600);
  CHECK(steps[1].power_w == 3750);
  CHECK(steps[2].time_s == kDay);
  CHECK(steps[2].power_w == 0);
  CHECK(steps[59].time_s == 29 * kDay + 20 * 3600);
  CHECK(steps[60].time_s == 30 * kDay);
  CHECK(steps[60].power_w == 0);
  CHECK_FALSE(load.next().has_value());
  const FleetStats s = load.stats();
  CHECK(s.onboard_energy_j == 1.62e9);
  CHECK(s.grid_energy_j == 1.62e9);
  CHECK(s.driving_hours == 1800);  // 40 x 1.5 h x 30
  CHECK(s.vehicle_days == 1200);   // 40 x 30
  CHECK(s.vehicles_end == 40);
  CHECK(s.fuel_l == 0);
  CHECK(std::isnan(load.ice_g_per_kwh()));
  CHECK(load.ev());

  spec.ev.charger_efficiency = 0.9;
  FleetLoad lossy(spec, kMonday, 0, 30 * kDay, 7);
  // 1.62e9 / 0.9 = 1.8e9 J from the grid.
  CHECK(energy_j(drain(lossy)) == Approx(1.8e9).epsilon(1e-14));
  CHECK(lossy.stats().grid_energy_j == Approx(1.8e9).epsilon(1e-14));
}

TEST_CASE("ice fleet on a fixed pattern burns E / (eta_e x eta_a) of fuel", "[fleet]") {
  FleetSpec spec = fixed_fleet(40, 250, 8, 1.5);
  spec.source = FleetSource::ice;
  spec.ice.engine_efficiency = 0.25;
  spec.ice.alternator_efficiency = 0.5;
  spec.ice.fuel_kwh_per_l = 10;
  spec.ice.fuel_co2_kg_per_l = 2.5;
  FleetLoad load(spec, kMonday, 0, 30 * kDay, 7);
  const std::vector<PowerStep> steps = drain(load);
  // The steps are the on-board power: 40 x 250 = 10 kW from 08:00 to 09:30 every day.
  REQUIRE(steps.size() == 62);  // start, 30 x (on, off), the end
  CHECK(steps[1].time_s == 8 * 3600);
  CHECK(steps[1].power_w == 10000);
  CHECK(steps[2].time_s == 9.5 * 3600);
  CHECK(steps[2].power_w == 0);
  CHECK(energy_j(steps) == 1.62e9);  // 40 x 250 x 1.5 x 30 x 3600
  const FleetStats s = load.stats();
  CHECK(s.onboard_energy_j == 1.62e9);
  CHECK(s.grid_energy_j == 0);
  // 1.62e9 J = 450 kWh; / (0.25 x 0.5) = 3600 kWh of fuel; / 10 kWh/L = 360 L; x 2.5 = 900 kg.
  CHECK(s.fuel_l == Approx(360).epsilon(1e-14));
  CHECK(s.direct_co2_g == Approx(900000).epsilon(1e-14));
  // 2.5 x 1000 / (10 x 0.25 x 0.5) = 2000 g/kWh; 450 kWh x 2000 = 900,000 g.
  CHECK(load.ice_g_per_kwh() == 2000);
  CHECK(energy_j(steps) / 3.6e6 * load.ice_g_per_kwh() == Approx(s.direct_co2_g).epsilon(1e-14));
  CHECK_FALSE(load.ev());
}

TEST_CASE("fleet growth adds vehicles at local midnight of every 1st", "[fleet]") {
  FleetSpec spec = fixed_fleet(10, 100, 8, 1);
  spec.vehicles_per_month = 5;
  spec.source = FleetSource::ice;
  const UtcTime jan1 = make_utc(2021, 1, 1, 0, 0, 0);
  const double three_months_s = 90 * kDay;  // Jan 31 + Feb 28 + Mar 31 days
  {
    FleetLoad load(spec, jan1, 0, three_months_s, 3);
    drain(load);
    // 31 x 10 + 28 x 15 + 31 x 20 = 310 + 420 + 620 = 1350 vehicle-days.
    CHECK(load.stats().vehicle_days == 1350);
    CHECK(load.stats().vehicles_end == 20);
    CHECK(load.stats().driving_hours == 1350);  // 1 h a vehicle-day
  }
  {
    FleetSpec capped = spec;
    capped.max_vehicles = 12;
    FleetLoad load(capped, jan1, 0, three_months_s, 3);
    drain(load);
    // 31 x 10 + 28 x 12 + 31 x 12 = 310 + 336 + 372 = 1018.
    CHECK(load.stats().vehicle_days == 1018);
    CHECK(load.stats().vehicles_end == 12);
  }
  {
    FleetLoad load(spec, jan1, 14 * kDay, three_months_s, 3);  // from Jan 15
    drain(load);
    // 17 x 10 (Jan 15-31) + 28 x 15 + 31 x 20 = 170 + 420 + 620 = 1210.
    CHECK(load.stats().vehicle_days == 1210);
  }
  {
    // UTC+2: the deployment runs from local 02:00 Jan 1 to local 02:00 Apr 1, and April's
    // vehicles join at local midnight, 2 h before the end:
    // (31 x 24 - 2) / 24 x 10 + 28 x 15 + 31 x 20 + 2 / 24 x 25 = 1040 + 7470 / 24 = 1351.25.
    FleetSpec east = spec;
    east.driving.utc_offset_hours = 2;
    FleetLoad load(east, jan1, 0, three_months_s, 3);
    drain(load);
    CHECK(load.stats().vehicle_days == Approx(1351.25).epsilon(1e-14));
    CHECK(load.stats().vehicles_end == 25);
  }
}

TEST_CASE("per-vehicle evaluation gives the cohort totals", "[fleet]") {
  FleetSpec spec;
  spec.vehicles = 7;
  spec.vehicles_per_month = 3;
  spec.max_vehicles = 12;
  spec.active_w = 37.3;
  spec.idle_w = 1.7;
  spec.driving.patterns = 4;
  spec.driving.utc_offset_hours = 1;
  for (FleetSource source : {FleetSource::ev, FleetSource::ice}) {
    spec.source = source;
    spec.per_vehicle = false;
    FleetLoad cohorts(spec, kMonday, 5 * 3600, 60 * kDay, 11);
    spec.per_vehicle = true;
    FleetLoad vehicles(spec, kMonday, 5 * 3600, 60 * kDay, 11);
    const std::vector<PowerStep> a = drain(cohorts);
    const std::vector<PowerStep> b = drain(vehicles);
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].time_s == b[i].time_s);
      if (a[i].power_w != 0)
        worst = std::max(worst, std::abs(a[i].power_w - b[i].power_w) / a[i].power_w);
    }
    CHECK(worst < 1e-12);
    const FleetStats x = cohorts.stats();
    const FleetStats y = vehicles.stats();
    CHECK(x.vehicle_days == y.vehicle_days);
    CHECK(x.driving_hours == y.driving_hours);
    CHECK(std::abs(x.onboard_energy_j - y.onboard_energy_j) < 1e-12 * x.onboard_energy_j);
    CHECK(std::abs(energy_j(a) - energy_j(b)) < 1e-12 * energy_j(a));
    CHECK(x.vehicles_end == 12);  // 7, + 3 on Feb 1, + 3 on Mar 1 capped at 12
    CHECK(y.vehicles_end == 12);
  }
}

TEST_CASE("fleet steps are deterministic and a day's sessions do not depend on order", "[fleet]") {
  FleetSpec spec;
  spec.vehicles = 50;
  spec.active_w = 80;
  spec.idle_w = 2;
  spec.source = FleetSource::ice;
  FleetLoad a(spec, kMonday, 0, 20 * kDay, 42), b(spec, kMonday, 0, 20 * kDay, 42),
      c(spec, kMonday, 0, 20 * kDay, 43);
  const std::vector<PowerStep> steps = drain(a);
  CHECK(same_steps(steps, drain(b)));
  CHECK_FALSE(same_steps(steps, drain(c)));

  // A deployment started 10 days later draws the same days: its steps are the tail of a's.
  FleetLoad later(spec, kMonday, 10 * kDay, 20 * kDay, 42);
  const std::vector<PowerStep> tail = drain(later);
  std::vector<PowerStep> expected;
  for (const PowerStep& s : steps)
    if (s.time_s > 10 * kDay) expected.push_back(s);
  REQUIRE(tail.size() == expected.size() + 1);  // plus its own first step at day 10
  CHECK(tail[0].time_s == 10 * kDay);
  CHECK(same_steps(std::vector<PowerStep>(tail.begin() + 1, tail.end()), expected));
}

TEST_CASE("hours driven per vehicle-day are a result near sessions x mean", "[fleet]") {
  FleetSpec spec;
  spec.vehicles = 64;
  spec.driving.patterns = 64;  // one vehicle per pattern
  spec.active_w = 50;
  spec.source = FleetSource::ice;
  FleetLoad load(spec, kMonday, 0, 364 * kDay, 5);  // 52 whole weeks
  drain(load);
  const FleetStats s = load.stats();
  CHECK(s.vehicle_days == 64 * 364);
  const double q = s.driving_hours / s.vehicle_days;
  // Expected (5 x 2 + 2 x 1) x 0.6 h / 7 = 1.02857 h/day. 64 x 624 = 39,936 sessions with sd
  // 0.2 h give a standard error of 0.2 x sqrt(39936) / 23296 = 0.0017 h: 0.01 is ~6 sigma.
  CHECK(q == Approx(7.2 / 7).margin(0.01));
  CHECK(q != 7.2 / 7);  // drawn, not set
  CHECK(s.onboard_energy_j == Approx(s.driving_hours * 3600 * 50).epsilon(1e-12));
}

TEST_CASE("an ev charging window crossing midnight draws day energy / eff / window", "[fleet]") {
  FleetSpec spec = fixed_fleet(10, 120, 8, 1);
  spec.driving.utc_offset_hours = 2;  // local midnight of Jan 4 is at scenario -7200 s
  spec.source = FleetSource::ev;
  spec.ev = {0.8, 22, 8};  // 22:00-06:00 local = 20:00-04:00 UTC
  FleetLoad load(spec, kMonday, 0, 3 * kDay, 1);
  const std::vector<PowerStep> steps = drain(load);
  // Day energy 10 x 120 W x 3600 s = 4.32e6 J; / 0.8 / 28800 s = 187.5 W.
  const std::vector<PowerStep> expected = {
      {0, 0},      {72000, 187.5},                   // 20:00 UTC = -7200 + 22 x 3600
      {100800, 0}, {158400, 187.5},                  // + 8 h; next day
      {187200, 0}, {244800, 187.5}, {3 * kDay, 0}};  // the third window is cut by the end
  CHECK(same_steps(steps, expected));
  const FleetStats s = load.stats();
  CHECK(s.onboard_energy_j == 12.96e6);  // 3 x 4.32e6
  // Two whole windows of 5.4e6 J and 4 h of the third: 10.8e6 + 187.5 x 14400 = 13.5e6 J.
  CHECK(s.grid_energy_j == 13.5e6);
  CHECK(energy_j(steps) == 13.5e6);
}

TEST_CASE("a model update changes the vehicles' power from its time on", "[fleet]") {
  FleetSpec spec = fixed_fleet(10, 100, 8, 1);
  spec.source = FleetSource::ice;
  FleetLoad load(spec, kMonday, 0, 4 * kDay, 1);
  std::vector<PowerStep> steps;
  while (steps.size() < 5) steps.push_back(*load.next());  // through day 1 09:00
  CHECK(steps.back().time_s == kDay + 9 * 3600);
  load.apply_update(2 * kDay, 300, 0);
  CHECK_THROWS_AS(load.apply_update(kDay, 50, 0), std::logic_error);  // before the last step
  while (auto step = load.next()) steps.push_back(*step);
  REQUIRE(steps.size() == 10);
  CHECK(steps[1].power_w == 1000);  // 10 x 100 W
  CHECK(steps[3].power_w == 1000);
  CHECK(steps[5].time_s == 2 * kDay + 8 * 3600);
  CHECK(steps[5].power_w == 3000);  // 10 x 300 W
  CHECK(steps[7].power_w == 3000);
  // 2 days x 1000 W x 3600 s + 2 days x 3000 W x 3600 s = 7.2e6 + 21.6e6.
  CHECK(load.stats().onboard_energy_j == 28.8e6);
  CHECK(energy_j(steps) == 28.8e6);
}

TEST_CASE("an ev update after a window opened is charged in the next window", "[fleet]") {
  FleetSpec spec = fixed_fleet(10, 100, 8, 1);
  spec.source = FleetSource::ev;
  spec.ev = {1.0, 6, 4};  // 06:00-10:00: opens before the 08:00 session
  FleetLoad load(spec, kMonday, 0, 3 * kDay, 1);
  std::vector<PowerStep> steps = {*load.next(), *load.next()};
  // Day 0 planned with 100 W: 10 x 100 x 3600 = 3.6e6 J / 14400 s = 250 W.
  CHECK(steps[1].time_s == 6 * 3600);
  CHECK(steps[1].power_w == 250);
  load.apply_update(7 * 3600, 300, 0);  // before the day's session: day 0 really uses 10.8e6 J
  while (auto step = load.next()) steps.push_back(*step);
  const std::vector<PowerStep> expected = {
      {0, 0},
      {21600, 250},
      {36000, 0},
      {kDay + 21600, 1250},  // (10.8e6 + the 7.2e6 missed on day 0) / 14400
      {kDay + 36000, 0},
      {2 * kDay + 21600, 750},  // 10.8e6 / 14400
      {2 * kDay + 36000, 0},
      {3 * kDay, 0}};
  CHECK(same_steps(steps, expected));
  // Grid energy = on-board energy: 3 x 10.8e6 J.
  CHECK(load.stats().onboard_energy_j == 32.4e6);
  CHECK(load.stats().grid_energy_j == 32.4e6);
}

// Cohorts keep a 5-year fleet of 100,000 vehicles to a few thousand steps. Its speed is measured
// by `make bench` (tests/perf/inference-fleet-serving.toml), never asserted here.
TEST_CASE("a fleet of 100000 vehicles over 5 years in cohorts steps by cohort", "[fleet]") {
  FleetSpec spec;
  spec.vehicles = 100000;
  spec.vehicles_per_month = 1000;
  spec.active_w = 500;
  spec.idle_w = 5;
  for (FleetSource source : {FleetSource::ev, FleetSource::ice}) {
    spec.source = source;
    FleetLoad load(spec, kMonday, 0, 1826 * kDay, 3);
    std::size_t n = 0;
    while (load.next()) ++n;
    CHECK(n > 2 * 1826);
    // Ends 2026-01-04: 100,000 + 1000 x 60 firsts (Feb 2021 .. Jan 2026) = 160,000.
    CHECK(load.stats().vehicles_end == 160000);
  }
}

TEST_CASE("an update from the last step's time restates that step", "[fleet]") {
  // A caller that fetched a step ahead, got an update and replaces the fetched step by the next.
  FleetSpec spec = fixed_fleet(10, 100, 8, 1);
  spec.source = FleetSource::ice;
  FleetLoad load(spec, kMonday, 0, 2 * kDay, 1);
  std::vector<PowerStep> applied = {*load.next(), *load.next()};  // (0, 0), (08:00, 1000 W)
  PowerStep ahead = *load.next();                                 // (09:00, 0 W)
  CHECK(ahead.time_s == 9 * 3600);
  load.apply_update(ahead.time_s, 300, 0);  // idle unchanged: 0 W at 09:00 all the same
  ahead = *load.next();
  CHECK(ahead.time_s == 9 * 3600);  // restated, not skipped to the next day
  CHECK(ahead.power_w == 0);
  applied.push_back(ahead);
  while (auto step = load.next()) applied.push_back(*step);
  // Day 0: 1000 W x 1 h; day 1: 10 x 300 W x 1 h: 3.6e6 + 10.8e6 J.
  CHECK(energy_j(applied) == 14.4e6);
  CHECK(load.stats().onboard_energy_j == 14.4e6);

  spec.source = FleetSource::ev;
  spec.ev = {1.0, 20, 4};
  FleetLoad ev(spec, kMonday, 0, 2 * kDay, 1);
  ev.next();
  const PowerStep opening = *ev.next();  // day 0 window at 20:00: 3.6e6 J / 14400 s = 250 W
  ev.apply_update(opening.time_s, 300, 0);
  const PowerStep again = *ev.next();
  CHECK(again.time_s == opening.time_s);
  CHECK(again.power_w == 250);
  CHECK(ev.next()->time_s == kDay);  // the window closes; day 1 is charged at 300 W x 10
  CHECK(ev.next()->power_w == 750);  // 10.8e6 / 14400
}
