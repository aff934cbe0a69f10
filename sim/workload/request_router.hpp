#pragma once
// Carbon-aware serving: a service with replicas in several clusters shares each step's
// requests between them. The router gives the order in which the clusters are filled; each
// takes up to its room (the requests its largest replica set serves at the autoscaler's target
// utilization), and what none has room for goes to the first in order, where it is dropped or
// late. The grid-aware order lives in accounting (it reads the grid); the nearest-first
// baseline is blind to it. Rules: docs/spatial-shifting.md.
#include <cstddef>
#include <numeric>
#include <vector>

namespace mlcycle {

class RequestRouter {
 public:
  virtual ~RequestRouter() = default;
  // Positions in the deployment's clusters, most preferred first, for a step starting at t.
  virtual void order_at(double time_s, std::vector<std::size_t>& order) const = 0;
};

// The clusters in their listed order: requests are served where they arrive (the first) as
// long as it has room, then in the next.
class NearestRouter final : public RequestRouter {
 public:
  explicit NearestRouter(std::size_t clusters) : clusters_(clusters) {}
  void order_at(double, std::vector<std::size_t>& order) const override {
    order.resize(clusters_);
    std::iota(order.begin(), order.end(), std::size_t{0});
  }

 private:
  std::size_t clusters_;
};

// Each cluster's share of `requests`, filled in `order` up to `room[i]`; the rest to order[0].
inline std::vector<double> split_requests(double requests, const std::vector<std::size_t>& order,
                                          const std::vector<double>& room) {
  std::vector<double> shares(room.size(), 0.0);
  double left = requests;
  for (std::size_t i : order) {
    const double taken = left < room[i] ? left : room[i];
    shares[i] = taken;
    left -= taken;
  }
  if (left > 0 && !order.empty()) shares[order.front()] += left;
  return shares;
}

}  // namespace mlcycle
