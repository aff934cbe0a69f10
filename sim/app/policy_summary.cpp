#include "app/policy_summary.hpp"

#include <cmath>
#include <iomanip>

#include "core/units.hpp"

namespace mlcycle {

namespace {

constexpr double kGramsPerKg = 1000;

// `value` rounded to `decimals`, never "-0.0" (a rounding crumb of an unchanged total).
double shown(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(value * scale) / scale;
  return rounded == 0 ? 0.0 : rounded;
}

double shown_pct(double pct) {
  return shown(pct, 1);
}

}  // namespace

// The campaigns' block (when a campaign is under a policy, or nothing is), then the capped
// serving deployments', each as CO2e, cost in time or service, and the whole run.
void print_policy_comparison(std::ostream& out, const PolicyComparison& c) {
  const auto kg = [](double g) { return g / kGramsPerKg; };
  const bool campaigns = c.jobs > 0 || c.serving_deployments == 0;
  const char* label = "  policy           ";
  const char* indent = "                   ";
  out << std::fixed << std::setprecision(3);
  if (campaigns) {
    out << label << "jobs under policy " << c.jobs << ", CO2e kg: baseline "
        << kg(c.baseline_jobs_co2_g) << ", policy " << kg(c.policy_jobs_co2_g);
    if (!std::isnan(c.bound_jobs_co2_g)) out << ", bound " << kg(c.bound_jobs_co2_g);
    out << "\n" << std::setprecision(1);
    out << indent << "saving " << shown_pct(c.saving_pct) << " %";
    if (!std::isnan(c.bound_jobs_co2_g))
      out << " of at most " << shown_pct(c.bound_saving_pct) << " %";
    else
      out << " (no bound: paused or capped work)";
    out << "; ";
  }
  if (c.serving_deployments > 0) {
    if (!campaigns)
      out << label;
    else
      out << "\n" << indent;
    out << std::setprecision(3) << "serving under policy " << c.serving_deployments
        << ", CO2e kg: baseline " << kg(c.baseline.serving_co2_g) << ", policy "
        << kg(c.policy.serving_co2_g) << std::setprecision(1) << ", saving "
        << shown_pct(c.serving_saving_pct) << " %\n";
    out << std::setprecision(0) << indent << "requests late: baseline " << c.baseline.serving_late
        << ", policy " << c.policy.serving_late << "; dropped: baseline "
        << c.baseline.serving_dropped << ", policy " << c.policy.serving_dropped << "\n";
    if (c.routed_deployments > 0)
      out << indent << "served away from the first cluster: baseline "
          << c.baseline.serving_served_away << ", policy " << c.policy.serving_served_away << "\n";
    out << indent;
  }
  out << std::setprecision(1) << "whole run (idle included) " << shown_pct(c.total_saving_pct)
      << " %, energy " << std::showpos << shown_pct(c.energy_change_pct) << std::noshowpos
      << " %\n";
  if (campaigns) {
    out << std::setprecision(2);
    out << indent << "added completion delay h: mean " << shown(c.delay_mean_h, 2) << ", p95 "
        << shown(c.delay_p95_h, 2) << ", max " << shown(c.delay_max_h, 2) << " ("
        << c.trials_compared << " trials)\n";
    out << indent << "started after ready + slack: " << c.deadline_misses << " jobs (baseline "
        << c.baseline_deadline_misses << ")\n";
  }
  if (c.placed_campaigns > 0)
    out << std::setprecision(1) << indent << "data moved GB: baseline " << c.baseline.data_moved_gb
        << ", policy " << c.policy.data_moved_gb << std::setprecision(2)
        << "; staging (GPUs held) h: baseline " << c.baseline.staging_h << ", policy "
        << c.policy.staging_h << "\n";
  out << std::defaultfloat << std::setprecision(6);
}

}  // namespace mlcycle
