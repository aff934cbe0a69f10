// The trial delays of a policy comparison, paired as the counterfactual's trial ends arrive in
// chunks: the same delays, in the same order, as pairing whole vectors; the trial-end store and
// the delays' exact percentile once they spill to their temporary files.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "accounting/trial_delays.hpp"

using namespace mlcycle;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TrialEndStore store_of(const std::map<TrialEndStore::Key, std::vector<double>>& runs,
                       std::size_t block = 8192) {
  TrialEndStore store(block, 1, 4);
  for (const auto& [key, ends] : runs)
    for (std::uint64_t t = 0; t < ends.size(); ++t)
      if (!std::isnan(ends[t])) store.record(key, t, ends[t]);
  return store;
}
}  // namespace

TEST_CASE("trial delays: paired in chunks, in key and trial order") {
  // Policy ends (s) of two campaign runs and one the baseline never reports.
  TrialDelays delays(
      store_of({{{0, 0}, {7200, kNaN, 18000, 3600}}, {{1, 0}, {36000}}, {{2, 0}, {3600}}}));
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
  // end; campaign 1: 10 h; campaign 2 was never paired: nothing. Mean 13 / 3, p95 the 3rd of 3.
  const DelaySummary h = delays.take();
  CHECK(h.count == 3);
  CHECK(h.mean_h == (1.0 + 2.0 + 10.0) / 3);
  CHECK(h.p95_h == 10);
  CHECK(h.max_h == 10);
}

TEST_CASE("trial delays: nothing paired gives no delays") {
  TrialDelays delays(store_of({{{0, 0}, {3600, 7200}}}));
  const DelaySummary h = delays.take();
  CHECK(h.count == 0);
  CHECK(h.mean_h == 0);
  CHECK(h.p95_h == 0);
}

TEST_CASE("trial end store: out-of-order ends across spilled blocks read back") {
  // Blocks of 4 trials, one in memory over both runs: every move to another block (or run)
  // spills and reloads; a block holds only the trials that ended in it (block 0 of run 1 has
  // trials 0-2, block 0 of run 0 grows from trial 1).
  TrialEndStore store(4, 1, 1);
  store.record({0, 0}, 9, 90);
  store.record({0, 0}, 1, 10);
  store.record({1, 0}, 2, 5);
  store.record({0, 0}, 9, 80);  // an earlier end does not replace a later one
  store.record({0, 0}, 5, 50);
  store.record({0, 0}, 1, 11);  // a retry ends it again, later
  store.record({0, 0}, 12, 120);
  store.record({0, 0}, 3, 30);  // block 0 grows past its place in the file (2 trials): moved
  std::vector<double> ends(14);
  store.read({0, 0}, 0, ends);
  CHECK(store.size_of({0, 0}) == 13);
  for (std::size_t t = 0; t < ends.size(); ++t) {
    const double expected = t == 1    ? 11
                            : t == 3  ? 30
                            : t == 5  ? 50
                            : t == 9  ? 90
                            : t == 12 ? 120
                                      : kNaN;
    if (std::isnan(expected))
      CHECK(std::isnan(ends[t]));
    else
      CHECK(ends[t] == expected);
  }
  std::vector<double> other(3);
  store.read({1, 0}, 0, other);
  CHECK(other[2] == 5);
  CHECK(store.runs().size() == 2);
}

TEST_CASE("trial end store: many campaign runs share the blocks in memory") {
  // 1,000 runs of 3 trials (a retraining stage run every hour), 8 blocks in memory in all:
  // every run's ends come back, from memory or the file.
  TrialEndStore store(8192, 4, 8);
  for (std::uint32_t run = 0; run < 1000; ++run)
    for (std::uint64_t t = 0; t < 3; ++t) store.record({0, run}, t, run * 10.0 + t);
  std::vector<double> ends(3);
  for (std::uint32_t run = 0; run < 1000; run += 111) {
    store.read({0, run}, 0, ends);
    CHECK(ends == std::vector<double>{run * 10.0, run * 10.0 + 1, run * 10.0 + 2});
  }
}

TEST_CASE("trial delays: the exact p95 of spilled delays is the nearest rank of them all") {
  // 5,000 trials, delays of either sign with repeats, in chunks of 64 (78 go to the file) and
  // a store of 100-trial blocks: the radix select must give exactly nearest_rank's value.
  boost::random::mt19937_64 rng(7);
  boost::random::uniform_real_distribution<double> hours(-30, 60);
  boost::random::uniform_int_distribution<int> repeat(0, 3);
  std::map<TrialEndStore::Key, std::vector<double>> policy, baseline;
  std::vector<double> expected;
  for (std::uint32_t run = 0; run < 2; ++run)
    for (int t = 0; t < 2500; ++t) {
      const double base = 1000.0 * t;
      const double delay_h = repeat(rng) == 0 ? 4.0 : hours(rng);  // many ties at 4 h
      policy[{run, 0}].push_back(base + delay_h * 3600);
      baseline[{run, 0}].push_back(base);
      expected.push_back((base + delay_h * 3600 - base) / 3600);
    }
  TrialDelays delays(store_of(policy, 100), 64);
  for (const auto& [key, ends] : baseline)
    for (std::size_t first = 0; first < ends.size(); first += 1000)
      delays.pair(key, first,
                  std::span<const double>(ends.data() + first,
                                          std::min<std::size_t>(1000, ends.size() - first)));
  const DelaySummary h = delays.take();
  CHECK(h.count == expected.size());
  CHECK(h.p95_h == nearest_rank(expected, 95));
  CHECK(h.max_h == *std::max_element(expected.begin(), expected.end()));
  double sum = 0;
  for (double d : expected) sum += d;
  CHECK(h.mean_h == sum / static_cast<double>(expected.size()));
}
