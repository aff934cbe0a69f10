// The trial delays of a policy comparison, paired in place as the counterfactual's trial ends
// arrive in chunks: the same delays, in the same order, as pairing whole vectors.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "accounting/trial_delays.hpp"

using namespace mlcycle;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

TEST_CASE("trial delays: paired in chunks, in key and trial order") {
  // Policy ends (s) of two campaign runs and one the baseline never reports.
  TrialDelays::Ends policy;
  policy[{0, 0}] = {7200, kNaN, 18000, 3600};
  policy[{1, 0}] = {36000};
  policy[{2, 0}] = {3600};
  TrialDelays delays(std::move(policy));
  // Campaign 0 in two chunks: trials 0-1, then 2-4 (the baseline has a trial the policy pass
  // never ended, index 4: not compared). Trial 1 did not end under the policy: no delay.
  const double first[] = {3600, 3600};
  const double rest[] = {10800, kNaN, 999};
  delays.pair({0, 0}, 0, first);
  delays.pair({0, 0}, 2, rest);
  // Campaign 1 whole; campaign 3 exists only in the baseline: ignored.
  const double one[] = {0};
  delays.pair({1, 0}, 0, one);
  delays.pair({3, 0}, 0, one);
  // Delays h: (7200 - 3600) / 3600 = 1; (18000 - 10800) / 3600 = 2; trial 3 has no baseline
  // end; campaign 1: 10 h; campaign 2 was never paired: nothing.
  const std::vector<double> h = delays.take();
  REQUIRE(h.size() == 3);
  CHECK(h[0] == 1);
  CHECK(h[1] == 2);
  CHECK(h[2] == 10);
}

TEST_CASE("trial delays: nothing paired gives no delays") {
  TrialDelays::Ends policy;
  policy[{0, 0}] = {3600, 7200};
  TrialDelays delays(std::move(policy));
  CHECK(delays.take().empty());
}
