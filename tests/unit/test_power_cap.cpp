// GPU power caps without an engine: the run-time curve (parsing, interpolation, its rules),
// what a cap does to one GPU of a host, and a capped job in the meter's integrator.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>

#include "accounting/facility_sites.hpp"
#include "accounting/gpu_power_cap.hpp"
#include "accounting/power_integrator.hpp"
#include "support/meter_fixtures.hpp"
#include "workload/cap_schedule.hpp"
#include "workload/power_cap_curve.hpp"
#include "workload/replica_model.hpp"

using namespace mlcycle;
using mlcycle::test::constant_grid;
using mlcycle::test::small_host;

namespace {

PowerCapCurve curve_of(const char* text) {
  std::string error;
  std::optional<PowerCapCurve> curve = PowerCapCurve::parse(text, error);
  INFO(error);
  REQUIRE(curve);
  return *curve;
}

std::string error_of(const char* text) {
  std::string error;
  CHECK_FALSE(PowerCapCurve::parse(text, error));
  return error;
}

PowerCapSpec fraction_cap(double fraction) {
  PowerCapSpec cap;
  cap.fraction = fraction;
  return cap;
}

// One 2-GPU host at 10:20:100 (small_host), PUE 1, 300 g/kWh; campaign 0 capped at 0.6.
struct CappedIntegrator {
  GridRegistry grid = constant_grid(300);
  FacilitySites sites{grid};
  std::optional<PowerIntegrator> integrator;
  CappedIntegrator() {
    sites.site(0, 1.0);  // the site must exist before the integrator sizes its table
    integrator.emplace(std::vector<HostPowerModel>{small_host("h0")}, sites);
    integrator->set_tags(1);
    integrator->set_power_caps({fraction_cap(0.6)});
  }
};

}  // namespace

TEST_CASE("power cap curve: linear between its points, 1 from a fraction of 1 on") {
  const PowerCapCurve curve = curve_of("0.5:2, 0.8:1.1, 1:1");
  CHECK(curve.min_fraction() == 0.5);
  CHECK(curve.time_factor(0.5) == 2);
  CHECK(curve.time_factor(0.8) == 1.1);
  // 0.6 is a third of the way from 0.5 to 0.8: 2 + (1/3)(1.1 - 2) = 1.7.
  CHECK(curve.time_factor(0.6) == Approx(1.7).epsilon(1e-15));
  // 0.9 is halfway from 0.8 to 1: 1.05.
  CHECK(curve.time_factor(0.9) == Approx(1.05).epsilon(1e-15));
  CHECK(curve.time_factor(1) == 1);
  CHECK_THROWS_AS(curve.time_factor(0.4), std::logic_error);  // callers check the range first
}

TEST_CASE("power cap curve: the default is the Zeus V100 medians") {
  const PowerCapCurve& curve = PowerCapCurve::default_curve();
  CHECK(curve.min_fraction() == 0.45);
  CHECK(curve.time_factor(0.67) == 1.21);
  CHECK(curve.time_factor(0.78) == 1.11);
  CHECK(curve.time_factor(0.9) == 1.06);
  // Halfway from 0.56 (1.44) to 0.67 (1.21): 1.325.
  CHECK(curve.time_factor(0.615) == Approx(1.325).epsilon(1e-14));
}

TEST_CASE("power cap curve: what it rejects") {
  CHECK(error_of("0.5:1.2, 0.7:1.3, 1:1") ==
        "'0.7:1.3': not monotone, a higher cap may not make the GPU slower");
  CHECK(error_of("0.5:1.4, 0.9:1.1") == "the last point must be 1:1 (uncapped: no slower)");
  CHECK(error_of("0.7:1.2, 0.5:1.4, 1:1") ==
        "'0.5:1.4': fractions must increase from one point to the next");
  CHECK(error_of("0.5:0.9, 1:1") ==
        "'0.5:0.9': a run-time factor below 1 would make the capped GPU faster");
  CHECK(error_of("0:3, 1:1") == "'0:3': the fraction of busy power must be in (0, 1]");
  CHECK(error_of("0.5-1.4, 1:1") == "'0.5-1.4' is not fraction:factor (e.g. 0.6:1.21)");
  CHECK(error_of("0.5:x, 1:1") ==
        "'0.5:x' is not fraction:factor with two numbers (e.g. 0.6:1.21)");
  CHECK(error_of("0.5:nan, 1:1") ==
        "'0.5:nan' is not fraction:factor with two numbers (e.g. 0.6:1.21)");
  CHECK(error_of("") == "'' is not fraction:factor (e.g. 0.6:1.21)");
  CHECK(curve_of(" 1 : 1 ").min_fraction() == 1);  // no capping below the busy power
}

TEST_CASE("power cap: one GPU of a 2-GPU host at 10:20:100") {
  // Busy power b = 100 / 2 = 50 W, idle share 20 / 2 = 10 W.
  const HostPowerModel host = small_host("h0");
  const PowerCapCurve curve = curve_of("0.5:2, 1:1");
  SECTION("a fraction") {
    // 0.6 x 50 = 30 W; saving 20 W; load (30 - 10) / (50 - 10) = 0.5; factor 2 + 0.2 x (1 - 2)
    // = 1.8.
    const CappedGpu gpu = capped_gpu(host, fraction_cap(0.6), curve);
    CHECK(gpu.board_w == 30);
    CHECK(gpu.saving_w == 20);
    CHECK(gpu.load == 0.5);
    CHECK(gpu.fraction == 0.6);
    CHECK(gpu.time_factor == Approx(1.8).epsilon(1e-15));
  }
  SECTION("watts") {
    PowerCapSpec cap;
    cap.limit_w = 40;  // 0.8 of 50 W: load (40 - 10) / 40 = 0.75; factor 2 - 0.6 = 1.4
    const CappedGpu gpu = capped_gpu(host, cap, curve);
    CHECK(gpu.board_w == 40);
    CHECK(gpu.load == 0.75);
    CHECK(gpu.time_factor == Approx(1.4).epsilon(1e-15));
  }
  SECTION("below the curve: no factor") {
    CHECK(std::isnan(capped_gpu(host, fraction_cap(0.45), curve).time_factor));
  }
}

TEST_CASE("integrator: a capped job draws its cap, and the host its capped load") {
  CappedIntegrator capped;
  PowerIntegrator& integrator = *capped.integrator;
  JobStart start;
  start.request.job_id = 1;
  start.request.gpus = 1;
  start.allocation = {HostShare{0, 1}};
  ActiveJob job = integrator.start_job(start, false);
  // The job: 30 + 5 / 2 = 32.5 W. The host: 20 + 0.5 x 80 - 20 + 5 = 45 W (uncapped 65 W).
  CHECK(job.capped);
  CHECK(job.it_power_w == 32.5);
  CHECK(integrator.site_power()[0].total_it_w == 45);
  integrator.set_now_s(3600);
  const JobRecord record = integrator.end_job(start, job, JobStatus::completed);
  CHECK(record.it_energy_j == 32.5 * 3600);
  // The last capped GPU gone: the host idles at 10 + 5 = 15 W, no rounding left over.
  CHECK(integrator.site_power()[0].total_it_w == 15);
  integrator.set_host_state(0, HostPowerState::on);
  // SimGrid's model for the hour: 60 - 20 = 40 W (no overhead): 144,000 J.
  CHECK(integrator.host_totals(0).simgrid_model_j == 40 * 3600);
}

TEST_CASE("power cap: a capped serving replica is slower and draws less at full load") {
  ReplicaSpec spec;
  spec.batch_size = 1;
  spec.latency_base_ms = 0;
  spec.latency_per_item_ms = 500;  // L = 0.5 s, mu = 2 requests/s
  const ReplicaModel replica(spec, ReplicaPowerDefaults{12.5, 52.5});
  // x 1.21 and 16.5 W less: L 0.605 s, mu 2 / 1.21, busy 36 W, idle still 12.5 W.
  const ReplicaModel capped = replica.capped(1.21, 16.5);
  CHECK(capped.batch_latency_s() == Approx(0.605).epsilon(1e-15));
  CHECK(capped.capacity_per_s() == Approx(2 / 1.21).epsilon(1e-15));
  CHECK(capped.busy_w() == 36);
  CHECK(capped.idle_w() == 12.5);
  // At u = 0.605: 12.5 + 0.605 x 23.5 = 26.7175 W; R = 0.605 / 0.395 s.
  CHECK(capped.power_w(0.605) == Approx(26.7175).epsilon(1e-15));
  CHECK(capped.response_time_s(0.605) == Approx(0.605 / 0.395).epsilon(1e-15));
  CHECK_THROWS_AS(replica.capped(1.21, 41), std::logic_error);  // 11.5 W < idle 12.5 W
}

namespace {
// Capped on [0, until), uncapped after.
class CappedUntil final : public CapSchedule {
 public:
  explicit CappedUntil(double until_s) : until_s_(until_s) {}
  bool capped_at(double t) const override { return t < until_s_; }
  double next_change_after_s(double t) const override {
    return t < until_s_ ? until_s_ : std::numeric_limits<double>::infinity();
  }

 private:
  double until_s_;
};
}  // namespace

TEST_CASE("integrator: a carbon-cap job's CO2e over a span follows its schedule") {
  CappedIntegrator capped;
  PowerIntegrator& integrator = *capped.integrator;
  JobStart start;
  start.request.gpus = 1;
  start.allocation = {HostShare{0, 1}};
  start.cap_engaged = false;  // released now; capped over the first hour of the span
  const ActiveJob job = integrator.start_job(start, false);
  // [0, 1 h] capped at 32.5 W: 32.5 x 0.3 = 9.75 g; [1 h, 2 h] at 52.5 W: 15.75 g.
  CHECK(integrator.job_co2_g(start, job, 0, 7200, CappedUntil(3600)) ==
        Approx(25.5).epsilon(1e-14));
  // Without the schedule: its power now (uncapped) for both hours, 31.5 g.
  CHECK(integrator.job_co2_g(start, job, 0, 7200) == Approx(31.5).epsilon(1e-14));
}
