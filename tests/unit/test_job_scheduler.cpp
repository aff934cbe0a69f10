#include <catch2/catch.hpp>
#include <type_traits>

#include "workload/job_scheduler.hpp"
#include "workload/stage_plan.hpp"

using namespace mlcycle;

namespace {
CampaignSpec fixed_campaign(std::string name, std::uint64_t trials, std::uint32_t gpus,
                            double hours) {
  CampaignSpec spec;
  spec.name = std::move(name);
  spec.trials = trials;
  spec.gpus_per_trial = gpus;
  spec.length.hours = hours;
  return spec;
}
const std::vector<ClusterGpus> kTwoNodes{ClusterGpus{{0, 1}, {2, 2}}};

// Opens one run of each campaign at time 0 on cluster 0.
JobScheduler open_all(const std::vector<CampaignSpec>& campaigns, SchedulerPolicy policy) {
  JobScheduler scheduler(kTwoNodes, policy);
  for (std::uint32_t i = 0; i < campaigns.size(); ++i)
    scheduler.open(
        std::make_unique<CampaignSource>(campaigns[i], CampaignRunInfo{i, i}, UtcTime{}, 1), 0);
  return scheduler;
}
}  // namespace

TEST_CASE("fifo: a campaign at its concurrency limit is skipped, not blocking", "[scheduler]") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("a", 3, 2, 1), fixed_campaign("b", 2, 1, 2)};
  campaigns[0].max_concurrent = 1;
  JobScheduler scheduler = open_all(campaigns, SchedulerPolicy::fifo);
  std::vector<JobStart> started = scheduler.dispatch(0);
  // a#0 takes host 0 (2 GPUs); a is then at its limit; b#0 and b#1 fill host 1.
  REQUIRE(started.size() == 3);
  CHECK(started[0].request.campaign == 0);
  CHECK(started[0].allocation[0].host == 0);
  CHECK(started[1].request.campaign == 1);
  CHECK(started[1].allocation[0].host == 1);
  CHECK(started[2].request.campaign == 1);
  CHECK(started[0].request.job_id == 0);
  CHECK(started[2].request.job_id == 2);
  CHECK(scheduler.dispatch(0).empty());
  scheduler.source(0).on_end(started[0].request, StopReason::completed, 0, 3600);
  scheduler.finish(started[0]);
  std::vector<JobStart> next = scheduler.dispatch(3600);
  REQUIRE(next.size() == 1);
  CHECK(next[0].request.campaign == 0);
  CHECK(next[0].request.work_s == 3600);
  CHECK(scheduler.never_started() == 1);
}

TEST_CASE("fifo: a head that does not fit holds back smaller jobs behind it", "[scheduler]") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("first", 1, 1, 1),
                                      fixed_campaign("wide", 1, 4, 1),
                                      fixed_campaign("small", 1, 1, 1)};
  JobScheduler scheduler = open_all(campaigns, SchedulerPolicy::fifo);
  std::vector<JobStart> started = scheduler.dispatch(0);
  // "wide" needs all 4 GPUs, 3 are free: it waits, and "small" waits behind it.
  REQUIRE(started.size() == 1);
  CHECK(started[0].request.campaign == 0);
  CHECK(scheduler.waiting(0, 0) == 2);
  scheduler.finish(started[0]);
  started = scheduler.dispatch(3600);
  REQUIRE(started.size() == 1);
  CHECK(started[0].request.campaign == 1);
  CHECK(started[0].allocation.size() == 2);  // spans both nodes
}

TEST_CASE("easy backfilling starts a short job before the head's reservation", "[scheduler]") {
  // 4 GPUs. "long" holds 2 GPUs for 10 h (requested 10 h). "wide" needs 4: shadow time 10 h,
  // no extra GPUs. "short" (1 GPU, 2 h) ends by 2 h <= 10 h: backfilled. "too-long" (1 GPU,
  // 12 h) would delay the head: it waits. FIFO would start neither.
  std::vector<CampaignSpec> campaigns{
      fixed_campaign("long", 1, 2, 10), fixed_campaign("wide", 1, 4, 1),
      fixed_campaign("too-long", 1, 1, 12), fixed_campaign("short", 1, 1, 2)};
  JobScheduler easy = open_all(campaigns, SchedulerPolicy::easy_backfill);
  std::vector<JobStart> started = easy.dispatch(0);
  REQUIRE(started.size() == 2);
  CHECK(started[0].request.campaign == 0);
  CHECK(started[1].request.campaign == 3);
  JobScheduler fifo = open_all(campaigns, SchedulerPolicy::fifo);
  CHECK(fifo.dispatch(0).size() == 1);
}

TEST_CASE("easy backfilling uses requests, not true run times", "[scheduler]") {
  // "short" runs 2 h but requests 2 h x 6 = 12 h > the 10 h shadow time: not backfilled.
  std::vector<CampaignSpec> campaigns{fixed_campaign("long", 1, 2, 10),
                                      fixed_campaign("wide", 1, 4, 1),
                                      fixed_campaign("short", 1, 1, 2)};
  campaigns[2].walltime_factor = 6;
  JobScheduler easy = open_all(campaigns, SchedulerPolicy::easy_backfill);
  std::vector<JobStart> started = easy.dispatch(0);
  REQUIRE(started.size() == 1);
  CHECK(started[0].request.requested_s == 36000);
}

TEST_CASE("higher priority campaigns go first", "[scheduler]") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("low", 2, 2, 1),
                                      fixed_campaign("high", 2, 2, 1)};
  campaigns[1].priority = 5;
  JobScheduler scheduler = open_all(campaigns, SchedulerPolicy::fifo);
  std::vector<JobStart> started = scheduler.dispatch(0);
  REQUIRE(started.size() == 2);
  CHECK(started[0].request.campaign == 1);
  CHECK(started[1].request.campaign == 1);
}

TEST_CASE("a crashed job is retried first with the work its checkpoints saved", "[scheduler]") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("a", 2, 2, 10)};
  campaigns[0].failures.checkpoint_interval_s = 3600;
  campaigns[0].failures.max_retries = 1;
  JobScheduler scheduler = open_all(campaigns, SchedulerPolicy::fifo);
  std::vector<JobStart> started = scheduler.dispatch(0);
  REQUIRE(started.size() == 2);
  // Trial 0 crashes after saving 3 h of its 10 h: the retry has 7 h left and goes first.
  CHECK(
      scheduler.source(0).on_end(started[0].request, StopReason::crashed, 3 * 3600.0, 4 * 3600.0));
  // The retry is submitted again when the crash ends the attempt.
  scheduler.finish(started[0]);
  std::vector<JobStart> retry = scheduler.dispatch(5 * 3600.0);
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].request.trial == 0);
  CHECK(retry[0].request.attempt == 1);
  CHECK(retry[0].request.work_s == 7 * 3600.0);
  CHECK(retry[0].request.submit_s == 4 * 3600.0);
  // Its second crash has no retry left.
  CHECK_FALSE(scheduler.source(0).on_end(retry[0].request, StopReason::failed, 0, 6 * 3600.0));
}

TEST_CASE("arrivals release trials in batches", "[scheduler]") {
  CampaignSpec spec = fixed_campaign("batches", 5, 1, 1);
  spec.arrival = ArrivalSpec{};
  spec.arrival->pattern = ArrivalSpec::Pattern::rate;
  spec.arrival->rate_per_hour = 1;
  spec.trials_per_arrival = 2;
  JobScheduler scheduler = open_all({spec}, SchedulerPolicy::fifo);
  // Arrivals at 0, 1 h, 2 h release 2, 2 and 1 trials.
  CHECK(scheduler.dispatch(0).size() == 2);
  CHECK(scheduler.next_release_after(0) == 3600);
  CHECK(scheduler.dispatch(3600).size() == 2);
  CHECK(scheduler.dispatch(7200).empty());  // 4 GPUs busy; the 5th trial waits
  CHECK(scheduler.waiting(0, 7200) == 1);
}

// Issue 11: a source used to keep a reference into the caller's spec list, which the test above
// passes as a temporary ({spec}): ASan found the heap-use-after-free once the list was gone.
static_assert(!std::is_copy_constructible_v<CampaignSource>);
static_assert(!std::is_move_constructible_v<CampaignSource>);

TEST_CASE("a source owns its spec: the caller's list may change, grow or die", "[scheduler]") {
  std::vector<CampaignSpec> campaigns{fixed_campaign("a", 2, 1, 1)};
  CampaignSource source(campaigns[0], CampaignRunInfo{0, 0}, UtcTime{}, 1);
  campaigns[0].trials = 7;
  campaigns[0].gpus_per_trial = 4;
  REQUIRE(source.spec().trials == 2);
  REQUIRE(source.spec().gpus_per_trial == 1);
  for (int i = 0; i < 64; ++i) campaigns.push_back(fixed_campaign("grow", 1, 1, 1));
  campaigns.clear();
  campaigns.shrink_to_fit();
  // 1 GPU for 1 h of work: 3600 s; 2 trials, so the third peek finds none.
  const JobRequest* job = source.peek(0);
  REQUIRE(job != nullptr);
  CHECK(job->gpus == 1);
  CHECK(job->work_s == 3600);
  source.take();
  REQUIRE(source.peek(0) != nullptr);
  source.take();
  CHECK(source.peek(0) == nullptr);
  CHECK(source.running() == 2);
}

TEST_CASE("stages start after their dependencies and repeat on their period", "[stages]") {
  Scenario scenario;
  scenario.stages = {StageSpec{"explore", {}, std::nullopt, 0, 1, {}, {}},
                     StageSpec{"final", {"explore"}, std::nullopt, 0, 1, {}, {}},
                     StageSpec{"retrain", {"final"}, std::nullopt, 86400, 3, {}, {}}};
  scenario.campaigns = {fixed_campaign("e", 1, 1, 1), fixed_campaign("f", 1, 1, 1),
                        fixed_campaign("r", 1, 1, 1)};
  scenario.campaigns[0].stage = "explore";
  scenario.campaigns[1].stage = "final";
  scenario.campaigns[2].stage = "retrain";
  StagePlan plan(scenario);
  std::vector<StageRunEvent> starts = plan.take_starts(0);
  REQUIRE(starts.size() == 1);
  CHECK(starts[0].stage == 0);
  CHECK(plan.next_start_after(0) == std::numeric_limits<double>::infinity());
  plan.campaign_finished(0, 0, 500);
  CHECK(plan.finished_at(0) == 500);
  starts = plan.take_starts(500);
  REQUIRE(starts.size() == 1);
  CHECK(starts[0].stage == 1);
  plan.campaign_finished(1, 0, 1500);
  // Retraining runs at 1500, 1500 + 1 d, 1500 + 2 d.
  starts = plan.take_starts(1500);
  REQUIRE(starts.size() == 1);
  CHECK(plan.next_start_after(1500) == 1500 + 86400);
  CHECK(plan.take_starts(1500 + 2 * 86400).size() == 2);
  CHECK(plan.runs_started(2) == 3);
  CHECK_FALSE(plan.finished_at(2).has_value());
  for (std::uint32_t run = 0; run < 3; ++run) plan.campaign_finished(2, run, 1e6 + run);
  CHECK(plan.finished_at(2) == 1e6 + 2);
  CHECK(plan.take_finished().size() == 5);
}
