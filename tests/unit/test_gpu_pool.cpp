#include <catch2/catch.hpp>

#include "workload/gpu_pool.hpp"

using namespace mlcycle;

TEST_CASE("single-node gangs go best fit, lowest index first") {
  // Hosts 10, 11, 12 with 4 GPUs each.
  GpuPool pool({10, 11, 12}, {4, 4, 4});
  CHECK(pool.total_gpus() == 12);
  auto a = pool.allocate(3);  // all nodes have 4 free: lowest index
  REQUIRE(a);
  CHECK((*a)[0].host == 10);
  auto b = pool.allocate(1);  // best fit: host 10 has exactly 1 left
  REQUIRE(b);
  CHECK((*b)[0].host == 10);
  auto c = pool.allocate(2);  // host 11
  REQUIRE(c);
  CHECK((*c)[0].host == 11);
  auto d = pool.allocate(2);  // best fit: host 11 has 2 left, host 12 has 4
  REQUIRE(d);
  CHECK((*d)[0].host == 11);
  CHECK(pool.free_gpus() == 4);
  CHECK_FALSE(pool.allocate(5));
  pool.release(*a);
  CHECK(pool.free_gpus() == 7);
}

TEST_CASE("a gang that fits in no single node waits even with enough free GPUs in total") {
  GpuPool pool({0, 1}, {4, 4});
  auto a = pool.allocate(2);
  auto b = pool.allocate(3);  // host 1 (host 0 has only 2)
  REQUIRE(a);
  REQUIRE(b);
  CHECK(pool.free_gpus() == 3);
  CHECK_FALSE(pool.allocate(3));  // 2 + 1 free, but not in one node
}

TEST_CASE("gangs larger than a node take whole free nodes first") {
  GpuPool pool({0, 1, 2, 3}, {8, 8, 8, 8});
  auto small = pool.allocate(4);  // host 0
  REQUIRE(small);
  // 20 = whole hosts 1 and 2 (16), then the remainder 4 best fit: the 4 left on host 0,
  // which keeps host 3 whole for the next large gang.
  auto big = pool.allocate(20);
  REQUIRE(big);
  REQUIRE(big->size() == 3);
  CHECK((*big)[0].host == 1);
  CHECK((*big)[0].cores == 8);
  CHECK((*big)[1].host == 2);
  CHECK((*big)[2].host == 0);
  CHECK((*big)[2].cores == 4);
  CHECK(pool.free_gpus() == 8);
  auto whole = pool.allocate(8);  // host 3, untouched
  REQUIRE(whole);
  CHECK((*whole)[0].host == 3);
  pool.release(*whole);
  pool.release(*big);
  pool.release(*small);
  CHECK(pool.free_gpus() == 32);
  CHECK_THROWS(pool.release(*small));  // releasing twice is a bug, not silently accepted
}

TEST_CASE("switched-off nodes are used last and reported for booting", "[pool]") {
  GpuPool pool({0, 1, 2}, {2, 2, 2});
  pool.power_off(0);
  pool.power_off(2);
  CHECK(pool.free_gpus() == 6);  // off nodes still count: taking them boots them
  // A 2-GPU job goes to the powered node 1, not to the lower-indexed off node 0.
  auto a = pool.allocate(2);
  REQUIRE(a);
  CHECK((*a)[0].host == 1);
  CHECK(pool.woken().empty());
  // The next one must boot node 0 (lowest off index).
  auto b = pool.allocate(1);
  REQUIRE(b);
  CHECK((*b)[0].host == 0);
  REQUIRE(pool.woken().size() == 1);
  CHECK(pool.woken()[0] == 0);
  CHECK_FALSE(pool.is_off(0));
}

TEST_CASE("a down node's GPUs leave the pool until it is up again", "[pool]") {
  GpuPool pool({0, 1}, {2, 2});
  auto a = pool.allocate(2);
  REQUIRE(a);
  CHECK((*a)[0].host == 0);
  pool.node_down(0);
  CHECK(pool.free_gpus() == 2);
  pool.release(*a);  // the job on it is released as usual
  CHECK(pool.free_gpus() == 2);
  CHECK_FALSE(pool.allocate(3));
  pool.node_up(0);
  CHECK(pool.free_gpus() == 4);
  CHECK(pool.allocate(4));
  CHECK(pool.allocated_gpus() == 4);
}
