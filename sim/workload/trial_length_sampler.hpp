#pragma once
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>

#include "scenario/scenario.hpp"

namespace mlcycle {

// Draws trial lengths (hours) one at a time, so a campaign of a million trials holds no list.
class TrialLengthSampler {
 public:
  TrialLengthSampler(const TrialLengthSpec& spec, boost::random::mt19937_64 stream);
  double next_hours();

 private:
  const TrialLengthSpec& spec_;
  boost::random::mt19937_64 stream_;
  std::uint64_t drawn_ = 0;
};

}  // namespace mlcycle
