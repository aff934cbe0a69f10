#pragma once
// The added completion delay of each deferrable trial: its end in the policy pass minus its
// end in the baseline pass (hours), for trials that ended in both. The policy pass's vectors of
// trial ends become the delays in place as the baseline's ends arrive, in chunks straight from
// the counterfactual's report: a million-trial comparison holds one array of 8 bytes a trial,
// not three.
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

namespace mlcycle {

class TrialDelays {
 public:
  using Key = std::pair<std::uint32_t, std::uint32_t>;  // (campaign, stage run)
  using Ends = std::map<Key, std::vector<double>>;      // per trial index; NaN: no end

  explicit TrialDelays(Ends policy_ends) : ends_(std::move(policy_ends)) {}
  // The baseline's ends of campaign run `key` for trials [first, first + ends.size()); a key's
  // chunks arrive in order, each trial once.
  void pair(const Key& key, std::size_t first, std::span<const double> baseline_ends);
  // The delays, in key then trial order (the order their mean is summed in).
  std::vector<double> take();

 private:
  Ends ends_;
  std::map<Key, std::size_t> paired_;  // per key: trials [0, n) paired
};

}  // namespace mlcycle
