#pragma once
// Exact energy, CO2e and cost accounting for piecewise-constant power.
// IT power changes only at events: a job starts or ends, a serving job's power changes, a node
// switches off, boots or fails, a fleet's charging steps. Between two events the meter
// integrates each site's IT power against the exact integrals of its PUE(t) and
// PUE(t) x intensity(t) signals, closing trace bins at their edges; signals that step inside
// an interval need no event of their own. A job's facility energy is the sum over its
// constant-power pieces of IT power x the PUE integral, its CO2e the IT power x the carbon
// integral; the trace series, the job totals, the loads and the hosts' energies are the same
// integrals grouped differently, and agree to rounding.
//
// The meter is a facade over three parts: the integrator (power and energies of hosts, jobs
// and loads; each site's power and the integrals of its signals), the trace binner (bins, and
// the queue, busy-GPU and replica series) and the run statistics (totals, peak, crossover,
// the RunSummary). It moves the clock: every interval of constant power goes from the
// integrator to the binner and the statistics, cut at the bin edges.
#include <cstdint>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/host_power.hpp"
#include "accounting/power_integrator.hpp"
#include "accounting/run_records.hpp"
#include "accounting/run_statistics.hpp"
#include "accounting/trace_binner.hpp"
#include "workload/job.hpp"

namespace mlcycle {

class PowerMeter {
 public:
  using LoadTotals = PowerIntegrator::LoadTotals;

  PowerMeter(std::vector<HostPowerModel> hosts, const FacilitySites& sites, double price_per_kwh,
             double trace_step_s, RunRecorder& recorder);

  double now_s() const { return integrator_.now_s(); }
  double next_bin_edge_s() const { return binner_.next_edge_s(); }
  const std::vector<HostPowerModel>& hosts() const { return integrator_.hosts(); }

  // Integrates from now to `time_s` (>= now) and emits every trace bin that closes on the way.
  void advance_to(double time_s);
  // `own_power`: the job's power is set by set_job_power (serving replicas), SimGrid runs no
  // exec for it; it starts at its GPUs' busy power.
  // Every call about the job passes the same JobStart (PowerIntegrator::start_job).
  ActiveJob start_job(const JobStart& start, bool own_power = false);
  void set_job_power(const JobStart& start, ActiveJob& job, double it_power_w) {
    integrator_.set_job_power(start, job, it_power_w);
  }
  // carbon-cap: the job's GPU power cap engages or releases now.
  void set_job_capped(const JobStart& start, ActiveJob& job, bool capped) {
    integrator_.set_job_capped(start, job, capped);
  }
  // Closes the job's accounting; the caller completes and records the returned record.
  // A deployment's reservation (`counts_as_job` false) adds its energy and GPU-hours to its
  // phase, and counts as a deployment there, not as a job.
  JobRecord end_job(const JobStart& start, ActiveJob& job, JobStatus status,
                    bool counts_as_job = true);
  // CO2e and facility energy a running or ended job drew in [t0_s, t1_s] at its power now.
  double job_co2_g(const JobStart& start, const ActiveJob& job, double t0_s, double t1_s) const {
    return integrator_.job_co2_g(start, job, t0_s, t1_s);
  }
  // A carbon-cap job's, its power following `schedule` over the span.
  double job_co2_g(const JobStart& start, const ActiveJob& job, double t0_s, double t1_s,
                   const CapSchedule& schedule) const {
    return integrator_.job_co2_g(start, job, t0_s, t1_s, schedule);
  }

  void set_host_state(std::uint32_t host, HostPowerState state) {
    stats_.add_host_state(integrator_.set_host_state(host, state));
  }
  HostPowerState host_state(std::uint32_t host) const { return integrator_.host_state(host); }

  // A load drawn at a site outside the platform's hosts (a fleet's charging), phase-attributed;
  // it counts as a deployment of its phase.
  std::uint32_t add_load(std::uint32_t site, Phase phase, std::uint32_t tag);
  void set_load_power(std::uint32_t load, double it_power_w) {
    integrator_.set_load_power(load, it_power_w);
  }
  LoadTotals load_totals(std::uint32_t load) { return integrator_.load_totals(load); }

  void set_queue_length(std::uint32_t cluster, std::uint64_t jobs) {
    binner_.set_queue_length(cluster, jobs);
  }
  // Per-source trace series: jobs are tagged by their campaign index, deployments by
  // `campaigns + deployment index`. Call before anything starts (0 and 0: no such series).
  void set_sources(std::size_t campaigns, std::size_t deployments);
  void set_deployment_levels(std::uint32_t deployment, const DeploymentLevels& levels) {
    binner_.set_deployment_levels(deployment, levels);
  }

  // Closes the last bin at `end_s` and returns the totals.
  RunSummary finish(double end_s, std::uint64_t jobs_pending);

  // Per campaign, the power cap on its jobs' GPUs (none: busy power). Before any start.
  void set_power_caps(std::vector<std::optional<PowerCapSpec>> caps) {
    integrator_.set_power_caps(std::move(caps));
  }

 private:
  void integrate(double t0_s, double t1_s);
  void close_bin(double end_s);

  PowerIntegrator integrator_;
  TraceBinner binner_;
  RunStatistics stats_;
  RunRecorder& recorder_;
};

}  // namespace mlcycle
