// The lifecycle's decisions without an engine: LifecycleCore driven by a hand-written clock,
// its effects recorded. The cases mirror tests/engine/test_lifecycle_runs.cpp (same platforms,
// same oracles), so the engine's runs and the core's decisions are checked against one
// arithmetic.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "workload/lifecycle_core.hpp"

using namespace mlcycle;

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
constexpr double kHour = 3600;

struct Launch {
  double time_s;
  std::uint64_t job_id;
  std::uint32_t campaign;
  std::uint32_t attempt;
  std::uint32_t host;  // first host of the allocation
  double run_s;
};
struct End {
  double time_s;
  std::uint64_t job_id;
  std::uint32_t attempt;
  JobEnding ending;
};

// Records what the core asks the engine to do.
class RecordedEffects : public LifecycleEffects {
 public:
  std::vector<Launch> launches;
  std::vector<End> ends;
  std::vector<std::pair<std::uint32_t, double>> boots, offs;  // (host, time)
  std::vector<std::uint64_t> probes;
  std::vector<std::tuple<double, bool, double>> cap_switches;  // (time, engaged, remaining)
  double now_s = 0;

  void campaign_run_opened(std::uint32_t) override {}
  void host_booting(std::uint32_t host) override { boots.emplace_back(host, now_s); }
  void host_boot_done(std::uint32_t) override {}
  void host_off(std::uint32_t host) override { offs.emplace_back(host, now_s); }
  void start_probe(std::uint32_t, const JobStart& job, double) override {
    probes.push_back(job.request.job_id);
  }
  // (job id, from cluster, bytes)
  std::vector<std::tuple<std::uint64_t, std::uint32_t, double>> stagings;
  void start_staging(std::uint32_t, const JobStart& job, std::uint32_t home,
                     double bytes) override {
    stagings.emplace_back(job.request.job_id, home, bytes);
  }
  void job_launched(std::uint32_t, const JobStart& job, double t, bool) override {
    launches.push_back(Launch{t, job.request.job_id, job.request.campaign, job.request.attempt,
                              job.allocation.front().host, job.request.duration_s});
  }
  void job_end_due(std::uint32_t) override {}
  void job_cap_switched(std::uint32_t, const JobStart& job, double t, double remaining_s) override {
    cap_switches.emplace_back(t, job.cap_engaged, remaining_s);
  }
  void job_ended(std::uint32_t, const JobStart& job, const JobEnding& ending, double t) override {
    ends.push_back(End{t, job.request.job_id, job.request.attempt, ending});
  }
  void stage_run_finished(const StageRunEvent&, bool) override {}
  void before_dispatch(double) override {}
  void after_dispatch(double) override {}
};

// Two 1-GPU hosts in one cluster (failing-node.xml, power-states.xml), booting in 10 min.
const std::vector<ClusterGpus> kTwoHosts{ClusterGpus{{0, 1}, {1, 1}}};
const std::vector<CoreHost> kTwoHostsBoot{{0, 600}, {0, 600}};

CampaignSpec campaign(std::uint64_t trials, std::uint32_t gpus, double hours, double submit_s = 0) {
  CampaignSpec spec;
  spec.trials = trials;
  spec.gpus_per_trial = gpus;
  spec.length.hours = hours;
  spec.submit_s = submit_s;
  return spec;
}

struct NodeChange {
  double time_s;
  std::uint32_t host;
  bool up;
};

// The engine's loop: wait for the next event (or node change), feed node changes, handle what
// is due; at the horizon, jobs due then complete and the rest are cut.
void drive(LifecycleCore& core, RecordedEffects& effects, std::vector<NodeChange> changes = {},
           double horizon_s = kNever) {
  double now_s = 0;
  core.arm_all_power_offs();
  core.handle_due(now_s);
  std::size_t next_change = 0;
  while (true) {
    const bool work = core.work_left(now_s);
    double next_s = work ? core.next_event_s(now_s) : kNever;
    if (next_change < changes.size()) next_s = std::min(next_s, changes[next_change].time_s);
    if (next_s == kNever) break;
    now_s = effects.now_s = std::min(next_s, horizon_s);
    if (now_s >= horizon_s) {
      core.end_jobs_due_at_horizon(now_s);
      break;
    }
    for (; next_change < changes.size() && changes[next_change].time_s <= now_s; ++next_change) {
      const NodeChange& c = changes[next_change];
      if (c.up)
        core.on_node_up(c.host, now_s);
      else
        core.on_node_down(c.host, now_s);
    }
    core.handle_due(now_s);
  }
  core.finish(now_s);
}

}  // namespace

TEST_CASE("core: a node failure cuts a job to its checkpoint and requeues it", "[core]") {
  // failing-node.xml: host 1 fails at 1 h, back at 3 h. Two 2-h trials, checkpoint every
  // 40 min, one retry. Job 1 (host 1) saved 40 min and loses 60 - 40 = 20 min = 1200 s; its
  // retry (120 - 40 = 80 min = 4800 s of work) waits for host 0, free at 2 h: runs 2 h-3 h 20.
  Scenario scenario;
  scenario.campaigns = {campaign(2, 1, 2)};
  scenario.campaigns[0].failures.checkpoint_interval_s = 40 * 60;
  scenario.campaigns[0].failures.max_retries = 1;
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0}, effects);
  drive(core, effects, {{kHour, 1, false}, {3 * kHour, 1, true}});

  REQUIRE(effects.ends.size() == 3);
  const End& cut = effects.ends[0];
  CHECK(cut.time_s == kHour);
  CHECK(cut.job_id == 1);
  CHECK(cut.ending.reason == StopReason::node_failure);
  CHECK(cut.ending.crash);
  CHECK(cut.ending.cut);
  CHECK(cut.ending.lost_s == Approx(1200).epsilon(1e-12));
  CHECK(effects.ends[1].ending.reason == StopReason::completed);
  CHECK(effects.ends[1].time_s == 2 * kHour);
  REQUIRE(effects.launches.size() == 3);
  const Launch& retry = effects.launches[2];
  CHECK(retry.attempt == 1);
  CHECK(retry.time_s == 2 * kHour);
  CHECK(retry.host == 0);
  CHECK(retry.run_s == Approx(4800).epsilon(1e-12));
  CHECK(effects.ends[2].time_s == Approx(2 * kHour + 4800).epsilon(1e-12));
  CHECK(effects.ends[2].ending.reason == StopReason::completed);
}

TEST_CASE("core: without retries a node failure fails the gang, a later job takes the node",
          "[core]") {
  // A 2-GPU job on hosts 0 + 1 from 0 h; host 1 fails at 1 h: failed for good, cut, 1 h lost
  // (no checkpoint). A 1-GPU job submitted at 1 h runs on host 0 1 h-2 h.
  Scenario scenario;
  scenario.campaigns = {campaign(1, 2, 2), campaign(1, 1, 1, kHour)};
  scenario.campaigns[0].failures.max_retries = 0;
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0, 0}, effects);
  drive(core, effects, {{kHour, 1, false}, {3 * kHour, 1, true}});

  REQUIRE(effects.ends.size() == 2);
  CHECK(effects.ends[0].ending.reason == StopReason::failed);
  CHECK(effects.ends[0].ending.cut);
  CHECK(effects.ends[0].ending.lost_s == Approx(kHour).epsilon(1e-12));
  REQUIRE(effects.launches.size() == 2);
  CHECK(effects.launches[1].time_s == kHour);
  CHECK(effects.launches[1].host == 0);
  CHECK(effects.ends[1].time_s == 2 * kHour);
}

TEST_CASE("core: a crash requeues the trial at the next attempt until retries run out", "[core]") {
  // Every attempt crashes (probability 1, at a uniform time within the run); one retry: the
  // first attempt ends `crashed` and its retry starts at that instant, which ends `failed`.
  // Neither is cut: each ran to its planned crash.
  Scenario scenario;
  scenario.campaigns = {campaign(1, 1, 2)};
  scenario.campaigns[0].failures.crash_probability = 1;
  scenario.campaigns[0].failures.max_retries = 1;
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0}, effects);
  drive(core, effects);

  REQUIRE(effects.ends.size() == 2);
  REQUIRE(effects.launches.size() == 2);
  CHECK(effects.ends[0].ending.reason == StopReason::crashed);
  CHECK_FALSE(effects.ends[0].ending.cut);
  CHECK(effects.launches[1].attempt == 1);
  CHECK(effects.launches[1].time_s == effects.ends[0].time_s);
  CHECK(effects.ends[1].ending.reason == StopReason::failed);
  CHECK_FALSE(effects.ends[1].ending.cut);
  CHECK(effects.ends[0].ending.lost_s < 2 * kHour);
}

TEST_CASE("core: idle nodes switch off and boot on demand", "[core]") {
  // power-states.xml, power_off_after = 1 h: a 2-h trial on host 0 at 0; host 1 idle from 0 is
  // off at 1 h, host 0 idle from 2 h is off at 3 h. A 1-h trial at 5 h boots host 0 (10 min):
  // it runs 5 h 10-6 h 10 and waits 600 s.
  Scenario scenario;
  scenario.scheduler.idle_off_s = kHour;
  scenario.campaigns = {campaign(1, 1, 2), campaign(1, 1, 1, 5 * kHour)};
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0, 0}, effects);
  drive(core, effects);

  using Pair = std::pair<std::uint32_t, double>;
  CHECK(effects.offs == std::vector<Pair>{{1, kHour}, {0, 3 * kHour}});
  CHECK(effects.boots == std::vector<Pair>{{0, 5 * kHour}});
  REQUIRE(effects.launches.size() == 2);
  CHECK(effects.launches[1].time_s == 5 * kHour + 600);
  CHECK(effects.ends[1].time_s == 6 * kHour + 600);
}

TEST_CASE("core: power_off_after = 0 spares a node that work takes at the same instant", "[core]") {
  // Host 1 is idle from 0 and off at once; host 0 takes the 2-h trial at 0, and the 1-h trial
  // submitted at 2 h the moment it is freed: no boot, no wait. Host 0 is idle from 3 h: off at
  // 3 h + 0, as the run ends (the engine test's "then off: the run ends at 3 h").
  Scenario scenario;
  scenario.scheduler.idle_off_s = 0;
  scenario.campaigns = {campaign(1, 1, 2), campaign(1, 1, 1, 2 * kHour)};
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0, 0}, effects);
  drive(core, effects);

  using Pair = std::pair<std::uint32_t, double>;
  CHECK(effects.offs == std::vector<Pair>{{1, 0}, {0, 3 * kHour}});
  CHECK(effects.boots.empty());
  REQUIRE(effects.launches.size() == 2);
  CHECK(effects.launches[1].time_s == 2 * kHour);
  CHECK(effects.launches[1].host == 0);
}

TEST_CASE("core: a job whose node fails while it boots goes back at the same attempt", "[core]") {
  // Both hosts off from 1 h. The 1-h trial at 5 h boots host 0 (until 5 h 10); host 0 fails at
  // 5 h 5: the job never computed, so it is requeued (attempt 0, no record) and boots host 1 at
  // once: it runs 5 h 15-6 h 15.
  Scenario scenario;
  scenario.scheduler.idle_off_s = kHour;
  scenario.campaigns = {campaign(1, 1, 1, 5 * kHour)};
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0}, effects);
  drive(core, effects, {{5 * kHour + 300, 0, false}});

  using Pair = std::pair<std::uint32_t, double>;
  CHECK(effects.boots == std::vector<Pair>{{0, 5 * kHour}, {1, 5 * kHour + 300}});
  REQUIRE(effects.launches.size() == 1);
  CHECK(effects.launches[0].attempt == 0);
  CHECK(effects.launches[0].host == 1);
  CHECK(effects.launches[0].time_s == 5 * kHour + 900);
  REQUIRE(effects.ends.size() == 1);
  CHECK(effects.ends[0].ending.reason == StopReason::completed);
}

TEST_CASE("core: EASY backfills a short job that FIFO holds behind the head", "[core]") {
  // 4 GPUs on two 2-GPU nodes. "long" (2 GPUs, 10 h) starts at 0; "wide" (4 GPUs) must wait
  // for it: shadow time 10 h, no spare GPUs then. "too-long" (1 GPU, 12 h) would end at 12 h
  // > 10 h: it waits. "short" (1 GPU, 2 h) ends by 2 h <= 10 h: EASY starts it at 0.
  // FIFO: wide at 10 h (to 11 h), then too-long and short at 11 h.
  Scenario scenario;
  scenario.campaigns = {campaign(1, 2, 10), campaign(1, 4, 1), campaign(1, 1, 12),
                        campaign(1, 1, 2)};
  const std::vector<ClusterGpus> four{ClusterGpus{{0, 1}, {2, 2}}};
  const std::vector<CoreHost> hosts{{0, 0}, {0, 0}};
  auto starts = [&](SchedulerPolicy policy) {
    scenario.scheduler.policy = policy;
    RecordedEffects effects;
    LifecycleCore core(scenario, hosts, four, {0, 0, 0, 0}, effects);
    drive(core, effects);
    std::map<std::uint32_t, double> by_campaign;
    for (const Launch& launch : effects.launches) by_campaign[launch.campaign] = launch.time_s;
    return by_campaign;
  };
  CHECK(starts(SchedulerPolicy::easy_backfill) ==
        std::map<std::uint32_t, double>{{0, 0}, {1, 10 * kHour}, {2, 11 * kHour}, {3, 0}});
  CHECK(starts(SchedulerPolicy::fifo) ==
        std::map<std::uint32_t, double>{{0, 0}, {1, 10 * kHour}, {2, 11 * kHour}, {3, 11 * kHour}});
}

TEST_CASE("core: a walltime kills a job at its request, the horizon cuts the rest", "[core]") {
  // Walltime 1 h on 2-h trials: each attempt ends `walltime` after 1 h. Horizon 90 min: the
  // first job (0 h-1 h) ends by walltime; a 3-h trial started at 0 on the other host is cut
  // at 1 h 30 (`horizon`, unfinished), and no job starts at the horizon.
  Scenario scenario;
  scenario.campaigns = {campaign(1, 1, 2), campaign(1, 1, 3)};
  scenario.campaigns[0].walltime_s = kHour;
  RecordedEffects effects;
  LifecycleCore core(scenario, kTwoHostsBoot, kTwoHosts, {0, 0}, effects);
  drive(core, effects, {}, 1.5 * kHour);

  REQUIRE(effects.ends.size() >= 2);
  CHECK(effects.ends[0].time_s == kHour);
  CHECK(effects.ends[0].ending.reason == StopReason::walltime);
  CHECK(effects.launches[0].run_s == kHour);
  CHECK(effects.ends.back().time_s == 1.5 * kHour);
  CHECK(effects.ends.back().ending.reason == StopReason::horizon);
  CHECK(effects.ends.back().ending.lost_s == 0);
  for (const Launch& launch : effects.launches) CHECK(launch.time_s < 1.5 * kHour);
}
