#include "output/trace_file.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>

#include "core/input_error.hpp"
#include "core/units.hpp"
#include "output/background_writer.hpp"
#include "output/h5.hpp"
#include "output/trace_types.hpp"

#ifndef MLCYCLE_VERSION
#define MLCYCLE_VERSION "unknown"
#endif

namespace mlcycle {

namespace {
constexpr std::size_t kJobBufferRows = 8192;
constexpr std::size_t kBinBufferRows = 1024;
constexpr std::size_t kMaxPendingBuffers = 4;
}  // namespace

struct TraceFile::Impl {
  h5::Handle file;
  h5::Handle trace_group;
  TraceTypes types;
  h5::AppendableDataset jobs;
  h5::AppendableDataset time_s, duration_s, energy_j, co2_g, power_w, intensity;
  h5::AppendableDataset region_energy_j, region_co2_g, region_intensity;
  h5::AppendableDataset co2_cumulative, energy_cumulative;
  // Per-cluster series: their width is known at the first bin (the platform loads after us).
  std::optional<h5::AppendableDataset> cluster_busy, cluster_queue;
  bool bin_series_created = false;  // the per-cluster, -campaign, -deployment datasets
  // Per campaign and per deployment: widths from the first bin too.
  std::optional<h5::AppendableDataset> campaign_energy, campaign_co2, deployment_energy,
      deployment_co2, deployment_replicas;
  std::size_t campaigns = 0;
  std::vector<JobRow> job_rows;
  std::vector<double> bin_time, bin_duration, bin_energy, bin_co2, bin_power, bin_intensity;
  std::vector<double> bin_region_energy, bin_region_co2, bin_region_intensity;
  std::vector<double> bin_co2_cumulative, bin_energy_cumulative, bin_busy, bin_queue;
  std::vector<double> bin_campaign_energy, bin_campaign_co2, bin_deployment_energy,
      bin_deployment_co2, bin_replicas;
  std::array<double, kSeriesCount> co2_sum_g{}, energy_sum_j{};
  BackgroundWriter writer{kMaxPendingBuffers};  // last member: stopped before the datasets close

  Impl(h5::Handle f, hsize_t regions)
      : file(std::move(f)),
        trace_group(h5::create_group(file.id(), "trace")),
        jobs(file.id(), "jobs", types.job_row.id(), 0, kJobBufferRows, true),
        time_s(trace_group.id(), "time_s", H5T_NATIVE_DOUBLE, 0, kBinBufferRows),
        duration_s(trace_group.id(), "duration_s", H5T_NATIVE_DOUBLE, 0, kBinBufferRows),
        energy_j(trace_group.id(), "energy_j", H5T_NATIVE_DOUBLE, kSeriesCount, kBinBufferRows),
        co2_g(trace_group.id(), "co2_g", H5T_NATIVE_DOUBLE, kSeriesCount, kBinBufferRows),
        power_w(trace_group.id(), "power_w", H5T_NATIVE_DOUBLE, 0, kBinBufferRows),
        intensity(trace_group.id(), "intensity_g_per_kwh", H5T_NATIVE_DOUBLE, 0, kBinBufferRows),
        region_energy_j(trace_group.id(), "region_energy_j", H5T_NATIVE_DOUBLE, regions,
                        kBinBufferRows),
        region_co2_g(trace_group.id(), "region_co2_g", H5T_NATIVE_DOUBLE, regions, kBinBufferRows),
        region_intensity(trace_group.id(), "region_intensity_g_per_kwh", H5T_NATIVE_DOUBLE, regions,
                         kBinBufferRows),
        co2_cumulative(trace_group.id(), "co2_cumulative_g", H5T_NATIVE_DOUBLE, kSeriesCount,
                       kBinBufferRows),
        energy_cumulative(trace_group.id(), "energy_cumulative_j", H5T_NATIVE_DOUBLE, kSeriesCount,
                          kBinBufferRows) {
    job_rows.reserve(kJobBufferRows);
  }

  // Full buffers move to the writer thread, which compresses and appends them in order.
  void flush_jobs() {
    if (job_rows.empty()) return;
    writer.submit([this, rows = std::move(job_rows)] { jobs.append(rows.data(), rows.size()); });
    job_rows = {};
    job_rows.reserve(kJobBufferRows);
  }
  void flush_bins() {
    if (bin_time.empty()) return;
    auto append = [](h5::AppendableDataset& dataset, std::vector<double>& values, hsize_t rows) {
      return [&dataset, rows, v = std::move(values)] { dataset.append(v.data(), rows); };
    };
    const hsize_t rows = bin_time.size();
    writer.submit(append(energy_j, bin_energy, rows));
    writer.submit(append(co2_g, bin_co2, rows));
    writer.submit(append(time_s, bin_time, rows));
    writer.submit(append(duration_s, bin_duration, rows));
    writer.submit(append(power_w, bin_power, rows));
    writer.submit(append(intensity, bin_intensity, rows));
    writer.submit(append(region_energy_j, bin_region_energy, rows));
    writer.submit(append(region_co2_g, bin_region_co2, rows));
    writer.submit(append(region_intensity, bin_region_intensity, rows));
    writer.submit(append(co2_cumulative, bin_co2_cumulative, rows));
    writer.submit(append(energy_cumulative, bin_energy_cumulative, rows));
    if (cluster_busy) {
      writer.submit(append(*cluster_busy, bin_busy, rows));
      writer.submit(append(*cluster_queue, bin_queue, rows));
    }
    if (campaign_energy) {
      writer.submit(append(*campaign_energy, bin_campaign_energy, rows));
      writer.submit(append(*campaign_co2, bin_campaign_co2, rows));
    }
    if (deployment_energy) {
      writer.submit(append(*deployment_energy, bin_deployment_energy, rows));
      writer.submit(append(*deployment_co2, bin_deployment_co2, rows));
      writer.submit(append(*deployment_replicas, bin_replicas, rows));
    }
    for (auto* v : {&bin_time, &bin_duration, &bin_energy, &bin_co2, &bin_power, &bin_intensity,
                    &bin_region_energy, &bin_region_co2, &bin_region_intensity, &bin_co2_cumulative,
                    &bin_energy_cumulative, &bin_busy, &bin_queue, &bin_campaign_energy,
                    &bin_campaign_co2, &bin_deployment_energy, &bin_deployment_co2, &bin_replicas})
      *v = {};
  }
};

TraceFile::TraceFile(std::string path, std::size_t regions)
    : path_(std::move(path)), temp_path_(path_ + ".tmp") {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr dumps
  if (std::filesystem::is_directory(path_))
    throw InputError(SourceLocation{path_, 0, 0}, "--output", "is a directory, not a file name");
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw InputError(SourceLocation{path_, 0, 0}, "--output",
                     "directory " + parent.string() + " does not exist");
  hid_t id = H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0)
    throw InputError(SourceLocation{path_, 0, 0}, "--output",
                     "cannot create " + temp_path_ + " (is the directory writable?)");
  impl_ = std::make_unique<Impl>(h5::Handle(id, H5Fclose), regions);
}

TraceFile::~TraceFile() {
  if (committed_) return;
  impl_.reset();
  std::remove(temp_path_.c_str());
}

void TraceFile::record_job(const JobRecord& job) {
  impl_->job_rows.push_back(to_job_row(job));
  if (impl_->job_rows.size() == kJobBufferRows) impl_->flush_jobs();
}

void TraceFile::record_bin(const TraceBin& bin) {
  Impl& m = *impl_;
  m.bin_time.push_back(bin.time_s);
  m.bin_duration.push_back(bin.duration_s);
  double energy_j = 0, co2_g = 0;
  for (int s = 0; s < kSeriesCount; ++s) {
    m.bin_energy.push_back(bin.energy_j[s]);
    m.bin_co2.push_back(bin.co2_g[s]);
    energy_j += bin.energy_j[s];
    co2_g += bin.co2_g[s];
    m.energy_sum_j[s] += bin.energy_j[s];
    m.co2_sum_g[s] += bin.co2_g[s];
    m.bin_energy_cumulative.push_back(m.energy_sum_j[s]);
    m.bin_co2_cumulative.push_back(m.co2_sum_g[s]);
  }
  if (!m.bin_series_created) {
    m.bin_series_created = true;
    const hsize_t clusters = bin.cluster_busy_gpus.size();
    // Width-0 datasets cannot be appended to: a run without a platform (fleets only) has no
    // cluster series.
    if (clusters > 0) {
      m.cluster_busy.emplace(m.trace_group.id(), "cluster_busy_gpus", H5T_NATIVE_DOUBLE, clusters,
                             kBinBufferRows);
      m.cluster_queue.emplace(m.trace_group.id(), "cluster_queue_jobs", H5T_NATIVE_DOUBLE, clusters,
                              kBinBufferRows);
    }
    const hsize_t deployments = bin.deployment_replicas.size();
    m.campaigns = bin.source_energy_j.size() - deployments;
    const hid_t g = m.trace_group.id();
    // Width-0 datasets cannot be appended to: a run without campaigns (or deployments) has
    // no such series.
    if (m.campaigns > 0) {
      m.campaign_energy.emplace(g, "campaign_energy_j", H5T_NATIVE_DOUBLE, m.campaigns,
                                kBinBufferRows);
      m.campaign_co2.emplace(g, "campaign_co2_g", H5T_NATIVE_DOUBLE, m.campaigns, kBinBufferRows);
    }
    if (deployments > 0) {
      m.deployment_energy.emplace(g, "deployment_energy_j", H5T_NATIVE_DOUBLE, deployments,
                                  kBinBufferRows);
      m.deployment_co2.emplace(g, "deployment_co2_g", H5T_NATIVE_DOUBLE, deployments,
                               kBinBufferRows);
      m.deployment_replicas.emplace(g, "deployment_replicas", H5T_NATIVE_DOUBLE, deployments,
                                    kBinBufferRows);
    }
  }
  const auto split = bin.source_energy_j.begin() + static_cast<std::ptrdiff_t>(m.campaigns);
  m.bin_campaign_energy.insert(m.bin_campaign_energy.end(), bin.source_energy_j.begin(), split);
  m.bin_deployment_energy.insert(m.bin_deployment_energy.end(), split, bin.source_energy_j.end());
  const auto split_co2 = bin.source_co2_g.begin() + static_cast<std::ptrdiff_t>(m.campaigns);
  m.bin_campaign_co2.insert(m.bin_campaign_co2.end(), bin.source_co2_g.begin(), split_co2);
  m.bin_deployment_co2.insert(m.bin_deployment_co2.end(), split_co2, bin.source_co2_g.end());
  m.bin_replicas.insert(m.bin_replicas.end(), bin.deployment_replicas.begin(),
                        bin.deployment_replicas.end());
  m.bin_busy.insert(m.bin_busy.end(), bin.cluster_busy_gpus.begin(), bin.cluster_busy_gpus.end());
  m.bin_queue.insert(m.bin_queue.end(), bin.cluster_queue_jobs.begin(),
                     bin.cluster_queue_jobs.end());
  // Mean power is energy over time (never a sampled reading); intensity is energy-weighted.
  m.bin_power.push_back(bin.duration_s > 0 ? energy_j / bin.duration_s : 0.0);
  m.bin_intensity.push_back(energy_j > 0 ? co2_g / energy_j * units::kJoulePerKwh
                                         : std::numeric_limits<double>::quiet_NaN());
  m.bin_region_energy.insert(m.bin_region_energy.end(), bin.region_energy_j.begin(),
                             bin.region_energy_j.end());
  m.bin_region_co2.insert(m.bin_region_co2.end(), bin.region_co2_g.begin(), bin.region_co2_g.end());
  m.bin_region_intensity.insert(m.bin_region_intensity.end(),
                                bin.region_intensity_g_per_kwh.begin(),
                                bin.region_intensity_g_per_kwh.end());
  if (m.bin_time.size() == kBinBufferRows) m.flush_bins();
}

void TraceFile::commit(const Scenario& scenario, const RunOutcome& outcome) {
  Impl& m = *impl_;
  m.flush_jobs();
  m.flush_bins();
  m.writer.finish();  // from here on, this thread alone touches the file
  const hid_t root = m.file.id();
  h5::write_attribute(root, "format", std::string("mlcycle-trace"));
  h5::write_attribute(root, "format_version", std::int64_t{kTraceFormatVersion});
  h5::write_attribute(root, "mlcycle_version", std::string(MLCYCLE_VERSION));
  h5::write_attribute(root, "simgrid_version", outcome.provenance.simgrid_version);
  h5::write_attribute(root, "scenario_toml", scenario.effective_toml);
  h5::write_attribute(root, "scenario_path", scenario.source_path);
  h5::write_attribute(root, "seed", static_cast<std::uint64_t>(scenario.simulation.seed));
  h5::write_attribute(root, "start_utc", format_iso8601(scenario.simulation.start));
  h5::write_attribute(root, "end_s", outcome.summary.makespan_s);
  h5::write_attribute(
      root, "engine",
      std::string(scenario.simulation.engine == EngineMode::exec ? "exec" : "analytic"));

  write_campaign_table(root, scenario, outcome.summary);
  write_deployment_table(root, outcome.summary);
  std::vector<std::string> stages;
  for (const StageSpec& st : scenario.stages) stages.push_back(st.name);
  h5::write_strings(root, "stages", stages);
  h5::write_strings(root, "clusters", outcome.cluster_names);
  write_host_table(root, m.types, outcome);

  std::vector<std::string> series;
  for (std::string_view s : kSeriesNames) series.emplace_back(s);
  h5::write_strings(m.trace_group.id(), "series", series);
  std::vector<std::string> regions;
  for (const GridRegionSpec& g : scenario.grids) regions.push_back(g.name);
  h5::write_strings(m.trace_group.id(), "regions", regions);
  write_grid_group(root, outcome);
  h5::write_attribute(m.trace_group.id(), "step_s", scenario.output.trace_step_s);

  write_summary_group(root, m.types, scenario, outcome);

  h5::write_attribute(root, "wall_time_s", outcome.provenance.wall_time_s);
  // Written last: a reader (sweep --resume) trusts a file only when it carries this.
  h5::write_attribute(root, "complete", std::int64_t{1});
  m.trace_group.reset();
  m.file.reset();
  impl_.reset();
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec)
    throw std::runtime_error("cannot rename " + temp_path_ + " to " + path_ + ": " + ec.message());
  committed_ = true;
}

}  // namespace mlcycle
