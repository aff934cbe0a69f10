#pragma once
// Spatial shifting: where a job of a campaign placed over several clusters runs. A campaign
// run asks once per job, when the job becomes its next job and may start (retries and jobs
// sent back by a node failure are placed again); the job then waits in that cluster's queue
// only. Grid-aware placements live in accounting (they read the grid); the round-robin
// baseline is blind to it. Rules: docs/carbon-aware.md.
#include <cstdint>
#include <utility>
#include <vector>

#include "workload/job.hpp"

namespace mlcycle {

// Data moved before placed jobs ran away from their campaign's first cluster.
struct DataStagingTotals {
  std::uint64_t jobs = 0;
  double bytes = 0;
  double seconds = 0;  // summed over the jobs: their GPUs were held, not computing
};

class JobPlacement {
 public:
  // `clusters`: the campaign's clusters, the first holding its data; `data_bytes`: what a job
  // placed elsewhere moves there before it runs.
  JobPlacement(std::vector<std::uint32_t> clusters, double data_bytes)
      : clusters_(std::move(clusters)), data_bytes_(data_bytes) {}
  virtual ~JobPlacement() = default;

  const std::vector<std::uint32_t>& clusters() const { return clusters_; }
  std::uint32_t home() const { return clusters_.front(); }
  double data_bytes() const { return data_bytes_; }

  // The position in clusters() of the cluster `job` runs on, placed at `now_s`;
  // `has_room[i]`: clusters()[i] could allocate the job's gang now.
  virtual std::size_t choose(const JobRequest& job, double now_s,
                             const std::vector<bool>& has_room) = 0;

 private:
  std::vector<std::uint32_t> clusters_;
  double data_bytes_;
};

// The k-th job placed goes to cluster k mod n, room or not: the baseline of every
// comparison.
class RoundRobinPlacement final : public JobPlacement {
 public:
  using JobPlacement::JobPlacement;
  std::size_t choose(const JobRequest&, double, const std::vector<bool>&) override {
    return static_cast<std::size_t>(placed_++ % clusters().size());
  }

 private:
  std::uint64_t placed_ = 0;
};

}  // namespace mlcycle
