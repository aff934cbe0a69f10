#pragma once
// The trace binner of the meter (PowerMeter is the facade): cuts the run into bins of
// `trace_step` and fills the open bin from intervals of constant power, each given with its
// sites' exact integrals, so a bin's energy and CO2e are exact whatever steps inside it.
// Levels that change only at events (GPUs busy and jobs queued per cluster, a deployment's
// replicas, requests and tokens a second) are integrated over time and closed as time-means
// (GPUs, jobs, replicas) or totals (requests, tokens).
#include <cstdint>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/power_integrator.hpp"
#include "accounting/run_records.hpp"

namespace mlcycle {

class TraceBinner {
 public:
  TraceBinner(const FacilitySites& sites, std::size_t clusters, double step_s);

  // Per-source series (`sources`: campaigns then deployments) and levels per deployment.
  // Reopens the first bin: call before anything is added.
  void set_sources(std::size_t sources, std::size_t deployments);

  double next_edge_s() const { return static_cast<double>(closed_ + 1) * step_s_; }
  double open_bin_start_s() const { return bin_.time_s; }
  std::uint64_t closed_bins() const { return closed_; }

  void add_busy_gpus(std::uint32_t cluster, std::uint32_t gpus);
  void remove_busy_gpus(std::uint32_t cluster, std::uint32_t gpus);
  void set_queue_length(std::uint32_t cluster, std::uint64_t jobs);
  void set_deployment_levels(std::uint32_t deployment, const DeploymentLevels& levels);

  // `dt_s` seconds of constant power inside the open bin, at the sites drawing power.
  void add_interval(double dt_s, const std::vector<SiteInterval>& sites);
  // Closes the open bin at `end_s` (its levels become time-means) and opens the next one.
  // The closed bin stays valid until the next close_bin().
  const TraceBin& close_bin(double end_s);

 private:
  void open_bin();

  const FacilitySites& sites_;
  double step_s_;
  std::uint64_t closed_ = 0;  // bins closed so far: the open bin's index
  TraceBin bin_;
  TraceBin last_;  // the bin close_bin() returned
  std::vector<std::uint64_t> cluster_busy_gpus_;
  std::vector<std::uint64_t> cluster_queue_jobs_;
  std::size_t sources_ = 0;
  std::vector<DeploymentLevels> levels_;  // per deployment
};

}  // namespace mlcycle
