#include "output/trace_types.hpp"

#include <cstddef>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "accounting/summary_figures.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_datasets.hpp"

namespace mlcycle {

namespace {

struct HostRow {
  const char* name;
  std::uint32_t cluster;
  std::uint32_t gpus;
  double it_energy_j;
  double energy_j;
};

struct SummaryRowWritten {
  const char* series;
  std::uint64_t jobs;
  double gpu_hours;
  double it_energy_j;
  double energy_j;
  double co2_g;
  double cost;
  double co2_marginal_g;
  std::uint64_t deployments;
};

}  // namespace

JobRow to_job_row(const JobRecord& job) {
  return JobRow{job.job_id,
                job.campaign,
                static_cast<std::uint8_t>(job.phase),
                static_cast<std::uint8_t>(job.status),
                job.host,
                job.nodes,
                job.gpus,
                job.submit_s,
                job.start_s,
                job.end_s,
                job.gpu_hours,
                job.it_energy_j,
                job.energy_j,
                job.co2_g,
                job.cost,
                job.stage,
                job.stage_run,
                job.attempt,
                job.rung,
                job.trial,
                job.score,
                job.wait_s,
                static_cast<std::uint8_t>(job.stop_reason),
                job.wasted_gpu_hours,
                job.wasted_co2_g,
                job.flops,
                job.flops_per_gpu_s,
                job.mfu};
}

void add_job_members(h5::CompoundType& row, const TraceTypes& types) {
  row.add("job_id", offsetof(JobRow, job_id), H5T_NATIVE_UINT64)
      .add("campaign", offsetof(JobRow, campaign), H5T_NATIVE_UINT32)
      .add("phase", offsetof(JobRow, phase), types.phase_enum.id())
      .add("status", offsetof(JobRow, status), types.status_enum.id())
      .add("host", offsetof(JobRow, host), H5T_NATIVE_UINT32)
      .add("nodes", offsetof(JobRow, nodes), H5T_NATIVE_UINT32)
      .add("gpus", offsetof(JobRow, gpus), H5T_NATIVE_UINT32)
      .add("submit_s", offsetof(JobRow, submit_s), H5T_NATIVE_DOUBLE)
      .add("start_s", offsetof(JobRow, start_s), H5T_NATIVE_DOUBLE)
      .add("end_s", offsetof(JobRow, end_s), H5T_NATIVE_DOUBLE)
      .add("gpu_hours", offsetof(JobRow, gpu_hours), H5T_NATIVE_DOUBLE)
      .add("it_energy_j", offsetof(JobRow, it_energy_j), H5T_NATIVE_DOUBLE)
      .add("energy_j", offsetof(JobRow, energy_j), H5T_NATIVE_DOUBLE)
      .add("co2_g", offsetof(JobRow, co2_g), H5T_NATIVE_DOUBLE)
      .add("cost", offsetof(JobRow, cost), H5T_NATIVE_DOUBLE)
      .add("stage", offsetof(JobRow, stage), H5T_NATIVE_UINT32)
      .add("stage_run", offsetof(JobRow, stage_run), H5T_NATIVE_UINT32)
      .add("attempt", offsetof(JobRow, attempt), H5T_NATIVE_UINT32)
      .add("rung", offsetof(JobRow, rung), H5T_NATIVE_INT32)
      .add("trial", offsetof(JobRow, trial), H5T_NATIVE_UINT64)
      .add("score", offsetof(JobRow, score), H5T_NATIVE_DOUBLE)
      .add("wait_s", offsetof(JobRow, wait_s), H5T_NATIVE_DOUBLE)
      .add("stop_reason", offsetof(JobRow, stop_reason), types.stop_reason_enum.id())
      .add("wasted_gpu_hours", offsetof(JobRow, wasted_gpu_hours), H5T_NATIVE_DOUBLE)
      .add("wasted_co2_g", offsetof(JobRow, wasted_co2_g), H5T_NATIVE_DOUBLE)
      .add("flops", offsetof(JobRow, flops), H5T_NATIVE_DOUBLE)
      .add("flops_per_gpu_s", offsetof(JobRow, flops_per_gpu_s), H5T_NATIVE_DOUBLE)
      .add("mfu", offsetof(JobRow, mfu), H5T_NATIVE_DOUBLE);
}

TraceTypes::TraceTypes()
    : phase_enum(h5::enum_type({"experimentation", "training", "inference"})),
      status_enum(h5::enum_type({"completed", "unfinished"})),
      stop_reason_enum(h5::enum_type({std::begin(kStopReasonNames), std::end(kStopReasonNames)})),
      job_row(sizeof(JobRow)) {
  add_job_members(job_row, *this);
}

void write_host_table(hid_t root, const TraceTypes&, const RunOutcome& outcome) {
  h5::Handle text = h5::string_type();
  h5::CompoundType type(sizeof(HostRow));
  type.add("name", offsetof(HostRow, name), text.id())
      .add("cluster", offsetof(HostRow, cluster), H5T_NATIVE_UINT32)
      .add("gpus", offsetof(HostRow, gpus), H5T_NATIVE_UINT32)
      .add("it_energy_j", offsetof(HostRow, it_energy_j), H5T_NATIVE_DOUBLE)
      .add("energy_j", offsetof(HostRow, energy_j), H5T_NATIVE_DOUBLE);
  std::vector<HostRow> rows;
  for (const HostTotals& h : outcome.summary.hosts)
    rows.push_back(HostRow{h.name.c_str(), h.cluster, h.gpus, h.it_energy_j, h.energy_j});
  h5::write_rows(root, "hosts", type.id(), type.id(), rows.data(), rows.size());
  if (outcome.plugin_max_rel_diff >= 0)
    h5::write_doubles(root, "hosts_simgrid_plugin_energy_j", outcome.plugin_host_energy_j);
}

void write_grid_group(hid_t root, const RunOutcome& outcome) {
  h5::Handle grid = h5::create_group(root, "grid");
  for (const GridRegionUse& use : outcome.grid) {
    h5::Handle region = h5::create_group(grid.id(), use.name);
    h5::write_attribute(region.id(), "kind", use.kind);
    h5::write_attribute(region.id(), "source", use.source);
    h5::write_attribute(region.id(), "units", std::string("g CO2e/kWh; time_s: s since start_utc"));
    h5::write_doubles(region.id(), "time_s", use.time_s);
    h5::write_doubles(region.id(), "intensity_g_per_kwh", use.intensity_g_per_kwh);
    if (use.mix_sources.empty()) continue;
    h5::write_strings(region.id(), "sources", use.mix_sources);
    h5::write_matrix(region.id(), "generation_mw", use.time_s.size(), use.mix_sources.size(),
                     use.generation_mw);
  }
}

namespace {

// GPU-hour shares, activity utilization and the deployments' totals (summary_figures.hpp).
void write_capacity_attributes(hid_t g, const RunSummary& s) {
  const std::array<double, kPhaseCount> shares = gpu_hours_shares(s);
  for (int k = 0; k < kPhaseCount; ++k)
    h5::write_attribute(g, std::string(kSeriesNames[k]) + "_gpu_hours_share", shares[k]);
  h5::write_attribute(g, "idle_gpu_hours", idle_gpu_hours(s));
  h5::write_attribute(g, "mean_activity_utilization", mean_activity_utilization(s));
  const DeploymentTotals t = deployment_totals(s);
  h5::write_attribute(g, "requests_served", t.served);
  h5::write_attribute(g, "requests_dropped", t.dropped);
  h5::write_attribute(g, "requests_late", t.late);
  h5::write_attribute(g, "wh_per_request", t.wh_per_request);
  h5::write_attribute(g, "co2_g_per_request", t.co2_g_per_request);
  h5::write_attribute(g, "vehicle_days", t.vehicle_days);
  h5::write_attribute(g, "output_tokens", t.output_tokens);
  h5::write_attribute(g, "j_per_output_token", t.j_per_output_token);
  h5::write_attribute(g, "ttft_p50_s", t.ttft_p50_s);
  h5::write_attribute(g, "ttft_p99_s", t.ttft_p99_s);
  h5::write_attribute(g, "tpot_p50_s", t.tpot_p50_s);
  h5::write_attribute(g, "tpot_p99_s", t.tpot_p99_s);
  h5::write_attribute(g, "serving_static_energy_share", t.static_energy_share);
}

}  // namespace

void write_summary_group(hid_t root, const TraceTypes&, const Scenario& scenario,
                         const RunOutcome& outcome) {
  const RunSummary& s = outcome.summary;
  h5::Handle group = h5::create_group(root, "summary");
  h5::Handle text = h5::string_type();
  h5::CompoundType type(sizeof(SummaryRowWritten));
  type.add("series", offsetof(SummaryRowWritten, series), text.id())
      .add("jobs", offsetof(SummaryRowWritten, jobs), H5T_NATIVE_UINT64)
      .add("gpu_hours", offsetof(SummaryRowWritten, gpu_hours), H5T_NATIVE_DOUBLE)
      .add("it_energy_j", offsetof(SummaryRowWritten, it_energy_j), H5T_NATIVE_DOUBLE)
      .add("energy_j", offsetof(SummaryRowWritten, energy_j), H5T_NATIVE_DOUBLE)
      .add("co2_g", offsetof(SummaryRowWritten, co2_g), H5T_NATIVE_DOUBLE)
      .add("cost", offsetof(SummaryRowWritten, cost), H5T_NATIVE_DOUBLE)
      .add("co2_marginal_g", offsetof(SummaryRowWritten, co2_marginal_g), H5T_NATIVE_DOUBLE)
      .add("deployments", offsetof(SummaryRowWritten, deployments), H5T_NATIVE_UINT64);
  std::vector<std::string> names;
  for (std::string_view n : kSeriesNames) names.emplace_back(n);
  names.emplace_back("total");
  std::vector<SummaryRowWritten> rows;
  for (int i = 0; i <= kSeriesCount; ++i) {
    const SeriesTotals& t = i < kSeriesCount ? s.series[i] : s.total;
    rows.push_back(SummaryRowWritten{names[i].c_str(), t.jobs, t.gpu_hours, t.it_energy_j,
                                     t.energy_j, t.co2_g, t.cost, t.co2_marginal_g, t.deployments});
  }
  h5::write_rows(group.id(), "by_series", type.id(), type.id(), rows.data(), rows.size());
  const hid_t g = group.id();
  h5::write_attribute(g, "energy_j", s.total.energy_j);
  h5::write_attribute(g, "it_energy_j", s.total.it_energy_j);
  h5::write_attribute(g, "co2_g", s.total.co2_g);
  h5::write_attribute(g, "cost", s.total.cost);
  h5::write_attribute(g, "currency", scenario.accounting.currency);
  h5::write_attribute(g, "gpu_hours", s.total.gpu_hours);
  h5::write_attribute(g, "peak_power_w", s.peak_power_w);
  h5::write_attribute(g, "makespan_s", s.makespan_s);
  h5::write_attribute(g, "mean_utilization", s.mean_utilization);
  h5::write_attribute(g, "total_gpus", static_cast<std::uint64_t>(s.total_gpus));
  h5::write_attribute(g, "jobs_pending", static_cast<std::uint64_t>(s.jobs_pending));
  h5::write_attribute(g, "jobs_unfinished", static_cast<std::uint64_t>(s.jobs_unfinished));
  h5::write_attribute(g, "simgrid_plugin_max_rel_diff", outcome.plugin_max_rel_diff);
  h5::write_attribute(g, "co2_marginal_g", s.total.co2_marginal_g);
  h5::write_attribute(g, "crossover_s", s.crossover_s);
  h5::write_attribute(g, "crossover", std::string(crossover_state_name(crossover_state(s))));
  h5::write_attribute(g, "marginal_available", std::int64_t{s.marginal_available ? 1 : 0});
  h5::write_attribute(g, "node_boots", static_cast<std::uint64_t>(s.node_boots));
  h5::write_attribute(g, "node_off_hours", s.node_off_hours);
  h5::write_attribute(g, "node_down_hours", s.node_down_hours);
  // Phase shares of the lifecycle's energy and CO2e (idle excluded; NaN with nothing drawn).
  double phase_energy_j = 0, phase_co2_g = 0;
  for (int k = 0; k < kPhaseCount; ++k) {
    phase_energy_j += s.series[k].energy_j;
    phase_co2_g += s.series[k].co2_g;
  }
  for (int k = 0; k < kPhaseCount; ++k) {
    const std::string name(kSeriesNames[k]);
    h5::write_attribute(g, name + "_energy_share",
                        phase_energy_j > 0 ? s.series[k].energy_j / phase_energy_j
                                           : std::numeric_limits<double>::quiet_NaN());
    h5::write_attribute(g, name + "_co2_share",
                        phase_co2_g > 0 ? s.series[k].co2_g / phase_co2_g
                                        : std::numeric_limits<double>::quiet_NaN());
  }
  write_capacity_attributes(g, s);
}

}  // namespace mlcycle
