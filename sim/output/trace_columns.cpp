#include "output/trace_columns.hpp"

#include <cstddef>
#include <limits>
#include <utility>

#include "core/units.hpp"

namespace mlcycle {

namespace {

template <typename Range>
void append(std::vector<double>& out, const Range& values) {
  out.insert(out.end(), values.begin(), values.end());
}

// The campaigns' part of a per-source vector, and the deployments' part after it.
void append_campaigns(std::vector<double>& out, const std::vector<double>& source,
                      std::size_t campaigns) {
  out.insert(out.end(), source.begin(), source.begin() + static_cast<std::ptrdiff_t>(campaigns));
}
void append_deployments(std::vector<double>& out, const std::vector<double>& source,
                        std::size_t campaigns) {
  out.insert(out.end(), source.begin() + static_cast<std::ptrdiff_t>(campaigns), source.end());
}

// NaN where nothing was served (or drawn): no mean to give.
double ratio(double sum, double weight) {
  return weight > 0 ? sum / weight : std::numeric_limits<double>::quiet_NaN();
}

// One figure of each deployment's sums over the bin (DeploymentLevels x seconds).
using Sums = const DeploymentLevels&;
double served(Sums s) {
  return s.served_per_s;
}
double late(Sums s) {
  return s.late_per_s;
}
double input_tokens(Sums s) {
  return s.input_tokens_per_s;
}
double output_tokens(Sums s) {
  return s.output_tokens_per_s;
}
double ttft_mean_s(Sums s) {
  return ratio(s.ttft_weighted, s.served_per_s);
}
double tpot_mean_s(Sums s) {
  return ratio(s.tpot_weighted, s.served_per_s);
}
double static_share(Sums s) {
  return ratio(s.static_w, s.it_w);
}

template <double (*Figure)(Sums)>
void fill_sums(const BinFigures& f, std::vector<double>& out) {
  for (const DeploymentLevels& sums : f.bin.deployment_sums) out.push_back(Figure(sums));
}

// Replicas at work, a time-mean over the bin (NaN for a bin of no length).
void fill_busy_replicas(const BinFigures& f, std::vector<double>& out) {
  for (const DeploymentLevels& sums : f.bin.deployment_sums)
    out.push_back(ratio(sums.busy_replicas, f.bin.duration_s));
}

}  // namespace

TraceColumns::TraceColumns(std::size_t regions) {
  using F = const BinFigures&;
  using V = std::vector<double>&;
  add("time_s", 0, [](F f, V out) { out.push_back(f.bin.time_s); });
  add("duration_s", 0, [](F f, V out) { out.push_back(f.bin.duration_s); });
  add("energy_j", kSeriesCount, [](F f, V out) { append(out, f.bin.energy_j); });
  add("co2_g", kSeriesCount, [](F f, V out) { append(out, f.bin.co2_g); });
  add("power_w", 0, [](F f, V out) { out.push_back(f.power_w); });
  add("intensity_g_per_kwh", 0, [](F f, V out) { out.push_back(f.intensity_g_per_kwh); });
  add("region_energy_j", regions, [](F f, V out) { append(out, f.bin.region_energy_j); });
  add("region_co2_g", regions, [](F f, V out) { append(out, f.bin.region_co2_g); });
  add("region_intensity_g_per_kwh", regions,
      [](F f, V out) { append(out, f.bin.region_intensity_g_per_kwh); });
  add("co2_cumulative_g", kSeriesCount, [](F f, V out) { append(out, f.co2_cumulative_g); });
  add("energy_cumulative_j", kSeriesCount, [](F f, V out) { append(out, f.energy_cumulative_j); });
}

void TraceColumns::add(std::string name, std::size_t width, TraceColumn::Fill fill) {
  columns_.push_back(TraceColumn{std::move(name), width, fill, {}});
}

void TraceColumns::add_first_bin_columns(const TraceBin& bin) {
  using F = const BinFigures&;
  using V = std::vector<double>&;
  // A run without a platform (fleets only) has no cluster series.
  if (const std::size_t clusters = bin.cluster_busy_gpus.size(); clusters > 0) {
    add("cluster_busy_gpus", clusters, [](F f, V out) { append(out, f.bin.cluster_busy_gpus); });
    add("cluster_queue_jobs", clusters, [](F f, V out) { append(out, f.bin.cluster_queue_jobs); });
  }
  const std::size_t deployments = bin.deployment_replicas.size();
  campaigns_ = bin.source_energy_j.size() - deployments;
  if (campaigns_ > 0) {
    add("campaign_energy_j", campaigns_,
        [](F f, V out) { append_campaigns(out, f.bin.source_energy_j, f.campaigns); });
    add("campaign_co2_g", campaigns_,
        [](F f, V out) { append_campaigns(out, f.bin.source_co2_g, f.campaigns); });
  }
  if (deployments > 0) {
    add("deployment_energy_j", deployments,
        [](F f, V out) { append_deployments(out, f.bin.source_energy_j, f.campaigns); });
    add("deployment_co2_g", deployments,
        [](F f, V out) { append_deployments(out, f.bin.source_co2_g, f.campaigns); });
    add("deployment_replicas", deployments,
        [](F f, V out) { append(out, f.bin.deployment_replicas); });
    add_deployment_sums(deployments);
  }
}

// A serving deployment's requests, tokens, mean latencies and static share in each bin, from
// its levels integrated over the bin (DeploymentLevels); 0 or NaN for fleets.
void TraceColumns::add_deployment_sums(std::size_t n) {
  add("deployment_served", n, fill_sums<served>);
  add("deployment_late", n, fill_sums<late>);
  add("deployment_input_tokens", n, fill_sums<input_tokens>);
  add("deployment_output_tokens", n, fill_sums<output_tokens>);
  add("deployment_ttft_mean_s", n, fill_sums<ttft_mean_s>);
  add("deployment_tpot_mean_s", n, fill_sums<tpot_mean_s>);
  add("deployment_static_share", n, fill_sums<static_share>);
  add("deployment_busy_replicas", n, fill_busy_replicas);
}

void TraceColumns::record(const TraceBin& bin) {
  if (!first_bin_seen_) {
    first_bin_seen_ = true;
    add_first_bin_columns(bin);
  }
  double energy_j = 0, co2_g = 0;
  for (int s = 0; s < kSeriesCount; ++s) {
    energy_j += bin.energy_j[s];
    co2_g += bin.co2_g[s];
    energy_sum_j_[s] += bin.energy_j[s];
    co2_sum_g_[s] += bin.co2_g[s];
  }
  // Mean power is energy over time (never a sampled reading); intensity is energy-weighted.
  const BinFigures figures{bin,
                           bin.duration_s > 0 ? energy_j / bin.duration_s : 0.0,
                           energy_j > 0 ? co2_g / energy_j * units::kJoulePerKwh
                                        : std::numeric_limits<double>::quiet_NaN(),
                           energy_sum_j_,
                           co2_sum_g_,
                           campaigns_};
  for (TraceColumn& column : columns_) column.fill(figures, column.values);
  ++buffered_bins_;
}

std::vector<ColumnBatch> TraceColumns::take() {
  std::vector<ColumnBatch> batches;
  batches.reserve(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    TraceColumn& column = columns_[c];
    batches.push_back(ColumnBatch{c, column.name, column.width, std::exchange(column.values, {})});
  }
  buffered_bins_ = 0;
  return batches;
}

}  // namespace mlcycle
