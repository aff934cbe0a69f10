#include "accounting/trial_delays.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/units.hpp"

namespace mlcycle {

void TrialDelays::pair(const Key& key, std::size_t first, std::span<const double> baseline_ends) {
  const auto found = ends_.find(key);
  if (found == ends_.end()) return;
  std::vector<double>& ends = found->second;
  for (std::size_t i = 0; i < baseline_ends.size() && first + i < ends.size(); ++i) {
    double& end = ends[first + i];
    end = std::isnan(end) || std::isnan(baseline_ends[i])
              ? std::numeric_limits<double>::quiet_NaN()
              : (end - baseline_ends[i]) / units::kSecondsPerHour;
  }
  std::size_t& paired = paired_[key];
  paired = std::max(paired, first + baseline_ends.size());
}

std::vector<double> TrialDelays::take() {
  std::vector<double> delays_h;
  for (auto& [key, ends] : ends_) {
    const auto found = paired_.find(key);
    std::size_t kept = 0;
    if (found != paired_.end()) {
      const std::size_t paired = std::min(found->second, ends.size());
      for (std::size_t t = 0; t < paired; ++t)
        if (!std::isnan(ends[t])) ends[kept++] = ends[t];
    }
    ends.resize(kept);
    if (delays_h.empty())
      delays_h = std::move(ends);
    else
      delays_h.insert(delays_h.end(), ends.begin(), ends.end());
    std::vector<double>().swap(ends);
  }
  ends_.clear();
  paired_.clear();
  return delays_h;
}

}  // namespace mlcycle
