#pragma once
// Datacenter PUE over simulation time: constant, 12 monthly values (UTC calendar month),
// 24 hourly values (UTC hour of day), or a CSV trace (timestamp,pue) with the same coverage
// rules as grid traces. PUE multiplies IT power at the same breakpoints as intensity.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "grid/step_signal.hpp"
#include "grid/step_timeline.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

// Steps at every UTC month start (12 values) or hour (24 values) from the scenario start.
class CalendarProfileSource final : public StepSource {
 public:
  CalendarProfileSource(std::vector<double> values, std::int64_t start_unix_s);
  double extend(double from_s, double to_s, StepAppender& out) override;

 private:
  std::vector<double> values_;
  std::int64_t start_unix_s_;
};

std::shared_ptr<const StepSignal> make_pue_signal(const PueProfileSpec& spec,
                                                  std::int64_t start_unix_s);

// Every [pue.<name>] profile of the scenario, by name.
std::map<std::string, std::shared_ptr<const StepSignal>> make_pue_signals(const Scenario& scenario);

}  // namespace mlcycle
