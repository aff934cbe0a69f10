// Loads drawn at a site outside the platform's hosts (a fleet's charging): phase-attributed
// power with its own energy and CO2e totals, integrated like a job's.
#include <stdexcept>

#include "accounting/power_integrator.hpp"
#include "core/units.hpp"

namespace mlcycle {

std::uint32_t PowerIntegrator::add_load(std::uint32_t site, Phase phase, std::uint32_t tag) {
  Load load;
  load.site = site;
  load.phase = phase;
  load.tag = tag;
  load.since_s = now_s_;
  loads_.push_back(load);
  return static_cast<std::uint32_t>(loads_.size() - 1);
}

void PowerIntegrator::accumulate_load(Load& load) {
  if (now_s_ > load.since_s && load.it_power_w != 0) {
    const FacilitySite& site = sites_[load.site];
    load.totals.it_energy_j += load.it_power_w * (now_s_ - load.since_s);
    load.totals.energy_j += load.it_power_w * site.pue->integral(load.since_s, now_s_);
    load.totals.co2_g +=
        load.it_power_w * site.carbon->integral(load.since_s, now_s_) / units::kJoulePerKwh;
  }
  load.since_s = now_s_;
}

void PowerIntegrator::set_load_power(std::uint32_t index, double it_power_w) {
  Load& load = loads_.at(index);
  accumulate_load(load);
  const int shares = (it_power_w != 0 ? 1 : 0) - (load.it_power_w != 0 ? 1 : 0);
  site_power_[load.site].total_it_w += it_power_w - load.it_power_w;
  add_phase_power(load.site, load.phase, load.tag, it_power_w - load.it_power_w, shares);
  if (it_power_w == 0 &&
      site_power_[load.site].phase_shares == std::array<std::uint64_t, kPhaseCount>{})
    site_power_[load.site].total_it_w = 0;  // a fleet site with nothing drawing is exactly 0
  load.it_power_w = it_power_w;
}

PowerIntegrator::LoadTotals PowerIntegrator::load_totals(std::uint32_t index) {
  Load& load = loads_.at(index);
  accumulate_load(load);
  return load.totals;
}

}  // namespace mlcycle
