#include "workload/failure_model.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>

#include "core/units.hpp"

namespace mlcycle {

namespace {
// Work ratios within this of an integer are that integer (residue of W - k * I).
constexpr double kRatioTolerance = 1e-9;
}  // namespace

FailureModel::FailureModel(const FailureSpec& spec, boost::random::mt19937_64 stream)
    : spec_(spec), stream_(stream) {}

bool FailureModel::active() const {
  return spec_.crash_probability > 0 || spec_.rate_per_gpu_hour > 0;
}

// Uniform on [0, 1) in steps of 2^-53 from exactly one 64-bit engine output: the range 2^53
// divides 2^64, so Boost's uniform_int_distribution never rejects (unlike the real-valued
// distributions, whose rare rejections would shift later draws).
double FailureModel::uniform01() {
  constexpr std::uint64_t kMax53 = (std::uint64_t{1} << 53) - 1;
  const std::uint64_t bits =
      boost::random::uniform_int_distribution<std::uint64_t>(0, kMax53)(stream_);
  return static_cast<double>(bits) * 0x1p-53;
}

std::uint64_t FailureModel::checkpoints(double work_s) const {
  const double interval_s = spec_.checkpoint_interval_s;
  if (work_s <= 0 || interval_s <= 0) return 0;
  const double intervals = std::ceil(work_s / interval_s - kRatioTolerance);
  return intervals <= 1 ? 0 : static_cast<std::uint64_t>(intervals - 1);
}

double FailureModel::run_time_s(double work_s) const {
  if (work_s <= 0) return 0;
  return work_s + spec_.checkpoint_write_s * static_cast<double>(checkpoints(work_s));
}

AttemptPlan FailureModel::cut(double work_s, double crash_after_s) const {
  const double run_s = run_time_s(work_s);
  if (crash_after_s >= run_s)
    return AttemptPlan{run_s, false, std::max(work_s, 0.0), std::max(work_s, 0.0)};
  const double t_c = std::max(crash_after_s, 0.0);
  AttemptPlan crashed{t_c, true, 0, t_c};
  const double interval_s = spec_.checkpoint_interval_s;
  if (interval_s <= 0) return crashed;
  const double cycle_s = interval_s + spec_.checkpoint_write_s;
  const double n = static_cast<double>(checkpoints(work_s));
  const double m = std::floor(t_c / cycle_s);
  if (m < n) {
    crashed.work_saved_s = m * interval_s;
    crashed.work_done_s = m * interval_s + std::min(t_c - m * cycle_s, interval_s);
  } else {
    crashed.work_saved_s = n * interval_s;
    crashed.work_done_s = std::min(n * interval_s + (t_c - n * cycle_s), work_s);
  }
  return crashed;
}

AttemptPlan FailureModel::plan(double work_s, std::uint32_t gpus) {
  const double run_s = run_time_s(work_s);
  double crash_after_s = run_s;  // no crash
  if (spec_.crash_probability > 0) {
    const double u_crash = uniform01();
    const double u_when = uniform01();
    // u_when < 1, but u_when * T can round up to T: keep a drawn crash inside the run.
    if (u_crash < spec_.crash_probability)
      crash_after_s = std::min(u_when * run_s, std::nextafter(run_s, 0.0));
  } else if (spec_.rate_per_gpu_hour > 0) {
    const double u = uniform01();
    const double rate_per_s = spec_.rate_per_gpu_hour * gpus / units::kSecondsPerHour;
    // Inversion: 1 - u lies in (0, 1], so the log is finite; rate 0 (no GPUs) never crashes.
    if (rate_per_s > 0) crash_after_s = -std::log1p(-u) / rate_per_s;
  }
  return cut(work_s, crash_after_s);
}

}  // namespace mlcycle
