#include "accounting/facility_sites.hpp"

#include <cstdio>
#include <stdexcept>

#include "grid/product_source.hpp"

namespace mlcycle {

namespace {

// PUE x intensity as cheaply as the two allow: a constant scales the other signal; two
// timelines merge into a product timeline.
std::shared_ptr<const StepSignal> product(const std::shared_ptr<const StepSignal>& pue,
                                          const std::shared_ptr<const StepSignal>& intensity) {
  if (auto* constant_pue = dynamic_cast<const ConstantSignal*>(pue.get()))
    return std::make_shared<ScaledSignal>(intensity, constant_pue->value());
  if (auto* constant_i = dynamic_cast<const ConstantSignal*>(intensity.get()))
    return std::make_shared<ScaledSignal>(pue, constant_i->value());
  auto pue_timeline = std::dynamic_pointer_cast<const StepTimeline>(pue);
  auto intensity_timeline = std::dynamic_pointer_cast<const StepTimeline>(intensity);
  if (!pue_timeline || !intensity_timeline)
    throw std::logic_error("FacilitySites: cannot multiply these signals");
  return std::make_shared<StepTimeline>(
      std::make_unique<ProductSource>(pue_timeline, intensity_timeline));
}

// A non-owning pointer: the registry owns its signals for the whole run.
std::shared_ptr<const StepSignal> borrow(const StepSignal* signal) {
  return std::shared_ptr<const StepSignal>(std::shared_ptr<const StepSignal>{}, signal);
}

}  // namespace

std::uint32_t FacilitySites::site(std::uint32_t region, const std::string& pue_name,
                                  std::shared_ptr<const StepSignal> pue) {
  for (std::uint32_t i = 0; i < sites_.size(); ++i)
    if (sites_[i].region == region && sites_[i].pue_name == pue_name) return i;
  FacilitySite s;
  s.region = region;
  s.pue_name = pue_name;
  s.pue = pue;
  s.carbon = product(pue, borrow(&grid_.signal(region)));
  if (const StepSignal* marginal = grid_.marginal(region))
    s.marginal_carbon = product(pue, borrow(marginal));
  sites_.push_back(std::move(s));
  return static_cast<std::uint32_t>(sites_.size() - 1);
}

std::uint32_t FacilitySites::site(std::uint32_t region, double pue) {
  char name[32];
  std::snprintf(name, sizeof name, "%.17g", pue);
  for (std::uint32_t i = 0; i < sites_.size(); ++i)
    if (sites_[i].region == region && sites_[i].pue_name == name) return i;
  return site(region, name, std::make_shared<ConstantSignal>(pue));
}

std::uint32_t FacilitySites::direct_site(const std::string& name, double g_per_kwh) {
  FacilitySite s;
  s.region = kNoRegion;
  s.pue_name = name;
  s.pue = std::make_shared<ConstantSignal>(1.0);
  s.carbon = std::make_shared<ConstantSignal>(g_per_kwh);
  s.marginal_carbon = s.carbon;
  sites_.push_back(std::move(s));
  return static_cast<std::uint32_t>(sites_.size() - 1);
}

}  // namespace mlcycle
