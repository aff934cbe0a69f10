// Forecasts of a carbon-intensity signal: persistence by hand, noisy forecasts against the actual
// signal (sd 0), their seed, their AR(1) statistics, their floor and their exact integral.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "grid/intensity_forecast.hpp"
#include "grid/step_timeline.hpp"

using namespace mlcycle;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A table of (start time, value) steps from 0; the first value holds before 0, the last forever.
std::shared_ptr<const StepSignal> steps(std::vector<double> start_s, std::vector<double> value) {
  return std::make_shared<StepTimeline>(
      std::make_unique<FixedStepsSource>(std::move(start_s), std::move(value)));
}

struct Pieces {
  double sum = 0;
  int count = 0;
};

// The brute force: walk [t0, t1] from change to change, value at each piece's start x length.
Pieces brute_integral(const StepSignal& s, double t0_s, double t1_s) {
  Pieces p;
  for (double t = t0_s; t < t1_s;) {
    const double next = std::min(s.next_change_after_s(t), t1_s);
    p.sum += s.value_at(t) * (next - t);
    ++p.count;
    t = next;
  }
  return p;
}

struct Moments {
  double mean = 0, sd = 0, lag1 = 0;
};

Moments moments(const std::vector<double>& x) {
  Moments m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  double ss = 0, cross = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    ss += (x[i] - m.mean) * (x[i] - m.mean);
    if (i + 1 < x.size()) cross += (x[i] - m.mean) * (x[i + 1] - m.mean);
  }
  m.sd = std::sqrt(ss / static_cast<double>(x.size() - 1));
  m.lag1 = cross / ss;
  return m;
}

}  // namespace

TEST_CASE("intensity forecast: persistence shifts a two-step signal by its lag",
          "[intensity_forecast]") {
  // Actual: 300 g/kWh on [0, 86400), 100 after. Lag 86400 s (same time yesterday).
  auto actual = steps({0, 86400}, {300, 100});
  PersistenceForecast f(actual, 86400);
  CHECK(f.value_at(90000) == 300);   // actual at 90000 - 86400 = 3600: 300
  CHECK(f.value_at(3600) == 300);    // actual at -82800: before the data, the first value held
  CHECK(f.value_at(172799) == 300);  // actual at 86399
  CHECK(f.value_at(172800) == 100);  // actual at 86400
  // [86400, 90000] reads actual [0, 3600]: 300 x 3600 = 1.08e6.
  CHECK(f.integral(86400, 90000) == 1.08e6);
  // [86400, 259200] reads [0, 172800]: 300 x 86400 + 100 x 86400 = 2.592e7 + 8.64e6 = 3.456e7.
  CHECK(f.integral(86400, 259200) == 3.456e7);
  // Actual's next change after 0 is 86400, shifted: 172800; after 86400 it never changes.
  CHECK(f.next_change_after_s(86400) == 172800);
  CHECK(f.next_change_after_s(0) == 172800);  // actual after -86400: its step at 86400
  CHECK(f.next_change_after_s(172800) == kInf);

  // Same time last week: lag 168 h = 604800 s; at 604800 + 90000 it reads actual(90000) = 100.
  ForecastSpec week;
  week.kind = ForecastKind::persistence;
  week.lag_s = 168 * 3600.0;
  auto weekly = make_forecast(actual, week, 1);
  CHECK(weekly->value_at(604800 + 90000) == 100);
  CHECK(weekly->value_at(604800 + 3600) == 300);
}

TEST_CASE("intensity forecast: noisy with sd 0 is the actual signal", "[intensity_forecast]") {
  auto actual = steps({0, 1000, 5000.5, 9000, 30000}, {250, 180.25, 310, 95.5, 120});
  NoisyForecast f(actual, 0.0, 6 * 3600.0, 3600, 12345);
  // value_at, integral and next change are the actual's own results, bit-identical (==).
  for (double t = -7200.25; t < 50000; t += 337.75) {
    CHECK(f.value_at(t) == actual->value_at(t));
    CHECK(f.next_change_after_s(t) == actual->next_change_after_s(t));
    CHECK(f.integral(t, t + 12345.5) == actual->integral(t, t + 12345.5));
  }
  CHECK(f.integral(-3000, 45000) == actual->integral(-3000, 45000));

  ForecastSpec spec;
  spec.kind = ForecastKind::noisy;  // relative_sd stays 0
  auto made = make_forecast(actual, spec, 99);
  CHECK(made->value_at(5000.5) == 310);
  CHECK(made->integral(0, 40000) == actual->integral(0, 40000));
}

TEST_CASE("intensity forecast: noisy errors are reproducible from the seed",
          "[intensity_forecast]") {
  auto actual = std::make_shared<ConstantSignal>(100.0);
  NoisyForecast a(actual, 0.1, 6 * 3600.0, 3600, 7);
  NoisyForecast b(actual, 0.1, 6 * 3600.0, 3600, 7);
  NoisyForecast c(actual, 0.1, 6 * 3600.0, 3600, 8);
  // b is read in the opposite order (latest step first): errors depend on (seed, step) only.
  const int n = 2000;  // steps -1000 .. 999
  std::vector<double> from_b(n);
  for (int i = n - 1; i >= 0; --i) from_b[i] = b.value_at((i - n / 2) * 3600.0 + 10);
  int differing = 0;
  for (int i = 0; i < n; ++i) {
    const double t = (i - n / 2) * 3600.0 + 10;
    CHECK(a.value_at(t) == from_b[i]);
    if (c.value_at(t) != a.value_at(t)) ++differing;
  }
  CHECK(differing == n);  // continuous draws of another stream: no two equal
  // Within one error step the value holds.
  CHECK(a.value_at(3600) == a.value_at(7199.5));
}

TEST_CASE("intensity forecast: noisy error statistics follow the AR(1) model",
          "[intensity_forecast]") {
  // Constant 100, sd 0.1, correlation 6 h, steps of 1 h: rho = exp(-1/6) = 0.8465.
  auto actual = std::make_shared<ConstantSignal>(100.0);
  NoisyForecast f(actual, 0.1, 6 * 3600.0, 3600, 2024);
  const double rho = std::exp(-1.0 / 6);
  const int n = 20000;
  // Tolerances, n = 20000 (the seed is fixed, so the test is deterministic; these margins say
  // the draws are not a lucky pass):
  //   mean: sd of an AR(1) sample mean = sd sqrt((1 + rho) / ((1 - rho) n))
  //         = 0.1 sqrt(1.8465 / (0.1535 x 20000)) = 0.0025, so +-0.01 is 4 sigma;
  //   sd:   relative sd of the sample sd ~ sqrt((1 + rho^2) / (2 (1 - rho^2) n)) = 0.012, so
  //         10 % is 8 sigma;
  //   lag-1 autocorrelation: sd ~ sqrt((1 - rho^2) / n) = 0.0038, so +-0.05 is 13 sigma.
  auto check = [&](const std::vector<double>& x, double expected_lag1) {
    const Moments m = moments(x);
    CHECK(std::abs(m.mean) < 0.01);
    CHECK(m.sd == Approx(0.1).epsilon(0.10));
    CHECK(m.lag1 == Approx(expected_lag1).margin(0.05));
  };
  std::vector<double> ahead(n), behind(n);
  for (int k = 0; k < n; ++k) {
    ahead[k] = f.value_at(k * 3600.0 + 1800) / 100 - 1;  // mid-step: e_k
    // Steps -1, -2, ...: the backward branch has the same law (AR(1) reversed in time).
    behind[k] = f.value_at(-(k + 1) * 3600.0 + 1800) / 100 - 1;
  }
  check(ahead, rho);
  check(behind, rho);
  // Across 0 the process goes on: e_{-1} follows from e_0, not from a fresh start.
  CHECK(f.relative_error(-1) != f.relative_error(0));

  SECTION("correlation 0: independent steps") {
    NoisyForecast independent(actual, 0.1, 0, 3600, 2024);
    std::vector<double> x(n);
    for (int k = 0; k < n; ++k) x[k] = independent.relative_error(k);
    check(x, 0.0);  // lag-1 sd ~ 1 / sqrt(n) = 0.007
  }
  SECTION("infinite correlation: one error for the whole run") {
    // rho = exp(0) = 1, innovation sd = 0.1 x sqrt(1 - 1) = 0: e_k = e_0 for every k.
    NoisyForecast fixed(actual, 0.1, kInf, 3600, 2024);
    for (int k = -50; k < 50; ++k) CHECK(fixed.relative_error(k) == fixed.relative_error(0));
  }
}

TEST_CASE("intensity forecast: noisy forecast is floored at zero", "[intensity_forecast]") {
  // sd 2: 1 + e < 0 when z < -0.5, about 31 % of independent steps.
  auto actual = std::make_shared<ConstantSignal>(400.0);
  NoisyForecast f(actual, 2.0, 0, 3600, 5);
  int zeros = 0;
  for (int k = -500; k < 5000; ++k) {
    const double v = f.value_at(k * 3600.0);
    CHECK(v >= 0);
    if (v == 0) {
      ++zeros;
      // A floored step contributes nothing: 0 x 3600.
      CHECK(f.integral(k * 3600.0, (k + 1) * 3600.0) == 0);
    }
  }
  CHECK(zeros > 1000);  // of 5500 steps, about 1700 expected
  CHECK(f.integral(-500 * 3600.0, 5000 * 3600.0) >= 0);
}

TEST_CASE("intensity forecast: noisy integral is exact over mixed breakpoints",
          "[intensity_forecast]") {
  // Actual steps at 1000, 5000, 9000.5, 12345; error steps of 3600 s.
  auto actual = steps({0, 1000, 5000, 9000.5, 12345}, {200, 250, 180, 300, 150});
  NoisyForecast f(actual, 0.2, 7200, 3600, 31);
  // [500.25, 20000.75] breaks at 1000, 3600, 5000, 7200, 9000.5, 10800, 12345, 14400, 18000:
  // 10 pieces, each value_at(piece start) x its length.
  const Pieces brute = brute_integral(f, 500.25, 20000.75);
  CHECK(brute.count == 10);
  CHECK(f.integral(500.25, 20000.75) == Approx(brute.sum).epsilon(1e-12));
  // Before 0 (backward errors, the actual's first value held): [-9000.5, 2000] breaks at -7200,
  // -3600, 0, 1000: 5 pieces.
  const Pieces before = brute_integral(f, -9000.5, 2000);
  CHECK(before.count == 5);
  CHECK(f.integral(-9000.5, 2000) == Approx(before.sum).epsilon(1e-12));
  // Within one error step and one actual step: value x length.
  CHECK(f.integral(5100, 5200) == Approx(f.value_at(5100) * 100).epsilon(1e-15));
  // Ending on an error boundary; the reversed window is the negative.
  CHECK(f.integral(1000, 7200) == Approx(brute_integral(f, 1000, 7200).sum).epsilon(1e-12));
  CHECK(f.integral(7200, 1000) == -f.integral(1000, 7200));
  CHECK(f.integral(3000, 3000) == 0);

  // Next change: min(actual's next change, next error boundary).
  CHECK(f.next_change_after_s(500) == 1000);   // actual at 1000 before the boundary 3600
  CHECK(f.next_change_after_s(1000) == 3600);  // boundary before actual's 5000
  CHECK(f.next_change_after_s(3600) == 5000);  // actual 5000 before boundary 7200
  CHECK(f.next_change_after_s(9000) == 9000.5);
  CHECK(f.next_change_after_s(-0.5) == 0);       // error boundary at 0
  CHECK(f.next_change_after_s(20000) == 21600);  // past the last actual step
}

TEST_CASE("intensity forecast: factory kinds and bad parameters", "[intensity_forecast]") {
  auto actual = steps({0, 86400}, {300, 100});
  ForecastSpec spec;  // perfect: the actual signal itself
  CHECK(make_forecast(actual, spec, 1) == actual);

  spec.kind = ForecastKind::persistence;
  CHECK(make_forecast(actual, spec, 1)->value_at(172800) == 100);  // default lag 86400
  spec.lag_s = -1;
  CHECK_THROWS_AS(make_forecast(actual, spec, 1), std::invalid_argument);

  spec = ForecastSpec{};
  spec.kind = ForecastKind::noisy;
  spec.relative_sd = 0.1;
  auto noisy = make_forecast(actual, spec, 1);
  REQUIRE(dynamic_cast<const NoisyForecast*>(noisy.get()) != nullptr);
  CHECK(noisy->value_at(10) != actual->value_at(10));
  spec.relative_sd = -0.1;
  CHECK_THROWS_AS(make_forecast(actual, spec, 1), std::invalid_argument);
  spec.relative_sd = 0.1;
  spec.error_step_s = 0;
  CHECK_THROWS_AS(make_forecast(actual, spec, 1), std::invalid_argument);
  spec.error_step_s = 3600;
  spec.correlation_s = -1;
  CHECK_THROWS_AS(make_forecast(actual, spec, 1), std::invalid_argument);
  CHECK_THROWS_AS(make_forecast(nullptr, ForecastSpec{}, 1), std::invalid_argument);
  CHECK_THROWS_AS(noisy->value_at(kInf), std::domain_error);
}
