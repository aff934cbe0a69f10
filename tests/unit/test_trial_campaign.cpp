#include <catch2/catch.hpp>
#include <cmath>

#include "workload/trial_campaign.hpp"

using namespace mlcycle;

namespace {
CampaignSpec lognormal_campaign(std::uint64_t trials) {
  CampaignSpec spec;
  spec.name = "search";
  spec.trials = trials;
  spec.length.distribution = LengthDistribution::lognormal;
  spec.length.mu = std::log(30.0);
  spec.length.sigma = 1.1;
  spec.length.min_hours = 0.05;
  spec.length.max_hours = 216;
  return spec;
}
}  // namespace

TEST_CASE("total_gpu_hours scaling makes the campaign sum exactly to the total") {
  CampaignSpec spec = lognormal_campaign(4789);
  spec.total_gpu_hours = 239942;
  TrialCampaign campaign(spec, 0, 1);
  double sum_h = 0, min_h = 1e300, max_h = 0;
  while (!campaign.exhausted()) {
    const double h = campaign.next().duration_s / 3600.0;
    sum_h += h;
    min_h = std::min(min_h, h);
    max_h = std::max(max_h, h);
  }
  CHECK(sum_h == Approx(239942).epsilon(1e-12));
  // The clamp [0.05 h, 216 h] survives scaling up to the scale factor.
  CHECK(min_h >= 0.05 * campaign.scale() * (1 - 1e-12));
  CHECK(max_h <= 216 * campaign.scale() * (1 + 1e-12));
  CHECK(campaign.scale() > 0.5);
  CHECK(campaign.scale() < 1.5);
}

TEST_CASE("equal split without a length distribution") {
  CampaignSpec spec;
  spec.trials = 4;
  spec.gpus_per_trial = 2;
  spec.total_gpu_hours = 100;  // 4 trials x 2 GPUs x 12.5 h
  TrialCampaign campaign(spec, 0, 1);
  for (int i = 0; i < 4; ++i) CHECK(campaign.next().duration_s == 12.5 * 3600);
}

TEST_CASE("the same seed gives the same lengths, another seed or campaign does not") {
  CampaignSpec spec = lognormal_campaign(50);
  spec.length.min_hours = 0;  // no clamps: two streams could both clamp to the same bound
  spec.length.max_hours = 0;
  TrialCampaign a(spec, 0, 42), b(spec, 0, 42), c(spec, 0, 43), d(spec, 1, 42);
  int same_seed_equal = 0, other_seed_equal = 0, other_campaign_equal = 0;
  for (int i = 0; i < 50; ++i) {
    const double x = a.next().duration_s;
    same_seed_equal += x == b.next().duration_s;
    other_seed_equal += x == c.next().duration_s;
    other_campaign_equal += x == d.next().duration_s;
  }
  CHECK(same_seed_equal == 50);
  CHECK(other_seed_equal == 0);
  CHECK(other_campaign_equal == 0);
}

TEST_CASE("lognormal draws match the distribution's median") {
  CampaignSpec spec = lognormal_campaign(20001);
  spec.length.min_hours = 0;
  spec.length.max_hours = 0;
  TrialCampaign campaign(spec, 0, 9);
  std::vector<double> hours;
  while (!campaign.exhausted()) hours.push_back(campaign.next().duration_s / 3600);
  std::nth_element(hours.begin(), hours.begin() + 10000, hours.end());
  // Median of a lognormal is exp(mu) = 30 h; the sample median of 20,001 draws has a standard
  // error of about sqrt(pi/2) x sigma x 30 / sqrt(20001) = 0.29 h: 1.5 h is over 5 sigma.
  CHECK(hours[10000] == Approx(30).margin(1.5));
}

TEST_CASE("uniform and list lengths") {
  CampaignSpec spec;
  spec.trials = 5;
  spec.length.distribution = LengthDistribution::list;
  spec.length.list = {1, 2, 3};
  TrialCampaign listed(spec, 0, 1);
  const double expected_h[] = {1, 2, 3, 1, 2};  // the list repeats
  for (double h : expected_h) CHECK(listed.next().duration_s == h * 3600);

  spec.trials = 1000;
  spec.length.distribution = LengthDistribution::uniform;
  spec.length.min_hours = 2;
  spec.length.max_hours = 4;
  TrialCampaign uniform(spec, 0, 1);
  double lo = 1e9, hi = 0;
  while (!uniform.exhausted()) {
    const double h = uniform.next().duration_s / 3600;
    lo = std::min(lo, h);
    hi = std::max(hi, h);
  }
  CHECK(lo >= 2);
  CHECK(hi <= 4);
  CHECK(hi - lo > 1.9);  // 1000 draws cover nearly all of [2, 4]
}
