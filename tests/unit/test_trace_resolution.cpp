// Trace resolution: a 15-min intensity trace against the same data averaged to 1 h. Whole hours
// give the same CO2e; part of an hour differs by (mean of the quarters used - hourly mean) x kWh.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "accounting/facility_sites.hpp"
#include "accounting/power_meter.hpp"
#include "core/utc_time.hpp"
#include "grid/grid_csv.hpp"
#include "grid/series_source.hpp"
#include "support/skip.hpp"

using namespace mlcycle;

namespace {

constexpr double kHour = 3600;

struct CollectingRecorder final : RunRecorder {
  std::vector<JobRecord> jobs;
  std::vector<TraceBin> bins;
  void record_job(const JobRecord& job) override { jobs.push_back(job); }
  void record_bin(const TraceBin& bin) override { bins.push_back(bin); }
};

// The series as region_factory.cpp maps a trace, with hold = edges (the run ends inside the
// data either way; holding keeps the timeline's look-ahead from asking past the data's end).
std::unique_ptr<StepSignal> trace_signal(const IntensitySeries& s, std::int64_t start) {
  CoverageSpec c;
  c.hold_edges = true;
  return std::make_unique<StepTimeline>(
      std::make_unique<SeriesSource>(prepare_series(s, c, "grid.r"), c, start, "grid.r"));
}

// Mean of the rows in each UTC hour (arithmetic: every row present in an hour holds equally
// long, also in an hour with missing quarters), stamped at the hour's start.
IntensitySeries hourly_average(const IntensitySeries& s) {
  std::map<std::int64_t, std::pair<double, int>> hours;
  for (std::size_t i = 0; i < s.time_unix_s.size(); ++i) {
    auto& [sum, n] = hours[static_cast<std::int64_t>(s.time_unix_s[i]) / 3600];
    sum += s.g_per_kwh[i];
    ++n;
  }
  IntensitySeries out;
  out.source = s.source + " (hourly mean)";
  for (const auto& [hour, sum_n] : hours) {
    out.time_unix_s.push_back(static_cast<double>(hour) * 3600);
    out.g_per_kwh.push_back(sum_n.first / sum_n.second);
    out.line.push_back(static_cast<int>(out.line.size()) + 2);
  }
  return out;
}

// CO2e (g) of a 1 kW IT job (PUE 1) from t0 to t1 on the grid `signal`.
double job_co2_g(std::unique_ptr<StepSignal> signal, double t0_s, double t1_s) {
  std::vector<std::unique_ptr<StepSignal>> signals;
  signals.push_back(std::move(signal));
  GridRegistry grid({"r"}, std::move(signals));
  FacilitySites sites(grid);
  sites.site(0, 1.0);
  HostPowerModel host;
  host.cores = 1;
  host.epsilon_w = 1000;
  host.all_cores_w = 1000;
  CollectingRecorder recorder;
  PowerMeter meter({host}, sites, 0, kHour, recorder);
  JobStart start;
  start.request.gpus = 1;
  start.request.duration_s = t1_s - t0_s;
  start.allocation = {HostShare{0, 1}};
  meter.advance_to(t0_s);
  ActiveJob job = meter.start_job(start);
  meter.advance_to(t1_s);
  recorder.record_job(meter.end_job(start, job, JobStatus::completed));
  meter.finish(t1_s, 0);
  return recorder.jobs.at(0).co2_g;
}

}  // namespace

TEST_CASE(
    "15-min trace vs its hourly average: whole hours agree, half hours differ by the "
    "arithmetic",
    "[resolution]") {
  const std::int64_t start = make_utc(2020, 1, 1, 0, 0, 0).unix_s;
  // Quarters (g/kWh):   hour 0: 100 200 300 400 (mean 250)   hour 1: 600 200 200 200 (300)
  //                     hour 2:  50  50 450 250 (mean 200)   hour 3: 300 300 300 300 (300)
  const std::vector<double> quarters = {100, 200, 300, 400, 600, 200, 200, 200,
                                        50,  50,  450, 250, 300, 300, 300, 300};
  IntensitySeries fine;
  fine.source = "q.csv";
  for (std::size_t i = 0; i < quarters.size(); ++i) {
    fine.time_unix_s.push_back(static_cast<double>(start) + 900.0 * static_cast<double>(i));
    fine.g_per_kwh.push_back(quarters[i]);
    fine.line.push_back(static_cast<int>(i) + 2);
  }
  const IntensitySeries coarse = hourly_average(fine);
  REQUIRE(coarse.g_per_kwh == std::vector<double>{250, 300, 200, 300});

  // 1 kW over the four whole hours: 0.25 kWh x (100 + ... + 300) = 0.25 x 4200 = 1050 g, and
  // 1 kWh x (250 + 300 + 200 + 300) = 1050 g.
  CHECK(job_co2_g(trace_signal(fine, start), 0, 4 * kHour) == Approx(1050).epsilon(1e-13));
  CHECK(job_co2_g(trace_signal(coarse, start), 0, 4 * kHour) == Approx(1050).epsilon(1e-13));

  // 01:00 - 01:30: 0.5 kWh x mean(600, 200) = 200 g against 0.5 kWh x 300 = 150 g; the
  // difference is (400 - 300) x 0.5 = +50 g.
  const double fine_g = job_co2_g(trace_signal(fine, start), kHour, 1.5 * kHour);
  const double coarse_g = job_co2_g(trace_signal(coarse, start), kHour, 1.5 * kHour);
  CHECK(fine_g == Approx(200).epsilon(1e-13));
  CHECK(coarse_g == Approx(150).epsilon(1e-13));
  CHECK(fine_g - coarse_g == Approx((400.0 - 300.0) * 0.5).epsilon(1e-12));
  // 02:15 - 02:45: mean(50, 450) = 250 against 200: +25 g. 00:00 - 00:30: 150 vs 250: -50 g.
  CHECK(job_co2_g(trace_signal(fine, start), 2.25 * kHour, 2.75 * kHour) -
            job_co2_g(trace_signal(coarse, start), 2.25 * kHour, 2.75 * kHour) ==
        Approx(25).epsilon(1e-12));
  CHECK(job_co2_g(trace_signal(fine, start), 0, 0.5 * kHour) -
            job_co2_g(trace_signal(coarse, start), 0, 0.5 * kHour) ==
        Approx(-50).epsilon(1e-12));
}

TEST_CASE("DE 2020 15-min trace vs its hourly average (shared data)", "[resolution][shared]") {
  const std::filesystem::path file =
      std::filesystem::path(MLCYCLE_SHARED_DATA) / "grid" / "de_2020_carbon_intensity.csv";
  if (!std::filesystem::is_regular_file(file))
    MLCYCLE_SKIP(file.string() << " not found (shared data absent)");
  const IntensitySeries fine = read_intensity_csv(file.string(), *trace_format("plain"));
  const IntensitySeries coarse = hourly_average(fine);
  REQUIRE(coarse.time_unix_s.size() == 8784);  // every hour of 2020

  // A 1 kW job 10:00 - 10:30 UTC on 2020-06-15. The data's rows of that hour:
  const std::int64_t day = make_utc(2020, 6, 15, 0, 0, 0).unix_s;
  const double ten = static_cast<double>(make_utc(2020, 6, 15, 10, 0, 0).unix_s);
  std::vector<double> q;
  for (std::size_t i = 0; i < fine.time_unix_s.size(); ++i)
    if (fine.time_unix_s[i] >= ten && fine.time_unix_s[i] < ten + kHour)
      q.push_back(fine.g_per_kwh[i]);
  REQUIRE(q.size() == 4);
  const double first_half = (q[0] + q[1]) / 2, hour_mean = (q[0] + q[1] + q[2] + q[3]) / 4;
  WARN("DE 2020-06-15 10:00 quarters " << q[0] << ", " << q[1] << ", " << q[2] << ", " << q[3]
                                       << " g/kWh: first half " << first_half << ", hour "
                                       << hour_mean);

  const double fine_g = job_co2_g(trace_signal(fine, day), 10 * kHour, 10.5 * kHour);
  const double coarse_g = job_co2_g(trace_signal(coarse, day), 10 * kHour, 10.5 * kHour);
  // 0.5 kWh at each resolution's intensity; the difference is (first half - hour) x 0.5 kWh.
  CHECK(fine_g == Approx(0.5 * first_half).epsilon(1e-12));
  CHECK(coarse_g == Approx(0.5 * hour_mean).epsilon(1e-12));
  CHECK(fine_g - coarse_g == Approx(0.5 * (first_half - hour_mean)).epsilon(1e-9));
  CHECK(fine_g != coarse_g);  // the data's quarters differ within that hour
  // The whole hour 10:00 - 11:00: 1 kWh x the hourly mean at both resolutions.
  CHECK(job_co2_g(trace_signal(fine, day), 10 * kHour, 11 * kHour) ==
        Approx(hour_mean).epsilon(1e-12));
  CHECK(job_co2_g(trace_signal(coarse, day), 10 * kHour, 11 * kHour) ==
        Approx(hour_mean).epsilon(1e-12));
}
