// PUE profiles over simulation time (monthly, hourly) and a job straddling PUE and intensity
// steps, accounted by FacilitySites and PowerMeter. Hand oracles.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <numeric>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/power_meter.hpp"
#include "accounting/pue_profiles.hpp"
#include "core/utc_time.hpp"
#include "grid/step_timeline.hpp"
#include "support/conservation.hpp"

using namespace mlcycle;

namespace {

constexpr double kHour = 3600;
constexpr double kDay = 86400;

struct CollectingRecorder final : RunRecorder {
  std::vector<JobRecord> jobs;
  std::vector<TraceBin> bins;
  void record_job(const JobRecord& job) override { jobs.push_back(job); }
  void record_bin(const TraceBin& bin) override { bins.push_back(bin); }
};

std::shared_ptr<StepTimeline> calendar(std::vector<double> values, std::int64_t start) {
  return std::make_shared<StepTimeline>(
      std::make_unique<CalendarProfileSource>(std::move(values), start));
}

// The example profiles of scenarios/pue-profiles.toml.
const std::vector<double> kMonthly = {1.20, 1.20, 1.22, 1.25, 1.30, 1.38,
                                      1.45, 1.45, 1.35, 1.28, 1.22, 1.20};
const std::vector<double> kHourly = {1.30, 1.28, 1.27, 1.26, 1.26, 1.27, 1.30, 1.34,
                                     1.38, 1.42, 1.46, 1.50, 1.53, 1.55, 1.56, 1.55,
                                     1.52, 1.48, 1.44, 1.40, 1.37, 1.35, 1.33, 1.31};

}  // namespace

TEST_CASE("monthly PUE: a whole common year integrates to sum(value x days x 86400)", "[pue]") {
  // 2019: 31 x 1.20 + 28 x 1.20 + 31 x 1.22 + 30 x 1.25 + 31 x 1.30 + 30 x 1.38 + 31 x 1.45
  //     + 31 x 1.45 + 30 x 1.35 + 31 x 1.28 + 30 x 1.22 + 31 x 1.20
  //     = 37.2 + 33.6 + 37.82 + 37.5 + 40.3 + 41.4 + 44.95 + 44.95 + 40.5 + 39.68 + 36.6 + 37.2
  //     = 471.7 PUE-days = 471.7 x 86400 = 40,754,880 PUE-seconds.
  const std::int64_t start = make_utc(2019, 1, 1, 0, 0, 0).unix_s;
  auto pue = calendar(kMonthly, start);
  CHECK(pue->integral(0, 365 * kDay) == Approx(40754880.0).epsilon(1e-13));
  // Steps at every month start: 1 March 2019 is day 59.
  CHECK(pue->value_at(59 * kDay - 1) == 1.20);
  CHECK(pue->value_at(59 * kDay) == 1.22);
  CHECK(pue->next_change_after_s(59 * kDay) == 90 * kDay);  // 1 April
  // The next year starts over with January: 2020-01-01 is day 365.
  CHECK(pue->value_at(365 * kDay) == 1.20);
  // A leap February (2020) has 29 days: 1 March 2020 is day 365 + 60.
  CHECK(pue->value_at(425 * kDay - 1) == 1.20);
  CHECK(pue->value_at(425 * kDay) == 1.22);

  // A start in mid-month: 2019-01-15T06:00 holds January until 1 February, 16 d 18 h later
  // (16 x 86400 + 18 x 3600 = 1,447,200 s).
  auto mid = calendar(kMonthly, make_utc(2019, 1, 15, 6, 0, 0).unix_s);
  CHECK(mid->value_at(0) == 1.20);
  CHECK(mid->next_change_after_s(0) == 1447200);
  CHECK(mid->value_at(1447200 + 28 * kDay) == 1.22);  // 1 March
}

TEST_CASE("hourly PUE: 24 h integrate to 3600 x sum(values)", "[pue]") {
  // Sum of the 24 values = 33.43, so 3600 x 33.43 = 120,348 PUE-seconds per day.
  const double sum = std::accumulate(kHourly.begin(), kHourly.end(), 0.0);
  CHECK(sum == Approx(33.43).epsilon(1e-14));
  auto pue = calendar(kHourly, make_utc(2020, 7, 1, 0, 0, 0).unix_s);
  CHECK(pue->integral(0, kDay) == Approx(120348.0).epsilon(1e-13));
  CHECK(pue->integral(3 * kDay, 4 * kDay) == Approx(120348.0).epsilon(1e-13));
  CHECK(pue->value_at(13 * kHour + 59) == 1.55);  // 13:00 UTC
  // From 00:30 to 00:30 the next day, still one of each hour: 120,348.
  auto half = calendar(kHourly, make_utc(2020, 7, 1, 0, 30, 0).unix_s);
  CHECK(half->value_at(0) == 1.30);
  CHECK(half->next_change_after_s(0) == 1800);
  CHECK(half->integral(0, kDay) == Approx(120348.0).epsilon(1e-13));
  // Partial hours: [00:45, 02:15] = 0.25 h x 1.30 + 1 h x 1.28 + 0.25 h x 1.27
  //   = 3600 x (0.325 + 1.28 + 0.3175) = 3600 x 1.9225 = 6921.
  CHECK(pue->integral(0.75 * kHour, 2.25 * kHour) == Approx(6921.0).epsilon(1e-13));
}

TEST_CASE("make_pue_signal: constant, monthly and hourly specs", "[pue]") {
  const std::int64_t start = make_utc(2019, 1, 1, 0, 0, 0).unix_s;
  PueProfileSpec c;
  c.kind = PueProfileSpec::Kind::constant;
  c.values = {1.4};
  CHECK(make_pue_signal(c, start)->integral(0, kDay) == Approx(1.4 * kDay));
  PueProfileSpec m;
  m.kind = PueProfileSpec::Kind::monthly;
  m.values = kMonthly;
  CHECK(make_pue_signal(m, start)->integral(0, 365 * kDay) == Approx(40754880.0).epsilon(1e-13));
  PueProfileSpec h;
  h.kind = PueProfileSpec::Kind::hourly;
  h.values = kHourly;
  CHECK(make_pue_signal(h, start)->integral(0, kDay) == Approx(120348.0).epsilon(1e-13));
}

TEST_CASE("a job straddling PUE and intensity steps: energy and CO2e by hand, conserved", "[pue]") {
  // PUE by UTC hour: 1.2, 1.4, 1.6, then 1.0; intensity 200, 400, 200 g/kWh by hour (from the
  // scenario start, 2020-01-01T00:00Z). One 1-GPU host: busy 100 W IT, idle 10 W IT.
  // The job runs 00:30 - 02:30; the run ends at 03:00.
  //   job facility energy = 100 W x (0.5 h x 1.2 + 1 h x 1.4 + 0.5 h x 1.6) = 100 x 2.8 = 280 Wh
  //   job CO2e = 0.1 kW x (0.5 h x 1.2 x 200 + 1 h x 1.4 x 400 + 0.5 h x 1.6 x 200)
  //            = 12 + 56 + 16 = 84 g
  //   idle (00:00 - 00:30, 02:30 - 03:00): 10 W x (0.5 x 1.2 + 0.5 x 1.6) = 14 Wh facility;
  //            CO2e 0.01 x (0.5 x 1.2 x 200 + 0.5 x 1.6 x 200) = 1.2 + 1.6 = 2.8 g
  //   total 294 Wh, 86.8 g; peak facility power 100 W x 1.6 = 160 W (02:00 - 02:30).
  const std::int64_t start = make_utc(2020, 1, 1, 0, 0, 0).unix_s;
  std::vector<double> hourly(24, 1.0);
  hourly[0] = 1.2;
  hourly[1] = 1.4;
  hourly[2] = 1.6;
  std::shared_ptr<const StepSignal> pue = calendar(hourly, start);
  std::vector<std::unique_ptr<StepSignal>> signals;
  signals.push_back(std::make_unique<StepTimeline>(std::make_unique<FixedStepsSource>(
      std::vector<double>{0, kHour, 2 * kHour}, std::vector<double>{200, 400, 200})));
  GridRegistry grid({"r"}, std::move(signals));
  FacilitySites sites(grid);
  REQUIRE(sites.site(0, "hourly", pue) == 0);
  HostPowerModel host;
  host.name = "h0";
  host.cores = 1;
  host.idle_w = 10;
  host.epsilon_w = 100;
  host.all_cores_w = 100;
  CollectingRecorder recorder;
  PowerMeter meter({host}, sites, 0.5, kHour, recorder);
  JobStart start_job;
  start_job.request.job_id = 7;
  start_job.request.gpus = 1;
  start_job.request.duration_s = 2 * kHour;
  start_job.allocation = {HostShare{0, 1}};
  meter.advance_to(0.5 * kHour);
  ActiveJob job = meter.start_job(start_job);
  meter.advance_to(2.5 * kHour);
  recorder.record_job(meter.end_job(start_job, job, JobStatus::completed));
  const RunSummary s = meter.finish(3 * kHour, 0);

  constexpr double kWh = 3600;  // J per Wh
  REQUIRE(recorder.jobs.size() == 1);
  const JobRecord& r = recorder.jobs[0];
  CHECK(r.it_energy_j == Approx(200 * kWh).epsilon(1e-13));
  CHECK(r.energy_j == Approx(280 * kWh).epsilon(1e-13));
  CHECK(r.co2_g == Approx(84).epsilon(1e-13));
  CHECK(r.cost == Approx(0.28 * 0.5).epsilon(1e-13));
  CHECK(s.series[kIdleSeries].energy_j == Approx(14 * kWh).epsilon(1e-13));
  CHECK(s.series[kIdleSeries].co2_g == Approx(2.8).epsilon(1e-13));
  CHECK(s.total.energy_j == Approx(294 * kWh).epsilon(1e-13));
  CHECK(s.total.co2_g == Approx(86.8).epsilon(1e-13));
  CHECK(s.peak_power_w == Approx(160).epsilon(1e-13));

  // Bins (1 h): job 60 / 140 / 80 Wh and 12 / 56 / 16 g; idle 6 / 0 / 8 Wh and 1.2 / 0 / 1.6 g;
  // mean intensity 200 / 400 / 200.
  REQUIRE(recorder.bins.size() == 3);
  const double job_wh[] = {60, 140, 80}, job_g[] = {12, 56, 16};
  const double idle_wh[] = {6, 0, 8}, idle_g[] = {1.2, 0, 1.6}, mean_g[] = {200, 400, 200};
  for (int b = 0; b < 3; ++b) {
    INFO("bin " << b);
    const TraceBin& bin = recorder.bins[b];
    CHECK(bin.energy_j[0] == Approx(job_wh[b] * kWh).epsilon(1e-13));
    CHECK(bin.co2_g[0] == Approx(job_g[b]).epsilon(1e-13));
    CHECK(bin.energy_j[kIdleSeries] == Approx(idle_wh[b] * kWh).epsilon(1e-13).margin(1e-9));
    CHECK(bin.co2_g[kIdleSeries] == Approx(idle_g[b]).epsilon(1e-13).margin(1e-12));
    CHECK(bin.region_intensity_g_per_kwh.at(0) == Approx(mean_g[b]).epsilon(1e-13));
    CHECK(bin.region_co2_g.at(0) == Approx(job_g[b] + idle_g[b]).epsilon(1e-13));
  }
  // Conservation: jobs + idle = bins = hosts (facility).
  mlcycle::testing::check_conservation(s, recorder.jobs, recorder.bins);
  REQUIRE(s.hosts.size() == 1);
  CHECK(s.hosts[0].it_energy_j == Approx((200 + 10) * kWh).epsilon(1e-13));
}
