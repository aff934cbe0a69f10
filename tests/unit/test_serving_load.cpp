#include <catch2/catch.hpp>
#include <vector>

#include "core/input_error.hpp"
#include "workload/serving_load.hpp"

using namespace mlcycle;

namespace {

const UtcTime kStart = make_utc(2020, 1, 1, 0, 0, 0);  // unix 1577836800
const ReplicaPowerDefaults kDefaults{60, 300};

// A replica of L(8) = 50 + 8 * 25 = 250 ms = 0.25 s (exact in binary): mu = 8 / 0.25 = 32 req/s.
// P(u) = 60 + u * 240 W. A fixed-size service of `replicas`, flat demand, no noise.
ServingSpec fixed_service(double rps, std::uint32_t replicas) {
  ServingSpec spec;
  spec.demand.base_rps = rps;
  spec.replica.batch_size = 8;
  spec.replica.latency_base_ms = 50;
  spec.replica.latency_per_item_ms = 25;
  spec.replica.idle_w = 60;
  spec.replica.busy_w = 300;
  spec.autoscaler.min_replicas = replicas;
  spec.autoscaler.max_replicas = replicas;
  spec.step_s = 60;
  return spec;
}

std::vector<ServingStep> all_steps(ServingLoad& load) {
  std::vector<ServingStep> steps;
  while (auto s = load.next()) steps.push_back(*s);
  return steps;
}

}  // namespace

TEST_CASE("a fixed 4-replica service at a constant rate: energy and requests over 10 days",
          "[serving]") {
  // lambda = 64 req/s; capacity 4 * 32 = 128 req/s; u = 64 / 128 = 0.5;
  // P(0.5) = 60 + 0.5 * 240 = 180 W per replica, 720 W for four.
  const double ten_days_s = 10 * 86400.0;  // 864,000 s
  ServingLoad load(fixed_service(64, 4), kDefaults, kStart, 0, ten_days_s, 1);
  CHECK(load.capacity_per_replica_per_s() == 32);
  CHECK(load.steps() == 14400);  // 864,000 s / 60 s
  CHECK(load.reserved_gpus() == 4);
  const auto first = load.next();
  REQUIRE(first);
  CHECK(first->time_s == 0);
  CHECK(first->duration_s == 60);
  CHECK(first->replicas_active == 4);
  CHECK(first->replicas_loading == 0);
  CHECK(first->offered == 3840);  // 64 * 60
  CHECK(first->served == 3840);
  CHECK(first->dropped == 0);
  CHECK(first->utilization == 0.5);
  CHECK(first->power_w == 720);
  std::uint64_t count = 1;
  while (load.next()) ++count;
  CHECK(count == 14400);
  CHECK_FALSE(load.next());
  const ServingStats s = load.stats();
  CHECK(s.energy_it_j == 622080000.0);  // 720 W * 864,000 s (all partial sums are integers)
  CHECK(s.offered == 55296000.0);       // 64 * 864,000
  CHECK(s.served == 55296000.0);
  CHECK(s.dropped == 0);
  CHECK(s.late == 0);                     // no latency target
  CHECK(s.replica_seconds == 3456000.0);  // 4 * 864,000
  CHECK(s.max_replicas_used == 4);
}

TEST_CASE("an overloaded service drops what exceeds capacity and serves it late", "[serving]") {
  // lambda = 200 req/s against 128: per 60 s step offered 12,000, capacity 7,680,
  // dropped 4,320; u = 1, so R is infinite and every served request is late. P(1) = 300 W.
  ServingSpec spec = fixed_service(200, 4);
  spec.latency_target_ms = 400;
  ServingLoad load(spec, kDefaults, kStart, 0, 3630, 1);  // 60 full steps and one of 30 s
  const auto steps = all_steps(load);
  REQUIRE(steps.size() == 61);
  for (std::size_t i = 0; i < 60; ++i) {
    CHECK(steps[i].offered == 12000);
    CHECK(steps[i].served == 7680);
    CHECK(steps[i].dropped == 4320);
    CHECK(steps[i].late == 7680);
    CHECK(steps[i].utilization == 1);
    CHECK(steps[i].power_w == 1200);  // 4 * 300
  }
  CHECK(steps[60].time_s == 3600);
  CHECK(steps[60].duration_s == 30);
  CHECK(steps[60].dropped == 2160);  // (200 - 128) * 30
  const ServingStats s = load.stats();
  CHECK(s.dropped == 4320 * 60 + 2160);
  CHECK(s.served == 7680 * 60 + 3840);  // 128 * 30 = 3,840 in the short step
  CHECK(s.late == s.served);
  CHECK(s.energy_it_j == 1200 * 3630.0);
}

TEST_CASE("requests are late when R(u) = L / (1 - u) exceeds the latency target", "[serving]") {
  // lambda = 64: u = 0.5, R = 0.25 / 0.5 = 0.5 s. lambda = 96: u = 0.75, R = 0.25 / 0.25 = 1 s.
  auto late_of = [](double rps, std::optional<double> target_ms) {
    ServingSpec spec = fixed_service(rps, 4);
    spec.latency_target_ms = target_ms;
    ServingLoad load(spec, kDefaults, kStart, 0, 600, 1);
    all_steps(load);
    return load.stats().late;
  };
  CHECK(late_of(64, 400) == 38400);  // 500 ms > 400 ms: all 64 * 600 served are late
  CHECK(late_of(64, 600) == 0);
  CHECK(late_of(96, 999) == 57600);  // 96 * 600
  CHECK(late_of(96, 1000) == 0);     // R = 1000 ms is not above the target
  CHECK(late_of(96, std::nullopt) == 0);
}

TEST_CASE("the autoscaler follows a step in demand with its loading delay and cooldown",
          "[serving]") {
  // Demand (rows on the scenario clock): 32 req/s, 96 from 10 min, 32 again from 40 min.
  // mu = 32, target 0.5: a replica is sized for 16 req/s, so 32 -> 2 replicas, 96 -> 6.
  ServingSpec spec = fixed_service(0, 1);
  spec.autoscaler = AutoscalerSpec{0.5, 1, 16, 120, 600};  // delay 2 steps, cooldown 10 steps
  const double t0 = static_cast<double>(kStart.unix_s);
  spec.demand.file.path = "steps.csv";
  spec.demand.file.time_unix_s = {t0, t0 + 600, t0 + 2400};
  spec.demand.file.requests_per_s = {32, 96, 32};
  spec.demand.file.line = {2, 3, 4};
  spec.demand.file.end_unix_s = t0 + 7200;
  ServingLoad load(spec, kDefaults, kStart, 0, 3600, 1);
  const auto steps = all_steps(load);
  REQUIRE(steps.size() == 60);
  for (std::size_t k = 0; k < 60; ++k) {
    INFO("step " << k);
    // Warm start at 2. Step 10 sees 96: after it 4 more load for 2 steps (11, 12) and serve
    // from step 13. Demand falls in step 40; steps 40..49 are one 10-min cooldown of low
    // demand, so after step 49 the service goes back to 2.
    const std::uint32_t active = k < 13 ? 2 : k < 50 ? 6 : 2;
    const std::uint32_t loading = k == 11 || k == 12 ? 4 : 0;
    CHECK(steps[k].replicas_active == active);
    CHECK(steps[k].replicas_loading == loading);
  }
  // Steps 10..12 are overloaded: 96 * 60 = 5,760 offered, 2 * 32 * 60 = 3,840 served.
  CHECK(steps[10].dropped == 1920);
  CHECK(steps[12].dropped == 1920);
  CHECK(steps[9].dropped == 0);
  CHECK(steps[13].dropped == 0);
  CHECK(steps[13].utilization == 0.5);  // 96 / 192
  // Loading replicas draw idle power: 2 * P(1) + 4 * 60 = 600 + 240 W.
  CHECK(steps[11].power_w == 840);
  CHECK(steps[45].utilization == Approx(1.0 / 6));  // 32 / 192
  CHECK(load.stats().max_replicas_used == 6);
  // Held replicas: 2 * 11 steps + 6 * 2 + 6 * 37 + 2 * 10 = 276 replica-minutes.
  CHECK(load.stats().replica_seconds == 276 * 60.0);
}

TEST_CASE("a fixed-size service keeps its size whatever the demand", "[serving]") {
  ServingSpec spec = fixed_service(1000, 3);
  ServingLoad load(spec, kDefaults, kStart, 0, 3600, 1);
  for (const ServingStep& s : all_steps(load)) CHECK(s.replicas_active == 3);
}

TEST_CASE("demand noise is reproducible under a seed and differs between seeds", "[serving]") {
  ServingSpec spec = fixed_service(64, 4);
  spec.demand.noise_sd = 0.2;
  auto offered = [&](std::uint64_t seed) {
    ServingLoad load(spec, kDefaults, kStart, 0, 86400, seed);
    std::vector<double> out;
    while (auto s = load.next()) out.push_back(s->offered);
    return out;
  };
  const auto a = offered(11), b = offered(11), c = offered(12);
  REQUIRE(a.size() == 1440);
  CHECK(a == b);
  int equal = 0;
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    equal += a[i] == c[i];
    sum += a[i];
  }
  CHECK(equal == 0);
  // The noise has mean 1: 1,440 factors of sd 0.2 average to 1 within 0.2 / sqrt(1440) = 0.0053
  // (one sd); 0.03 is over 5 sd. Noise-free the day is 64 * 86,400 = 5,529,600 requests.
  CHECK(sum / 5529600.0 == Approx(1).margin(0.03));
}

TEST_CASE("the demand noise of a step depends on the step index only", "[serving]") {
  StepNoise sequential(0.3, 5);
  std::vector<double> factors;
  for (std::uint64_t i = 0; i < 3000; ++i) factors.push_back(sequential.factor(i));
  StepNoise jump(0.3, 5);
  CHECK(jump.factor(2500) == factors[2500]);  // another block, drawn without the earlier ones
  CHECK(jump.factor(2501) == factors[2501]);
  CHECK(jump.factor(17) == factors[17]);  // backwards
  CHECK(jump.factor(1024) == factors[1024]);
  CHECK(factors[0] != factors[1]);
  CHECK(StepNoise(0, 5).factor(3) == 1);
}

TEST_CASE("a year of 1-min steps at 10,000 req/s with noise and autoscaling", "[serving]") {
  ServingSpec spec;
  spec.demand.base_rps = 10000;
  for (std::size_t h = 0; h < 24; ++h) spec.demand.diurnal[h] = h < 12 ? 0.5 : 1.5;  // mean 1
  spec.demand.noise_sd = 0.1;
  spec.replica.batch_size = 32;
  spec.replica.latency_base_ms = 20;  // L(32) = 180 ms: mu = 177.8 req/s
  spec.replica.latency_per_item_ms = 5;
  spec.autoscaler = AutoscalerSpec{0.6, 1, 1000, 120, 600};
  spec.latency_target_ms = 1000;
  const double year_s = 365 * 86400.0;
  ServingLoad load(spec, kDefaults, kStart, 0, year_s, 3);
  std::uint64_t steps = 0;
  while (load.next()) ++steps;
  CHECK(steps == 525600);
  const ServingStats s = load.stats();
  // Noise-free: 10,000 * 31,536,000 = 3.1536e11 requests; the noise of mean 1 over 525,600
  // steps moves the total by about 0.1 / sqrt(525,600) = 1.4e-4 (one sd).
  CHECK(s.offered == Approx(3.1536e11).epsilon(1e-3));
  CHECK(s.served + s.dropped == Approx(s.offered).epsilon(1e-12));
  CHECK(s.dropped < 0.01 * s.offered);  // the service keeps up but for the demand jumps
  // 5,000 req/s needs ceil(5000 / (177.8 * 0.6)) = 47 replicas, 15,000 needs 141; noise adds.
  CHECK(s.max_replicas_used >= 141);
  CHECK(s.max_replicas_used < 250);
  CHECK(s.energy_it_j >= 60 * s.replica_seconds);
  CHECK(s.energy_it_j <= 300 * s.replica_seconds);
}

TEST_CASE("the platform's watts apply where the replica gives none", "[serving]") {
  ServingSpec spec = fixed_service(64, 4);
  spec.replica.idle_w.reset();
  spec.replica.busy_w.reset();
  ServingLoad load(spec, ReplicaPowerDefaults{100, 200}, kStart, 0, 60, 1);
  CHECK(load.next()->power_w == 600);  // 4 * (100 + 0.5 * 100)

  spec.replica.busy_w = 80;  // below the platform's idle 100
  spec.replica.key = "deployment[0].replica";
  try {
    ServingLoad bad(spec, ReplicaPowerDefaults{100, 200}, kStart, 0, 60, 1);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("deployment[0].replica.busy_w: busy_w 80 W is less "
                                         "than the platform's idle_w 100 W"));
  }
}

TEST_CASE("a deployment that starts later steps from its own start", "[serving]") {
  ServingLoad load(fixed_service(64, 4), kDefaults, kStart, 7200, 7320, 1);
  const auto steps = all_steps(load);
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].time_s == 7200);
  CHECK(steps[1].time_s == 7260);
  ServingLoad empty(fixed_service(64, 4), kDefaults, kStart, 100, 100, 1);
  CHECK_FALSE(empty.next());
  CHECK(empty.stats().energy_it_j == 0);
}
