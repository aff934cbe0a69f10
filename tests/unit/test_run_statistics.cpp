// The meter's run statistics alone: totals, pricing, peak, crossover and node hours from
// intervals, bins, ended jobs and host state changes built by hand.
#include <catch2/catch.hpp>
#include <cmath>

#include "accounting/facility_sites.hpp"
#include "accounting/run_statistics.hpp"
#include "support/meter_fixtures.hpp"

using namespace mlcycle;
using mlcycle::test::constant_grid;

namespace {

constexpr int kTraining = static_cast<int>(Phase::training);
constexpr int kInference = static_cast<int>(Phase::inference);

}  // namespace

TEST_CASE("statistics: a priced job, a deployment, utilization and idle from the bins") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  RunStatistics stats(sites, 0.2, 4);
  JobRecord job;
  job.phase = Phase::training;
  job.gpus = 2;
  job.start_s = 0;
  job.end_s = 3600;
  job.gpu_hours = 2;
  job.energy_j = 3.6e6;
  stats.add_job(job, true);
  CHECK(job.cost == 0.2);  // 1 kWh at 0.2 per kWh
  JobRecord reservation = job;
  reservation.phase = Phase::inference;
  reservation.status = JobStatus::unfinished;
  stats.add_job(reservation, false);
  TraceBin bin;
  bin.energy_j[kIdleSeries] = 7.2e6;
  stats.add_bin(bin);

  const RunSummary s = stats.finish(7200, 3, {});
  CHECK(s.series[kTraining].jobs == 1);
  CHECK(s.series[kInference].jobs == 0);
  CHECK(s.series[kInference].deployments == 1);
  CHECK(s.total.jobs == 1);
  CHECK(s.total.cost == Approx(0.2 + 0.2 + 0.4).epsilon(1e-15));  // idle 2 kWh: 0.4
  CHECK(s.series[kIdleSeries].energy_j == 7.2e6);
  CHECK(s.jobs_pending == 3);
  CHECK(s.jobs_unfinished == 1);
  // Busy GPU-seconds 2 x 3600 x 2 jobs = 14,400 of 4 GPUs x 7200 s: 0.5.
  CHECK(s.mean_utilization == 0.5);
  CHECK(s.makespan_s == 7200);
}

TEST_CASE("statistics: node boots and off and down hours") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  RunStatistics stats(sites, 0, 0);
  stats.add_host_state({HostPowerState::on, HostPowerState::off, 600});
  stats.add_host_state({HostPowerState::off, HostPowerState::booting, 7200});
  stats.add_host_state({HostPowerState::booting, HostPowerState::booting, 60});  // no new boot
  stats.add_host_state({HostPowerState::down, HostPowerState::on, 1800});
  const RunSummary s = stats.finish(0, 0, {});
  CHECK(s.node_boots == 1);
  CHECK(s.node_off_hours == 2);
  CHECK(s.node_down_hours == 0.5);
}

TEST_CASE("statistics: peak facility power, idle energy and marginal availability") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  sites.site(0, 1.5);
  RunStatistics stats(sites, 0, 0);
  std::vector<SitePower> power(1);
  power[0].total_it_w = 80;
  power[0].phase_it_w[kTraining] = 50;
  // [0, 100 s]: facility power 80 W x PUE 1.5 = 120 W; idle 30 W x 100 s = 3000 J IT.
  stats.add_interval(0, 100, power, {SiteInterval{0, &power[0], 150, 0.0125, NAN, 30}});
  const RunSummary s = stats.finish(100, 0, {});
  CHECK(s.peak_power_w == 120);
  CHECK(s.series[kIdleSeries].it_energy_j == 3000);
  CHECK_FALSE(s.marginal_available);  // the site drew power and has no marginal signal
  CHECK(std::isnan(s.series[kTraining].co2_marginal_g));
}

TEST_CASE("statistics: the crossover of inference over training, solved inside an interval") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  RunStatistics stats(sites, 0, 0);
  std::vector<SitePower> power(1);
  // Training 100 W for an hour: lead = -100 W x 300 g/kWh x 1 h = -30 g.
  power[0].total_it_w = 100;
  power[0].phase_it_w[kTraining] = 100;
  const double g_per_w_hour = 300.0 * 3600 / 3.6e6;  // 0.3 g per W over an hour
  stats.add_interval(0, 3600, power, {SiteInterval{0, &power[0], 3600, g_per_w_hour, NAN, 0}});
  // Then inference 200 W alone: the lead grows 200 x 300 / 3.6e6 = 1/60 g/s, so it reaches 0
  // after 30 x 60 = 1800 s: crossover at 3600 + 1800 = 5400 s.
  power[0].total_it_w = 200;
  power[0].phase_it_w[kTraining] = 0;
  power[0].phase_it_w[kInference] = 200;
  stats.add_interval(3600, 7200, power, {SiteInterval{0, &power[0], 3600, g_per_w_hour, NAN, 0}});
  const RunSummary s = stats.finish(7200, 0, {});
  CHECK(s.crossover_s == Approx(5400).epsilon(1e-12));
}
