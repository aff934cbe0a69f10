// The meter's trace binner alone: intervals of constant power, given with their integrals,
// summed into bins; levels (busy GPUs, queue, replicas) closed as time-means.
#include <catch2/catch.hpp>

#include "accounting/facility_sites.hpp"
#include "accounting/trace_binner.hpp"
#include "support/meter_fixtures.hpp"

using namespace mlcycle;
using mlcycle::test::constant_grid;

TEST_CASE("binner: half an hour of a job and idle power, then the bin closes at 1 h") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  REQUIRE(sites.site(0, 1.5) == 0);
  TraceBinner binner(sites, 1, 3600);
  binner.set_sources(1, 1);
  CHECK(binner.next_edge_s() == 3600);
  CHECK(binner.open_bin_start_s() == 0);

  // 80 W at the site, of which 52.5 W a training job of source 0; idle 27.5 W.
  SitePower power;
  power.total_it_w = 80;
  power.phase_it_w[static_cast<int>(Phase::training)] = 52.5;
  power.tag_it_w = {52.5};
  // [0, 1800 s] at PUE 1.5 and 300 g/kWh: 2700 s of PUE, 1.5 x 300 x 1800 / 3.6e6 = 0.225 g/W.
  SiteInterval in{0, &power, 2700, 0.225, 0, 27.5};
  binner.add_busy_gpus(0, 1);
  binner.set_queue_length(0, 4);
  // The deployment: 2 replicas serving 3 requests/s (0.5 late) of 100 output tokens, TTFT
  // 0.2 s and TPOT 0.03 s, at 80 W of which 20 W static.
  DeploymentLevels serving;
  serving.replicas = 2;
  serving.busy_replicas = 1.5;
  serving.served_per_s = 3;
  serving.late_per_s = 0.5;
  serving.input_tokens_per_s = 150;
  serving.output_tokens_per_s = 300;
  serving.ttft_weighted = 3 * 0.2;
  serving.tpot_weighted = 3 * 0.03;
  serving.it_w = 80;
  serving.static_w = 20;
  binner.set_deployment_levels(0, serving);
  binner.add_interval(1800, {in});
  // Then 1800 s with nothing drawing, no GPU busy, still 4 queued, no replicas.
  binner.remove_busy_gpus(0, 1);
  binner.set_deployment_levels(0, DeploymentLevels{});
  binner.add_interval(1800, {});

  const TraceBin& bin = binner.close_bin(3600);
  const int training = static_cast<int>(Phase::training);
  CHECK(bin.time_s == 0);
  CHECK(bin.duration_s == 3600);
  CHECK(bin.energy_j[training] == 141750);  // 52.5 W x 2700 s
  CHECK(bin.co2_g[training] == 52.5 * 0.225);
  CHECK(bin.energy_j[kIdleSeries] == 74250);  // 27.5 W x 2700 s
  CHECK(bin.co2_g[kIdleSeries] == 27.5 * 0.225);
  CHECK(bin.source_energy_j == std::vector<double>{141750});
  CHECK(bin.region_energy_j == std::vector<double>{216000});  // 80 W x 2700 s
  CHECK(bin.region_intensity_g_per_kwh == std::vector<double>{300});
  CHECK(bin.cluster_busy_gpus == std::vector<double>{0.5});  // 1 GPU for 1800 of 3600 s
  CHECK(bin.cluster_queue_jobs == std::vector<double>{4});   // 4 jobs for the whole hour
  CHECK(bin.deployment_replicas == std::vector<double>{1});  // 2 replicas for half of it
  // Totals over the bin: 3 x 1800 = 5400 requests, 900 late, 270,000 and 540,000 tokens; the
  // latency sums 1080 and 162 request-seconds; 144,000 J of which 36,000 static.
  const DeploymentLevels& sums = bin.deployment_sums.at(0);
  CHECK(sums.served_per_s == 5400);
  CHECK(sums.busy_replicas == 2700);  // 1.5 replicas at work for 1800 s
  CHECK(sums.late_per_s == 900);
  CHECK(sums.input_tokens_per_s == 270000);
  CHECK(sums.output_tokens_per_s == 540000);
  CHECK(sums.ttft_weighted == Approx(1080).epsilon(1e-15));
  CHECK(sums.tpot_weighted == Approx(162).epsilon(1e-15));
  CHECK(sums.it_w == 144000);
  CHECK(sums.static_w == 36000);
  CHECK(binner.closed_bins() == 1);
  CHECK(binner.next_edge_s() == 7200);
  CHECK(binner.open_bin_start_s() == 3600);
}

TEST_CASE("binner: a bin of no length shows the levels held then") {
  GridRegistry grid = constant_grid(250);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  TraceBinner binner(sites, 2, 900);
  binner.add_busy_gpus(1, 3);
  binner.set_queue_length(0, 5);
  const TraceBin& bin = binner.close_bin(0);
  CHECK(bin.duration_s == 0);
  CHECK(bin.cluster_busy_gpus == std::vector<double>{0, 3});
  CHECK(bin.cluster_queue_jobs == std::vector<double>{5, 0});
  CHECK(bin.region_intensity_g_per_kwh == std::vector<double>{250});
  CHECK(bin.source_energy_j.empty());  // no sources set: no per-source series
}

TEST_CASE("binner: the next bin starts empty, the closed one stays readable") {
  GridRegistry grid = constant_grid(100);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  TraceBinner binner(sites, 1, 60);
  SitePower power;
  power.total_it_w = 10;
  binner.add_interval(60, {SiteInterval{0, &power, 60, 1.0 / 6000, 0, 10}});
  const TraceBin& first = binner.close_bin(60);
  CHECK(first.energy_j[kIdleSeries] == 600);  // 10 W x 60 s
  binner.add_interval(30, {SiteInterval{0, &power, 30, 1.0 / 12000, 0, 10}});
  CHECK(first.energy_j[kIdleSeries] == 600);
  const TraceBin& second = binner.close_bin(90);  // a last bin may be shorter
  CHECK(second.time_s == 60);
  CHECK(second.duration_s == 30);
  CHECK(second.energy_j[kIdleSeries] == 300);
}
