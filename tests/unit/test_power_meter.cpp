#include <catch2/catch.hpp>

#include "accounting/facility_sites.hpp"
#include "accounting/power_meter.hpp"
#include "grid/step_timeline.hpp"
#include "support/conservation.hpp"
#include "support/meter_fixtures.hpp"

using namespace mlcycle;
using mlcycle::test::constant_grid;
using mlcycle::test::small_host;

namespace {

struct CollectingRecorder final : RunRecorder {
  std::vector<JobRecord> jobs;
  std::vector<TraceBin> bins;
  void record_job(const JobRecord& job) override { jobs.push_back(job); }
  void record_bin(const TraceBin& bin) override { bins.push_back(bin); }
};

JobStart job(std::uint64_t id, std::uint32_t host, std::uint32_t gpus, double hours) {
  JobStart start;
  start.request.job_id = id;
  start.request.gpus = gpus;
  start.request.duration_s = hours * 3600;
  start.allocation = {HostShare{host, gpus}};
  return start;
}

constexpr double kWh = 3.6e6;  // J

std::unique_ptr<StepSignal> step_signal(std::vector<double> start_s, std::vector<double> value) {
  return std::make_unique<StepTimeline>(
      std::make_unique<FixedStepsSource>(std::move(start_s), std::move(value)));
}

}  // namespace

TEST_CASE("two hosts, three jobs: job, idle, trace and host energies match the hand oracle") {
  // Schedule: job0 (2 h) and job1 (1 h) on host0, job2 (3 h) on host1, all from t = 0.
  // A busy GPU draws (AllCores + overhead) / cores = (100 + 5) / 2 = 52.5 W.
  //   job0: 52.5 W x 2 h = 105 Wh; job1: 52.5 Wh; job2: 157.5 Wh; jobs = 315 Wh IT.
  // host0: [0,1h) 2 busy: 20 + 1.0 x 80 + 5 = 105 W; [1h,2h) 1 busy: 20 + 0.5 x 80 + 5 = 65 W;
  //        [2h,3h) idle: 10 + 5 = 15 W -> 185 Wh. host1: 65 W x 3 h = 195 Wh. Total 380 Wh IT.
  // Idle = 380 - 315 = 65 Wh IT. Facility x 1.5: jobs 472.5 Wh, idle 97.5 Wh, total 570 Wh.
  // CO2e at 300 g/kWh: 0.570 x 300 = 171 g. Cost at 0.2 per kWh: 0.114.
  CollectingRecorder recorder;
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  REQUIRE(sites.site(0, 1.5) == 0);  // PUE 1.5 in region 0: site 0 of both hosts
  PowerMeter meter({small_host("h0"), small_host("h1")}, sites, 0.2, 3600, recorder);
  const JobStart j0_start = job(0, 0, 1, 2);
  ActiveJob j0 = meter.start_job(j0_start);
  const JobStart j1_start = job(1, 0, 1, 1);
  ActiveJob j1 = meter.start_job(j1_start);
  const JobStart j2_start = job(2, 1, 1, 3);
  ActiveJob j2 = meter.start_job(j2_start);
  meter.advance_to(3600);
  recorder.record_job(meter.end_job(j1_start, j1, JobStatus::completed));
  meter.advance_to(7200);
  recorder.record_job(meter.end_job(j0_start, j0, JobStatus::completed));
  meter.advance_to(10800);
  recorder.record_job(meter.end_job(j2_start, j2, JobStatus::completed));
  RunSummary s = meter.finish(10800, 0);

  REQUIRE(recorder.jobs.size() == 3);
  CHECK(recorder.jobs[0].job_id == 1);
  CHECK(recorder.jobs[0].it_energy_j == Approx(52.5 * 3600).epsilon(1e-12));
  CHECK(recorder.jobs[1].it_energy_j == Approx(105 * 3600).epsilon(1e-12));
  CHECK(recorder.jobs[2].energy_j == Approx(157.5 * 1.5 * 3600).epsilon(1e-12));
  CHECK(recorder.jobs[2].co2_g == Approx(0.23625 * 300).epsilon(1e-12));  // 157.5 x 1.5 Wh
  CHECK(recorder.jobs[2].gpu_hours == Approx(3));

  const SeriesTotals& exp = s.series[0];
  CHECK(exp.it_energy_j == Approx(315 * 3600).epsilon(1e-12));
  CHECK(s.series[kIdleSeries].it_energy_j == Approx(65 * 3600).epsilon(1e-12));
  CHECK(s.series[kIdleSeries].energy_j == Approx(97.5 * 3600).epsilon(1e-12));
  CHECK(s.total.energy_j == Approx(0.570 * kWh).epsilon(1e-12));
  CHECK(s.total.co2_g == Approx(171).epsilon(1e-12));
  CHECK(s.total.cost == Approx(0.114).epsilon(1e-12));
  CHECK(s.hosts[0].it_energy_j == Approx(185 * 3600).epsilon(1e-12));
  CHECK(s.hosts[1].it_energy_j == Approx(195 * 3600).epsilon(1e-12));
  // What SimGrid's plugin would integrate (no overhead): 100 + 60 + 10 = 170 Wh; 60 x 3 = 180.
  CHECK(s.hosts[0].simgrid_model_j == Approx(170 * 3600).epsilon(1e-12));
  CHECK(s.hosts[1].simgrid_model_j == Approx(180 * 3600).epsilon(1e-12));
  // Peak: first hour, 105 + 65 = 170 W IT x 1.5 = 255 W.
  CHECK(s.peak_power_w == Approx(255));
  // Utilization: 6 busy GPU-hours / (4 GPUs x 3 h) = 0.5.
  CHECK(s.mean_utilization == Approx(0.5));

  // Trace, 1 h bins. Phase (facility): 157.5 x 1.5, 105 x 1.5, 52.5 x 1.5 Wh.
  // Idle IT: 170 - 157.5 = 12.5, 130 - 105 = 25, 80 - 52.5 = 27.5 Wh (x 1.5 facility).
  REQUIRE(recorder.bins.size() == 3);
  const double phase_wh[] = {157.5, 105, 52.5};
  const double idle_wh[] = {12.5, 25, 27.5};
  for (int b = 0; b < 3; ++b) {
    CHECK(recorder.bins[b].time_s == b * 3600.0);
    CHECK(recorder.bins[b].duration_s == 3600.0);
    CHECK(recorder.bins[b].energy_j[0] == Approx(phase_wh[b] * 1.5 * 3600).epsilon(1e-12));
    CHECK(recorder.bins[b].energy_j[kIdleSeries] == Approx(idle_wh[b] * 1.5 * 3600).epsilon(1e-12));
  }
  // Conservation: jobs + idle = trace = hosts (facility).
  mlcycle::testing::check_conservation(s, recorder.jobs, recorder.bins);
}

TEST_CASE("step intensity: 100 W for 2 h at 200 then 400 g/kWh gives 60 g") {
  // 0.1 kWh x 200 + 0.1 kWh x 400 = 20 + 40 = 60 g; the 1 h bins hold 20 g and 40 g.
  std::vector<std::unique_ptr<StepSignal>> signals;
  signals.push_back(step_signal({0, 3600}, {200, 400}));
  GridRegistry grid({"r"}, std::move(signals));
  HostPowerModel host;
  host.cores = 1;
  host.all_cores_w = 100;
  host.epsilon_w = 100;
  CollectingRecorder recorder;
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  PowerMeter meter({host}, sites, 0, 3600, recorder);
  const JobStart j_start = job(0, 0, 1, 2);
  ActiveJob j = meter.start_job(j_start);
  meter.advance_to(7200);
  recorder.record_job(meter.end_job(j_start, j, JobStatus::completed));
  RunSummary s = meter.finish(7200, 0);
  REQUIRE(recorder.jobs.size() == 1);
  CHECK(recorder.jobs[0].co2_g == Approx(60).epsilon(1e-12));
  REQUIRE(recorder.bins.size() == 2);
  CHECK(recorder.bins[0].co2_g[0] == Approx(20).epsilon(1e-12));
  CHECK(recorder.bins[1].co2_g[0] == Approx(40).epsilon(1e-12));
  CHECK(s.total.co2_g == Approx(60).epsilon(1e-12));
}

TEST_CASE("a job straddling an intensity step and a bin edge is integrated exactly") {
  // 100 W from 0.5 h to 1.5 h: 0.05 kWh at 200 + 0.05 kWh at 400 = 10 + 20 = 30 g.
  StepTimeline signal(std::make_unique<FixedStepsSource>(std::vector<double>{0, 3600},
                                                         std::vector<double>{200, 400}));
  CHECK(signal.integral(1800, 5400) == Approx(200 * 1800 + 400 * 1800));
  CHECK(signal.value_at(3599.9) == 200);
  CHECK(signal.value_at(3600) == 400);
  CHECK(signal.next_change_after_s(0) == 3600);
  CHECK(std::isinf(signal.next_change_after_s(3600)));
  std::vector<std::unique_ptr<StepSignal>> signals;
  signals.push_back(step_signal({0, 3600}, {200, 400}));
  GridRegistry grid({"r"}, std::move(signals));
  HostPowerModel host;
  host.cores = 1;
  host.all_cores_w = 100;
  CollectingRecorder recorder;
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  PowerMeter meter({host}, sites, 0, 3600, recorder);
  meter.advance_to(1800);
  const JobStart j_start = job(0, 0, 1, 1);
  ActiveJob j = meter.start_job(j_start);
  meter.advance_to(5400);
  recorder.record_job(meter.end_job(j_start, j, JobStatus::completed));
  meter.finish(5400, 0);
  CHECK(recorder.jobs[0].co2_g == Approx(30).epsilon(1e-12));
  REQUIRE(recorder.bins.size() == 2);
  CHECK(recorder.bins[0].co2_g[0] == Approx(10).epsilon(1e-12));
  CHECK(recorder.bins[1].co2_g[0] == Approx(20).epsilon(1e-12));
  CHECK(recorder.bins[1].duration_s == 1800);  // the last bin is cut at the end of the run
}

TEST_CASE("crossover: the first time inference CO2e exceeds experimentation + training") {
  // One host, 2 GPUs, AllCores 100 W: a busy GPU draws 50 W. Intensity 360 g/kWh until 1500 s,
  // then 720: 50 W emits 50 x 360 / 3.6e6 = 0.005 g/s, then 0.01 g/s. PUE 1.
  // Training on GPU 0 over [0, 1000 s): 1000 x 0.005 = 5 g. Inference on GPU 1 from 1000 s:
  // lead at 1500 s = -5 + 500 x 0.005 = -2.5 g; then +0.01 g/s crosses 0 at 1500 + 250 = 1750 s.
  GridRegistry grid = GridRegistry({"r"}, [] {
    std::vector<std::unique_ptr<StepSignal>> signals;
    signals.push_back(step_signal({0, 1500}, {360, 720}));
    return signals;
  }());
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  HostPowerModel host;
  host.cores = 2;
  host.all_cores_w = 100;
  CollectingRecorder recorder;
  PowerMeter meter({host}, sites, 0, 3600, recorder);
  JobStart training = job(0, 0, 1, 1000.0 / 3600);
  training.request.phase = Phase::training;
  ActiveJob t = meter.start_job(training);
  meter.advance_to(1000);
  recorder.record_job(meter.end_job(training, t, JobStatus::completed));
  JobStart inference = job(1, 0, 1, 1);
  inference.request.phase = Phase::inference;
  ActiveJob i = meter.start_job(inference);
  meter.advance_to(4000);
  recorder.record_job(meter.end_job(inference, i, JobStatus::completed));
  RunSummary s = meter.finish(4000, 0);
  CHECK(s.crossover_s == Approx(1750).epsilon(1e-12));
}

TEST_CASE("crossover: never, when inference stays below training") {
  GridRegistry grid = constant_grid(360);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  HostPowerModel host;
  host.cores = 2;
  host.all_cores_w = 100;
  CollectingRecorder recorder;
  PowerMeter meter({host}, sites, 0, 3600, recorder);
  JobStart training = job(0, 0, 1, 1);
  training.request.phase = Phase::training;
  ActiveJob t = meter.start_job(training);
  JobStart inference = job(1, 0, 1, 0.5);
  inference.request.phase = Phase::inference;
  ActiveJob i = meter.start_job(inference);  // same power, half the time: never ahead
  meter.advance_to(1800);
  recorder.record_job(meter.end_job(inference, i, JobStatus::completed));
  meter.advance_to(3600);
  recorder.record_job(meter.end_job(training, t, JobStatus::completed));
  CHECK(std::isnan(meter.finish(3600, 0).crossover_s));
}
