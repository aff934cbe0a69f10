#pragma once
// SimGrid's `wattage_per_state` host property: "Idle:Epsilon:AllCores, ..." (or "Idle:AllCores",
// where Epsilon = Idle), one entry per pstate. Parsed here to report bad values cleanly.
#include <optional>
#include <string>
#include <vector>

namespace mlcycle {

struct PstateWattage {
  double idle_w = 0;
  double epsilon_w = 0;
  double all_cores_w = 0;
};

// Returns the entries, or an explanation of what is wrong in `error`.
std::optional<std::vector<PstateWattage>> parse_wattage_per_state(const std::string& text,
                                                                  std::string& error);

}  // namespace mlcycle
