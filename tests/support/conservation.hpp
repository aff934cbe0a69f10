#pragma once
// Energy and CO2e are conserved: the one check of it for the C++ tests. A run accounts for the
// same facility energy per job, per deployment, as idle, per trace bin and series, per grid
// region, per host (the platform; fleets draw at sites of their own) and in its totals; however
// grouped, the sums agree to kConservationRel, the tolerance of the Python tests too
// (tests/cli/conservation.py).
#include <catch2/catch.hpp>
#include <vector>

#include "accounting/run_records.hpp"

namespace mlcycle::testing {

// Relative: the sums are of the same terms in another order.
constexpr double kConservationRel = 1e-9;

struct EnergyBooks {
  double jobs_j = 0, jobs_g = 0;                // the jobs' records
  double deployments_j = 0, deployments_g = 0;  // serving and fleets (RunSummary::deployments)
  double fleets_j = 0;                          // of which fleets: on no host
  double idle_j = 0, idle_g = 0;                // the idle series
  double bins_j = 0, bins_g = 0;                // every trace bin, every series
  double regions_j = 0, regions_g = 0;          // every trace bin, every grid region
  double hosts_j = 0;                           // RunSummary::hosts
};

inline EnergyBooks energy_books(const RunSummary& s, const std::vector<JobRecord>& jobs,
                                const std::vector<TraceBin>& bins) {
  EnergyBooks b;
  for (const JobRecord& j : jobs) {
    b.jobs_j += j.energy_j;
    b.jobs_g += j.co2_g;
  }
  for (const DeploymentResult& d : s.deployments) {
    b.deployments_j += d.energy_j;
    b.deployments_g += d.co2_g;
    if (d.kind == "fleet") b.fleets_j += d.energy_j;
  }
  b.idle_j = s.series[kIdleSeries].energy_j;
  b.idle_g = s.series[kIdleSeries].co2_g;
  for (const TraceBin& bin : bins) {
    for (double e : bin.energy_j) b.bins_j += e;
    for (double g : bin.co2_g) b.bins_g += g;
    for (double e : bin.region_energy_j) b.regions_j += e;
    for (double g : bin.region_co2_g) b.regions_g += g;
  }
  for (const HostTotals& h : s.hosts) b.hosts_j += h.energy_j;
  return b;
}

// jobs + deployments + idle = trace bins = grid regions = hosts + fleets = the run's totals, in
// facility J and g. Returns the books for further checks.
inline EnergyBooks check_conservation(const RunSummary& s, const std::vector<JobRecord>& jobs,
                                      const std::vector<TraceBin>& bins) {
  const EnergyBooks b = energy_books(s, jobs, bins);
  const auto same = [](double value) { return Approx(value).epsilon(kConservationRel); };
  INFO("energy (J): jobs " << b.jobs_j << " + deployments " << b.deployments_j << " + idle "
                           << b.idle_j << "; trace bins " << b.bins_j << ", regions " << b.regions_j
                           << ", hosts " << b.hosts_j << " + fleets " << b.fleets_j << ", total "
                           << s.total.energy_j);
  INFO("CO2e (g): jobs " << b.jobs_g << " + deployments " << b.deployments_g << " + idle "
                         << b.idle_g << "; trace bins " << b.bins_g << ", regions " << b.regions_g
                         << ", total " << s.total.co2_g);
  CHECK(b.jobs_j + b.deployments_j + b.idle_j == same(b.bins_j));
  CHECK(b.jobs_g + b.deployments_g + b.idle_g == same(b.bins_g));
  CHECK(b.regions_j == same(b.bins_j));
  CHECK(b.regions_g == same(b.bins_g));
  CHECK(b.hosts_j + b.fleets_j == same(b.bins_j));
  CHECK(s.total.energy_j == same(b.bins_j));
  CHECK(s.total.co2_g == same(b.bins_g));
  return b;
}

}  // namespace mlcycle::testing
