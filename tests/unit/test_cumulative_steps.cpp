// The running-sum copy of a step signal that the policy bound uses for a million window
// minima: it must find the same minimum as the exact search (best_start) up to rounding.
#include <catch2/catch.hpp>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <memory>

#include "grid/carbon_windows.hpp"
#include "grid/cumulative_steps.hpp"

using namespace mlcycle;

namespace {
// Steps of a table: value v[k] from t[k] on; the first value before t[0] = 0, the last forever.
class TableSignal final : public StepSignal {
 public:
  TableSignal(std::vector<double> t, std::vector<double> v) : t_(std::move(t)), v_(std::move(v)) {}
  double value_at(double time_s) const override { return v_[index(time_s)]; }
  double integral(double t0_s, double t1_s) const override {
    double sum = 0;
    for (double a = t0_s; a < t1_s;) {
      const double b = std::min(t1_s, next_change_after_s(a));
      sum += value_at(a) * (b - a);
      a = b;
    }
    return sum;
  }
  double next_change_after_s(double time_s) const override {
    const auto it = std::upper_bound(t_.begin(), t_.end(), time_s);
    return it == t_.end() ? INFINITY : *it;
  }

 private:
  std::size_t index(double time_s) const {
    const auto it = std::upper_bound(t_.begin(), t_.end(), time_s);
    return it == t_.begin() ? 0 : static_cast<std::size_t>(it - t_.begin()) - 1;
  }
  std::vector<double> t_, v_;
};
}  // namespace

TEST_CASE("cumulative steps: window minima by hand on three steps", "[cumulative_steps]") {
  // 0-3600 s: 400, 3600-7200 s: 100, then 300.
  auto signal = std::make_shared<TableSignal>(std::vector<double>{0, 3600, 7200},
                                              std::vector<double>{400, 100, 300});
  CumulativeSteps steps(signal);
  // 1800 s ready at 0, slack 7200: inside the low step, 100 x 1800 = 180000.
  CHECK(steps.least_window_integral(0, 7200, 1800) == Approx(180000));
  // No slack: 400 x 1800 = 720000.
  CHECK(steps.least_window_integral(0, 0, 1800) == Approx(720000));
  // 5400 s from [0, 7200]: best at 3600: 100 x 3600 + 300 x 1800 = 900000 (a start at 1800
  // gives 400 x 1800 + 100 x 3600 = 1080000).
  CHECK(steps.least_window_integral(0, 7200, 5400) == Approx(900000));
  // Length 0: nothing to emit.
  CHECK(steps.least_window_integral(100, 200, 0) == 0);
  // After the last step the value holds: 300 x 1000.
  CHECK(steps.least_window_integral(1e6, 2e6, 1000) == Approx(300000));
}

TEST_CASE("cumulative steps: the exact search's minimum on random signals", "[cumulative_steps]") {
  boost::random::mt19937 rng(11);
  boost::random::uniform_int_distribution<int> step_s(1, 1800);
  boost::random::uniform_real_distribution<double> value(0, 800);
  std::vector<double> t{0}, v{value(rng)};
  for (int k = 1; k < 400; ++k) {
    t.push_back(t.back() + step_s(rng));
    v.push_back(value(rng));
  }
  auto signal = std::make_shared<TableSignal>(t, v);
  CumulativeSteps steps(signal);
  boost::random::uniform_real_distribution<double> time(0, t.back() * 1.1);
  boost::random::uniform_real_distribution<double> span(0, 20000);
  for (int i = 0; i < 300; ++i) {
    const double earliest = time(rng), width = span(rng), length = span(rng);
    const double exact = best_start(*signal, earliest, earliest + width, length).integral;
    CHECK(steps.least_window_integral(earliest, earliest + width, length) ==
          Approx(exact).epsilon(1e-12).margin(1e-6));
  }
}
