// Spatial shifting without SimGrid: the placements' choices (round-robin, lowest-now,
// lowest-forecast) against hand oracles, and a placed campaign run in a two-cluster scheduler,
// which fills the cleaner cluster and spills to the other within one dispatch.
#include <catch2/catch.hpp>

#include "accounting/grid_placement.hpp"
#include "workload/job_scheduler.hpp"

using namespace mlcycle;

namespace {

// 400 before 1 h, then 100.
class DropSignal final : public StepSignal {
 public:
  double value_at(double t) const override { return t < 3600 ? 400 : 100; }
  double integral(double t0, double t1) const override {
    const double cut = std::clamp(3600.0, t0, t1);
    return 400 * (cut - t0) + 100 * (t1 - cut);
  }
  double next_change_after_s(double t) const override {
    return t < 3600 ? 3600 : std::numeric_limits<double>::infinity();
  }
};

JobRequest job_of(double work_s) {
  JobRequest job;
  job.work_s = work_s;
  job.gpus = 1;
  return job;
}

std::vector<std::shared_ptr<const StepSignal>> drop_vs_constant() {
  return {std::make_shared<DropSignal>(), std::make_shared<ConstantSignal>(300)};
}

}  // namespace

TEST_CASE("round-robin places the k-th job on cluster k mod n, room or not", "[placement]") {
  RoundRobinPlacement robin({4, 7, 9}, 0);
  const std::vector<bool> no_room{false, false, false};
  std::vector<std::size_t> chosen;
  for (int k = 0; k < 5; ++k) chosen.push_back(robin.choose(job_of(60), 0, no_room));
  CHECK(chosen == std::vector<std::size_t>{0, 1, 2, 0, 1});
  CHECK(robin.home() == 4);
}

TEST_CASE("lowest-now takes the lowest rate among the clusters with room", "[placement]") {
  GridPlacement lowest({0, 1}, 0, drop_vs_constant(), 0.0);
  // At 0: 400 against 300; at 1 h: 100 against 300.
  CHECK(lowest.choose(job_of(3600), 0, {true, true}) == 1);
  CHECK(lowest.choose(job_of(3600), 3600, {true, true}) == 0);
  // The cleaner one is full: the other, which has room.
  CHECK(lowest.choose(job_of(3600), 0, {true, false}) == 0);
  // Neither has room: the cleanest of all (the job queues there).
  CHECK(lowest.choose(job_of(3600), 0, {false, false}) == 1);
  // Ties keep the first listed.
  GridPlacement tie({0, 1}, 0,
                    {std::make_shared<ConstantSignal>(300), std::make_shared<ConstantSignal>(300)},
                    0.0);
  CHECK(tie.choose(job_of(3600), 0, {true, true}) == 0);
}

TEST_CASE("lowest-forecast compares the integral over the planned run", "[placement]") {
  // A 3-h run from 0: the drop signal gives 400 x 1 h + 100 x 2 h = 600 h g/kWh, the constant
  // 300 x 3 h = 900: the drop cluster wins though it is dirtier now.
  GridPlacement forecast({0, 1}, 0, drop_vs_constant(), 3 * 3600.0);
  CHECK(forecast.score(0, job_of(0), 0) == Approx(600 * 3600.0));
  CHECK(forecast.score(1, job_of(0), 0) == Approx(900 * 3600.0));
  CHECK(forecast.choose(job_of(0), 0, {true, true}) == 0);
  // NaN: each job's own work. A 1-h job from 0: 400 h against 300 h.
  GridPlacement own({0, 1}, 0, drop_vs_constant(), std::numeric_limits<double>::quiet_NaN());
  CHECK(own.choose(job_of(3600), 0, {true, true}) == 1);
  CHECK(own.choose(job_of(3 * 3600.0), 0, {true, true}) == 0);
}

TEST_CASE("a placed run fills the cleaner cluster, then spills within one dispatch",
          "[placement]") {
  // Two clusters of one 2-GPU node; cluster 1 is cleaner now. Five 1-GPU trials: two go to
  // cluster 1, then two to cluster 0 (cluster 1 full), and the fifth waits for cluster 1 (no
  // room anywhere: the cleanest), where it is the only queued job.
  const std::vector<ClusterGpus> clusters{ClusterGpus{{0}, {2}}, ClusterGpus{{1}, {2}}};
  JobScheduler scheduler(clusters, SchedulerPolicy::fifo);
  CampaignSpec spec;
  spec.name = "placed";
  spec.trials = 5;
  spec.length.hours = 1;
  GridPlacement placement({0, 1}, 0, drop_vs_constant(), 0.0);
  // At 0 the drop signal is 400: cluster 0 is the dirty one.
  scheduler.open(std::make_unique<CampaignSource>(spec, CampaignRunInfo{0, 0}, UtcTime{}, 1), 0,
                 &placement);
  const std::vector<JobStart> started = scheduler.dispatch(0);
  REQUIRE(started.size() == 4);
  CHECK(started[0].cluster == 1);
  CHECK(started[1].cluster == 1);
  CHECK(started[2].cluster == 0);
  CHECK(started[3].cluster == 0);
  // The fifth waits, counted with the run's first cluster (0), not twice.
  CHECK(scheduler.waiting(0, 0) == 1);
  CHECK(scheduler.waiting(1, 0) == 0);
  // One job of cluster 1 ends at 1 h (the drop: cluster 0 is cleaner now, but the fifth was
  // placed on cluster 1 at 0 and stays there until it starts).
  scheduler.finish(started[0]);
  const std::vector<JobStart> later = scheduler.dispatch(3600);
  REQUIRE(later.size() == 1);
  CHECK(later[0].cluster == 1);
  CHECK(later[0].request.trial == 4);
}
