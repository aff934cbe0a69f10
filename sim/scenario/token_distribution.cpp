#include "scenario/token_distribution.hpp"

#include <algorithm>
#include <boost/math/distributions/lognormal.hpp>
#include <cmath>
#include <stdexcept>

namespace mlcycle {

namespace {

// Points at the bands' ends (the last one at `last_end`), each weighted by its band's width.
template <typename Quantile>
std::vector<TokenPoint> band_points(Quantile quantile, double last_end) {
  std::vector<TokenPoint> points;
  double start = 0;
  for (std::size_t b = 0; b < kTokenBandEnds.size(); ++b) {
    const double end = kTokenBandEnds[b];
    const double at = b + 1 == kTokenBandEnds.size() ? last_end : end;
    points.push_back(TokenPoint{quantile(at), end - start});
    start = end;
  }
  return points;
}

}  // namespace

TokenMoments lognormal_tokens(double mean, double sd) {
  if (!(mean > 0) || !(sd > 0) || !std::isfinite(mean) || !std::isfinite(sd))
    throw std::invalid_argument("lognormal tokens: mean and sd must be positive and finite");
  const double sigma_squared = std::log1p((sd / mean) * (sd / mean));
  TokenMoments moments{mean, sd * sd + mean * mean, {}};
  if (!(sigma_squared > 0)) {
    // sd / mean below about 1e-154: indistinguishable from a fixed count.
    moments.points = band_points([mean](double) { return mean; }, 1.0);
    return moments;
  }
  const boost::math::lognormal_distribution<double> tokens(std::log(mean) - sigma_squared / 2,
                                                           std::sqrt(sigma_squared));
  // No maximum: the last band stands at 0.9995.
  moments.points =
      band_points([&tokens](double p) { return boost::math::quantile(tokens, p); }, 0.9995);
  return moments;
}

TokenMoments uniform_tokens(double low, double high) {
  if (!(low > 0) || !(high >= low) || !std::isfinite(high))
    throw std::invalid_argument("uniform tokens: need 0 < low <= high, finite");
  TokenMoments moments{(low + high) / 2, (low * low + low * high + high * high) / 3, {}};
  moments.points = band_points([low, high](double p) { return low + (high - low) * p; }, 1.0);
  return moments;
}

std::vector<TokenPoint> empirical_points(const std::vector<double>& sorted_values) {
  if (sorted_values.empty()) throw std::invalid_argument("empirical tokens: no value");
  const double n = static_cast<double>(sorted_values.size());
  return band_points(
      [&sorted_values, n](double p) {
        // (1 - 1e-12: p n computed a hair above a whole number must not take the next rank.)
        const double rank = std::max(1.0, std::ceil(p * n * (1 - 1e-12)));
        return sorted_values[static_cast<std::size_t>(std::min(rank, n)) - 1];
      },
      1.0);
}

}  // namespace mlcycle
