#include "workload/trial_length_sampler.hpp"

#include <algorithm>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace mlcycle {

TrialLengthSampler::TrialLengthSampler(const TrialLengthSpec& spec,
                                       boost::random::mt19937_64 stream)
    : spec_(spec), stream_(stream) {}

double TrialLengthSampler::next_hours() {
  const std::uint64_t i = drawn_++;
  switch (spec_.distribution) {
    case LengthDistribution::fixed:
      return spec_.hours;
    case LengthDistribution::uniform:
      return boost::random::uniform_real_distribution<double>(spec_.min_hours,
                                                              spec_.max_hours)(stream_);
    case LengthDistribution::lognormal: {
      double hours = boost::random::lognormal_distribution<double>(spec_.mu, spec_.sigma)(stream_);
      hours = std::max(hours, spec_.min_hours);
      if (spec_.max_hours > 0) hours = std::min(hours, spec_.max_hours);
      return hours;
    }
    case LengthDistribution::list:
      return spec_.list[i % spec_.list.size()];
  }
  return spec_.hours;
}

}  // namespace mlcycle
