#pragma once
// A site is the set of hosts that share a grid region and a PUE signal. Facility power is IT
// power x PUE(t); the CO2e rate of one IT watt is PUE(t) x intensity(t) / 3.6e6 g/s. Sites hold
// those products as signals, so every integral the accounting takes is exact.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "grid/grid_registry.hpp"
#include "grid/step_signal.hpp"

namespace mlcycle {

// A site drawing no grid power of a region (a fleet burning fuel): no region bins.
inline constexpr std::uint32_t kNoRegion = 0xFFFFFFFFu;

struct FacilitySite {
  std::uint32_t region = 0;  // kNoRegion: a direct-emission site
  std::string pue_name;      // the profile's name, or the constant as text
  std::shared_ptr<const StepSignal> pue;
  std::shared_ptr<const StepSignal> carbon;           // PUE x intensity, g/kWh
  std::shared_ptr<const StepSignal> marginal_carbon;  // PUE x marginal intensity, or nullptr
};

class FacilitySites {
 public:
  explicit FacilitySites(const GridRegistry& grid) : grid_(grid) {}

  // The site of `region` with PUE signal `pue` (named `pue_name`), created on first use.
  std::uint32_t site(std::uint32_t region, const std::string& pue_name,
                     std::shared_ptr<const StepSignal> pue);
  // A site with a constant PUE.
  std::uint32_t site(std::uint32_t region, double pue);
  // A site with PUE 1 whose emissions do not come from a grid: a constant g per kWh drawn.
  std::uint32_t direct_site(const std::string& name, double g_per_kwh);

  std::size_t size() const { return sites_.size(); }
  const FacilitySite& operator[](std::size_t i) const { return sites_[i]; }
  const GridRegistry& grid() const { return grid_; }

 private:
  const GridRegistry& grid_;
  std::vector<FacilitySite> sites_;
};

}  // namespace mlcycle
