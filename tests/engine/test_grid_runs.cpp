// Full runs on time-varying grids through run_simulation (tests/data/two-hosts.xml), one SimGrid
// engine per test process: conservation (jobs + idle = trace bins = hosts) with a real 15-min
// trace, the exec engine against SimGrid's energy plugin, a synthetic grid with an hourly PUE
// profile, and traces that do or do not cover the run.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "collecting_recorder.hpp"
#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "engine/simulation.hpp"
#include "grid/grid_csv.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/conservation.hpp"
#include "support/skip.hpp"

using namespace mlcycle;
using mlcycle::testing::EnergyBooks;
namespace fs = std::filesystem;

namespace {

constexpr double kJPerKwh = 3.6e6;
// tests/data/two-hosts.xml: 2 hosts of 2 GPUs, wattage 10:20:100, overhead 5 W, PUE 1.5.
// A busy GPU carries (AllCores + overhead) / cores = (100 + 5) / 2 = 52.5 W of IT power.
constexpr double kGpuItW = 52.5;
constexpr double kPue = 1.5;

RunOutcome run(const std::string& text, CollectingRecorder& recorder) {
  Scenario scenario = load_scenario_text(text, std::string(MLCYCLE_TEST_DATA) + "/grid.toml");
  return run_simulation(scenario, recorder, EngineOptions{});
}

fs::path de_trace() {
  return fs::path(MLCYCLE_SHARED_DATA) / "grid" / "de_2020_carbon_intensity.csv";
}

// A few dozen jobs of varied lengths on the two hosts, from 2020-03-01 on the DE 2020 trace.
std::string de_scenario(const std::string& engine) {
  return R"([simulation]
start = 2020-03-01T00:00:00Z
seed = 5
platform = "two-hosts.xml"
engine = ")" +
         engine + R"("
[grid.r]
kind = "trace"
file = ")" +
         de_trace().string() +
         R"("
[accounting]
price_per_kwh = 0.3
[[campaign]]
name = "singles"
trials = 36
length = { distribution = "lognormal", median_h = 2.2, sigma = 0.9, min_h = 0.1, max_h = 20 }
[[campaign]]
name = "pairs"
trials = 8
gpus_per_trial = 2
max_concurrent = 1
length = { distribution = "uniform", min_h = 0.3, max_h = 6 }
)";
}

// Integral of a step series (absolute UTC rows, each value holding to the next row) over
// [a, b], in g/kWh x s: the oracle, computed from the rows without the simulator's timelines.
double rows_integral(const IntensitySeries& s, double a, double b) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < s.time_unix_s.size(); ++i) {
    const double lo = std::max(a, s.time_unix_s[i]), hi = std::min(b, s.time_unix_s[i + 1]);
    if (hi > lo) sum += s.g_per_kwh[i] * (hi - lo);
  }
  return sum;
}

// Conserved (support/conservation.hpp), with jobs and idle both drawing energy, in one bin per
// started hour of the run.
void check_conservation(const RunOutcome& outcome, const CollectingRecorder& recorder) {
  const RunSummary& s = outcome.summary;
  const EnergyBooks books = mlcycle::testing::check_conservation(s, recorder.jobs, recorder.bins);
  CHECK(books.jobs_j > 0);
  CHECK(books.idle_j > 0);
  CHECK(recorder.bins.size() == static_cast<std::size_t>(std::ceil(s.makespan_s / 3600)));
}

// The DE run's jobs against the oracle: CO2e = IT W x PUE x integral of the trace's rows.
void check_de_jobs(const CollectingRecorder& recorder) {
  const IntensitySeries de = read_intensity_csv(de_trace().string(), *trace_format("plain"));
  const double start = static_cast<double>(make_utc(2020, 3, 1, 0, 0, 0).unix_s);
  REQUIRE(recorder.jobs.size() == 44);
  for (const JobRecord& j : recorder.jobs) {
    INFO("job " << j.job_id << " from " << j.start_s << " s to " << j.end_s << " s");
    const double it_w = kGpuItW * j.gpus;
    CHECK(j.energy_j == Approx(it_w * kPue * (j.end_s - j.start_s)).epsilon(1e-9));
    CHECK(j.co2_g ==
          Approx(it_w * kPue * rows_integral(de, start + j.start_s, start + j.end_s) / kJPerKwh)
              .epsilon(1e-9));
  }
  // Each bin's mean intensity is the time mean of the rows over the bin.
  for (std::size_t b = 0; b < recorder.bins.size(); b += 7) {
    const TraceBin& bin = recorder.bins[b];
    INFO("bin " << b);
    CHECK(bin.region_intensity_g_per_kwh.at(0) ==
          Approx(rows_integral(de, start + bin.time_s, start + bin.time_s + bin.duration_s) /
                 bin.duration_s)
              .epsilon(1e-9));
  }
}

// Writes `rows` hourly rows from 2020-01-01T00:00Z at `g_per_kwh` (header on line 1) to a
// fresh file under the temporary directory.
std::string hourly_trace(const std::string& name, int rows, double g_per_kwh) {
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  const fs::path dir = fs::temp_directory_path() / ("mlcycle_grid_runs_" + std::to_string(ticks));
  fs::create_directories(dir);
  const fs::path path = dir / name;
  std::ofstream out(path);
  out << "timestamp,carbon_intensity_g_per_kwh\n";
  const std::int64_t t0 = make_utc(2020, 1, 1, 0, 0, 0).unix_s;
  for (int i = 0; i < rows; ++i)
    out << format_iso8601(UtcTime{t0 + 3600LL * i}) << "," << g_per_kwh << "\n";
  return path.string();
}

// The three-job schedule of test_engine_modes.cpp on a trace region.
std::string three_jobs_on_trace(const std::string& file) {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "two-hosts.xml"
[grid.r]
kind = "trace"
file = ")" +
         file + R"("
[accounting]
price_per_kwh = 0.2
[[campaign]]
name = "three"
trials = 3
length = { distribution = "list", hours = [2, 1, 3] }
)";
}

}  // namespace

TEST_CASE("DE 2020 15-min trace: jobs + idle = trace bins = hosts, jobs match the rows",
          "[shared]") {
  if (!fs::is_regular_file(de_trace()))
    MLCYCLE_SKIP(de_trace().string() << " not found (shared data absent)");
  CollectingRecorder recorder;
  const RunOutcome outcome = run(de_scenario("analytic"), recorder);
  CHECK(outcome.summary.total.jobs == 44);
  check_conservation(outcome, recorder);
  check_de_jobs(recorder);
  // The run used the trace at its 15-min steps.
  REQUIRE(outcome.grid.size() == 1);
  CHECK(outcome.grid[0].kind == "trace");
  CHECK(outcome.grid[0].time_s.size() > 4 * outcome.summary.makespan_s / 3600 - 2);
}

TEST_CASE("DE 2020 15-min trace, exec engine: conserved, and the energy plugin agrees",
          "[shared]") {
  if (!fs::is_regular_file(de_trace()))
    MLCYCLE_SKIP(de_trace().string() << " not found (shared data absent)");
  CollectingRecorder recorder;
  const RunOutcome outcome = run(de_scenario("exec"), recorder);
  CHECK(outcome.summary.total.jobs == 44);
  CHECK(outcome.plugin_max_rel_diff >= 0);
  CHECK(outcome.plugin_max_rel_diff < 1e-9);
  check_conservation(outcome, recorder);
  check_de_jobs(recorder);
}

TEST_CASE("synthetic solar-heavy grid with an hourly PUE profile: conserved, PUE by hand") {
  // PUE by UTC hour: 1.1 + 0.02 h (1.10 at 00:00 .. 1.56 at 23:00); the run starts at midnight
  // UTC, so the PUE at simulation time t is 1.1 + 0.02 x floor((t mod 86400) / 3600).
  std::string hourly;
  for (int h = 0; h < 24; ++h) hourly += (h ? ", " : "") + std::to_string(1.1 + 0.02 * h);
  const std::string text = R"([simulation]
start = 2020-06-01T00:00:00Z
seed = 3
platform = "two-hosts.xml"
[grid.r]
kind = "synthetic"
model = "solar-heavy"
[pue.daily]
hourly = [)" + hourly + R"(]
[accounting]
pue = "daily"
[[campaign]]
name = "singles"
trials = 30
length = { distribution = "lognormal", median_h = 3.5, sigma = 0.8, min_h = 0.2, max_h = 30 }
)";
  CollectingRecorder recorder;
  const RunOutcome outcome = run(text, recorder);
  CHECK(outcome.summary.total.jobs == 30);
  check_conservation(outcome, recorder);

  auto pue_at = [](double t) { return 1.1 + 0.02 * std::floor(std::fmod(t, 86400.0) / 3600); };
  // The intensity steps the run used (outcome.grid), and the PUE hours, merged by hand.
  REQUIRE(outcome.grid.size() == 1);
  const std::vector<double>& ts = outcome.grid[0].time_s;
  const std::vector<double>& gs = outcome.grid[0].intensity_g_per_kwh;
  auto intensity_at = [&](double t) {
    std::size_t i = 0;
    while (i + 1 < ts.size() && ts[i + 1] <= t) ++i;
    return gs[i];
  };
  REQUIRE(!recorder.jobs.empty());
  for (const JobRecord& j : recorder.jobs) {
    INFO("job " << j.job_id << " from " << j.start_s << " s to " << j.end_s << " s");
    // Facility energy = IT W x sum over hour pieces of PUE x length; CO2e also x intensity
    // (the synthetic grid steps on the hour too, so every piece has one PUE and one intensity).
    double pue_s = 0, carbon_s = 0;
    for (double t = j.start_s; t < j.end_s;) {
      const double next = std::min(j.end_s, (std::floor(t / 3600) + 1) * 3600);
      pue_s += pue_at(t) * (next - t);
      carbon_s += pue_at(t) * intensity_at(t) * (next - t);
      t = next;
    }
    const double it_w = kGpuItW * j.gpus;
    CHECK(j.energy_j == Approx(it_w * pue_s).epsilon(1e-9));
    CHECK(j.co2_g == Approx(it_w * carbon_s / kJPerKwh).epsilon(1e-9));
  }
  // Solar-heavy (local time UTC-8) in June: local noon (20:00 UTC) is cleaner than local
  // midnight (08:00 UTC).
  REQUIRE(outcome.summary.makespan_s > 21 * 3600.0);
  CHECK(intensity_at(20 * 3600.0) < intensity_at(8 * 3600.0));
}

TEST_CASE("a run past the trace's end, no hold or wrap: InputError naming file and time") {
  // 40 days of hourly data (2020-01-01 .. 2020-02-10, rows on lines 2 - 961) and one 45-day
  // job: the data ends at 2020-02-10T00:00Z, after the last row (line 961) of 2020-02-09T23:00.
  const std::string file = hourly_trace("forty-days.csv", 40 * 24, 100);
  const std::string text = R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "two-hosts.xml"
[grid.r]
kind = "trace"
file = ")" + file + R"("
[[campaign]]
name = "long"
trials = 1
length = { distribution = "fixed", hours = 1080 }
)";
  CollectingRecorder recorder;
  std::string message = "no error";
  try {
    run(text, recorder);
  } catch (const InputError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::StartsWith(file + ":961:1: grid.r: the run goes on past "
                                               "2020-02-10T00:00:00Z, where the data ends"));
  CHECK_THAT(message, Catch::Contains("hold = \"edges\""));
  fs::remove_all(fs::path(file).parent_path());
}

TEST_CASE("a run that ends inside the trace succeeds, also within a month of the data's end") {
  // 10 days of hourly data at 300 g/kWh (the data ends 2020-01-11T00:00Z); the three-job
  // schedule of test_engine_modes.cpp needs its first 3 hours, so it gives the constant-grid
  // oracle: 570 Wh facility, 171 g at 300 g/kWh.
  const std::string file = hourly_trace("ten-days.csv", 10 * 24, 300);
  CollectingRecorder recorder;
  std::string message = "no error";
  RunOutcome outcome;
  try {
    outcome = run(three_jobs_on_trace(file), recorder);
  } catch (const InputError& e) {
    message = e.what();
  }
  fs::remove_all(fs::path(file).parent_path());
  REQUIRE(message == "no error");
  CHECK(outcome.summary.makespan_s == Approx(10800));
  CHECK(outcome.summary.total.energy_j == Approx(570 * 3600.0).epsilon(1e-9));
  CHECK(outcome.summary.total.co2_g == Approx(171).epsilon(1e-9));
}

TEST_CASE("a run that ends exactly at the trace's end succeeds") {
  // Rows 00:00, 01:00, 02:00 at 300 g/kWh: the data ends at 03:00 (one step after the last
  // row), exactly when the three-job schedule ends: 171 g, as on a constant grid.
  const std::string file = hourly_trace("three-hours.csv", 3, 300);
  CollectingRecorder recorder;
  std::string message = "no error";
  RunOutcome outcome;
  try {
    outcome = run(three_jobs_on_trace(file), recorder);
  } catch (const InputError& e) {
    message = e.what();
  }
  fs::remove_all(fs::path(file).parent_path());
  REQUIRE(message == "no error");
  CHECK(outcome.summary.makespan_s == Approx(10800));
  CHECK(outcome.summary.total.co2_g == Approx(171).epsilon(1e-9));
}
