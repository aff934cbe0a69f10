#pragma once
// Synthetic learning curves that score the configurations of a hyperparameter search, so that
// early stopping decides on rankings that are informative but imperfect at small budgets.
//
// Configuration c (0-based) has a latent final score and a curve rate, both drawn from a stream
// keyed by (seed, c) alone, so they do not depend on which configurations were scored before:
//   f_c ~ Normal(score_mean, score_sd), clamped to [0, 1]
//   k_c ~ Uniform(curve_rate_min, curve_rate_max)
// The expected score after training to budget b (R = max_budget) rises to f_c at b = R:
//   m_c(b) = f_c * (1 - exp(-k_c * b / R)) / (1 - exp(-k_c))
// and an evaluation observes it with noise drawn from a stream keyed by (seed, c, rung):
//   s_c(b, rung) = m_c(b) + e_{c,rung},   e_{c,rung} ~ Normal(0, noise_sd)
// so s_c(R) = f_c + e. Higher is better. A slow curve (small k_c) with a high f_c looks worse
// early than a fast one with a lower f_c: that is what makes small-budget rankings imperfect.
// Scores are pure functions of (seed, c, b, rung): asking twice gives the same number.
#include <cstdint>

#include "scenario/search_spec.hpp"

namespace mlcycle {

class LearningCurve {
 public:
  // `seed` should differ between campaigns (e.g. mixed from the scenario seed and the campaign).
  LearningCurve(const SearchSpec& spec, std::uint64_t seed);

  double final_score(std::uint64_t config) const;                               // f_c
  double curve_rate(std::uint64_t config) const;                                // k_c
  double expected_score(std::uint64_t config, double budget) const;             // m_c(b), no noise
  double noise(std::uint64_t config, std::uint32_t rung) const;                 // e_{c,rung}
  double score(std::uint64_t config, double budget, std::uint32_t rung) const;  // s_c(b, rung)

  double operator()(std::uint64_t config, double budget, std::uint32_t rung) const {
    return score(config, budget, rung);
  }

 private:
  struct Latent {
    double final_score;
    double rate;
  };
  Latent latent(std::uint64_t config) const;

  double score_mean_;
  double score_sd_;
  double noise_sd_;
  double rate_min_;
  double rate_max_;
  double max_budget_;
  std::uint64_t seed_;
};

}  // namespace mlcycle
