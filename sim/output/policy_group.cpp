#include "output/policy_group.hpp"

#include <stdexcept>
#include <string>

#include "output/h5.hpp"
#include "output/h5_attributes.hpp"

namespace mlcycle {

void write_policy_group(hid_t root, const PolicyComparison& c) {
  h5::Handle group = h5::create_group(root, "policy");
  const hid_t g = group.id();
  h5::write_attribute(g, "baseline_co2_g", c.baseline.co2_g);
  h5::write_attribute(g, "policy_co2_g", c.policy.co2_g);
  h5::write_attribute(g, "baseline_energy_j", c.baseline.energy_j);
  h5::write_attribute(g, "policy_energy_j", c.policy.energy_j);
  h5::write_attribute(g, "baseline_makespan_s", c.baseline.makespan_s);
  h5::write_attribute(g, "policy_makespan_s", c.policy.makespan_s);
  h5::write_attribute(g, "baseline_jobs_co2_g", c.baseline_jobs_co2_g);
  h5::write_attribute(g, "policy_jobs_co2_g", c.policy_jobs_co2_g);
  h5::write_attribute(g, "bound_jobs_co2_g", c.bound_jobs_co2_g);
  h5::write_attribute(g, "saving_pct", c.saving_pct);
  h5::write_attribute(g, "bound_saving_pct", c.bound_saving_pct);
  h5::write_attribute(g, "total_saving_pct", c.total_saving_pct);
  h5::write_attribute(g, "energy_change_pct", c.energy_change_pct);
  h5::write_attribute(g, "deferrable_jobs", c.jobs);
  h5::write_attribute(g, "deadline_misses", c.deadline_misses);
  h5::write_attribute(g, "baseline_deadline_misses", c.baseline_deadline_misses);
  h5::write_attribute(g, "trials_compared", c.trials_compared);
  h5::write_attribute(g, "delay_mean_h", c.delay_mean_h);
  h5::write_attribute(g, "delay_p95_h", c.delay_p95_h);
  h5::write_attribute(g, "delay_max_h", c.delay_max_h);
}

std::optional<PolicyComparison> read_policy_group(hid_t root) {
  if (!h5::has_link(root, "policy")) return std::nullopt;
  h5::Handle group = h5::open_group(root, "policy");
  const hid_t g = group.id();
  auto real = [g](const char* name) {
    const std::optional<double> value = h5::read_double_attribute(g, name);
    if (!value) throw std::runtime_error(std::string("/policy has no attribute '") + name + "'");
    return *value;
  };
  auto count = [g](const char* name) {
    const std::optional<std::uint64_t> value = h5::read_uint64_attribute(g, name);
    if (!value) throw std::runtime_error(std::string("/policy has no attribute '") + name + "'");
    return *value;
  };
  PolicyComparison c;
  c.baseline = {real("baseline_co2_g"), real("baseline_energy_j"), real("baseline_makespan_s")};
  c.policy = {real("policy_co2_g"), real("policy_energy_j"), real("policy_makespan_s")};
  c.baseline_jobs_co2_g = real("baseline_jobs_co2_g");
  c.policy_jobs_co2_g = real("policy_jobs_co2_g");
  c.bound_jobs_co2_g = real("bound_jobs_co2_g");
  c.saving_pct = real("saving_pct");
  c.bound_saving_pct = real("bound_saving_pct");
  c.total_saving_pct = real("total_saving_pct");
  c.energy_change_pct = real("energy_change_pct");
  c.jobs = count("deferrable_jobs");
  c.deadline_misses = count("deadline_misses");
  c.baseline_deadline_misses = count("baseline_deadline_misses");
  c.trials_compared = count("trials_compared");
  c.delay_mean_h = real("delay_mean_h");
  c.delay_p95_h = real("delay_p95_h");
  c.delay_max_h = real("delay_max_h");
  return c;
}

}  // namespace mlcycle
