#include <catch2/catch.hpp>
#include <cmath>

#include "workload/autoscaler.hpp"

using namespace mlcycle;

// mu = 32 req/s at target 0.5: one replica per 16 req/s. Steps of 60 s.

TEST_CASE("desired replicas: ceil of rate over sized rate, clamped, tolerant of rounding",
          "[autoscaler]") {
  Autoscaler a(AutoscalerSpec{0.5, 0, 10, 0, 0}, 32, 60);
  CHECK(a.desired(0) == 0);
  CHECK(a.desired(16) == 1);
  CHECK(a.desired(16 * (1 + 1e-15)) == 1);  // one ulp above a whole replica: still 1
  CHECK(a.desired(17) == 2);
  CHECK(a.desired(64) == 4);
  CHECK(a.desired(1e300) == 10);
  CHECK(a.desired(std::nan("")) == 10);
  Autoscaler b(AutoscalerSpec{0.5, 3, 10, 0, 0}, 32, 60);
  CHECK(b.desired(0) == 3);
}

TEST_CASE("a scale-down cancels loading replicas first, and low demand must last a whole cooldown",
          "[autoscaler]") {
  // Delay 180 s = 3 steps of loading, cooldown 120 s = 2 steps of low demand.
  Autoscaler a(AutoscalerSpec{0.5, 0, 10, 180, 120}, 32, 60);
  a.start(16);
  CHECK(a.active() == 1);
  a.end_step(0, 80);  // wants 5: 4 load during steps 1..3, active from step 4
  CHECK(a.loading() == 4);
  a.begin_step(1);
  a.end_step(1, 16);  // wants 1: low since step 1, one step so far
  CHECK(a.active() + a.loading() == 5);
  a.begin_step(2);
  a.end_step(2, 16);  // low in steps 1 and 2: (2 + 1 - 1) = 2 steps = cooldown, scale to 1
  CHECK(a.active() == 1);
  CHECK(a.loading() == 0);  // the four loading ones were cancelled, the active one kept
  a.begin_step(3);
  a.end_step(3, 48);  // wants 3: 2 load, active from step 3 + 1 + 3 = 7
  a.begin_step(4);
  a.end_step(4, 16);  // low since 4
  a.begin_step(5);
  a.end_step(5, 48);  // wants 3 = committed: the cooldown restarts
  a.begin_step(6);
  CHECK(a.loading() == 2);
  a.end_step(6, 0);  // wants 0: low since 6
  CHECK(a.active() + a.loading() == 3);
  a.begin_step(7);
  CHECK(a.active() == 3);
  CHECK(a.loading() == 0);
  a.end_step(7, 0);  // low in 6 and 7: down to 0 (min_replicas = 0)
  CHECK(a.active() == 0);
}

TEST_CASE("many loading groups at once: the ring grows and activates them in order",
          "[autoscaler]") {
  // Delay 6,000 s = 100 steps; every step asks for one replica more (80 groups > 64 slots).
  Autoscaler a(AutoscalerSpec{0.5, 1, 200, 6000, 600}, 32, 60);
  a.start(16);
  for (std::uint64_t k = 0; k < 80; ++k) {
    if (k > 0) a.begin_step(k);
    a.end_step(k, 16.0 * static_cast<double>(k + 2));  // wants k + 2
  }
  CHECK(a.active() == 1);
  CHECK(a.loading() == 80);
  for (std::uint64_t k = 80; k <= 101; ++k) a.begin_step(k);  // group of step 0: active at 101
  CHECK(a.active() == 2);
  for (std::uint64_t k = 102; k <= 180; ++k) a.begin_step(k);  // group of step 79: at 180
  CHECK(a.active() == 81);
  CHECK(a.loading() == 0);
}

TEST_CASE("without delay or cooldown the service follows the last step's demand", "[autoscaler]") {
  Autoscaler a(AutoscalerSpec{0.5, 1, 10, 0, 0}, 32, 60);
  a.start(40);  // 40 / 16 = 2.5 -> 3
  CHECK(a.active() == 3);
  a.end_step(0, 100);  // 6.25 -> 7, at once
  a.begin_step(1);
  CHECK(a.active() == 7);
  CHECK(a.loading() == 0);
  a.end_step(1, 10);  // 0.625 -> 1
  a.begin_step(2);
  CHECK(a.active() == 1);
}
