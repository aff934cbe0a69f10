// Request-weighted latency quantiles (workload/latency_tally.hpp).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "workload/latency_tally.hpp"

using namespace mlcycle;

TEST_CASE("latency tally: weighted nearest-rank quantiles and the mean") {
  LatencyTally tally;
  // 60 requests at 0.1 s, 30 at 0.2 s, 10 at 1 s: 100 in all.
  tally.add(0.2, 30);
  tally.add(1.0, 10);
  tally.add(0.1, 60);
  CHECK(tally.weight() == 100);
  // Mean (6 + 6 + 10) / 100 = 0.22 s.
  CHECK(tally.mean_s() == Approx(0.22).epsilon(1e-12));
  // p50: 50 of 100 are reached at 0.1 s (60); p60 exactly at 0.1; p61 needs 0.2 (90);
  // p90 at 0.2 (90 >= 90); p99 at 1.0.
  CHECK(tally.quantile_s(0.5) == 0.1);
  CHECK(tally.quantile_s(0.6) == 0.1);
  CHECK(tally.quantile_s(0.61) == 0.2);
  CHECK(tally.quantile_s(0.9) == 0.2);
  CHECK(tally.quantile_s(0.99) == 1.0);
  CHECK(tally.quantile_s(0) == 0.1);
  CHECK(tally.quantile_s(1) == 1.0);
}

TEST_CASE("latency tally: a negative weight takes back part of an equal point") {
  LatencyTally tally;
  tally.add(0.1, 50);
  tally.add(0.5, 50);
  tally.add(0.5, -40);  // the last step cut short: 40 of its 50 never served
  // 50 at 0.1 s and 10 at 0.5 s: 60; mean (5 + 5) / 60; p80 needs 48: 0.1; p90 needs 54: 0.5.
  CHECK(tally.weight() == 60);
  CHECK(tally.mean_s() == Approx(10.0 / 60).epsilon(1e-12));
  CHECK(tally.quantile_s(0.8) == 0.1);
  CHECK(tally.quantile_s(0.9) == 0.5);
  // Adding after a quantile sorts again.
  tally.add(0.05, 60);
  CHECK(tally.quantile_s(0.5) == 0.05);
}

TEST_CASE("latency tally: empty, and saturated steps") {
  LatencyTally empty;
  CHECK(std::isnan(empty.mean_s()));
  CHECK(std::isnan(empty.quantile_s(0.5)));
  LatencyTally tally;
  const double never = std::numeric_limits<double>::infinity();
  tally.add(0.1, 90);
  tally.add(never, 10);
  CHECK(tally.quantile_s(0.9) == 0.1);
  CHECK(std::isinf(tally.quantile_s(0.95)));
  CHECK(std::isinf(tally.mean_s()));
}

TEST_CASE("latency tally: the mean and the quantiles fed apart") {
  LatencyTally tally;
  // 100 requests of mean 0.3 s, their spread as points 0.1 s (50), 0.5 s (50): the mean is the
  // one given (not the points' 0.3 by chance: 0.25 here), the quantiles the points'.
  tally.add_to_mean(0.25, 100);
  tally.add_to_quantiles(0.1, 50);
  tally.add_to_quantiles(0.5, 50);
  CHECK(tally.mean_s() == 0.25);
  CHECK(tally.quantile_s(0.5) == 0.1);
  CHECK(tally.quantile_s(0.51) == 0.5);
  // An infinite latency in the mean makes it infinite.
  tally.add_to_mean(std::numeric_limits<double>::infinity(), 1);
  CHECK(std::isinf(tally.mean_s()));
}

TEST_CASE("latency tally: past a million points, close latencies merge and memory stays bounded") {
  LatencyTally tally;
  // 2^20 points at 1 + k 1e-6 s (k = 0 .. 2^20 - 1), weight 1 each: 1 to 2.048575 s. At the
  // 2^20th the tally merges those within 1e-4 relative of a run's first: a run from x spans
  // 1e-4 x, so about the integral of dx / (1e-4 x) from 1 to 2.048575 = ln(2.048575) / 1e-4 =
  // 7,171 runs are left (fewer: a run ends at the last point within it).
  const std::size_t n = LatencyTally::kCompactAbove;
  for (std::size_t k = 0; k < n; ++k) tally.add(1 + static_cast<double>(k) * 1e-6, 1);
  CHECK(tally.points() <= 7171);
  CHECK(tally.points() >= 7000);
  CHECK(tally.weight() == static_cast<double>(n));
  // The exact median is the 524,288th point, 1.524287 s; merged, within 1e-4 relative below it.
  const double median = tally.quantile_s(0.5);
  CHECK(median <= 1.524287 + 1e-12);
  CHECK(median >= 1.524287 * (1 - 1e-4));
  // The mean is a running sum, untouched by merging: 1 + (2^20 - 1) / 2 x 1e-6.
  CHECK(tally.mean_s() == Approx(1 + (static_cast<double>(n) - 1) / 2 * 1e-6).epsilon(1e-12));
}
