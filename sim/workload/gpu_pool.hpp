#pragma once
// Free GPUs of one cluster. A job asks for k GPUs as a gang: within one node when k fits in a
// node (best fit: the node with the fewest free GPUs that still fits, lowest index first, so
// whole nodes stay free for large jobs), otherwise whole free nodes first, then the remainder
// best fit. Nodes may be switched off when idle (their GPUs still count as free: taking them
// boots the node, and powered nodes are always preferred) or be down after a failure (their
// GPUs are not available until the node is up again). Single-node allocation and release are
// O(log nodes); gangs spanning nodes scan the nodes once.
#include <cstdint>
#include <optional>
#include <vector>

#include "workload/index_set.hpp"
#include "workload/job.hpp"

namespace mlcycle {

class GpuPool {
 public:
  // `hosts`: global host indices of the cluster's nodes; `cores`: GPUs of each node.
  GpuPool(std::vector<std::uint32_t> hosts, std::vector<std::uint32_t> cores);

  std::uint64_t total_gpus() const { return total_; }
  std::uint64_t free_gpus() const { return free_total_; }  // on or off nodes, not down ones
  std::uint64_t allocated_gpus() const { return allocated_; }
  std::uint32_t largest_node_gpus() const { return max_cores_; }
  const std::vector<std::uint32_t>& hosts() const { return hosts_; }

  std::optional<Allocation> allocate(std::uint32_t gpus);
  // Whether allocate(gpus) would succeed now (it changes nothing).
  bool can_allocate(std::uint32_t gpus) const;
  void release(const Allocation& allocation);
  // Hosts the last allocate() took while they were off: the caller boots them.
  const std::vector<std::uint32_t>& woken() const { return woken_; }

  bool fully_free(std::uint32_t host) const;
  bool is_off(std::uint32_t host) const;
  bool is_down(std::uint32_t host) const;
  // Switches an idle powered node off (precondition: fully free, not down).
  void power_off(std::uint32_t host);
  // A failed node: its GPUs leave the pool until node_up(); jobs on it are released as usual.
  void node_down(std::uint32_t host);
  void node_up(std::uint32_t host);

 private:
  enum class NodeState : std::uint8_t { on, off, down };
  void move_node(std::uint32_t local, std::uint32_t new_free);
  void wake(std::uint32_t local);
  std::uint32_t local_index(std::uint32_t host) const;

  std::vector<std::uint32_t> hosts_;  // local index -> global host index
  std::vector<std::uint32_t> cores_;  // local index -> GPUs
  std::vector<std::uint32_t> free_;   // local index -> free GPUs
  std::vector<NodeState> state_;
  std::vector<std::uint32_t> global_to_local_;
  std::vector<IndexSet> by_free_;  // free count -> powered local indices
  IndexSet off_;                   // switched-off local indices
  std::vector<std::uint32_t> woken_;
  std::uint64_t total_ = 0;
  std::uint64_t free_total_ = 0;
  std::uint64_t allocated_ = 0;
  std::uint32_t max_cores_ = 0;
};

}  // namespace mlcycle
