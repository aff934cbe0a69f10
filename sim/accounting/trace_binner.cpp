#include "accounting/trace_binner.hpp"

#include <algorithm>
#include <utility>

namespace mlcycle {

TraceBinner::TraceBinner(const FacilitySites& sites, std::size_t clusters, double step_s)
    : sites_(sites),
      step_s_(step_s),
      cluster_busy_gpus_(clusters, 0),
      cluster_queue_jobs_(clusters, 0) {
  open_bin();
}

// Reuses the vectors of the bin closed before last: a long run opens tens of thousands.
void TraceBinner::open_bin() {
  const std::size_t regions = sites_.grid().size();
  bin_.time_s = static_cast<double>(closed_) * step_s_;
  bin_.duration_s = 0;
  bin_.energy_j.fill(0.0);
  bin_.co2_g.fill(0.0);
  bin_.region_energy_j.assign(regions, 0.0);
  bin_.region_co2_g.assign(regions, 0.0);
  bin_.region_intensity_g_per_kwh.clear();
  bin_.cluster_busy_gpus.assign(cluster_busy_gpus_.size(), 0.0);
  bin_.cluster_queue_jobs.assign(cluster_queue_jobs_.size(), 0.0);
  bin_.source_energy_j.assign(sources_, 0.0);
  bin_.source_co2_g.assign(sources_, 0.0);
  bin_.deployment_replicas.assign(levels_.size(), 0.0);
  bin_.deployment_sums.assign(levels_.size(), DeploymentLevels{});
}

void TraceBinner::set_sources(std::size_t sources, std::size_t deployments) {
  sources_ = sources;
  levels_.assign(deployments, DeploymentLevels{});
  open_bin();
}

void TraceBinner::add_busy_gpus(std::uint32_t cluster, std::uint32_t gpus) {
  cluster_busy_gpus_.at(cluster) += gpus;
}

void TraceBinner::remove_busy_gpus(std::uint32_t cluster, std::uint32_t gpus) {
  cluster_busy_gpus_.at(cluster) -= gpus;
}

void TraceBinner::set_queue_length(std::uint32_t cluster, std::uint64_t jobs) {
  cluster_queue_jobs_.at(cluster) = jobs;
}

void TraceBinner::set_deployment_levels(std::uint32_t deployment, const DeploymentLevels& levels) {
  levels_.at(deployment) = levels;
}

void TraceBinner::add_interval(double dt_s, const std::vector<SiteInterval>& sites) {
  for (std::size_t c = 0; c < cluster_busy_gpus_.size(); ++c) {
    bin_.cluster_busy_gpus[c] += static_cast<double>(cluster_busy_gpus_[c]) * dt_s;
    bin_.cluster_queue_jobs[c] += static_cast<double>(cluster_queue_jobs_[c]) * dt_s;
  }
  for (std::size_t d = 0; d < levels_.size(); ++d) {
    const DeploymentLevels& l = levels_[d];
    DeploymentLevels& sum = bin_.deployment_sums[d];
    sum.replicas += l.replicas * dt_s;
    sum.busy_replicas += l.busy_replicas * dt_s;
    sum.served_per_s += l.served_per_s * dt_s;
    sum.late_per_s += l.late_per_s * dt_s;
    sum.input_tokens_per_s += l.input_tokens_per_s * dt_s;
    sum.output_tokens_per_s += l.output_tokens_per_s * dt_s;
    sum.ttft_weighted += l.ttft_weighted * dt_s;
    sum.tpot_weighted += l.tpot_weighted * dt_s;
    sum.it_w += l.it_w * dt_s;
    sum.static_w += l.static_w * dt_s;
  }
  for (const SiteInterval& in : sites) {
    const SitePower& p = *in.power;
    for (int k = 0; k < kPhaseCount; ++k) {
      if (p.phase_it_w[k] == 0) continue;
      bin_.energy_j[k] += p.phase_it_w[k] * in.pue_s;
      bin_.co2_g[k] += p.phase_it_w[k] * in.g_per_w;
    }
    bin_.energy_j[kIdleSeries] += in.idle_it_w * in.pue_s;
    bin_.co2_g[kIdleSeries] += in.idle_it_w * in.g_per_w;
    for (std::size_t t = 0; t < sources_; ++t) {
      if (p.tag_it_w[t] == 0) continue;
      bin_.source_energy_j[t] += p.tag_it_w[t] * in.pue_s;
      bin_.source_co2_g[t] += p.tag_it_w[t] * in.g_per_w;
    }
    const std::uint32_t region = sites_[in.site].region;
    if (region != kNoRegion) {
      bin_.region_energy_j[region] += p.total_it_w * in.pue_s;
      bin_.region_co2_g[region] += p.total_it_w * in.g_per_w;
    }
  }
}

const TraceBin& TraceBinner::close_bin(double end_s) {
  bin_.duration_s = end_s - bin_.time_s;
  const double duration_s = bin_.duration_s;
  const GridRegistry& grid = sites_.grid();
  for (std::size_t r = 0; r < grid.size(); ++r)
    bin_.region_intensity_g_per_kwh.push_back(
        duration_s > 0 ? grid.signal(r).integral(bin_.time_s, end_s) / duration_s
                       : grid.signal(r).value_at(bin_.time_s));
  // A bin of no length (a run that ends at 0) shows the levels held then.
  for (std::size_t c = 0; c < cluster_busy_gpus_.size(); ++c) {
    bin_.cluster_busy_gpus[c] = duration_s > 0 ? bin_.cluster_busy_gpus[c] / duration_s
                                               : static_cast<double>(cluster_busy_gpus_[c]);
    bin_.cluster_queue_jobs[c] = duration_s > 0 ? bin_.cluster_queue_jobs[c] / duration_s
                                                : static_cast<double>(cluster_queue_jobs_[c]);
  }
  for (std::size_t d = 0; d < levels_.size(); ++d)
    bin_.deployment_replicas[d] =
        duration_s > 0 ? bin_.deployment_sums[d].replicas / duration_s : levels_[d].replicas;
  std::swap(last_, bin_);
  ++closed_;
  open_bin();
  return last_;
}

}  // namespace mlcycle
