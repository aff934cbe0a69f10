#include "workload/gpu_pool.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlcycle {

GpuPool::GpuPool(std::vector<std::uint32_t> hosts, std::vector<std::uint32_t> cores)
    : hosts_(std::move(hosts)), cores_(std::move(cores)), free_(cores_) {
  for (std::uint32_t c : cores_) max_cores_ = std::max(max_cores_, c);
  by_free_.resize(max_cores_ + 1);
  std::uint32_t max_host = 0;
  for (std::uint32_t h : hosts_) max_host = std::max(max_host, h);
  global_to_local_.assign(hosts_.empty() ? 0 : max_host + 1, UINT32_MAX);
  for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
    global_to_local_[hosts_[i]] = i;
    by_free_[free_[i]].insert(i);
    total_ += cores_[i];
  }
  free_total_ = total_;
}

std::uint32_t GpuPool::local_index(std::uint32_t host) const {
  if (host >= global_to_local_.size() || global_to_local_[host] == UINT32_MAX)
    throw std::logic_error("GpuPool: host not in this pool");
  return global_to_local_[host];
}

void GpuPool::move_node(std::uint32_t local, std::uint32_t new_free) {
  by_free_[free_[local]].erase(local);
  free_total_ = free_total_ - free_[local] + new_free;
  free_[local] = new_free;
  by_free_[new_free].insert(local);
}

std::optional<Allocation> GpuPool::allocate(std::uint32_t gpus) {
  if (gpus == 0 || gpus > free_total_) return std::nullopt;
  if (gpus <= max_cores_) {
    for (std::uint32_t f = gpus; f <= max_cores_; ++f) {
      if (by_free_[f].empty()) continue;
      const std::uint32_t local = *by_free_[f].begin();
      move_node(local, f - gpus);
      return Allocation{HostShare{hosts_[local], gpus}};
    }
    return std::nullopt;  // enough GPUs in total, but no single node has them: wait
  }
  // A gang larger than any node spans nodes: whole free nodes (lowest index first) while the
  // gang fills them, then the remainder best fit, then any free GPUs, largest nodes first.
  Allocation allocation;
  std::uint32_t needed = gpus;
  auto take = [&](std::uint32_t local, std::uint32_t count) {
    allocation.push_back(HostShare{hosts_[local], count});
    move_node(local, free_[local] - count);
    needed -= count;
  };
  for (std::uint32_t local = 0; local < hosts_.size() && needed > 0; ++local)
    if (free_[local] == cores_[local] && free_[local] > 0 && free_[local] <= needed)
      take(local, free_[local]);
  for (std::uint32_t f = needed; f <= max_cores_ && needed > 0; ++f)
    if (f > 0 && !by_free_[f].empty()) take(*by_free_[f].begin(), needed);
  for (std::uint32_t f = max_cores_; f > 0 && needed > 0; --f)
    while (needed > 0 && !by_free_[f].empty()) {
      const std::uint32_t local = *by_free_[f].begin();
      take(local, std::min(needed, free_[local]));
    }
  return allocation;
}

void GpuPool::release(const Allocation& allocation) {
  for (const HostShare& share : allocation) {
    const std::uint32_t local = local_index(share.host);
    if (free_[local] + share.cores > cores_[local])
      throw std::logic_error("GpuPool: released more GPUs than the node has");
    move_node(local, free_[local] + share.cores);
  }
}

}  // namespace mlcycle
