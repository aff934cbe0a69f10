#pragma once
// Compute-sized work: how long a trial of `flops` runs on `gpus` GPUs of peak `peak_flops`
// FLOP/s each at model FLOP utilization `mfu`, and what a job of it achieved.
// Equations: docs/hardware.md.
#include <cstdint>

namespace mlcycle {

// The compute time, s: FLOPs / (GPUs x peak x MFU). Communication (the all-reduce of a
// data-parallel step) comes on top, from the engine's probe.
inline double compute_seconds(double flops, std::uint32_t gpus, double peak_flops, double mfu) {
  return flops / (static_cast<double>(gpus) * peak_flops * mfu);
}

struct WorkRate {
  double peak_flops = 0;  // per GPU; 0: the campaign is not sized by compute
  double mfu = 0;
};

struct JobWork {
  double flops = 0;
  double flops_per_gpu_s = 0;  // achieved, over the job's whole run
  double mfu = 0;              // achieved: flops_per_gpu_s / peak
};

// A job that computed `work_done_s` seconds of its work on `gpus` GPUs in `ran_s` of run time.
inline JobWork job_work(const WorkRate& rate, std::uint32_t gpus, double work_done_s,
                        double ran_s) {
  JobWork w;
  const double g = static_cast<double>(gpus);
  w.flops = work_done_s * g * rate.peak_flops * rate.mfu;
  w.flops_per_gpu_s = ran_s > 0 ? w.flops / (g * ran_s) : 0;
  w.mfu = w.flops_per_gpu_s / rate.peak_flops;
  return w;
}

}  // namespace mlcycle
