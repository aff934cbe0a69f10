#pragma once
// The trials of one [[campaign]], generated lazily in submission order. With
// `total_gpu_hours`, drawn lengths are scaled so that the campaign sums exactly to it: the
// generator makes one pass to sum the draws, then replays the same stream scaled.
#include <cstdint>
#include <optional>

#include "scenario/scenario.hpp"
#include "workload/job.hpp"
#include "workload/trial_length_sampler.hpp"

namespace mlcycle {

class TrialCampaign {
 public:
  TrialCampaign(const CampaignSpec& spec, std::uint32_t index, std::uint64_t scenario_seed);

  const CampaignSpec& spec() const { return spec_; }
  std::uint32_t index() const { return index_; }
  std::uint64_t remaining() const { return spec_.trials - issued_; }
  bool exhausted() const { return issued_ == spec_.trials; }
  // Hours that every drawn length is multiplied by (1 without total_gpu_hours).
  double scale() const { return scale_; }

  // The next trial's request; `job_id` is filled in by the caller.
  JobRequest next();

 private:
  const CampaignSpec& spec_;
  std::uint32_t index_;
  std::uint64_t stream_seed_;
  std::uint64_t issued_ = 0;
  double scale_ = 1;
  std::optional<TrialLengthSampler> sampler_;
};

}  // namespace mlcycle
