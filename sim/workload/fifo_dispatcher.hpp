#pragma once
// First-come first-served dispatch of the campaigns' trials onto the clusters' GPUs.
// Each cluster has its own queue: campaigns in order of (submit time, scenario order), trials in
// order within a campaign. The head of a cluster's queue starts as soon as its gang fits; if it
// does not fit, the cluster waits (no backfilling). A campaign at its `max_concurrent` limit is
// skipped, not blocking: its next trial is simply not eligible yet.
#include <cstdint>
#include <limits>
#include <vector>

#include "workload/gpu_pool.hpp"
#include "workload/trial_campaign.hpp"

namespace mlcycle {

struct ClusterGpus {
  std::vector<std::uint32_t> hosts;
  std::vector<std::uint32_t> cores;
};

class FifoDispatcher {
 public:
  // `campaign_clusters[i]`: index into `clusters` of the cluster campaign i targets.
  FifoDispatcher(const std::vector<CampaignSpec>& campaigns,
                 const std::vector<std::uint32_t>& campaign_clusters,
                 const std::vector<ClusterGpus>& clusters, std::uint64_t seed);

  // Every job that can start at `now_s`, in start order, with its GPUs taken.
  std::vector<JobStart> dispatch(double now_s);
  void finish(const JobStart& job);

  // The next time a campaign becomes eligible by its submit time (infinity: none).
  double next_submit_after(double now_s) const;
  bool all_started() const;
  std::uint64_t pending_jobs() const;

 private:
  struct ClusterQueue {
    GpuPool pool;
    std::vector<std::uint32_t> campaigns;  // in queue order
  };
  bool dispatch_head(ClusterQueue& queue, std::uint32_t cluster, double now_s,
                     std::vector<JobStart>& started);

  std::vector<TrialCampaign> campaigns_;
  std::vector<std::uint32_t> running_;  // per campaign
  std::vector<ClusterQueue> queues_;
  std::uint64_t next_job_id_ = 0;
};

}  // namespace mlcycle
