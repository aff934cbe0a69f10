// carbon-cap without an engine: a job's progress on a cap schedule's clock (the conversions
// both ways and the next switch), and the core switching a running job's cap, cutting it at a
// node failure and requeueing the work after its last checkpoint.
#include <catch2/catch.hpp>
#include <limits>
#include <tuple>

#include "workload/cap_schedule.hpp"
#include "workload/lifecycle_core.hpp"

using namespace mlcycle;

namespace {

constexpr double kHour = 3600;
constexpr double kNever = std::numeric_limits<double>::infinity();

// Capped on [from, to) of each interval, uncapped elsewhere.
class IntervalSchedule final : public CapSchedule {
 public:
  explicit IntervalSchedule(std::vector<std::pair<double, double>> capped)
      : capped_(std::move(capped)) {}
  bool capped_at(double t) const override {
    for (const auto& [from, to] : capped_)
      if (t >= from && t < to) return true;
    return false;
  }
  double next_change_after_s(double t) const override {
    double next = kNever;
    for (const auto& [from, to] : capped_) {
      if (from > t) next = std::min(next, from);
      if (to > t) next = std::min(next, to);
    }
    return next;
  }

 private:
  std::vector<std::pair<double, double>> capped_;
};

class Effects : public LifecycleEffects {
 public:
  std::vector<std::pair<double, double>> launches;  // (time, run_s)
  std::vector<std::pair<double, JobEnding>> ends;
  std::vector<std::tuple<double, bool, double>> switches;  // (time, engaged, remaining)
  double now_s = 0;
  void campaign_run_opened(std::uint32_t) override {}
  void host_booting(std::uint32_t) override {}
  void host_boot_done(std::uint32_t) override {}
  void host_off(std::uint32_t) override {}
  void start_probe(std::uint32_t, const JobStart&, double) override {}
  void start_staging(std::uint32_t, const JobStart&, std::uint32_t, double) override {}
  void job_launched(std::uint32_t, const JobStart& job, double t, bool) override {
    launches.emplace_back(t, job.request.duration_s);
  }
  void job_end_due(std::uint32_t) override {}
  void job_cap_switched(std::uint32_t, const JobStart& job, double t, double remaining_s) override {
    switches.emplace_back(t, job.cap_engaged, remaining_s);
  }
  void job_ended(std::uint32_t, const JobStart&, const JobEnding& ending, double t) override {
    ends.emplace_back(t, ending);
  }
  void stage_run_finished(const StageRunEvent&, bool) override {}
  void before_dispatch(double) override {}
  void after_dispatch(double) override {}
};

}  // namespace

TEST_CASE("cap schedule: progress and wall time convert on the schedule's steps") {
  // Capped on [1 h, 2 h), ratio 1.5: progress 1 per second outside, 2/3 inside.
  const IntervalSchedule schedule({{kHour, 2 * kHour}});
  // From 0, 3 h of progress: 1 h uncapped, 1 h capped (2/3 h), 1 1/3 h uncapped: 10/3 h.
  CHECK(capped_wall_end_s(schedule, 1.5, 0, 3 * kHour) == Approx(10 * kHour / 3).epsilon(1e-15));
  CHECK(capped_progress_s(schedule, 1.5, 0, 10 * kHour / 3) == Approx(3 * kHour).epsilon(1e-15));
  // Starting capped at 1.5 h: 0.5 h capped (1/3 h of progress), then uncapped.
  CHECK(capped_wall_end_s(schedule, 1.5, 1.5 * kHour, kHour) == Approx(2 * kHour + 2 * kHour / 3));
  // Ending inside the capped step: 1 h of progress from 1 h takes 1.5 h > 1 h; 0.5 h of
  // progress takes 0.75 h.
  CHECK(capped_wall_end_s(schedule, 1.5, kHour, 0.5 * kHour) == 1.75 * kHour);
  CHECK(capped_wall_end_s(schedule, 1.5, 0, 0) == 0);
  CHECK(next_cap_switch_s(schedule, 0, kNever) == kHour);
  CHECK(next_cap_switch_s(schedule, kHour, kNever) == 2 * kHour);
  CHECK(next_cap_switch_s(schedule, 2 * kHour, kNever) == kNever);
  CHECK(next_cap_switch_s(schedule, 0, kHour) == kNever);  // not before `until`
}

TEST_CASE("core: a carbon-cap job switches as it runs, and a node failure keeps its checkpoints",
          "[core]") {
  // One 3-h trial on host 0 of two 1-GPU hosts, checkpoints every hour of work, one retry; its
  // cap (x 1.25) holds while the schedule says so: on [0, 2 h). Uncut it would make 1.6 h of
  // progress by 2 h and end at 2 + 1.4 = 3.4 h; the switch at 2 h releases the cap with
  // 1.4 h = 5,040 s left.
  Scenario scenario;
  CampaignSpec spec;
  spec.trials = 1;
  spec.length.hours = 3;
  spec.failures.checkpoint_interval_s = kHour;
  spec.failures.max_retries = 1;
  scenario.campaigns = {spec};
  const IntervalSchedule schedule({{0, 2 * kHour}});
  Effects effects;
  LifecycleCore core(scenario, {{0, 0}, {0, 0}}, {ClusterGpus{{0, 1}, {1, 1}}}, {0}, effects);
  core.set_power_cap_factors({1.25});
  core.set_cap_schedules({&schedule});
  core.arm_all_power_offs();
  core.handle_due(0);
  REQUIRE(effects.launches.size() == 1);
  CHECK(effects.launches[0].second == Approx(3.4 * kHour).epsilon(1e-15));
  CHECK(core.next_event_s(0) == 2 * kHour);
  core.handle_due(2 * kHour);
  REQUIRE(effects.switches.size() == 1);
  CHECK(std::get<0>(effects.switches[0]) == 2 * kHour);
  CHECK_FALSE(std::get<1>(effects.switches[0]));
  CHECK(std::get<2>(effects.switches[0]) == Approx(1.4 * kHour).epsilon(1e-14));
  // Host 0 fails at 2.5 h: 1.6 + 0.5 = 2.1 h of work done, 2 h of it checkpointed; the lost
  // 0.1 h of progress was made uncapped, 360 s of wall time. The retry (1 h of work) starts on
  // host 1 at once, uncapped: 1 h.
  core.on_node_down(0, 2.5 * kHour);
  core.handle_due(2.5 * kHour);
  REQUIRE(effects.ends.size() == 1);
  CHECK(effects.ends[0].second.reason == StopReason::node_failure);
  CHECK(effects.ends[0].second.lost_s == Approx(360).epsilon(1e-12));
  REQUIRE(effects.launches.size() == 2);
  CHECK(effects.launches[1].first == 2.5 * kHour);
  CHECK(effects.launches[1].second == Approx(kHour).epsilon(1e-12));
}
