// Window searches over a step signal (grid/carbon_windows.hpp): the first time at or below a
// threshold, the best start of a deferrable job, the time-weighted percentile. Hand oracles on
// small signals, then brute-force and property checks on random ones. The signals are the
// codebase's own table-backed StepTimeline over FixedStepsSource (last value holds forever).
#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include "grid/carbon_windows.hpp"
#include "grid/step_signal.hpp"
#include "grid/step_timeline.hpp"

using namespace mlcycle;

namespace {

struct Steps {
  std::vector<double> start_s;  // from 0, increasing
  std::vector<double> value;    // value[i] holds on [start_s[i], start_s[i + 1])
};

StepTimeline signal_of(const Steps& steps) {
  return StepTimeline(std::make_unique<FixedStepsSource>(steps.start_s, steps.value));
}

// 0-3600 s: 400 g/kWh, 3600-7200 s: 100, 7200 s on: 300.
const Steps kThree{{0, 3600, 7200}, {400, 100, 300}};

// `n` steps of 60..3600 whole seconds. Whole-number values (integer_values) make every integral
// an exact integer in double, so a property can be checked without any rounding slack.
Steps random_steps(std::uint32_t seed, int n, bool integer_values) {
  boost::random::mt19937 rng(seed);
  boost::random::uniform_int_distribution<int> duration_s(60, 3600);
  boost::random::uniform_int_distribution<int> whole(20, 600);
  boost::random::uniform_real_distribution<double> real(20.0, 600.0);
  Steps steps;
  double t_s = 0;
  for (int i = 0; i < n; ++i) {
    steps.start_s.push_back(t_s);
    steps.value.push_back(integer_values ? whole(rng) : real(rng));
    t_s += duration_s(rng);
  }
  return steps;
}

// Seconds of [t0_s, t1_s] during which the table's value satisfies `keep`, from the table alone.
template <class Keep>
double time_where(const Steps& steps, double t0_s, double t1_s, Keep keep) {
  double total_s = 0;
  for (std::size_t i = 0; i < steps.start_s.size(); ++i) {
    const double end_s = i + 1 < steps.start_s.size() ? steps.start_s[i + 1]
                                                      : std::numeric_limits<double>::infinity();
    const double a = std::max(t0_s, steps.start_s[i]), b = std::min(t1_s, end_s);
    if (a < b && keep(steps.value[i])) total_s += b - a;
  }
  return total_s;
}

// A broken signal whose next change never comes after the time asked.
class StuckSignal final : public StepSignal {
 public:
  double value_at(double) const override { return 500; }
  double integral(double t0_s, double t1_s) const override { return 500 * (t1_s - t0_s); }
  double next_change_after_s(double time_s) const override { return time_s; }
};

}  // namespace

TEST_CASE("first time at or below a threshold: hand oracles on three steps", "[carbon_windows]") {
  const StepTimeline s = signal_of(kThree);
  // 400 at 0 is above 150; the next breakpoint, 3600, holds 100 <= 150.
  CHECK(first_time_at_or_below_s(s, 0, 150, 7200) == 3600);
  CHECK(first_time_at_or_below_s(s, 1000, 150, 7200) == 3600);  // reached mid-window
  CHECK(first_time_at_or_below_s(s, 4000, 150, 7200) == 4000);  // already below at from_s
  CHECK(first_time_at_or_below_s(s, 0, 100, 7200) == 3600);     // "at or below": 100 <= 100
  // From exactly a breakpoint: right-continuous, value_at(3600) is 100.
  CHECK(first_time_at_or_below_s(s, 3600, 150, 9000) == 3600);
  // From the breakpoint 7200 on, 300 > 150 forever: start anyway at latest_s.
  CHECK(first_time_at_or_below_s(s, 7200, 150, 9000) == 9000);
  CHECK(first_time_at_or_below_s(s, 0, 50, 20000) == 20000);  // never reached: latest_s
  CHECK(first_time_at_or_below_s(s, 0, 150, 3000) == 3000);   // slack runs out before the dip
  CHECK(first_time_at_or_below_s(s, 0, 150, 3600) == 3600);   // latest_s on the dip itself
  CHECK(first_time_at_or_below_s(s, 500, 150, 500) == 500);   // no slack
  CHECK(first_time_at_or_below_s(s, 8000, 300, 9000) == 8000);

  const ConstantSignal flat(250);  // no breakpoint at all
  CHECK(first_time_at_or_below_s(flat, 10, 300, 100) == 10);
  CHECK(first_time_at_or_below_s(flat, 10, 200, 100) == 100);
}

TEST_CASE("first time at or below a threshold rejects a reversed or non-finite window",
          "[carbon_windows]") {
  const StepTimeline s = signal_of(kThree);
  CHECK_THROWS_AS(first_time_at_or_below_s(s, 10, 150, 5), std::invalid_argument);
  CHECK_THROWS_AS(first_time_at_or_below_s(s, std::nan(""), 150, 5), std::invalid_argument);
  CHECK_THROWS_AS(first_time_at_or_below_s(s, 0, 150, std::numeric_limits<double>::infinity()),
                  std::invalid_argument);
  CHECK_THROWS_AS(first_time_at_or_below_s(StuckSignal(), 0, 150, 100), std::logic_error);
}

TEST_CASE("best start: hand oracles on three steps", "[carbon_windows]") {
  const StepTimeline s = signal_of(kThree);
  // 1800 s ready at 0 with slack 7200. F(0) = 400 x 1800 = 720000; F falls while the job's end
  // enters the 100 step, F(3600) = 100 x 1800 = 180000, flat up to 5400, then rises toward 300.
  // The plateau [3600, 5400] ties: the earliest, 3600.
  BestStart b = best_start(s, 0, 7200, 1800);
  CHECK(b.start_s == 3600);
  CHECK(b.integral == 180000);

  // A window starting exactly on the breakpoint 3600: F(3600) = 180000, the same plateau.
  b = best_start(s, 3600, 9000, 1800);
  CHECK(b.start_s == 3600);
  CHECK(b.integral == 180000);
  // From the breakpoint 7200 on, F = 300 x 1800 = 540000 everywhere: a tie, the earliest wins.
  b = best_start(s, 7200, 9000, 1800);
  CHECK(b.start_s == 7200);
  CHECK(b.integral == 540000);

  // Length 7200 longer than the window [0, 3600]. F(0) = 400 x 3600 + 100 x 3600 = 1800000;
  // the slope is v(s + 7200) - v(s) = 300 - 400 = -100, so F(3600) = 1800000 - 100 x 3600 =
  // 1440000 (= 100 x 3600 + 300 x 3600): the minimum is the window's end.
  b = best_start(s, 0, 3600, 7200);
  CHECK(b.start_s == 3600);
  CHECK(b.integral == 1440000);

  // Length 0: nothing to integrate, start at once.
  b = best_start(s, 1000, 5000, 0);
  CHECK(b.start_s == 1000);
  CHECK(b.integral == 0);
  // No slack: the one start, integral(1000, 2800) = 400 x 1800 = 720000.
  b = best_start(s, 1000, 1000, 1800);
  CHECK(b.start_s == 1000);
  CHECK(b.integral == 720000);
}

TEST_CASE("best start at a breakpoint minus the length (the job's end crosses it)",
          "[carbon_windows]") {
  // 0-3600: 300, 3600-7200: 200, 7200 on: 500. Length 5400 in the window [0, 3600]:
  // on (0, 1800) the slope is v(s + 5400) - v(s) = 200 - 300 = -100, on (1800, 3600) it is
  // 500 - 300 = +200, so the minimum is at 1800 = 7200 - 5400, a breakpoint of neither end.
  // F(1800) = 300 x 1800 + 200 x 3600 = 540000 + 720000 = 1260000;
  // F(0) = 300 x 3600 + 200 x 1800 = 1440000, F(3600) = 200 x 3600 + 500 x 1800 = 1620000.
  const StepTimeline s = signal_of({{0, 3600, 7200}, {300, 200, 500}});
  const BestStart b = best_start(s, 0, 3600, 5400);
  CHECK(b.start_s == 1800);
  CHECK(b.integral == 1260000);
}

TEST_CASE("best start: equally good starts go to the earliest", "[carbon_windows]") {
  // Two dips of 100 (3600-7200 and 10800-14400) between steps of 300; a 3600 s job fits either
  // exactly: 100 x 3600 = 360000 both times.
  const StepTimeline s = signal_of({{0, 3600, 7200, 10800, 14400}, {300, 100, 300, 100, 300}});
  BestStart b = best_start(s, 0, 14400, 3600);
  CHECK(b.start_s == 3600);
  CHECK(b.integral == 360000);
  // The two window ends are the two dips: the earliest.
  b = best_start(s, 3600, 10800, 3600);
  CHECK(b.start_s == 3600);
  CHECK(b.integral == 360000);
  // Past the first dip: F(5000) = 100 x 2200 + 300 x 1400 = 640000; the second dip wins.
  b = best_start(s, 5000, 14400, 3600);
  CHECK(b.start_s == 10800);
  CHECK(b.integral == 360000);

  // A constant signal: every start ties, F = 250 x 600 = 150000.
  b = best_start(ConstantSignal(250), 100, 5000, 600);
  CHECK(b.start_s == 100);
  CHECK(b.integral == 150000);
}

TEST_CASE("best start rejects bad windows and lengths", "[carbon_windows]") {
  const StepTimeline s = signal_of(kThree);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(best_start(s, 100, 50, 10), std::invalid_argument);
  CHECK_THROWS_AS(best_start(s, 0, 50, -1), std::invalid_argument);
  CHECK_THROWS_AS(best_start(s, 0, inf, 10), std::invalid_argument);
  CHECK_THROWS_AS(best_start(s, 0, 50, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(best_start(StuckSignal(), 0, 100, 10), std::logic_error);
}

TEST_CASE("best start matches a dense scan and an independent candidate set on 200 random steps",
          "[carbon_windows]") {
  const Steps steps = random_steps(20240611, 200, false);
  const StepTimeline s = signal_of(steps);
  struct Case {
    double earliest_s, latest_s, length_s;
  };
  // Short and long jobs, windows narrower than the job, windows reaching past the last step.
  const double end_s = steps.start_s.back();
  const std::vector<Case> cases{{5000, 100000, 7200},
                                {1234.5, 30000, 900},
                                {40000, 43000, 20000},
                                {0, end_s, 3600},
                                {end_s - 5000, end_s + 9000, 12000}};
  for (const Case& c : cases) {
    const BestStart b = best_start(s, c.earliest_s, c.latest_s, c.length_s);
    INFO("window [" << c.earliest_s << ", " << c.latest_s << "], length " << c.length_s);
    REQUIRE(b.start_s >= c.earliest_s);
    REQUIRE(b.start_s <= c.latest_s);
    // Exactly what the accounting would charge for that start.
    REQUIRE(b.integral == s.integral(b.start_s, b.start_s + c.length_s));

    // Candidates from the table itself: the window ends, the steps inside, and each step the
    // job's end can cross, moved back by the length.
    std::set<double> candidates{c.earliest_s, c.latest_s};
    for (double t_s : steps.start_s) {
      if (t_s > c.earliest_s && t_s < c.latest_s) candidates.insert(t_s);
      const double shifted_s = t_s - c.length_s;
      if (t_s > c.earliest_s + c.length_s && t_s < c.latest_s + c.length_s &&
          shifted_s > c.earliest_s && shifted_s < c.latest_s)
        candidates.insert(shifted_s);
    }
    double min_integral = std::numeric_limits<double>::infinity(), argmin_s = 0;
    for (double cand_s : candidates) {  // increasing: the first minimum is the earliest
      const double f = s.integral(cand_s, cand_s + c.length_s);
      if (f < min_integral) min_integral = f, argmin_s = cand_s;
    }
    REQUIRE(b.integral == min_integral);
    REQUIRE(b.start_s == argmin_s);

    // No start on a 60 s grid beats it (up to rounding of sums of real values).
    for (double start_s = c.earliest_s; start_s <= c.latest_s; start_s += 60)
      REQUIRE(s.integral(start_s, start_s + c.length_s) >= b.integral * (1 - 1e-12));
  }
}

TEST_CASE("best start never moves back when a fixed-width window slides forward",
          "[carbon_windows]") {
  // Whole values and times: every integral is exact, so ties are real ties and the property
  // (if the old argmin is still in the window it still beats all older points, and ties go to
  // the earliest) holds exactly, with no rounding to excuse.
  const Steps steps = random_steps(7, 200, true);
  const StepTimeline s = signal_of(steps);
  const double end_s = steps.start_s.back() + 10000;
  struct Case {
    double width_s, length_s;
  };
  for (const Case& c : std::vector<Case>{{20000, 5000}, {3600, 7200}, {50000, 900}, {900, 0}}) {
    INFO("width " << c.width_s << ", length " << c.length_s);
    double previous_s = -1;
    std::set<double> starts;
    for (double earliest_s = 0; earliest_s < end_s; earliest_s += 97) {
      const BestStart b = best_start(s, earliest_s, earliest_s + c.width_s, c.length_s);
      INFO("earliest " << earliest_s);
      REQUIRE(b.start_s >= previous_s);
      previous_s = b.start_s;
      starts.insert(b.start_s);
    }
    CHECK(starts.size() > 20);  // the choice does move: the check is not vacuous
  }
}

TEST_CASE("time-weighted percentile: hand oracles", "[carbon_windows]") {
  // 100 for 3600 s then 300 for 10800 s in [0, 14400]: 25% of the time at 100, 75% at 300.
  const StepTimeline two = signal_of({{0, 3600}, {100, 300}});
  CHECK(time_weighted_percentile(two, 0, 14400, 0) == 100);    // the minimum
  CHECK(time_weighted_percentile(two, 0, 14400, 20) == 100);   // 2880 s <= 3600 s at 100
  CHECK(time_weighted_percentile(two, 0, 14400, 25) == 100);   // exactly 3600 s: still 100
  CHECK(time_weighted_percentile(two, 0, 14400, 50) == 300);   // 7200 s > 3600 s at 100
  CHECK(time_weighted_percentile(two, 0, 14400, 100) == 300);  // the maximum

  // Three steps over [1800, 9000] (7200 s): 400 for 1800 s, 100 for 3600 s, 300 for 1800 s.
  // Sorted: 100 up to 3600 s (50%), 300 up to 5400 s (75%), 400 up to 7200 s.
  const StepTimeline s = signal_of(kThree);
  CHECK(time_weighted_percentile(s, 1800, 9000, 50) == 100);
  CHECK(time_weighted_percentile(s, 1800, 9000, 51) == 300);  // 3672 s > 3600 s
  CHECK(time_weighted_percentile(s, 1800, 9000, 75) == 300);
  CHECK(time_weighted_percentile(s, 1800, 9000, 76) == 400);  // 5472 s > 5400 s
  // Inside one step: that value at every percentile.
  CHECK(time_weighted_percentile(s, 4000, 5000, 30) == 100);
  CHECK(time_weighted_percentile(ConstantSignal(250), 0, 10, 99) == 250);

  CHECK_THROWS_AS(time_weighted_percentile(s, 10, 10, 50), std::invalid_argument);
  CHECK_THROWS_AS(time_weighted_percentile(s, 10, 5, 50), std::invalid_argument);
  CHECK_THROWS_AS(time_weighted_percentile(s, 0, 10, -1), std::invalid_argument);
  CHECK_THROWS_AS(time_weighted_percentile(s, 0, 10, 100.5), std::invalid_argument);
  CHECK_THROWS_AS(time_weighted_percentile(s, 0, 10, std::nan("")), std::invalid_argument);
}

TEST_CASE("time-weighted percentile is the smallest value covering p percent of the time",
          "[carbon_windows]") {
  // Whole values and times, so the time sums are exact. A 7-day window, as for "at or below
  // the 30th percentile of the last 7 days", cut at a time inside a step on both ends.
  const Steps steps = random_steps(99, 400, true);
  const StepTimeline s = signal_of(steps);
  const double t0_s = 12345, t1_s = t0_s + 7 * 86400.0;
  const double total_s = t1_s - t0_s;
  for (double p : {0.0, 10.0, 30.0, 50.0, 90.0, 100.0}) {
    const double v = time_weighted_percentile(s, t0_s, t1_s, p);
    INFO("p " << p << ", value " << v);
    // At or below v for at least p% of the window...
    CHECK(time_where(steps, t0_s, t1_s, [&](double x) { return x <= v; }) >= total_s * p / 100);
    // ... and v is the smallest such value: strictly below it, less than p% (and some time).
    CHECK(time_where(steps, t0_s, t1_s, [&](double x) { return x == v; }) > 0);
    if (p > 0)
      CHECK(time_where(steps, t0_s, t1_s, [&](double x) { return x < v; }) < total_s * p / 100);
  }
}
