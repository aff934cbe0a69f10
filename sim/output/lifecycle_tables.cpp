// /campaigns and /deployments: per-campaign and per-deployment results as typed tables.
#include "output/record_table_h5.hpp"
#include "output/trace_types.hpp"

namespace mlcycle {

namespace {

TableColumn column(std::string name, ColumnType type) {
  return TableColumn{std::move(name), type, {}};
}

TableColumn phase_column() {
  TableColumn c{"phase", ColumnType::label, {}};
  for (int k = 0; k < kPhaseCount; ++k) c.labels.emplace_back(kSeriesNames[k]);
  return c;
}

}  // namespace

void write_campaign_table(hid_t root, const Scenario& scenario, const RunSummary& summary) {
  RecordTable table;
  table.columns = {column("name", ColumnType::text),
                   phase_column(),
                   column("stage", ColumnType::text),
                   column("search", ColumnType::text),
                   column("runs", ColumnType::uint32),
                   column("trials_started", ColumnType::uint64),
                   column("jobs", ColumnType::uint64),
                   column("completed", ColumnType::uint64),
                   column("stopped_early", ColumnType::uint64),
                   column("failed", ColumnType::uint64),
                   column("crashes", ColumnType::uint64),
                   column("unfinished", ColumnType::uint64),
                   column("gpu_hours", ColumnType::real),
                   column("wasted_gpu_hours", ColumnType::real),
                   column("energy_j", ColumnType::real),
                   column("co2_g", ColumnType::real),
                   column("wasted_co2_g", ColumnType::real),
                   column("full_budget_gpu_hours", ColumnType::real),
                   column("saved_gpu_hours", ColumnType::real),
                   column("best_score", ColumnType::real),
                   column("mean_wait_s", ColumnType::real),
                   column("first_submit_s", ColumnType::real),
                   column("last_end_s", ColumnType::real),
                   column("flops", ColumnType::real),
                   column("mfu", ColumnType::real)};
  for (std::size_t i = 0; i < summary.campaigns.size(); ++i) {
    const CampaignResult& c = summary.campaigns[i];
    const CampaignSpec& spec = scenario.campaigns[i];
    const std::string search = spec.search   ? std::string(enum_name(spec.search->kind))
                               : spec.replay ? "replay"
                                             : "independent";
    table.rows.push_back({text_cell(c.name),
                          unsigned_cell(static_cast<std::uint64_t>(c.phase)),
                          text_cell(c.stage),
                          text_cell(search),
                          unsigned_cell(c.runs),
                          unsigned_cell(c.trials_started),
                          unsigned_cell(c.jobs),
                          unsigned_cell(c.completed),
                          unsigned_cell(c.stopped_early),
                          unsigned_cell(c.failed),
                          unsigned_cell(c.crashes),
                          unsigned_cell(c.unfinished),
                          real_cell(c.gpu_hours),
                          real_cell(c.wasted_gpu_hours),
                          real_cell(c.energy_j),
                          real_cell(c.co2_g),
                          real_cell(c.wasted_co2_g),
                          real_cell(c.full_budget_gpu_hours),
                          real_cell(c.saved_gpu_hours),
                          real_cell(c.best_score),
                          real_cell(c.mean_wait_s),
                          real_cell(c.first_submit_s),
                          real_cell(c.last_end_s),
                          real_cell(c.flops),
                          real_cell(c.mfu)});
  }
  write_h5_table(root, "campaigns", table);
}

namespace {
// In the order of DeploymentResult's fields, after activity_utilization.
constexpr const char* kLlmColumns[] = {"static_energy_j",    "input_tokens", "output_tokens",
                                       "j_per_output_token", "ttft_mean_s",  "ttft_p50_s",
                                       "ttft_p90_s",         "ttft_p99_s",   "tpot_mean_s",
                                       "tpot_p50_s",         "tpot_p90_s",   "tpot_p99_s"};
}  // namespace

void write_deployment_table(hid_t root, const RunSummary& summary) {
  RecordTable table;
  table.columns = {
      column("name", ColumnType::text), column("kind", ColumnType::text),
      column("start_s", ColumnType::real), column("end_s", ColumnType::real),
      column("gpu_hours", ColumnType::real), column("it_energy_j", ColumnType::real),
      column("energy_j", ColumnType::real), column("co2_g", ColumnType::real),
      column("requests", ColumnType::real), column("served", ColumnType::real),
      column("dropped", ColumnType::real), column("late", ColumnType::real),
      column("replica_hours", ColumnType::real), column("max_replicas", ColumnType::uint32),
      column("wh_per_request", ColumnType::real), column("co2_g_per_request", ColumnType::real),
      column("vehicles_end", ColumnType::real), column("vehicle_days", ColumnType::real),
      column("driving_hours", ColumnType::real), column("onboard_energy_j", ColumnType::real),
      column("fuel_l", ColumnType::real), column("updates", ColumnType::uint32),
      // Added to schema 1 with the serving utilizations (older files lack them).
      column("reserved_gpus", ColumnType::uint32), column("busy_gpu_hours", ColumnType::real),
      column("reserved_utilization", ColumnType::real),
      column("activity_utilization", ColumnType::real)};
  // Added to schema 1 with LLM serving (docs/llm-serving.md; older files lack them).
  for (const char* name : kLlmColumns) table.columns.push_back(column(name, ColumnType::real));
  for (const DeploymentResult& d : summary.deployments)
    table.rows.push_back({text_cell(d.name),
                          text_cell(d.kind),
                          real_cell(d.start_s),
                          real_cell(d.end_s),
                          real_cell(d.gpu_hours),
                          real_cell(d.it_energy_j),
                          real_cell(d.energy_j),
                          real_cell(d.co2_g),
                          real_cell(d.requests),
                          real_cell(d.served),
                          real_cell(d.dropped),
                          real_cell(d.late),
                          real_cell(d.replica_hours),
                          unsigned_cell(d.max_replicas),
                          real_cell(d.wh_per_request),
                          real_cell(d.co2_g_per_request),
                          real_cell(d.vehicles_end),
                          real_cell(d.vehicle_days),
                          real_cell(d.driving_hours),
                          real_cell(d.onboard_energy_j),
                          real_cell(d.fuel_l),
                          unsigned_cell(d.updates),
                          unsigned_cell(d.reserved_gpus),
                          real_cell(d.busy_gpu_hours),
                          real_cell(d.reserved_utilization),
                          real_cell(d.activity_utilization),
                          real_cell(d.static_energy_j),
                          real_cell(d.input_tokens),
                          real_cell(d.output_tokens),
                          real_cell(d.j_per_output_token),
                          real_cell(d.ttft_mean_s),
                          real_cell(d.ttft_p50_s),
                          real_cell(d.ttft_p90_s),
                          real_cell(d.ttft_p99_s),
                          real_cell(d.tpot_mean_s),
                          real_cell(d.tpot_p50_s),
                          real_cell(d.tpot_p90_s),
                          real_cell(d.tpot_p99_s)});
  write_h5_table(root, "deployments", table);
}

}  // namespace mlcycle
