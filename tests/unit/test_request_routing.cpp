// Carbon-aware serving without SimGrid: the routers' orders and the split of a step's
// requests between clusters, against hand oracles.
#include <catch2/catch.hpp>

#include "accounting/grid_routing.hpp"

using namespace mlcycle;

TEST_CASE("nearest keeps the listed order, lowest-now sorts by the rate now (ties in order)",
          "[routing]") {
  std::vector<std::size_t> order;
  NearestRouter(3).order_at(0, order);
  CHECK(order == std::vector<std::size_t>{0, 1, 2});
  // Rates 300, 100, 300: the second first, then the other two as listed.
  LowestNowRouter lowest({std::make_shared<ConstantSignal>(300),
                          std::make_shared<ConstantSignal>(100),
                          std::make_shared<ConstantSignal>(300)});
  lowest.order_at(0, order);
  CHECK(order == std::vector<std::size_t>{1, 0, 2});
}

TEST_CASE("requests fill the clusters in order up to their room, the rest goes to the first",
          "[routing]") {
  const std::vector<double> room{3600, 3600, 1000};
  // 5,400 requests, order 1, 0, 2: 3,600 to cluster 1, 1,800 to cluster 0, none to 2.
  CHECK(split_requests(5400, {1, 0, 2}, room) == std::vector<double>{1800, 3600, 0});
  // 9,000: 3,600 + 3,600 + 1,000 = 8,200 fit; the other 800 go to the first in order (1).
  CHECK(split_requests(9000, {1, 0, 2}, room) == std::vector<double>{3600, 4400, 1000});
  // Nothing to route: nothing anywhere.
  CHECK(split_requests(0, {0, 1, 2}, room) == std::vector<double>{0, 0, 0});
}
