#pragma once
// Crashes of job attempts and what checkpoints save of their work.
//
// Run time. A job with W > 0 seconds of work left, checkpoint interval I > 0 and write time C,
// writes a checkpoint after every I seconds of work except at the very end:
//   n(W) = ceil(W / I) - 1 checkpoints,   T(W) = W + C * n(W).
// (A remainder of W / I below 1e-9 counts as none, so that the floating-point residue of
// W - saved does not add a checkpoint.) Without checkpoints (I = 0): T(W) = W.
//
// Crash time t_c (seconds since the attempt started), drawn per attempt:
//   crash_probability p: with probability p, t_c ~ Uniform[0, T);
//   rate_per_gpu_hour r: t_c ~ Exponential(lambda), lambda = r * gpus / 3600 per second;
//   the attempt finishes (no crash) when t_c >= T.
//
// Work at a crash. Checkpoint j (1-based) completes at wall time j * (I + C). With
// m = floor(t_c / (I + C)) whole cycles behind, k = min(m, n) checkpoints are written:
//   saved = k * I;
//   done  = m * I + min(t_c - m * (I + C), I)   when m < n (writing time is not compute),
//           n * I + (t_c - n * (I + C))         after the last checkpoint;
//   lost  = done - saved. The retry has W' = W - saved left.
// Without checkpoints: saved = 0, done = t_c.
//
// Randomness: every plan() call draws the same number of engine outputs whatever the outcome
// (p model: two uniforms, crash-or-not and position; rate model: one uniform turned into an
// exponential by inversion; no model: none), and each uniform is exactly one engine output, so
// one job's fate never shifts the draws of the next job.
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>

#include "scenario/failure_spec.hpp"

namespace mlcycle {

struct AttemptPlan {
  double run_s = 0;  // wall time of the attempt: T, or t_c when it crashes
  bool crashes = false;
  double work_saved_s = 0;  // work kept for the retry (all of W when the attempt finishes)
  double work_done_s = 0;   // compute seconds done by the end or the crash
};

class FailureModel {
 public:
  FailureModel(const FailureSpec& spec, boost::random::mt19937_64 stream);

  double run_time_s(double work_s) const;          // T(W)
  std::uint64_t checkpoints(double work_s) const;  // n(W)

  // Draws the attempt's fate (consumes randomness; see the header comment).
  AttemptPlan plan(double work_s, std::uint32_t gpus);
  bool active() const;  // any crash model
  std::uint32_t max_attempts() const { return spec_.max_retries + 1; }
  const FailureSpec& spec() const { return spec_; }

  // A crash `crash_after_s` into the attempt decided elsewhere (a node failure): the same
  // saved-work arithmetic, no randomness. crash_after_s >= T(W) means the attempt finished.
  AttemptPlan cut(double work_s, double crash_after_s) const;

 private:
  double uniform01();

  FailureSpec spec_;
  boost::random::mt19937_64 stream_;
};

}  // namespace mlcycle
