#include "workload/learning_curve.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

#include "core/seed_stream.hpp"

namespace mlcycle {

namespace {
// Stream purposes: distinct tags keep the latent and the noise streams of one configuration
// apart; the configuration (and rung) are mixed in so each gets its own stream.
constexpr std::uint64_t kLatentTag = 0x6c6174656e742e63ULL;
constexpr std::uint64_t kNoiseTag = 0x6e6f6973652e6372ULL;

std::uint64_t latent_purpose(std::uint64_t config) {
  return mix_seed(mix_seed(kLatentTag) + config);
}

std::uint64_t noise_purpose(std::uint64_t config, std::uint32_t rung) {
  return mix_seed(mix_seed(mix_seed(kNoiseTag) + config) + rung);
}
}  // namespace

LearningCurve::LearningCurve(const SearchSpec& spec, std::uint64_t seed)
    : score_mean_(spec.score_mean),
      score_sd_(spec.score_sd),
      noise_sd_(spec.noise_sd),
      rate_min_(spec.curve_rate_min),
      rate_max_(spec.curve_rate_max),
      max_budget_(spec.max_budget),
      seed_(seed) {}

LearningCurve::Latent LearningCurve::latent(std::uint64_t config) const {
  auto stream = make_stream(seed_, latent_purpose(config));
  // Both draws always happen, so f_c does not depend on whether k_c is random and vice versa.
  const double z = boost::random::normal_distribution<double>(0, 1)(stream);
  const double u = boost::random::uniform_real_distribution<double>(0, 1)(stream);
  Latent l;
  l.final_score = std::clamp(score_mean_ + score_sd_ * z, 0.0, 1.0);
  l.rate = rate_min_ + (rate_max_ - rate_min_) * u;
  return l;
}

double LearningCurve::final_score(std::uint64_t config) const {
  return latent(config).final_score;
}

double LearningCurve::curve_rate(std::uint64_t config) const {
  return latent(config).rate;
}

double LearningCurve::expected_score(std::uint64_t config, double budget) const {
  const Latent l = latent(config);
  // k * (b / R) rather than k * b / R, and the ratio before the product: at b = R the
  // fraction is exactly 1, so m_c(R) = f_c to the last bit.
  const double fraction = std::expm1(-l.rate * (budget / max_budget_)) / std::expm1(-l.rate);
  return l.final_score * fraction;
}

double LearningCurve::noise(std::uint64_t config, std::uint32_t rung) const {
  if (noise_sd_ == 0) return 0;
  auto stream = make_stream(seed_, noise_purpose(config, rung));
  return noise_sd_ * boost::random::normal_distribution<double>(0, 1)(stream);
}

double LearningCurve::score(std::uint64_t config, double budget, std::uint32_t rung) const {
  return expected_score(config, budget) + noise(config, rung);
}

}  // namespace mlcycle
