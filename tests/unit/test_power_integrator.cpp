// The meter's integrator alone: hosts, jobs and loads integrated at constant power between
// events, and the site integrals it hands to the binner and the statistics.
#include <catch2/catch.hpp>
#include <cmath>

#include "accounting/facility_sites.hpp"
#include "accounting/power_integrator.hpp"
#include "support/meter_fixtures.hpp"

using namespace mlcycle;
using mlcycle::test::constant_grid;
using mlcycle::test::small_host;

namespace {

JobStart one_job(std::uint64_t id, std::uint32_t host, std::uint32_t gpus, Phase phase) {
  JobStart start;
  start.request.job_id = id;
  start.request.gpus = gpus;
  start.request.phase = phase;
  start.allocation = {HostShare{host, gpus}};
  return start;
}

}  // namespace

TEST_CASE("integrator: a one-GPU job for an hour, at PUE 1.5 and 300 g/kWh") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  REQUIRE(sites.site(0, 1.5) == 0);
  PowerIntegrator integrator({small_host("h0", 2), small_host("h1", 2)}, sites);
  integrator.set_tags(1);
  // Idle hosts: 10 + 5 = 15 W each, 30 W at the site.
  CHECK(integrator.site_power()[0].total_it_w == 30);

  const JobStart start = one_job(7, 0, 1, Phase::training);
  ActiveJob job = integrator.start_job(start, false);
  // h0 with 1 of 2 GPUs busy: 20 + 0.5 x 80 + 5 = 65 W; h1 15 W: 80 W. The job: 52.5 W.
  const SitePower& p = integrator.site_power()[0];
  CHECK(p.total_it_w == 80);
  CHECK(p.phase_it_w[static_cast<int>(Phase::training)] == 52.5);
  CHECK(p.tag_it_w[0] == 52.5);

  // Over [0, 1 h]: PUE integral 1.5 x 3600 = 5400 s; CO2e per IT watt 1.5 x 300 x 3600 / 3.6e6
  // = 0.45 g; idle IT power 80 - 52.5 = 27.5 W.
  const std::vector<SiteInterval>& in = integrator.site_intervals(0, 3600);
  REQUIRE(in.size() == 1);
  CHECK(in[0].pue_s == 5400);
  CHECK(in[0].g_per_w == Approx(0.45).epsilon(1e-15));
  CHECK(std::isnan(in[0].marginal_g_per_w));  // the grid has no marginal signal
  CHECK(in[0].idle_it_w == 27.5);

  integrator.set_now_s(3600);
  JobRecord r = integrator.end_job(start, job, JobStatus::completed);
  // 52.5 W x 3600 s = 189,000 J IT; x 1.5 = 283,500 J; 52.5 x 0.45 = 23.625 g; 1 GPU-hour.
  CHECK(r.job_id == 7);
  CHECK(r.it_energy_j == 189000);
  CHECK(r.energy_j == 283500);
  CHECK(r.co2_g == Approx(23.625).epsilon(1e-15));
  CHECK(r.gpu_hours == 1);
  CHECK(r.end_s == 3600);
  CHECK(r.cost == 0);  // pricing is the statistics' part
  // The last share gone: the phase's and the source's watts are exactly zero again.
  CHECK(p.phase_it_w[static_cast<int>(Phase::training)] == 0);
  CHECK(p.tag_it_w[0] == 0);
  CHECK(p.total_it_w == 30);

  // Hosts are integrated when visited: h0 held 65 W for an hour: 234,000 J IT, 351,000 J
  // facility; SimGrid's model (no overhead) 60 W: 216,000 J.
  integrator.set_host_state(0, HostPowerState::on);
  const HostTotals h0 = integrator.host_totals(0);
  CHECK(h0.it_energy_j == 234000);
  CHECK(h0.energy_j == 351000);
  CHECK(h0.simgrid_model_j == 216000);
}

TEST_CASE("integrator: a host state change reports what it was and how long it held") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  PowerIntegrator integrator({small_host("h0", 2)}, sites);
  integrator.set_now_s(100);
  HostStateChange off = integrator.set_host_state(0, HostPowerState::off);
  CHECK(off.from == HostPowerState::on);
  CHECK(off.to == HostPowerState::off);
  CHECK(off.held_s == 100);
  CHECK(integrator.site_power()[0].total_it_w == 2);  // wattage_off
  integrator.set_now_s(400);
  HostStateChange boot = integrator.set_host_state(0, HostPowerState::booting);
  CHECK(boot.from == HostPowerState::off);
  CHECK(boot.held_s == 300);
  // 15 W for 100 s + 2 W for 300 s = 1,500 + 600 = 2,100 J.
  CHECK(integrator.host_totals(0).it_energy_j == 2100);
}

TEST_CASE("integrator: an own-power job changes power and gives the host its share") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  PowerIntegrator integrator({small_host("h0", 2)}, sites);
  const JobStart start = one_job(1, 0, 2, Phase::inference);
  ActiveJob job = integrator.start_job(start, true);
  CHECK(job.it_power_w == 105);  // its GPUs' busy power: 2 x 52.5 W
  integrator.set_now_s(1800);
  integrator.set_job_power(start, job, 205);
  // The site: the host at 2 busy draws 20 + 80 + 5 = 105 W, plus the job's 100 W above it.
  CHECK(integrator.site_power()[0].total_it_w == 205);
  integrator.set_now_s(3600);
  JobRecord r = integrator.end_job(start, job, JobStatus::completed);
  // 105 W x 1800 s + 205 W x 1800 s = 189,000 + 369,000 = 558,000 J (PUE 1).
  CHECK(r.it_energy_j == 558000);
  CHECK(r.energy_j == 558000);
  CHECK(integrator.site_power()[0].total_it_w == 15);  // idle again
  // The host's hour is the job's energy (it held both GPUs): 558,000 J.
  integrator.set_host_state(0, HostPowerState::on);
  CHECK(integrator.host_totals(0).it_energy_j == 558000);
}

TEST_CASE("integrator: a load outside the hosts integrates its own power") {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites(grid);
  const std::uint32_t fleet = sites.direct_site("ev", 400);  // PUE 1, 400 g/kWh
  PowerIntegrator integrator({}, sites);
  const std::uint32_t load = integrator.add_load(fleet, Phase::inference, 0);
  CHECK(integrator.load_phase(load) == Phase::inference);
  integrator.set_load_power(load, 1000);
  integrator.set_now_s(1800);
  integrator.set_load_power(load, 0);
  CHECK(integrator.site_power()[fleet].total_it_w == 0);  // exactly, with nothing drawing
  integrator.set_now_s(3600);
  // 1000 W x 1800 s = 1.8e6 J = 0.5 kWh; x 400 g/kWh = 200 g.
  const PowerIntegrator::LoadTotals t = integrator.load_totals(load);
  CHECK(t.it_energy_j == 1.8e6);
  CHECK(t.energy_j == 1.8e6);
  CHECK(t.co2_g == Approx(200).epsilon(1e-15));
  CHECK(integrator.site_intervals(1800, 3600).empty());  // a site drawing nothing: no interval
}
