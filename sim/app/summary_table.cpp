#include "app/summary_table.hpp"

#include <cmath>
#include <cstdio>

#include "core/duration.hpp"
#include "core/units.hpp"

namespace mlcycle {

namespace {

// Rounding leaves idle energy of a fully busy node at +-1e-13 J: print it as 0, not -0.0.
double shown(double value) {
  return std::abs(value) < 1e-6 ? 0.0 : value;
}

std::string row(const char* name, const SeriesTotals& raw, bool with_jobs) {
  SeriesTotals t = raw;
  for (double* v : {&t.gpu_hours, &t.it_energy_j, &t.energy_j, &t.co2_g, &t.cost}) *v = shown(*v);
  char line[256];
  const double kwh = t.energy_j / units::kJoulePerKwh;
  if (with_jobs)
    std::snprintf(line, sizeof line, "  %-16s %8llu %13.1f %13.1f %13.1f %12.1f %12.1f %11.2f\n",
                  name, static_cast<unsigned long long>(t.jobs), t.gpu_hours,
                  t.it_energy_j / units::kJoulePerKwh, kwh, t.co2_g / 1000.0,
                  t.co2_g / units::kGramPerPound, t.cost);
  else
    std::snprintf(line, sizeof line, "  %-16s %8s %13s %13.1f %13.1f %12.1f %12.1f %11.2f\n", name,
                  "-", "-", t.it_energy_j / units::kJoulePerKwh, kwh, t.co2_g / 1000.0,
                  t.co2_g / units::kGramPerPound, t.cost);
  return line;
}

void print_campaign_rows(std::ostream& out, const std::vector<CampaignResult>& campaigns) {
  // Only when there is more to say than the phase table: several campaigns or lifecycle events.
  bool detail = campaigns.size() > 1;
  for (const CampaignResult& c : campaigns)
    detail = detail || c.crashes > 0 || c.stopped_early > 0 || c.runs > 1 || c.failed > 0;
  if (!detail) return;
  char line[320];
  std::snprintf(line, sizeof line, "  %-22s %8s %9s %8s %7s %7s %12s %10s %12s %10s %7s\n",
                "campaign", "trials", "completed", "stopped", "failed", "crashes", "GPU-hours",
                "wasted", "saved", "CO2e kg", "best");
  out << line;
  for (const CampaignResult& c : campaigns) {
    std::snprintf(
        line, sizeof line,
        "  %-22.22s %8llu %9llu %8llu %7llu %7llu %12.1f %10.1f %12.1f %10.1f %7.4f\n",
        c.name.c_str(), static_cast<unsigned long long>(c.trials_started),
        static_cast<unsigned long long>(c.completed),
        static_cast<unsigned long long>(c.stopped_early), static_cast<unsigned long long>(c.failed),
        static_cast<unsigned long long>(c.crashes), shown(c.gpu_hours), shown(c.wasted_gpu_hours),
        shown(c.saved_gpu_hours), shown(c.co2_g) / 1000, c.best_score);
    out << line;
  }
}

void print_deployment_rows(std::ostream& out, const std::vector<DeploymentResult>& deployments) {
  char line[320];
  for (const DeploymentResult& d : deployments) {
    if (std::isnan(d.start_s)) {
      out << "  deployment       " << d.name << ": never started within the run\n";
      continue;
    }
    if (d.kind == "serving")
      std::snprintf(line, sizeof line,
                    "  deployment       %s (serving): %.4g requests served, %.3g dropped, %.3g "
                    "late; %.4g Wh and %.4g g CO2e per request; up to %u replicas; %.1f t CO2e\n",
                    d.name.c_str(), d.served, d.dropped, d.late, d.wh_per_request,
                    d.co2_g_per_request, d.max_replicas, d.co2_g / 1e6);
    else
      std::snprintf(line, sizeof line,
                    "  deployment       %s (fleet): %.0f vehicles at the end, %.3g vehicle-days, "
                    "%.2f h driven per vehicle-day, %.1f MWh on board, %.1f t CO2e\n",
                    d.name.c_str(), d.vehicles_end, d.vehicle_days,
                    d.vehicle_days > 0 ? d.driving_hours / d.vehicle_days : 0.0,
                    d.onboard_energy_j / 3.6e9, d.co2_g / 1e6);
    out << line;
  }
}

}  // namespace

void print_summary_table(std::ostream& out, const RunSummary& s, UtcTime start,
                         const std::string& currency, double plugin_max_rel_diff) {
  char line[256];
  out << "  simulated span   " << format_duration(s.makespan_s) << "  (" << format_iso8601(start)
      << " .. " << format_iso8601(start, s.makespan_s) << ")\n";
  std::snprintf(line, sizeof line,
                "  jobs             %llu completed, %llu unfinished at the horizon, %llu never "
                "started\n",
                static_cast<unsigned long long>(s.total.jobs - s.jobs_unfinished),
                static_cast<unsigned long long>(s.jobs_unfinished),
                static_cast<unsigned long long>(s.jobs_pending));
  out << line;
  std::snprintf(line, sizeof line, "  %-16s %8s %13s %13s %13s %12s %12s %11s\n", "phase", "jobs",
                "GPU-hours", "IT kWh", "facility kWh", "CO2e kg", "CO2e lbs", currency.c_str());
  out << line;
  for (int i = 0; i < kPhaseCount; ++i)
    out << row(std::string(kSeriesNames[i]).c_str(), s.series[i], true);
  out << row("idle", s.series[kIdleSeries], false);
  out << row("total", s.total, true);
  std::snprintf(line, sizeof line, "  peak power       %.2f kW (facility)\n",
                s.peak_power_w / 1000.0);
  out << line;
  std::snprintf(line, sizeof line, "  GPU utilization  %.1f %% of %llu GPUs over the span\n",
                100.0 * s.mean_utilization, static_cast<unsigned long long>(s.total_gpus));
  out << line;
  double phase_co2_g = 0, phase_energy_j = 0;
  for (int k = 0; k < kPhaseCount; ++k) {
    phase_co2_g += s.series[k].co2_g;
    phase_energy_j += s.series[k].energy_j;
  }
  if (phase_energy_j > 0) {
    std::snprintf(line, sizeof line,
                  "  energy shares    experimentation %.1f %%, training %.1f %%, inference %.1f %% "
                  "(facility, idle excluded)\n",
                  100 * s.series[0].energy_j / phase_energy_j,
                  100 * s.series[1].energy_j / phase_energy_j,
                  100 * s.series[2].energy_j / phase_energy_j);
    out << line;
  }
  if (phase_co2_g > 0) {
    std::snprintf(line, sizeof line,
                  "  CO2e shares      experimentation %.1f %%, training %.1f %%, inference %.1f %% "
                  "(idle excluded)\n",
                  100 * s.series[0].co2_g / phase_co2_g, 100 * s.series[1].co2_g / phase_co2_g,
                  100 * s.series[2].co2_g / phase_co2_g);
    out << line;
  }
  if (s.series[static_cast<int>(Phase::inference)].energy_j > 0) {
    const bool development = s.series[0].co2_g + s.series[1].co2_g > 0;
    out << "  crossover        "
        << (!development ? std::string("none: the run has no experimentation or training")
            : std::isnan(s.crossover_s)
                ? std::string("never within the run (inference CO2e stays below training's)")
                : format_iso8601(start, s.crossover_s) +
                      ": cumulative inference CO2e exceeds experimentation + training")
        << "\n";
  }
  if (s.marginal_available) {
    std::snprintf(line, sizeof line,
                  "  marginal CO2e    %.1f kg (experimentation %.1f, training %.1f, inference "
                  "%.1f, idle %.1f) vs %.1f kg average-based\n",
                  s.total.co2_marginal_g / 1000, s.series[0].co2_marginal_g / 1000,
                  s.series[1].co2_marginal_g / 1000, s.series[2].co2_marginal_g / 1000,
                  s.series[kIdleSeries].co2_marginal_g / 1000, s.total.co2_g / 1000);
    out << line;
  }
  if (s.node_boots > 0 || s.node_off_hours > 0 || s.node_down_hours > 0) {
    std::snprintf(line, sizeof line,
                  "  nodes            %llu boots, %.1f node-hours off, %.1f node-hours down\n",
                  static_cast<unsigned long long>(s.node_boots), s.node_off_hours,
                  s.node_down_hours);
    out << line;
  }
  print_campaign_rows(out, s.campaigns);
  print_deployment_rows(out, s.deployments);
  if (plugin_max_rel_diff >= 0) {
    std::snprintf(line, sizeof line,
                  "  energy check     SimGrid host energy plugin vs meter: max rel. diff %.2e\n",
                  plugin_max_rel_diff);
    out << line;
  }
}

void print_summary(std::ostream& out, const Scenario& scenario, const RunOutcome& outcome,
                   const std::string& trace_path) {
  out << "mlcycle " << MLCYCLE_VERSION << " on SimGrid " << outcome.simgrid_version << ": "
      << scenario.source_path << " (seed " << scenario.simulation.seed << ", "
      << (scenario.simulation.engine == EngineMode::exec ? "exec" : "analytic") << " engine)\n";
  print_summary_table(out, outcome.summary, scenario.simulation.start, scenario.accounting.currency,
                      outcome.plugin_max_rel_diff);
  out << "  trace            " << trace_path << "\n";
}

}  // namespace mlcycle
