#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "sweep/sweep_stats.hpp"

using namespace mlcycle;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("summary statistics of replicates: mean, sample deviation, t interval", "[sweep]") {
  // {1, 2, 3, 4}: mean 2.5; squares 2.25 + 0.25 + 0.25 + 2.25 = 5, s = sqrt(5 / 3) = 1.2909944487;
  // t(0.975, 3) = 3.182446305, half-width 3.182446305 * 1.2909944487 / sqrt(4) = 2.0542602568.
  const SummaryStats s = summarize({1, 2, 3, 4});
  CHECK(s.n == 4);
  CHECK(s.mean == Approx(2.5).epsilon(1e-15));
  CHECK(s.stddev == Approx(1.2909944487).epsilon(1e-9));
  CHECK(s.ci95_low == Approx(2.5 - 2.0542602568).epsilon(1e-9));
  CHECK(s.ci95_high == Approx(2.5 + 2.0542602568).epsilon(1e-9));
}

TEST_CASE("summary statistics skip NaN and degrade with few values", "[sweep]") {
  // {10, NaN, 12}: n = 2, mean 11, s = sqrt((1 + 1) / 1) = 1.4142135624;
  // t(0.975, 1) = 12.706204736, half-width 12.706204736 * 1.4142135624 / sqrt(2) = 12.706204736.
  const SummaryStats two = summarize({10, kNaN, 12});
  CHECK(two.n == 2);
  CHECK(two.mean == 11);
  CHECK(two.stddev == Approx(1.4142135624).epsilon(1e-9));
  CHECK(two.ci95_low == Approx(11 - 12.706204736).epsilon(1e-9));
  CHECK(two.ci95_high == Approx(11 + 12.706204736).epsilon(1e-9));

  const SummaryStats one = summarize({kNaN, 7});
  CHECK(one.n == 1);
  CHECK(one.mean == 7);
  CHECK(std::isnan(one.stddev));
  CHECK(std::isnan(one.ci95_low));
  CHECK(std::isnan(one.ci95_high));

  for (const std::vector<double>& values : {std::vector<double>{}, std::vector<double>{kNaN}}) {
    const SummaryStats none = summarize(values);
    CHECK(none.n == 0);
    CHECK(std::isnan(none.mean));
    CHECK(std::isnan(none.stddev));
    CHECK(std::isnan(none.ci95_low));
    CHECK(std::isnan(none.ci95_high));
  }

  // Identical values: no spread, an interval of zero width.
  const SummaryStats same = summarize({3, 3, 3});
  CHECK(same.stddev == 0);
  CHECK(same.ci95_low == 3);
  CHECK(same.ci95_high == 3);
}
