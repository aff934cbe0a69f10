#pragma once
// The run statistics of the meter (PowerMeter is the facade): per-phase totals of the ended
// jobs and the loads, idle energy, CO2e at marginal intensities, peak facility power, the
// crossover of inference over development, node boots and off/down hours, utilization; at the
// end, the RunSummary. It sees intervals of constant power with their sites' exact integrals
// (from the integrator), closed trace bins, ended jobs and host state changes.
#include <array>
#include <cstdint>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/power_integrator.hpp"
#include "accounting/run_records.hpp"

namespace mlcycle {

class RunStatistics {
 public:
  RunStatistics(const FacilitySites& sites, double price_per_kwh, std::uint64_t total_gpus);

  // [t0_s, t1_s] at constant IT power: `power` is every site's, `intervals` the sites drawing.
  void add_interval(double t0_s, double t1_s, const std::vector<SitePower>& power,
                    const std::vector<SiteInterval>& intervals);
  void add_bin(const TraceBin& bin);
  // Prices the ended job's record and adds it to its phase. A deployment's reservation
  // (`counts_as_job` false) counts as a deployment of its phase, not as a job.
  void add_job(JobRecord& record, bool counts_as_job);
  void add_host_state(const HostStateChange& change);
  void add_deployment(Phase phase);  // a load outside the hosts started
  void add_load(Phase phase, const PowerIntegrator::LoadTotals& totals);  // at the end

  RunSummary finish(double end_s, std::uint64_t jobs_pending, std::vector<HostTotals> hosts);

 private:
  void track_peak(double t0_s, double t1_s, const std::vector<SiteInterval>& intervals);
  void track_crossover(double t0_s, double t1_s, double lead_g,
                       const std::vector<SitePower>& power);

  const FacilitySites& sites_;
  double price_per_kwh_;
  RunSummary summary_;
  std::vector<bool> drew_power_;  // per site: it drew power over some positive interval
  std::array<double, kSeriesCount> marginal_g_{};
  double inference_lead_g_ = 0;   // cumulative inference CO2e - (experimentation + training)
  bool development_led_ = false;  // the lead has been negative: a crossover is possible
  double idle_it_energy_j_ = 0;
  double busy_gpu_s_ = 0;
};

}  // namespace mlcycle
