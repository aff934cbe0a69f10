#include "app/summary_table.hpp"

#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "accounting/summary_figures.hpp"
#include "app/text_table.hpp"
#include "core/duration.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

// Rounding leaves idle energy of a fully busy node at +-1e-13 J: print it as 0, not -0.0.
double shown(double value) {
  return std::abs(value) < 1e-6 ? 0.0 : value;
}

// The phase table. Its columns widen to fit (a billion vehicles' kWh); a run with deployments
// also counts them, in their own column: a deployment is not a job (docs/hdf5-schema.md).
void print_phase_table(std::ostream& out, const RunSummary& s, const std::string& currency) {
  const bool deployments = !s.deployments.empty();
  std::vector<TextTable::Column> columns = {{"phase", 16}, {"jobs", 8}};
  if (deployments) columns.push_back({"deployments", 11});
  for (auto [header, width] : {std::pair{"GPU-hours", 13},
                               {"IT kWh", 13},
                               {"facility kWh", 13},
                               {"CO2e kg", 12},
                               {"CO2e lbs", 12}})
    columns.push_back({header, static_cast<std::size_t>(width)});
  columns.push_back({currency, 11});
  TextTable table(std::move(columns));
  auto add = [&](const std::string& name, const SeriesTotals& t, bool counted) {
    std::vector<std::string> cells = {name, counted ? std::to_string(t.jobs) : "-"};
    if (deployments) cells.push_back(counted ? std::to_string(t.deployments) : "-");
    cells.push_back(counted ? fixed(shown(t.gpu_hours), 1) : "-");
    for (double v : {t.it_energy_j / units::kJoulePerKwh, t.energy_j / units::kJoulePerKwh,
                     t.co2_g / 1000.0, t.co2_g / units::kGramPerPound})
      cells.push_back(fixed(shown(v), 1));
    cells.push_back(fixed(shown(t.cost), 2));
    table.add_row(std::move(cells));
  };
  for (int i = 0; i < kPhaseCount; ++i) add(std::string(kSeriesNames[i]), s.series[i], true);
  add("idle", s.series[kIdleSeries], false);
  add("total", s.total, true);
  table.print(out, "  ");
}

void print_campaign_rows(std::ostream& out, const std::vector<CampaignResult>& campaigns) {
  // Only when there is more to say than the phase table: several campaigns or lifecycle events.
  bool detail = campaigns.size() > 1;
  for (const CampaignResult& c : campaigns)
    detail = detail || c.crashes > 0 || c.stopped_early > 0 || c.runs > 1 || c.failed > 0;
  if (!detail) return;
  TextTable table({{"campaign", 22},
                   {"trials", 8},
                   {"completed", 9},
                   {"stopped", 8},
                   {"failed", 7},
                   {"crashes", 7},
                   {"GPU-hours", 12},
                   {"wasted", 10},
                   {"saved", 12},
                   {"CO2e kg", 10},
                   {"best", 7}});
  for (const CampaignResult& c : campaigns)
    table.add_row({c.name.substr(0, 22), std::to_string(c.trials_started),
                   std::to_string(c.completed), std::to_string(c.stopped_early),
                   std::to_string(c.failed), std::to_string(c.crashes),
                   fixed(shown(c.gpu_hours), 1), fixed(shown(c.wasted_gpu_hours), 1),
                   fixed(shown(c.saved_gpu_hours), 1), fixed(shown(c.co2_g) / 1000, 1),
                   fixed(c.best_score, 4)});
  table.print(out, "  ");
}

// "; GPUs 100.0 % reserved, 25.0 % active" for a serving deployment with both figures (files
// written before them have neither).
std::string serving_utilization(const DeploymentResult& d) {
  if (std::isnan(d.reserved_utilization) || std::isnan(d.activity_utilization)) return "";
  return format_text("; GPUs %.1f %% reserved, %.1f %% active", 100 * d.reserved_utilization,
                     100 * d.activity_utilization);
}

// "; 0.43 J per output token, TTFT p50 39 / p99 39 ms, TPOT p50 23 / p99 23 ms; 23 % static"
// for an LLM service (files and services without them: nothing).
std::string llm_serving_figures(const DeploymentResult& d) {
  std::string text;
  if (!std::isnan(d.j_per_output_token)) {
    text += format_text("; %.3g J per output token, ", d.j_per_output_token);
    // A measured table without a ttft_s column gives no TTFT.
    text += std::isnan(d.ttft_p50_s) ? std::string("TTFT not measured")
                                     : format_text("TTFT p50 %.4g / p99 %.4g ms",
                                                   1000 * d.ttft_p50_s, 1000 * d.ttft_p99_s);
    text += format_text(", TPOT p50 %.4g / p99 %.4g ms", 1000 * d.tpot_p50_s, 1000 * d.tpot_p99_s);
  }
  if (!std::isnan(d.static_energy_j) && d.it_energy_j > 0 && !std::isnan(d.j_per_output_token))
    text += format_text("; %.1f %% static", 100 * d.static_energy_j / d.it_energy_j);
  return text;
}

void print_deployment_rows(std::ostream& out, const std::vector<DeploymentResult>& deployments) {
  for (const DeploymentResult& d : deployments) {
    if (std::isnan(d.start_s)) {
      out << "  deployment       " << d.name << ": never started within the run\n";
      continue;
    }
    if (d.kind == "serving")
      out << format_text(
                 "  deployment       %s (serving): %.4g requests served, %.3g dropped, "
                 "%.3g late; %.4g Wh and %.4g g CO2e per request; up to %u replicas",
                 d.name.c_str(), d.served, d.dropped, d.late, d.wh_per_request, d.co2_g_per_request,
                 d.max_replicas)
          << serving_utilization(d) << llm_serving_figures(d)
          << format_text("; %.1f t CO2e\n", d.co2_g / 1e6);
    else
      out << format_text(
          "  deployment       %s (fleet): %.0f vehicles at the end, %.3g "
          "vehicle-days, %.2f h driven per vehicle-day, %.1f MWh on board, %.1f t "
          "CO2e\n",
          d.name.c_str(), d.vehicles_end, d.vehicle_days,
          d.vehicle_days > 0 ? d.driving_hours / d.vehicle_days : 0.0, d.onboard_energy_j / 3.6e9,
          d.co2_g / 1e6);
  }
}

// "experimentation 10.0 %, training 20.0 %, inference 70.0 %"
std::string phase_percentages(const std::array<double, kPhaseCount>& shares) {
  return format_text("experimentation %.1f %%, training %.1f %%, inference %.1f %%",
                     100 * shares[0], 100 * shares[1], 100 * shares[2]);
}

// Shares of what the phases drew (idle excluded); a line only when they drew something.
void print_draw_shares(std::ostream& out, const RunSummary& s) {
  std::array<double, kPhaseCount> energy{}, co2{};
  double energy_j = 0, co2_g = 0;
  for (int k = 0; k < kPhaseCount; ++k) {
    energy_j += s.series[k].energy_j;
    co2_g += s.series[k].co2_g;
  }
  for (int k = 0; k < kPhaseCount; ++k) {
    energy[k] = s.series[k].energy_j / energy_j;
    co2[k] = s.series[k].co2_g / co2_g;
  }
  if (energy_j > 0)
    out << "  energy shares    " << phase_percentages(energy) << " (facility, idle excluded)\n";
  if (co2_g > 0) out << "  CO2e shares      " << phase_percentages(co2) << " (idle excluded)\n";
}

// The crossover rule and its words are in docs/model.md; `mlcycle info` prints the same.
void print_crossover_line(std::ostream& out, const RunSummary& s, UtcTime start) {
  std::string text;
  switch (crossover_state(s)) {
    case CrossoverState::no_inference:
      return;
    case CrossoverState::no_development:
      text = "none: the run has no experimentation or training";
      break;
    case CrossoverState::crossed:
      text = format_iso8601(start, s.crossover_s) +
             ": cumulative inference CO2e exceeds experimentation + training";
      break;
    case CrossoverState::inference_led:
      text = "none: inference led from its first instant (it overtook nothing)";
      break;
    case CrossoverState::never:
      text = "never within the run (inference CO2e stays below training's)";
      break;
  }
  out << "  crossover        " << text << "\n";
}

// The lines about the platform's GPUs and nodes, kept together: a scenario without a platform
// (fleets only) has nothing to say here.
void print_cluster_lines(std::ostream& out, const RunSummary& s) {
  if (s.total_gpus == 0) return;
  out << format_text("  GPU utilization  %.1f %% of %llu GPUs over the span",
                     100.0 * s.mean_utilization, static_cast<unsigned long long>(s.total_gpus));
  const double active = mean_activity_utilization(s);
  if (has_serving(s) && !std::isnan(active))
    out << format_text(" (reserved), %.1f %% active (serving GPUs at their replicas' load)",
                       100 * active);
  out << "\n";
  double held_gpu_hours = 0;
  for (int k = 0; k < kPhaseCount; ++k) held_gpu_hours += s.series[k].gpu_hours;
  if (held_gpu_hours > 0)
    out << "  capacity shares  " << phase_percentages(gpu_hours_shares(s))
        << format_text(" (GPU-hours held, reservations whole; %.1f idle GPU-hours excluded)\n",
                       shown(idle_gpu_hours(s)));
  if (s.node_boots > 0 || s.node_off_hours > 0 || s.node_down_hours > 0)
    out << format_text("  nodes            %llu boots, %.1f node-hours off, %.1f node-hours down\n",
                       static_cast<unsigned long long>(s.node_boots), s.node_off_hours,
                       s.node_down_hours);
}

}  // namespace

void print_summary_table(std::ostream& out, const RunSummary& s, UtcTime start,
                         const std::string& currency, double plugin_max_rel_diff) {
  out << "  simulated span   " << format_duration(s.makespan_s) << "  (" << format_iso8601(start)
      << " .. " << format_iso8601(start, s.makespan_s) << ")\n";
  out << format_text(
      "  jobs             %llu completed, %llu unfinished at the horizon, %llu never started\n",
      static_cast<unsigned long long>(s.total.jobs - s.jobs_unfinished),
      static_cast<unsigned long long>(s.jobs_unfinished),
      static_cast<unsigned long long>(s.jobs_pending));
  print_phase_table(out, s, currency);
  out << format_text("  peak power       %.2f kW (facility)\n", s.peak_power_w / 1000.0);
  print_cluster_lines(out, s);
  print_draw_shares(out, s);
  print_crossover_line(out, s, start);
  if (s.marginal_available)
    out << format_text(
        "  marginal CO2e    %.1f kg (experimentation %.1f, training %.1f, inference %.1f, idle "
        "%.1f) vs %.1f kg average-based\n",
        s.total.co2_marginal_g / 1000, s.series[0].co2_marginal_g / 1000,
        s.series[1].co2_marginal_g / 1000, s.series[2].co2_marginal_g / 1000,
        s.series[kIdleSeries].co2_marginal_g / 1000, s.total.co2_g / 1000);
  print_campaign_rows(out, s.campaigns);
  print_deployment_rows(out, s.deployments);
  if (plugin_max_rel_diff >= 0)
    out << format_text(
        "  energy check     SimGrid host energy plugin vs meter: max rel. diff %.2e\n",
        plugin_max_rel_diff);
}

void print_summary(std::ostream& out, const Scenario& scenario, const RunOutcome& outcome,
                   const std::string& trace_path) {
  out << "mlcycle " << MLCYCLE_VERSION << " on SimGrid " << outcome.provenance.simgrid_version
      << ": " << scenario.source_path << " (seed " << scenario.simulation.seed << ", "
      << enum_name(scenario.simulation.engine) << " engine)\n";
  print_summary_table(out, outcome.summary, scenario.simulation.start, scenario.accounting.currency,
                      outcome.plugin_max_rel_diff);
  out << "  trace            " << trace_path << "\n";
}

}  // namespace mlcycle
