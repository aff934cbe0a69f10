#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "workload/learning_curve.hpp"

using namespace mlcycle;

namespace {
SearchSpec curve_spec() {
  SearchSpec spec;
  spec.max_budget = 81;
  spec.score_mean = 0.8;
  spec.score_sd = 0.05;
  spec.noise_sd = 0.01;
  spec.curve_rate_min = 2;
  spec.curve_rate_max = 6;
  return spec;
}
}  // namespace

TEST_CASE("learning curve: the same seed gives the same scores, another seed does not",
          "[search][curve]") {
  const SearchSpec spec = curve_spec();
  const LearningCurve a(spec, 7), b(spec, 7), c(spec, 8);
  int same_seed_equal = 0, other_seed_equal = 0;
  for (std::uint64_t config = 0; config < 200; ++config) {
    const double x = a.score(config, 9, 2);
    same_seed_equal += x == b.score(config, 9, 2);
    other_seed_equal += x == c.score(config, 9, 2);
  }
  CHECK(same_seed_equal == 200);
  CHECK(other_seed_equal == 0);
}

TEST_CASE("learning curve: a score does not depend on what was scored before", "[search][curve]") {
  const SearchSpec spec = curve_spec();
  const LearningCurve fresh(spec, 3), used(spec, 3);
  for (std::uint64_t config = 0; config < 50; ++config) (void)used.score(config, 27, 3);
  CHECK(fresh.score(50, 3, 1) == used.score(50, 3, 1));
  CHECK(fresh.score(10, 27, 3) == used.score(10, 27, 3));
  // Another rung draws other noise for the same configuration and budget.
  CHECK(fresh.noise(10, 1) != fresh.noise(10, 2));
}

TEST_CASE("learning curve: at the full budget the score is f_c plus that rung's noise",
          "[search][curve]") {
  const SearchSpec spec = curve_spec();
  const LearningCurve curve(spec, 5);
  for (std::uint64_t config = 0; config < 100; ++config) {
    // m_c(R) = f_c * (1 - exp(-k_c)) / (1 - exp(-k_c)) = f_c exactly (b / R = 1).
    CHECK(curve.expected_score(config, 81) == curve.final_score(config));
    CHECK(curve.score(config, 81, 4) == curve.final_score(config) + curve.noise(config, 4));
  }
}

TEST_CASE("learning curve: without noise the score rises with the budget", "[search][curve]") {
  SearchSpec spec = curve_spec();
  spec.noise_sd = 0;
  const LearningCurve curve(spec, 9);
  int rises = 0, steps = 0;
  for (std::uint64_t config = 0; config < 100; ++config) {
    double previous = 0;  // m_c(0) = 0
    for (double budget = 1; budget <= 81; budget += 1) {
      const double s = curve.score(config, budget, 0);
      rises += s > previous;
      ++steps;
      previous = s;
    }
  }
  CHECK(rises == steps);  // 100 configurations x 81 budgets, every step strictly up
}

TEST_CASE("learning curve: the equation with a fixed rate and score", "[search][curve]") {
  SearchSpec spec = curve_spec();
  spec.score_mean = 0.9;
  spec.score_sd = 0;
  spec.noise_sd = 0;
  spec.curve_rate_min = spec.curve_rate_max = std::log(4.0);
  const LearningCurve curve(spec, 1);
  CHECK(curve.final_score(17) == 0.9);
  CHECK(curve.curve_rate(17) == std::log(4.0));
  // k = ln 4 at b = R/2: 0.9 * (1 - 4^-0.5) / (1 - 4^-1) = 0.9 * 0.5 / 0.75 = 0.6
  CHECK(curve.score(17, 40.5, 1) == Approx(0.6).epsilon(1e-12));
  // b = R/4: 0.9 * (1 - 4^-0.25) / 0.75 = 0.9 * (1 - 0.70710678) / 0.75 = 0.35147186
  CHECK(curve.score(17, 20.25, 0) == Approx(0.351471863).epsilon(1e-8));
}

TEST_CASE("learning curve: latent scores follow the spec and are clamped to [0, 1]",
          "[search][curve]") {
  SearchSpec spec = curve_spec();
  const LearningCurve curve(spec, 21);
  double sum = 0, rate_lo = 1e9, rate_hi = 0;
  const int n = 20000;
  for (int c = 0; c < n; ++c) {
    sum += curve.final_score(c);
    rate_lo = std::min(rate_lo, curve.curve_rate(c));
    rate_hi = std::max(rate_hi, curve.curve_rate(c));
  }
  // Standard error of the mean: 0.05 / sqrt(20000) = 0.00035; 0.002 is over 5 of them.
  CHECK(sum / n == Approx(0.8).margin(0.002));
  CHECK(rate_lo >= 2);
  CHECK(rate_hi <= 6);
  CHECK(rate_hi - rate_lo > 3.9);  // 20,000 uniform draws cover nearly all of [2, 6]

  spec.score_mean = 1;  // half of Normal(1, 0.5) lies above 1 and clamps there
  spec.score_sd = 0.5;
  const LearningCurve wide(spec, 21);
  int at_one = 0, outside = 0;
  for (int c = 0; c < 1000; ++c) {
    const double f = wide.final_score(c);
    at_one += f == 1;
    outside += f < 0 || f > 1;
  }
  CHECK(outside == 0);
  CHECK(at_one > 400);  // about 500 of 1000
  CHECK(at_one < 600);
}

TEST_CASE("learning curve: rankings at a small budget differ from the final ranking",
          "[search][curve]") {
  SearchSpec spec = curve_spec();
  spec.noise_sd = 0;  // even without noise, different rates reorder configurations
  const LearningCurve curve(spec, 4);
  int swapped = 0, pairs = 0;
  for (std::uint64_t a = 0; a < 60; ++a)
    for (std::uint64_t b = a + 1; b < 60; ++b) {
      const bool early = curve.score(a, 3, 0) > curve.score(b, 3, 0);
      const bool final = curve.score(a, 81, 0) > curve.score(b, 81, 0);
      swapped += early != final;
      ++pairs;
    }
  CHECK(swapped > 0);
  CHECK(swapped < pairs / 2);  // but still better than chance
}
