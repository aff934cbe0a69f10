#include "workload/trial_campaign.hpp"

#include "core/seed_stream.hpp"
#include "core/units.hpp"

namespace mlcycle {

TrialCampaign::TrialCampaign(const CampaignSpec& spec, std::uint32_t index,
                             std::uint64_t scenario_seed)
    : spec_(spec), index_(index), stream_seed_(scenario_seed) {
  // Stream purpose: campaign index, so adding a campaign does not change the others' draws.
  const std::uint64_t purpose = 0x100000000ULL + index;
  if (spec_.total_gpu_hours) {
    // Without a length distribution, the total is split equally (fixed length 1 h, scaled).
    TrialLengthSampler pass(spec_.length, make_stream(stream_seed_, purpose));
    double sum_gpu_hours = 0;
    for (std::uint64_t i = 0; i < spec_.trials; ++i)
      sum_gpu_hours += pass.next_hours() * spec_.gpus_per_trial;
    scale_ = *spec_.total_gpu_hours / sum_gpu_hours;
  }
  sampler_.emplace(spec_.length, make_stream(stream_seed_, purpose));
}

JobRequest TrialCampaign::next() {
  ++issued_;
  JobRequest request;
  request.campaign = index_;
  request.phase = spec_.phase;
  request.gpus = spec_.gpus_per_trial;
  request.submit_s = spec_.submit_s;
  request.duration_s = sampler_->next_hours() * scale_ * units::kSecondsPerHour;
  return request;
}

}  // namespace mlcycle
