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
  if (s.series[static_cast<int>(Phase::inference)].jobs > 0) {
    out << "  crossover        "
        << (std::isnan(s.crossover_s)
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
