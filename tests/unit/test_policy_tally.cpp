// Holding jobs in a campaign source (workload/campaign_source.hpp with a ReleasePolicy), the
// tally of one pass of a policy comparison (accounting/policy_tally.hpp), the least CO2e of a
// job, and the comparison of two passes (accounting/policy_comparison.hpp). Records and
// figures are made by hand, the oracles are hand arithmetic.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "accounting/policy_comparison.hpp"
#include "accounting/policy_tally.hpp"
#include "grid/step_timeline.hpp"
#include "workload/campaign_source.hpp"

using namespace mlcycle;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

CampaignSpec fixed_campaign(std::uint64_t trials, double hours) {
  CampaignSpec spec;
  spec.name = "deferrable";
  spec.trials = trials;
  spec.length.hours = hours;
  return spec;
}

// A random search of `configurations` 1-epoch trials of 1 h each.
CampaignSpec search_campaign(std::uint64_t configurations) {
  CampaignSpec spec = fixed_campaign(1, 1);
  SearchSpec search;
  search.kind = SearchKind::random;
  search.configurations = configurations;
  search.max_budget = 1;
  search.hours_per_epoch = 1;
  spec.search = search;
  return spec;
}

// Lets a job start one hour after it is ready (or now, if that is later).
class OneHourLater final : public ReleasePolicy {
 public:
  double slack_s() const override { return 86400; }
  double earliest_start_s(double ready_s, double, double now_s) const override {
    return std::max(now_s, ready_s + 3600);
  }
};

// Starts from a table (ready -> start), not monotone; unlisted ready times start at once.
class TableRelease final : public ReleasePolicy {
 public:
  explicit TableRelease(std::map<double, double> table) : table_(std::move(table)) {}
  double slack_s() const override { return 86400; }
  double earliest_start_s(double ready_s, double, double now_s) const override {
    const auto it = table_.find(ready_s);
    return std::max(now_s, it == table_.end() ? ready_s : it->second);
  }

 private:
  std::map<double, double> table_;
};

class CountingRecorder final : public RunRecorder {
 public:
  int jobs = 0, bins = 0;
  void record_job(const JobRecord&) override { ++jobs; }
  void record_bin(const TraceBin&) override { ++bins; }
};

// A job of constant IT power at a site of PUE 1.2 and 500 g/kWh.
JobRecord job_record(std::uint32_t campaign, std::uint32_t stage_run, std::uint64_t trial,
                     double submit_s, double start_s, double end_s, double it_power_w) {
  JobRecord r;
  r.campaign = campaign;
  r.stage_run = stage_run;
  r.trial = trial;
  r.submit_s = submit_s;
  r.start_s = start_s;
  r.end_s = end_s;
  r.it_energy_j = it_power_w * (end_s - start_s);
  r.energy_j = 1.2 * r.it_energy_j;
  r.co2_g = r.energy_j / 3.6e6 * 500;
  return r;
}

}  // namespace

TEST_CASE("a campaign source holds its jobs until the policy releases them", "[policy_tally]") {
  CampaignSource source(fixed_campaign(3, 1), CampaignRunInfo{0, 0}, UtcTime{}, 1);
  const OneHourLater policy;
  source.set_release_policy(&policy);
  // All 3 trials are ready at 0; the first is released at 0 + 3600.
  CHECK(source.peek(0) == nullptr);
  CHECK(source.next_release_after(0) == 3600);
  CHECK(source.peek(1800) == nullptr);
  CHECK(source.next_release_after(1800) == 3600);
  CHECK(source.waiting(1800) == 3);  // held, but waiting
  const JobRequest* job = source.peek(3600);
  REQUIRE(job != nullptr);
  CHECK(job->trial == 0);
  CHECK(job->submit_s == 0);  // the ready time, not the release
  CHECK(source.take().trial == 0);
  // The next trial, ready at 0 too, is released at 3600 as well (not 3600 + 3600).
  job = source.peek(3600);
  REQUIRE(job != nullptr);
  CHECK(job->trial == 1);
  CHECK(job->submit_s == 0);
  source.take();
  REQUIRE(source.peek(3600) != nullptr);
  source.take();
  CHECK(source.peek(3600) == nullptr);
  CHECK(source.running() == 3);

  // Without a policy, the same campaign starts at once.
  CampaignSource free(fixed_campaign(3, 1), CampaignRunInfo{0, 0}, UtcTime{}, 1);
  CHECK(free.peek(0) != nullptr);
}

TEST_CASE("a policy that is not monotone is still applied in job order", "[policy_tally]") {
  // One trial per hour (rate 1/h, fixed interval): trial 0 ready at 0, trial 1 at 3600. The
  // table starts ready 0 at 10000 but ready 3600 at 5000: trial 0 holds trial 1 behind it.
  CampaignSpec spec = fixed_campaign(2, 1);
  ArrivalSpec arrival;
  arrival.pattern = ArrivalSpec::Pattern::rate;
  arrival.rate_per_hour = 1;
  spec.arrival = arrival;
  CampaignSource source(spec, CampaignRunInfo{0, 0}, UtcTime{}, 1);
  const TableRelease policy({{0.0, 10000.0}, {3600.0, 5000.0}});
  source.set_release_policy(&policy);
  CHECK(source.peek(0) == nullptr);
  CHECK(source.next_release_after(0) == 3600);  // the next arrival comes first
  CHECK(source.peek(3600) == nullptr);
  CHECK(source.peek(5000) == nullptr);  // trial 1's own start, but trial 0 is still held
  CHECK(source.next_release_after(5000) == 10000);
  const JobRequest* job = source.peek(10000);
  REQUIRE(job != nullptr);
  CHECK(job->trial == 0);
  source.take();
  job = source.peek(10000);  // trial 1 right behind it: max(10000, 5000)
  REQUIRE(job != nullptr);
  CHECK(job->trial == 1);
  CHECK(job->submit_s == 3600);  // its arrival
}

TEST_CASE("a held search trial is released when its policy said", "[policy_tally]") {
  // One search trial, asked for at 0, released one hour later.
  CampaignSource source(search_campaign(1), CampaignRunInfo{0, 0}, UtcTime{}, 1);
  const OneHourLater policy;
  source.set_release_policy(&policy);
  CHECK(source.peek(0) == nullptr);
  CHECK(source.next_release_after(0) == 3600);
  // The re-peek at 3600 keeps the trial's ready time (0, the first ask): released now, not
  // held again for another hour at every wake-up.
  const JobRequest* job = source.peek(3600);
  REQUIRE(job != nullptr);
  CHECK(job->submit_s == 0);
}

TEST_CASE("policy tally: deferrable jobs, deadline misses, trial ends and the bound",
          "[policy_tally]") {
  CountingRecorder inner;
  const auto carbon = std::make_shared<ConstantSignal>(500);
  PolicyTally tally(inner, {TalliedCampaign{true, 3600, {carbon}}, TalliedCampaign{false, 0, {}}});
  CHECK(tally.figures().bound_co2_g == 0);  // a shifted campaign with a signal: a bound
  CHECK(tally.figures().jobs == 0);

  // Campaign 0 (shifted, slack 3600), stage run 0:
  // trial 0, first attempt: 300 W, 1800-9000 (7200 s), on time (1800 <= 0 + 3600).
  //   IT 300 x 7200 = 2160000 J, facility 2592000 J, CO2e 2592000 / 3.6e6 x 500 = 360 g;
  //   bound 300 x 500 x 7200 / 3.6e6 = 300 g.
  tally.record_job(job_record(0, 0, 0, 0, 1800, 9000, 300));
  // trial 1: 200 W, 5000-8600 (3600 s), late (5000 > 3600): facility 864000 J, 120 g;
  //   bound 200 x 500 x 3600 / 3.6e6 = 100 g.
  tally.record_job(job_record(0, 0, 1, 0, 5000, 8600, 200));
  // Campaign 1 is not shifted: forwarded, not tallied.
  tally.record_job(job_record(1, 0, 0, 0, 100000, 200000, 1000));
  // trial 0 retried: 100 W, 9000-12600: facility 432000 J, 60 g; bound 50 g. Its end is later.
  tally.record_job(job_record(0, 0, 0, 9000, 9000, 12600, 100));
  // Stage run 1, trial 2: 100 W, 23600-27200, at submit + slack exactly (not a miss); 60 g,
  // bound 50 g. Then an attempt that ended earlier, recorded after it: 180 W, 20000-22000,
  // IT 360000 J, 60 g, bound 180 x 500 x 2000 / 3.6e6 = 50 g. The later end is kept.
  tally.record_job(job_record(0, 1, 2, 20000, 23600, 27200, 100));
  tally.record_job(job_record(0, 1, 2, 20000, 20000, 22000, 180));
  tally.record_job(job_record(5, 0, 0, 0, 0, 10, 10));  // no such campaign: forwarded only
  tally.record_bin(TraceBin{});

  CHECK(inner.jobs == 7);  // every record reaches the inner recorder
  CHECK(inner.bins == 1);
  const ShiftFigures& f = tally.figures();
  CHECK(f.jobs == 5);
  CHECK(f.jobs_co2_g == Approx(360 + 120 + 60 + 60 + 60));
  // 2592000 + 864000 + 3 x 432000 = 4752000 J.
  CHECK(f.jobs_energy_j == Approx(4752000));
  CHECK(f.deadline_misses == 1);
  CHECK(f.bound_co2_g == Approx(300 + 100 + 50 + 50 + 50));
  REQUIRE(f.trial_end_s.runs().size() == 2);
  std::vector<double> run0(2);
  REQUIRE(f.trial_end_s.size_of({0, 0}) == 2);
  f.trial_end_s.read({0, 0}, 0, run0);
  CHECK(run0[0] == 12600);  // the retry's end
  CHECK(run0[1] == 8600);
  std::vector<double> run1(3);
  REQUIRE(f.trial_end_s.size_of({0, 1}) == 3);
  f.trial_end_s.read({0, 1}, 0, run1);
  CHECK(std::isnan(run1[0]));
  CHECK(std::isnan(run1[1]));
  CHECK(run1[2] == 27200);
  CHECK(!f.trial_end_s.has({1, 0}));

  const ShiftFigures taken = tally.take();
  CHECK(taken.jobs == 5);

  // A baseline pass has no signal for the bound: NaN stays.
  PolicyTally baseline(inner, {TalliedCampaign{true, 3600, {}}});
  baseline.record_job(job_record(0, 0, 0, 0, 0, 3600, 100));
  CHECK(std::isnan(baseline.figures().bound_co2_g));
  CHECK(baseline.figures().jobs == 1);
  CHECK(baseline.figures().deadline_misses == 0);
}

TEST_CASE("least CO2e of a job on three steps", "[policy_tally]") {
  // 0-7200 s: 400 g/kWh, 7200-18000: 100, then 300.
  const StepTimeline s(std::make_unique<FixedStepsSource>(std::vector<double>{0, 7200, 18000},
                                                          std::vector<double>{400, 100, 300}));
  // 1 h anywhere in a day from 0: inside the 100 step, 1000 x 100 x 3600 / 3.6e6 = 100 g.
  CHECK(least_job_co2_g(s, 1000, 0, 86400, 3600) == Approx(100));
  // Starts in [0, 3600]: the job stays in the 400 step, 1000 x 400 x 3600 / 3.6e6 = 400 g.
  CHECK(least_job_co2_g(s, 1000, 0, 3600, 3600) == Approx(400));
  // 18000 s from 7200: 100 x 10800 + 300 x 7200 = 3240000; x 1000 / 3.6e6 = 900 g.
  CHECK(least_job_co2_g(s, 1000, 0, 86400, 18000) == Approx(900));
  // In the last step only: 2000 x 300 x 3600 / 3.6e6 = 600 g.
  CHECK(least_job_co2_g(s, 2000, 20000, 30000, 3600) == Approx(600));
  // No slack, 5400-9000: 400 x 1800 + 100 x 1800 = 900000; x 500 / 3.6e6 = 125 g.
  CHECK(least_job_co2_g(s, 500, 5400, 5400, 3600) == Approx(125));
}

TEST_CASE("compare passes: savings, energy change and trial delays", "[policy_tally]") {
  const PassTotals baseline{10000, 5e9, 1e6};
  const PassTotals policy{9000, 5.5e9, 1.1e6};
  ShiftFigures base_jobs, policy_jobs;
  base_jobs.jobs_co2_g = 4000;
  policy_jobs.jobs_co2_g = 3000;
  policy_jobs.bound_co2_g = 2000;
  policy_jobs.jobs = 42;
  policy_jobs.deadline_misses = 3;
  // Stage run (0, 0): trials 0..19 delayed by a permutation of 1..20 h, d_t = (7 t mod 20) + 1.
  std::vector<double> base_ends, policy_ends;
  for (int t = 0; t < 20; ++t) {
    base_ends.push_back(1000 + t);
    policy_ends.push_back(1000 + t + ((7 * t) % 20 + 1) * 3600.0);
  }
  base_ends.push_back(5000);  // trial 20: not completed under the policy
  policy_ends.push_back(kNaN);
  base_ends.push_back(kNaN);  // trial 21: not completed in the baseline
  policy_ends.push_back(9e9);
  base_ends.push_back(7000);  // trial 22: only in the baseline's vector
  for (std::uint64_t t = 0; t < base_ends.size(); ++t)
    if (!std::isnan(base_ends[t])) base_jobs.trial_end_s.record({0, 0}, t, base_ends[t]);
  for (std::uint64_t t = 0; t < policy_ends.size(); ++t)
    if (!std::isnan(policy_ends[t])) policy_jobs.trial_end_s.record({0, 0}, t, policy_ends[t]);
  policy_jobs.trial_end_s.record({2, 0}, 0, 1e9);  // a run only the policy pass has
  base_jobs.trial_end_s.record({0, 1}, 0, 0.0);    // a run only the baseline has

  const PolicyComparison c = compare_passes(baseline, base_jobs, policy, policy_jobs);
  CHECK(c.baseline_jobs_co2_g == 4000);
  CHECK(c.policy_jobs_co2_g == 3000);
  CHECK(c.bound_jobs_co2_g == 2000);
  CHECK(c.saving_pct == Approx(25));        // (4000 - 3000) / 4000
  CHECK(c.bound_saving_pct == Approx(50));  // (4000 - 2000) / 4000
  CHECK(c.total_saving_pct == Approx(10));  // (10000 - 9000) / 10000
  // 5.5e9 J against 5e9 J: 10 % more energy, positive.
  CHECK(c.energy_change_pct == Approx(10));
  CHECK(c.jobs == 42);
  CHECK(c.deadline_misses == 3);
  CHECK(c.baseline.makespan_s == 1e6);
  CHECK(c.policy.makespan_s == 1.1e6);
  CHECK(c.trials_compared == 20);
  CHECK(c.delay_mean_h == Approx(10.5));  // (1 + ... + 20) / 20 = 210 / 20
  CHECK(c.delay_p95_h == 19);             // nearest rank: ceil(0.95 x 20) = 19th of 1..20
  CHECK(c.delay_max_h == 20);

  // Less energy: negative. No baseline CO2e: no saving. No trial in common: zeros.
  ShiftFigures empty_jobs;
  const PolicyComparison d =
      compare_passes(PassTotals{0, 4e9, 0}, ShiftFigures{}, PassTotals{0, 3e9, 0}, empty_jobs);
  CHECK(d.energy_change_pct == Approx(-25));  // (3e9 - 4e9) / 4e9
  CHECK(d.total_saving_pct == 0);
  CHECK(d.saving_pct == 0);
  CHECK(d.trials_compared == 0);
  CHECK(d.delay_mean_h == 0);
  CHECK(d.delay_p95_h == 0);
  CHECK(d.delay_max_h == 0);

  RunSummary summary;
  summary.total.co2_g = 12;
  summary.total.energy_j = 34;
  summary.makespan_s = 56;
  // Two serving deployments, the second capped: only its figures are the serving ones.
  summary.deployments.resize(2);
  summary.deployments[0].co2_g = 1000;
  summary.deployments[1].co2_g = 7;
  summary.deployments[1].energy_j = 8;
  summary.deployments[1].served = 9;
  summary.deployments[1].late = 2;
  summary.deployments[1].dropped = 1;
  const PassTotals totals = pass_totals(summary, {false, true});
  CHECK(totals.co2_g == 12);
  CHECK(totals.energy_j == 34);
  CHECK(totals.makespan_s == 56);
  CHECK(totals.serving_co2_g == 7);
  CHECK(totals.serving_energy_j == 8);
  CHECK(totals.serving_served == 9);
  CHECK(totals.serving_late == 2);
  CHECK(totals.serving_dropped == 1);
  // 10 g without the cap, 7 g with it: 30 % of the capped services' CO2e.
  PassTotals uncapped = totals;
  uncapped.serving_co2_g = 10;
  ShiftFigures none;
  CHECK(compare_passes(uncapped, ShiftFigures{}, totals, none, 1).serving_saving_pct ==
        Approx(30).epsilon(1e-14));
}
