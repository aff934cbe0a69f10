#include "workload/fifo_dispatcher.hpp"

#include <algorithm>
#include <numeric>

namespace mlcycle {

FifoDispatcher::FifoDispatcher(const std::vector<CampaignSpec>& campaigns,
                               const std::vector<std::uint32_t>& campaign_clusters,
                               const std::vector<ClusterGpus>& clusters, std::uint64_t seed) {
  campaigns_.reserve(campaigns.size());
  for (std::uint32_t i = 0; i < campaigns.size(); ++i)
    campaigns_.emplace_back(campaigns[i], i, seed);
  running_.assign(campaigns.size(), 0);
  for (const ClusterGpus& c : clusters)
    queues_.push_back(ClusterQueue{GpuPool(c.hosts, c.cores), {}});
  std::vector<std::uint32_t> order(campaigns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return campaigns[a].submit_s < campaigns[b].submit_s;
  });
  for (std::uint32_t i : order) queues_[campaign_clusters[i]].campaigns.push_back(i);
}

bool FifoDispatcher::dispatch_head(ClusterQueue& queue, std::uint32_t cluster, double now_s,
                                   std::vector<JobStart>& started) {
  for (std::uint32_t index : queue.campaigns) {
    TrialCampaign& campaign = campaigns_[index];
    const CampaignSpec& spec = campaign.spec();
    if (campaign.exhausted()) continue;
    if (spec.submit_s > now_s) return false;  // queue order is by submit time: nothing later is due
    if (spec.max_concurrent != 0 && running_[index] >= spec.max_concurrent) continue;
    std::optional<Allocation> allocation = queue.pool.allocate(spec.gpus_per_trial);
    if (!allocation) return false;  // strict FIFO: the head waits, and so does everyone behind it
    JobStart start{campaign.next(), std::move(*allocation), cluster};
    start.request.job_id = next_job_id_++;
    ++running_[index];
    started.push_back(std::move(start));
    return true;
  }
  return false;
}

std::vector<JobStart> FifoDispatcher::dispatch(double now_s) {
  std::vector<JobStart> started;
  for (std::uint32_t c = 0; c < queues_.size(); ++c)
    while (dispatch_head(queues_[c], c, now_s, started)) {
    }
  return started;
}

void FifoDispatcher::finish(const JobStart& job) {
  queues_[job.cluster].pool.release(job.allocation);
  --running_[job.request.campaign];
}

double FifoDispatcher::next_submit_after(double now_s) const {
  double next = std::numeric_limits<double>::infinity();
  for (const TrialCampaign& c : campaigns_)
    if (!c.exhausted() && c.spec().submit_s > now_s) next = std::min(next, c.spec().submit_s);
  return next;
}

bool FifoDispatcher::all_started() const {
  return std::all_of(campaigns_.begin(), campaigns_.end(),
                     [](const TrialCampaign& c) { return c.exhausted(); });
}

std::uint64_t FifoDispatcher::pending_jobs() const {
  std::uint64_t pending = 0;
  for (const TrialCampaign& c : campaigns_) pending += c.remaining();
  return pending;
}

}  // namespace mlcycle
