#include <catch2/catch.hpp>

#include "accounting/campaign_tally.hpp"

using namespace mlcycle;

namespace {
JobRecord record(std::uint32_t campaign, StopReason reason, double gpu_hours, double wait_s) {
  JobRecord r;
  r.campaign = campaign;
  r.stop_reason = reason;
  r.gpu_hours = gpu_hours;
  r.energy_j = 1000 * gpu_hours;
  r.co2_g = gpu_hours;
  r.submit_s = 100 - wait_s;
  r.end_s = 100 + 3600 * gpu_hours;
  return r;
}
}  // namespace

TEST_CASE("campaign results: jobs, crashes, failures and the search counterfactual", "[tally]") {
  std::vector<CampaignSpec> specs(2);
  specs[0].name = "trials";
  specs[1].name = "asha";
  specs[1].search = SearchSpec{};
  CampaignTally tally(specs);
  tally.run_opened(0);
  tally.run_opened(1);
  // Independent trials: a crash (attempt 0, 2 GPU-hours, waited 10 s), its retry (completed,
  // 3 GPU-hours, waited 20 s) and a trial that fails for good (1 GPU-hour, waited 30 s).
  JobRequest first;
  first.campaign = 0;
  tally.job_started(first, 10, false);
  JobRequest retry = first;
  retry.attempt = 1;
  tally.job_started(retry, 20, false);
  tally.job_started(first, 30, false);
  JobRecord crashed = record(0, StopReason::crashed, 2, 10);
  crashed.wasted_gpu_hours = 0.5;
  tally.job_ended(crashed, true, false);
  tally.job_ended(record(0, StopReason::completed, 3, 20), false, false);
  tally.job_ended(record(0, StopReason::failed, 1, 30), true, false);
  tally.run_finished(0, 4, nullptr, 0);
  // A search: 3 jobs of 1 GPU-hour; 10 configurations started, 2 reached the full budget of
  // 5 GPU-hours each: counterfactual 10 x 5 = 50, saved 50 - 3 = 47.
  for (int i = 0; i < 3; ++i) tally.job_ended(record(1, StopReason::completed, 1, 0), false, true);
  SearchResults search;
  search.configs_started = 10;
  search.configs_completed = 2;
  search.configs_stopped_early = 8;
  search.best_score = 0.9;
  tally.run_finished(1, 0, &search, 5);

  const std::vector<CampaignResult> r = tally.results();
  CHECK(r[0].runs == 1);
  CHECK(r[0].trials_started == 2);  // first attempts only
  CHECK(r[0].jobs == 3);
  CHECK(r[0].crashes == 2);
  CHECK(r[0].failed == 1);
  CHECK(r[0].completed == 1);
  CHECK(r[0].unfinished == 4);
  CHECK(r[0].gpu_hours == 6);
  CHECK(r[0].wasted_gpu_hours == 0.5);
  CHECK(r[0].full_budget_gpu_hours == 6);  // independent trials are their own counterfactual
  CHECK(r[0].saved_gpu_hours == 0);
  CHECK(r[0].mean_wait_s == 20);  // (10 + 20 + 30) / 3
  CHECK(r[1].trials_started == 10);
  CHECK(r[1].completed == 2);
  CHECK(r[1].stopped_early == 8);
  CHECK(r[1].full_budget_gpu_hours == 50);
  CHECK(r[1].saved_gpu_hours == 47);
  CHECK(r[1].best_score == 0.9);
}
