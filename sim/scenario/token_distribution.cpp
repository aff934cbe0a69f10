#include "scenario/token_distribution.hpp"

#include <boost/math/distributions/lognormal.hpp>
#include <cmath>
#include <stdexcept>

namespace mlcycle {

namespace {

double midpoint_probability(int j) {
  return (j + 0.5) / kTokenQuantiles;
}

}  // namespace

TokenMoments lognormal_tokens(double mean, double sd) {
  if (!(mean > 0) || !(sd > 0) || !std::isfinite(mean) || !std::isfinite(sd))
    throw std::invalid_argument("lognormal tokens: mean and sd must be positive and finite");
  const double sigma_squared = std::log1p(sd * sd / (mean * mean));
  const boost::math::lognormal_distribution<double> tokens(std::log(mean) - sigma_squared / 2,
                                                           std::sqrt(sigma_squared));
  TokenMoments moments{mean, sd * sd + mean * mean, {}};
  for (int j = 0; j < kTokenQuantiles; ++j)
    moments.quantiles.push_back(boost::math::quantile(tokens, midpoint_probability(j)));
  return moments;
}

TokenMoments uniform_tokens(double low, double high) {
  if (!(low > 0) || !(high >= low) || !std::isfinite(high))
    throw std::invalid_argument("uniform tokens: need 0 < low <= high, finite");
  TokenMoments moments{(low + high) / 2, (low * low + low * high + high * high) / 3, {}};
  for (int j = 0; j < kTokenQuantiles; ++j)
    moments.quantiles.push_back(low + (high - low) * midpoint_probability(j));
  return moments;
}

}  // namespace mlcycle
