#include "output/policy_group.hpp"

#include <span>
#include <stdexcept>
#include <string>

#include "output/h5.hpp"
#include "output/h5_attributes.hpp"

namespace mlcycle {

namespace {

// The group's attributes, named once for the writer and the reader.
struct RealAttribute {
  const char* name;
  double& (*field)(PolicyComparison&);
};
struct CountAttribute {
  const char* name;
  std::uint64_t& (*field)(PolicyComparison&);
};

constexpr RealAttribute kReals[] = {
    {"baseline_co2_g", [](PolicyComparison& c) -> double& { return c.baseline.co2_g; }},
    {"policy_co2_g", [](PolicyComparison& c) -> double& { return c.policy.co2_g; }},
    {"baseline_energy_j", [](PolicyComparison& c) -> double& { return c.baseline.energy_j; }},
    {"policy_energy_j", [](PolicyComparison& c) -> double& { return c.policy.energy_j; }},
    {"baseline_makespan_s", [](PolicyComparison& c) -> double& { return c.baseline.makespan_s; }},
    {"policy_makespan_s", [](PolicyComparison& c) -> double& { return c.policy.makespan_s; }},
    {"baseline_jobs_co2_g", [](PolicyComparison& c) -> double& { return c.baseline_jobs_co2_g; }},
    {"policy_jobs_co2_g", [](PolicyComparison& c) -> double& { return c.policy_jobs_co2_g; }},
    {"bound_jobs_co2_g", [](PolicyComparison& c) -> double& { return c.bound_jobs_co2_g; }},
    {"saving_pct", [](PolicyComparison& c) -> double& { return c.saving_pct; }},
    {"bound_saving_pct", [](PolicyComparison& c) -> double& { return c.bound_saving_pct; }},
    {"total_saving_pct", [](PolicyComparison& c) -> double& { return c.total_saving_pct; }},
    {"energy_change_pct", [](PolicyComparison& c) -> double& { return c.energy_change_pct; }},
    {"delay_mean_h", [](PolicyComparison& c) -> double& { return c.delay_mean_h; }},
    {"delay_p95_h", [](PolicyComparison& c) -> double& { return c.delay_p95_h; }},
    {"delay_max_h", [](PolicyComparison& c) -> double& { return c.delay_max_h; }},
};

// Only in runs with a power-capped serving deployment (`serving_deployments` > 0): files of
// runs without one read as before.
constexpr RealAttribute kServingReals[] = {
    {"baseline_serving_co2_g",
     [](PolicyComparison& c) -> double& { return c.baseline.serving_co2_g; }},
    {"policy_serving_co2_g", [](PolicyComparison& c) -> double& { return c.policy.serving_co2_g; }},
    {"baseline_serving_energy_j",
     [](PolicyComparison& c) -> double& { return c.baseline.serving_energy_j; }},
    {"policy_serving_energy_j",
     [](PolicyComparison& c) -> double& { return c.policy.serving_energy_j; }},
    {"serving_saving_pct", [](PolicyComparison& c) -> double& { return c.serving_saving_pct; }},
    {"baseline_served", [](PolicyComparison& c) -> double& { return c.baseline.serving_served; }},
    {"policy_served", [](PolicyComparison& c) -> double& { return c.policy.serving_served; }},
    {"baseline_late", [](PolicyComparison& c) -> double& { return c.baseline.serving_late; }},
    {"policy_late", [](PolicyComparison& c) -> double& { return c.policy.serving_late; }},
    {"baseline_dropped", [](PolicyComparison& c) -> double& { return c.baseline.serving_dropped; }},
    {"policy_dropped", [](PolicyComparison& c) -> double& { return c.policy.serving_dropped; }},
};
constexpr const char* kServingCount = "serving_deployments";

// Only in runs with a campaign placed over several clusters (`placed_campaigns` > 0).
constexpr RealAttribute kPlacementReals[] = {
    {"baseline_data_moved_gb",
     [](PolicyComparison& c) -> double& { return c.baseline.data_moved_gb; }},
    {"policy_data_moved_gb", [](PolicyComparison& c) -> double& { return c.policy.data_moved_gb; }},
    {"baseline_staging_h", [](PolicyComparison& c) -> double& { return c.baseline.staging_h; }},
    {"policy_staging_h", [](PolicyComparison& c) -> double& { return c.policy.staging_h; }},
};
constexpr const char* kPlacedCount = "placed_campaigns";

// Only in runs with a serving deployment over several clusters (`routed_deployments` > 0).
constexpr RealAttribute kRoutingReals[] = {
    {"baseline_served_away",
     [](PolicyComparison& c) -> double& { return c.baseline.serving_served_away; }},
    {"policy_served_away",
     [](PolicyComparison& c) -> double& { return c.policy.serving_served_away; }},
};
constexpr const char* kRoutedCount = "routed_deployments";

constexpr CountAttribute kCounts[] = {
    {"deferrable_jobs", [](PolicyComparison& c) -> std::uint64_t& { return c.jobs; }},
    {"deadline_misses", [](PolicyComparison& c) -> std::uint64_t& { return c.deadline_misses; }},
    {"baseline_deadline_misses",
     [](PolicyComparison& c) -> std::uint64_t& { return c.baseline_deadline_misses; }},
    {"trials_compared", [](PolicyComparison& c) -> std::uint64_t& { return c.trials_compared; }},
};

}  // namespace

void write_policy_group(hid_t root, const PolicyComparison& comparison) {
  h5::Handle group = h5::create_group(root, "policy");
  PolicyComparison c = comparison;  // the accessors give references: read through a copy
  for (const RealAttribute& a : kReals) h5::write_attribute(group.id(), a.name, a.field(c));
  for (const CountAttribute& a : kCounts) h5::write_attribute(group.id(), a.name, a.field(c));
  if (c.placed_campaigns > 0) {
    h5::write_attribute(group.id(), kPlacedCount, c.placed_campaigns);
    for (const RealAttribute& a : kPlacementReals)
      h5::write_attribute(group.id(), a.name, a.field(c));
  }
  if (c.routed_deployments > 0) {
    h5::write_attribute(group.id(), kRoutedCount, c.routed_deployments);
    for (const RealAttribute& a : kRoutingReals)
      h5::write_attribute(group.id(), a.name, a.field(c));
  }
  if (c.serving_deployments == 0) return;
  h5::write_attribute(group.id(), kServingCount, c.serving_deployments);
  for (const RealAttribute& a : kServingReals) h5::write_attribute(group.id(), a.name, a.field(c));
}

std::optional<PolicyComparison> read_policy_group(hid_t root) {
  if (!h5::has_link(root, "policy")) return std::nullopt;
  h5::Handle group = h5::open_group(root, "policy");
  PolicyComparison c;
  auto missing = [](const char* name) {
    return std::runtime_error(std::string("/policy has no attribute '") + name + "'");
  };
  auto read_reals = [&](std::span<const RealAttribute> attributes) {
    for (const RealAttribute& a : attributes) {
      const std::optional<double> value = h5::read_double_attribute(group.id(), a.name);
      if (!value) throw missing(a.name);
      a.field(c) = *value;
    }
  };
  read_reals(kReals);
  for (const CountAttribute& a : kCounts) {
    const std::optional<std::uint64_t> value = h5::read_uint64_attribute(group.id(), a.name);
    if (!value) throw missing(a.name);
    a.field(c) = *value;
  }
  if (const auto services = h5::read_uint64_attribute(group.id(), kServingCount)) {
    c.serving_deployments = *services;
    read_reals(kServingReals);
  }
  if (const auto placed = h5::read_uint64_attribute(group.id(), kPlacedCount)) {
    c.placed_campaigns = *placed;
    read_reals(kPlacementReals);
  }
  if (const auto routed = h5::read_uint64_attribute(group.id(), kRoutedCount)) {
    c.routed_deployments = *routed;
    read_reals(kRoutingReals);
  }
  return c;
}

}  // namespace mlcycle
