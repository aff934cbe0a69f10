#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <optional>
#include <queue>
#include <sstream>
#include <string>
#include <vector>

#include "workload/asha_search.hpp"
#include "workload/hyperband_search.hpp"
#include "workload/independent_search.hpp"
#include "workload/learning_curve.hpp"
#include "workload/successive_halving.hpp"

using namespace mlcycle;

namespace {

// "c3 r1 1-3": configuration, rung, budget_from-budget_to (and "b<s>" for hyperband brackets).
std::string describe(const SearchTrial& t) {
  std::ostringstream out;
  out << "c" << t.config << " r" << t.rung << " " << t.budget_from << "-" << t.budget_to;
  if (t.bracket) out << " b" << t.bracket;
  return out.str();
}

std::string describe(const std::optional<SearchTrial>& t) {
  return t ? describe(*t) : std::string("none");
}

SearchSpec ladder(SearchKind kind, std::uint64_t n, double r, double R, double eta) {
  SearchSpec spec;
  spec.kind = kind;
  spec.configurations = n;
  spec.min_budget = r;
  spec.max_budget = R;
  spec.eta = eta;
  return spec;
}

// Scores by rung: rung 0 from `first`, rung 1 from `second`, higher rungs 0.99.
SearchScorer rung_table(std::vector<double> first, std::vector<double> second) {
  return [first, second](std::uint64_t config, double, std::uint32_t rung) {
    if (rung == 0) return first.at(config);
    if (rung == 1) return second.at(config);
    return 0.99;
  };
}

// Runs a search to the end on `workers` workers; a trial lasts budget_to - budget_from and
// trials ending together report in the order they were taken. Returns the trials taken.
std::vector<SearchTrial> run(SearchAlgorithm& search, std::size_t workers) {
  using Event = std::pair<double, std::size_t>;  // (end, index into taken)
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> running;
  std::vector<SearchTrial> taken;
  double now = 0;
  while (true) {
    while (running.size() < workers && search.peek()) {
      taken.push_back(search.take());
      running.emplace(now + taken.back().budget_to - taken.back().budget_from, taken.size() - 1);
    }
    if (running.empty()) break;
    now = running.top().first;
    search.report(taken[running.top().second], true);
    running.pop();
  }
  return taken;
}

const std::vector<double> kFirst = {0.5, 0.9, 0.1, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4};
// Rung 1: c5 and c3 tie at 0.9; the lower id (c3) ranks first.
const std::vector<double> kSecond = {0, 0.5, 0, 0.9, 0, 0.9, 0, 0, 0};

}  // namespace

TEST_CASE("successive halving n=9 eta=3 r=1 R=9 promotes the top third of each rung",
          "[search][sh]") {
  SuccessiveHalving sh(ladder(SearchKind::successive_halving, 9, 1, 9, 3),
                       rung_table(kFirst, kSecond));
  // Rungs: floor(9/3^0) = 9 at 1, floor(9/3) = 3 at 3, floor(9/9) = 1 at 9.
  CHECK(sh.bracket().sizes() == std::vector<std::uint64_t>{9, 3, 1});
  CHECK(sh.bracket().budgets() == std::vector<double>{1, 3, 9});
  std::vector<SearchTrial> first;
  for (int i = 0; i < 9; ++i) first.push_back(sh.take());
  for (int i = 0; i < 9; ++i)
    CHECK(describe(first[i]) == std::string("c").append(std::to_string(i)) + " r0 0-1");
  CHECK_FALSE(sh.peek());  // synchronous: rung 1 waits for all nine
  for (int i = 8; i >= 1; --i) sh.report(first[i], true);
  CHECK_FALSE(sh.peek());  // c0 still running
  sh.report(first[0], true);
  // Top floor(9/3) = 3 by rung-0 score: c1 0.9, c5 0.8, c3 0.7; best first, from 1 to 3.
  const SearchTrial a = sh.take(), b = sh.take(), c = sh.take();
  CHECK(describe(a) == "c1 r1 1-3");
  CHECK(describe(b) == "c5 r1 1-3");
  CHECK(describe(c) == "c3 r1 1-3");
  CHECK_FALSE(sh.peek());
  sh.report(c, true);
  sh.report(a, true);
  CHECK_FALSE(sh.peek());
  sh.report(b, true);
  // Top floor(3/3) = 1: c3 and c5 tie at 0.9, c3 has the lower id.
  const SearchTrial top = sh.take();
  CHECK(describe(top) == "c3 r2 3-9");
  CHECK_FALSE(sh.finished());
  sh.report(top, true);
  CHECK(sh.finished());
  CHECK_FALSE(sh.peek());
  const SearchResults r = sh.results();
  CHECK(r.configs_started == 9);
  CHECK(r.trials_started == 13);        // 9 + 3 + 1
  CHECK(r.budget_spent == 21);          // 9 x 1 + 3 x (3 - 1) + 1 x (9 - 3)
  CHECK(r.budget_full == 81);           // 9 x 9
  CHECK(r.configs_completed == 1);      // c3
  CHECK(r.configs_stopped_early == 8);  // 6 at rung 0, 2 at rung 1
  CHECK(r.configs_failed == 0);
  CHECK(r.best_config == 3);
  CHECK(r.best_score == 0.99);
  CHECK(r.best_budget == 9);
  CHECK(sh.score_of(b) == 0.9);
}

TEST_CASE("successive halving without resume retrains promoted configurations from zero",
          "[search][sh]") {
  SearchSpec spec = ladder(SearchKind::successive_halving, 9, 1, 9, 3);
  spec.resume = false;
  SuccessiveHalving sh(spec, rung_table(kFirst, kSecond));
  const std::vector<SearchTrial> taken = run(sh, 4);
  REQUIRE(taken.size() == 13);
  CHECK(describe(taken[9]) == "c1 r1 0-3");
  CHECK(describe(taken[12]) == "c3 r2 0-9");
  CHECK(sh.results().budget_spent == 27);  // 9 x 1 + 3 x 3 + 1 x 9
}

TEST_CASE("successive halving drops a failed configuration and promotes the next best",
          "[search][sh]") {
  SuccessiveHalving sh(ladder(SearchKind::successive_halving, 9, 1, 9, 3),
                       rung_table(kFirst, kSecond));
  std::vector<SearchTrial> first;
  for (int i = 0; i < 9; ++i) first.push_back(sh.take());
  for (int i = 0; i < 9; ++i) sh.report(first[i], i != 1);  // c1 (the best, 0.9) fails
  // Next best three: c5 0.8, c3 0.7, c7 0.6.
  CHECK(describe(sh.take()) == "c5 r1 1-3");
  CHECK(describe(sh.take()) == "c3 r1 1-3");
  CHECK(describe(sh.take()) == "c7 r1 1-3");
  const SearchResults r = sh.results();
  CHECK(r.configs_failed == 1);
  CHECK(r.configs_stopped_early == 5);  // 8 completed rung 0, 3 of them promoted
}

TEST_CASE("successive halving promotes by learning-curve score", "[search][sh]") {
  const SearchSpec spec = ladder(SearchKind::successive_halving, 9, 1, 9, 3);
  const LearningCurve curve(spec, 12);
  SuccessiveHalving sh(spec, curve);
  const std::vector<SearchTrial> taken = run(sh, 2);
  REQUIRE(taken.size() == 13);
  // The expected promotions, ranked independently with the same scores.
  std::vector<std::uint64_t> ids = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  std::sort(ids.begin(), ids.end(), [&](std::uint64_t a, std::uint64_t b) {
    return curve.score(a, 1, 0) > curve.score(b, 1, 0);
  });
  ids.resize(3);
  for (int i = 0; i < 3; ++i) CHECK(taken[9 + i].config == ids[i]);
  const std::uint64_t best = *std::max_element(ids.begin(), ids.end(), [&](auto a, auto b) {
    return curve.score(a, 3, 1) < curve.score(b, 3, 1);
  });
  CHECK(taken[12].config == best);
  CHECK(sh.results().best_score == curve.score(best, 9, 2));
}

TEST_CASE("asha eta=3 r=1 R=9 on two workers, step by step", "[search][asha]") {
  AshaSearch asha(ladder(SearchKind::asha, 9, 1, 9, 3),
                  rung_table(kFirst, {0, 0.6, 0, 0.95, 0, 0.7, 0, 0, 0}));
  CHECK(asha.top_rung() == 2);  // budgets 1, 3, 9
  SearchTrial a = asha.take(), b = asha.take();
  CHECK(describe(a) == "c0 r0 0-1");
  CHECK(describe(b) == "c1 r0 0-1");
  asha.report(a, true);  // rung 0 {c0 .5}: top floor(1/3) = 0
  CHECK(describe(a = asha.take()) == "c2 r0 0-1");
  asha.report(b, true);  // {c1 .9, c0 .5}: floor(2/3) = 0
  CHECK(describe(b = asha.take()) == "c3 r0 0-1");
  asha.report(a, true);  // c2 .1: floor(3/3) = 1, top {c1}: promote c1
  CHECK(describe(a = asha.take()) == "c1 r1 1-3");
  asha.report(b, true);  // c3 .7: floor(4/3) = 1, top {c1} already promoted
  CHECK(describe(b = asha.take()) == "c4 r0 0-1");
  asha.report(b, true);  // c4 .3: floor(5/3) = 1
  CHECK(describe(b = asha.take()) == "c5 r0 0-1");
  asha.report(b, true);  // c5 .8: floor(6/3) = 2, top {c1, c5}: promote c5
  CHECK(describe(b = asha.take()) == "c5 r1 1-3");
  asha.report(a, true);  // rung 1 {c1 .6}: floor(1/3) = 0
  CHECK(describe(a = asha.take()) == "c6 r0 0-1");
  asha.report(b, true);  // rung 1 {c5 .7, c1 .6}: floor(2/3) = 0
  CHECK(describe(b = asha.take()) == "c7 r0 0-1");
  asha.report(a, true);  // c6 .2: floor(7/3) = 2, top {c1, c5} both promoted
  CHECK(describe(a = asha.take()) == "c8 r0 0-1");
  asha.report(b, true);  // c7 .6: floor(8/3) = 2; all 9 started: worker b idles
  CHECK(describe(asha.peek()) == "none");
  CHECK_FALSE(asha.finished());
  asha.report(a, true);  // c8 .4: floor(9/3) = 3, top {c1, c5, c3}: promote c3
  CHECK(describe(a = asha.take()) == "c3 r1 1-3");
  asha.report(a, true);  // rung 1 {c3 .95, c5 .7, c1 .6}: floor(3/3) = 1, top {c3}
  CHECK(describe(a = asha.take()) == "c3 r2 3-9");
  CHECK_FALSE(asha.finished());
  asha.report(a, true);
  CHECK(asha.finished());
  const SearchResults r = asha.results();
  CHECK(r.trials_started == 13);  // 9 + 3 + 1
  CHECK(r.budget_spent == 21);    // 9 x 1 + 3 x 2 + 1 x 6
  CHECK(r.configs_completed == 1);
  CHECK(r.configs_stopped_early == 8);
  CHECK(r.best_config == 3);
  CHECK(r.best_budget == 9);
}

TEST_CASE("asha promotes from the highest rung first and lets a late leader through",
          "[search][asha]") {
  // eta = 2, r = 1, R = 4: rungs at 1, 2, 4; six configurations, two workers.
  AshaSearch asha(ladder(SearchKind::asha, 6, 1, 4, 2),
                  rung_table({0.9, 0.8, 0.85, 0.1, 0.2, 0.95}, {0.5, 0, 0.7, 0, 0, 0.4}));
  SearchTrial a = asha.take(), b = asha.take();  // c0, c1 at rung 0
  asha.report(a, true);                          // {c0 .9}: floor(1/2) = 0
  asha.report(b, true);                          // {c0 .9, c1 .8}: floor(2/2) = 1, top {c0}
  CHECK(describe(a = asha.take()) == "c0 r1 1-2");
  CHECK(describe(b = asha.take()) == "c2 r0 0-1");
  asha.report(a, true);  // rung 1 {c0 .5}: floor(1/2) = 0
  asha.report(b, true);  // rung 0 + c2 .85: floor(3/2) = 1, top {c0} promoted
  CHECK(describe(a = asha.take()) == "c3 r0 0-1");
  CHECK(describe(b = asha.take()) == "c4 r0 0-1");
  asha.report(a, true);  // c3 .1: floor(4/2) = 2, top {c0, c2}: c2 promotable
  asha.report(b, true);  // c4 .2: floor(5/2) = 2
  CHECK(describe(a = asha.take()) == "c2 r1 1-2");
  CHECK(describe(b = asha.take()) == "c5 r0 0-1");
  asha.report(a, true);  // rung 1 {c2 .7, c0 .5}: floor(2/2) = 1, top {c2}: promotable
  asha.report(b, true);  // c5 .95: floor(6/2) = 3, top {c5, c0, c2}: c5 promotable
  // Both rungs have a candidate: rung 1 goes first (k from K-1 down to 0).
  CHECK(describe(a = asha.take()) == "c2 r2 2-4");
  CHECK(describe(b = asha.take()) == "c5 r1 1-2");
  CHECK(describe(asha.peek()) == "none");
  asha.report(a, true);
  asha.report(b, true);  // rung 1 {c2 .7, c0 .5, c5 .4}: floor(3/2) = 1, top {c2} promoted
  CHECK(asha.finished());
  CHECK(asha.promoted_from_rung(0) == 3);  // c0, c2, c5 = floor(6/2)
  CHECK(asha.promoted_from_rung(1) == 1);  // c2 = floor(3/2)
  const SearchResults r = asha.results();
  CHECK(r.trials_started == 10);    // 6 + 3 + 1
  CHECK(r.budget_spent == 11);      // 6 x 1 + 3 x (2 - 1) + 1 x (4 - 2)
  CHECK(r.budget_full == 24);       // 6 x 4
  CHECK(r.configs_completed == 1);  // c2
  CHECK(r.configs_stopped_early == 5);
}

TEST_CASE("asha does not promote a configuration overtaken before a worker asked",
          "[search][asha]") {
  AshaSearch asha(ladder(SearchKind::asha, 9, 1, 9, 3),
                  rung_table({0.5, 0.1, 0.2, 0.9, 0.3, 0.05, 0.4, 0.4, 0.4}, {}));
  std::vector<SearchTrial> t;
  for (int i = 0; i < 6; ++i) t.push_back(asha.take());  // c0..c5 at rung 0
  asha.report(t[0], true);
  asha.report(t[1], true);
  asha.report(t[2], true);  // {c0 .5, c2 .2, c1 .1}: floor(3/3) = 1, c0 promotable
  CHECK(describe(asha.peek()) == "c0 r1 1-3");
  asha.report(t[3], true);  // c3 .9: floor(4/3) = 1, top {c3}: c0 drops out
  asha.report(t[4], true);  // c4 .3: floor(5/3) = 1
  CHECK(describe(asha.take()) == "c3 r1 1-3");
  CHECK(describe(asha.take()) == "c6 r0 0-1");  // c0 is no longer in the top third
  asha.report(t[5], true);                      // c5 .05: floor(6/3) = 2, top {c3, c0}: c0 is back
  CHECK(describe(asha.take()) == "c0 r1 1-3");
}

TEST_CASE("asha drops a configuration whose trial failed", "[search][asha]") {
  AshaSearch asha(ladder(SearchKind::asha, 3, 1, 3, 3), rung_table({0.9, 0.1, 0.2}, {}));
  SearchTrial a = asha.take(), b = asha.take(), c = asha.take();
  asha.report(a, false);  // c0 (the best) failed: never in rung 0's ranking
  asha.report(b, true);
  asha.report(c, true);  // rung 0 {c2 .2, c1 .1}: floor(2/3) = 0
  CHECK(asha.finished());
  const SearchResults r = asha.results();
  CHECK(r.configs_failed == 1);
  CHECK(r.configs_stopped_early == 2);
  CHECK(r.best_config == 2);  // best at the highest budget reached (1)
  CHECK(r.best_budget == 1);
}

TEST_CASE("hyperband R=81 r=1 eta=3 has the paper's five brackets", "[search][hyperband]") {
  HyperbandSearch hb(ladder(SearchKind::hyperband, 0, 1, 81, 3), rung_table(kFirst, kSecond));
  // s_max = floor(log_3(81)) = 4; n_s = ceil(5 / (s + 1) * 3^s):
  //   s=4: 5/5 x 81 = 81   s=3: 5/4 x 27 = 33.75 -> 34   s=2: 5/3 x 9 = 15
  //   s=1: 5/2 x 3 = 7.5 -> 8   s=0: 5/1 x 1 = 5
  const auto& brackets = hb.brackets();
  REQUIRE(brackets.size() == 5);
  using Sizes = std::vector<std::uint64_t>;
  using Budgets = std::vector<double>;
  // Rung i of bracket s: floor(n_s / 3^i) at 81 x 3^(i - s).
  CHECK(brackets[0].sizes() == Sizes{81, 27, 9, 3, 1});
  CHECK(brackets[0].budgets() == Budgets{1, 3, 9, 27, 81});
  CHECK(brackets[1].sizes() == Sizes{34, 11, 3, 1});  // 34/3 = 11.3, 34/9 = 3.8, 34/27 = 1.3
  CHECK(brackets[1].budgets() == Budgets{3, 9, 27, 81});
  CHECK(brackets[2].sizes() == Sizes{15, 5, 1});
  CHECK(brackets[2].budgets() == Budgets{9, 27, 81});
  CHECK(brackets[3].sizes() == Sizes{8, 2});
  CHECK(brackets[3].budgets() == Budgets{27, 81});
  CHECK(brackets[4].sizes() == Sizes{5});
  CHECK(brackets[4].budgets() == Budgets{81});
  CHECK(hb.total_configurations() == 143);  // 81 + 34 + 15 + 8 + 5
}

TEST_CASE("hyperband runs its brackets side by side to the end", "[search][hyperband]") {
  const SearchSpec spec = ladder(SearchKind::hyperband, 0, 1, 81, 3);
  const LearningCurve curve(spec, 2);
  HyperbandSearch hb(spec, curve);
  // 100 free workers: the 81 first-rung trials of s=4, then 19 of s=3, numbered in that order.
  std::vector<SearchTrial> first;
  for (int i = 0; i < 100; ++i) first.push_back(hb.take());
  for (int i = 0; i < 100; ++i) {
    CHECK(first[i].config == static_cast<std::uint64_t>(i));
    CHECK(first[i].bracket == (i < 81 ? 4u : 3u));
  }
  for (const SearchTrial& t : first) hb.report(t, true);
  run(hb, 100);
  CHECK(hb.finished());
  const SearchResults r = hb.results();
  CHECK(r.configs_started == 143);
  CHECK(r.trials_started == 206);  // 121 + 49 + 21 + 10 + 5 rung trials
  // With resume, each rung trains its increment:
  //   s=4: 81x1 + 27x2 + 9x6 + 3x18 + 1x54 = 297   s=3: 34x3 + 11x6 + 3x18 + 1x54 = 276
  //   s=2: 15x9 + 5x18 + 1x54 = 279   s=1: 8x27 + 2x54 = 324   s=0: 5x81 = 405
  CHECK(r.budget_spent == 1581);     // 297 + 276 + 279 + 324 + 405
  CHECK(r.budget_full == 11583);     // 143 x 81
  CHECK(r.configs_completed == 10);  // 1 + 1 + 1 + 2 + 5
  CHECK(r.configs_stopped_early == 133);
  CHECK(r.best_budget == 81);
}

TEST_CASE("hyperband with fewer brackets, and a ladder that is not a power of eta",
          "[search][hyperband]") {
  SearchSpec spec = ladder(SearchKind::hyperband, 0, 1, 81, 3);
  spec.brackets = 2;                            // s = 4 and 3 only
  CHECK(hyperband_total_configs(spec) == 115);  // 81 + 34
  CHECK(HyperbandSearch(spec, rung_table(kFirst, kSecond)).brackets().size() == 2);
  // R/r = 10, eta = 3: s_max = 2 (9 <= 10 < 27); bracket 2 starts at 10/9, then 10/3, 10.
  const SearchSpec odd = ladder(SearchKind::hyperband, 0, 1, 10, 3);
  HyperbandSearch hb(odd, rung_table(kFirst, kSecond));
  REQUIRE(hb.brackets().size() == 3);
  CHECK(hb.brackets()[0].sizes() == std::vector<std::uint64_t>{9, 3, 1});  // ceil(3/3 x 9)
  CHECK(hb.brackets()[0].budgets()[0] == Approx(10.0 / 9).epsilon(1e-15));
  CHECK(hb.brackets()[0].budgets()[2] == 10);
  CHECK(hb.brackets()[1].sizes() == std::vector<std::uint64_t>{5, 1});  // ceil(3/2 x 3) = 5
  CHECK(hb.brackets()[2].sizes() == std::vector<std::uint64_t>{3});     // ceil(3/1 x 1)
  // Successive halving and ASHA on the same ladder: 1, 3 and then R = 10 at the top.
  CHECK(search_top_rung(odd) == 2);
  CHECK(search_rung_budget(odd, 1) == 3);
  CHECK(search_rung_budget(odd, 2) == 10);
}

TEST_CASE("grid and random train every configuration once to the full budget",
          "[search][independent]") {
  for (SearchKind kind : {SearchKind::grid, SearchKind::random}) {
    const SearchSpec spec = ladder(kind, 5, 1, 7, 3);
    std::unique_ptr<SearchAlgorithm> search =
        make_search(spec, rung_table({0.3, 0.8, 0.1, 0.8, 0.5}, {}));
    const std::vector<SearchTrial> taken = run(*search, 2);
    REQUIRE(taken.size() == 5);
    for (int i = 0; i < 5; ++i)
      CHECK(describe(taken[i]) == std::string("c").append(std::to_string(i)) + " r0 0-7");
    CHECK(search->finished());
    const SearchResults r = search->results();
    CHECK(r.configs_completed == 5);
    CHECK(r.configs_stopped_early == 0);
    CHECK(r.budget_spent == 35);  // 5 x 7
    CHECK(r.budget_full == 35);
    CHECK(r.best_config == 1);  // c1 and c3 tie at 0.8: the lower id
    CHECK(r.best_score == 0.8);
  }
}

TEST_CASE("make_search with a seed scores by the learning curve", "[search]") {
  const SearchSpec spec = ladder(SearchKind::asha, 27, 1, 9, 3);
  std::unique_ptr<SearchAlgorithm> a = make_search(spec, 5), b = make_search(spec, 5);
  const std::vector<SearchTrial> ta = run(*a, 3), tb = run(*b, 3);
  REQUIRE(ta.size() == tb.size());
  for (std::size_t i = 0; i < ta.size(); ++i) CHECK(describe(ta[i]) == describe(tb[i]));
  const LearningCurve curve(spec, 5);
  CHECK(a->score_of(ta.back()) ==
        curve.score(ta.back().config, ta.back().budget_to, ta.back().rung));
  CHECK(a->results().best_score == b->results().best_score);
}
