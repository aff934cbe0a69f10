#include <catch2/catch.hpp>
#include <cmath>

#include "core/seed_stream.hpp"
#include "workload/failure_model.hpp"

using namespace mlcycle;

namespace {
constexpr double kHour = 3600;

FailureSpec checkpointed(double interval_h, double write_h) {
  FailureSpec spec;
  spec.checkpoint_interval_s = interval_h * kHour;
  spec.checkpoint_write_s = write_h * kHour;
  return spec;
}

FailureModel model_of(const FailureSpec& spec, std::uint64_t seed = 1) {
  return FailureModel(spec, make_stream(seed, 77));
}
}  // namespace

TEST_CASE("run time adds one write per checkpoint but none at the end", "[failures]") {
  const FailureModel m = model_of(checkpointed(1, 0.1));
  // W = 10 h, I = 1 h: ceil(10 / 1) - 1 = 9 checkpoints; T = 10 + 0.1 x 9 = 10.9 h.
  CHECK(m.checkpoints(10 * kHour) == 9);
  CHECK(m.run_time_s(10 * kHour) == Approx(10.9 * kHour).epsilon(1e-12));
  // W = I exactly: ceil(1) - 1 = 0 checkpoints; T = W = 3600 s.
  CHECK(m.checkpoints(kHour) == 0);
  CHECK(m.run_time_s(kHour) == kHour);
  // W = 0.5 h < I: no checkpoint; T = 1800 s.
  CHECK(m.run_time_s(0.5 * kHour) == 0.5 * kHour);
  // W = 1.5 h: ceil(1.5) - 1 = 1 checkpoint; T = 1.5 + 0.1 = 1.6 h = 5760 s.
  CHECK(m.run_time_s(1.5 * kHour) == 5760);
  CHECK(m.run_time_s(0) == 0);
}

TEST_CASE("run time without checkpoints is the work itself", "[failures]") {
  const FailureModel m = model_of(FailureSpec{});
  CHECK(m.checkpoints(10 * kHour) == 0);
  CHECK(m.run_time_s(10 * kHour) == 10 * kHour);
  CHECK(m.run_time_s(123.25) == 123.25);
}

TEST_CASE("a floating-point residue of W - saved adds no checkpoint", "[failures]") {
  const FailureModel m = model_of(checkpointed(0.1, 0.01));
  // I = 360 s, W = 1080 s x (1 + 1e-15), the kind of residue W - k I leaves: W / I = 3 + 3e-15
  // would ceil to 4; it counts as 3 intervals, 2 checkpoints: T = 1080 + 2 x 36 = 1152 s.
  const double work_s = 1080 * (1 + 1e-15);
  CHECK(m.checkpoints(work_s) == 2);
  CHECK(m.run_time_s(work_s) == Approx(1152).epsilon(1e-12));
}

TEST_CASE("a crash between checkpoints keeps the written ones", "[failures]") {
  const FailureModel m = model_of(checkpointed(1, 0.1));
  // W = 10 h, crash at 3.5 h wall. Checkpoints complete at 1.1 h, 2.2 h, 3.3 h: 3 written,
  // saved = 3 x 1 h = 3 h. Compute done = 3.5 - 3 x 0.1 = 3.2 h; lost = 0.2 h.
  const AttemptPlan p = m.cut(10 * kHour, 3.5 * kHour);
  CHECK(p.crashes);
  CHECK(p.run_s == 3.5 * kHour);
  CHECK(p.work_saved_s == 3 * kHour);
  CHECK(p.work_done_s == Approx(3.2 * kHour).epsilon(1e-12));
  CHECK(p.work_done_s - p.work_saved_s == Approx(0.2 * kHour).epsilon(1e-9));
}

TEST_CASE("a crash while writing a checkpoint loses that checkpoint", "[failures]") {
  const FailureModel m = model_of(checkpointed(1, 0.1));
  // Crash at 3.25 h: the third write runs from 3.2 h to 3.3 h, so only 2 checkpoints are
  // complete: saved = 2 h. Compute done = 3 intervals = 3 h (writing since 3.2 h); lost = 1 h.
  const AttemptPlan p = m.cut(10 * kHour, 3.25 * kHour);
  CHECK(p.crashes);
  CHECK(p.work_saved_s == 2 * kHour);
  CHECK(p.work_done_s == 3 * kHour);
  // Exactly at the end of a write (3.3 h = 11880 s): 3 checkpoints count as written.
  CHECK(m.cut(10 * kHour, 11880).work_saved_s == 3 * kHour);
}

TEST_CASE("a crash after the last checkpoint and cuts past the end", "[failures]") {
  const FailureModel m = model_of(checkpointed(1, 0.1));
  // W = 2.5 h: checkpoints at 1.1 h and 2.2 h, T = 2.5 + 0.2 = 2.7 h. Crash at 2.6 h: saved
  // 2 h, compute done = 2 h + (2.6 - 2.2) h = 2.4 h.
  const AttemptPlan late = m.cut(2.5 * kHour, 2.6 * kHour);
  CHECK(late.crashes);
  CHECK(late.work_saved_s == 2 * kHour);
  CHECK(late.work_done_s == Approx(2.4 * kHour).epsilon(1e-12));
  // A cut at or after T = 2.7 h is no crash: the whole 2.5 h of work is done and kept.
  const AttemptPlan done = m.cut(2.5 * kHour, 2.7 * kHour);
  CHECK_FALSE(done.crashes);
  CHECK(done.run_s == Approx(2.7 * kHour).epsilon(1e-12));
  CHECK(done.work_saved_s == 2.5 * kHour);
  CHECK(done.work_done_s == 2.5 * kHour);
  // Without checkpoints a crash at 1 h of a 2.5 h job keeps nothing and did 1 h.
  const AttemptPlan bare = model_of(FailureSpec{}).cut(2.5 * kHour, kHour);
  CHECK(bare.crashes);
  CHECK(bare.work_saved_s == 0);
  CHECK(bare.work_done_s == kHour);
}

TEST_CASE("crash probability 1 always crashes inside the run, 0 never", "[failures]") {
  FailureSpec spec = checkpointed(1, 0.1);
  spec.crash_probability = 1;
  FailureModel always = model_of(spec);
  CHECK(always.active());
  const double run_s = always.run_time_s(10 * kHour);  // 10.9 h
  for (int i = 0; i < 1000; ++i) {
    const AttemptPlan p = always.plan(10 * kHour, 8);
    REQUIRE(p.crashes);
    CHECK(p.run_s >= 0);
    CHECK(p.run_s < run_s);
    CHECK(p.work_saved_s <= p.work_done_s);
  }
  spec.crash_probability = 0;
  FailureModel never = model_of(spec);
  CHECK_FALSE(never.active());
  for (int i = 0; i < 1000; ++i) {
    const AttemptPlan p = never.plan(10 * kHour, 8);
    REQUIRE_FALSE(p.crashes);
    CHECK(p.run_s == run_s);
    CHECK(p.work_saved_s == 10 * kHour);
  }
}

TEST_CASE("crash probability 0.3 crashes 30 % of attempts", "[failures]") {
  FailureSpec spec;
  spec.crash_probability = 0.3;
  FailureModel m = model_of(spec, 5);
  int crashes = 0;
  double sum_fraction = 0;
  for (int i = 0; i < 20000; ++i) {
    const AttemptPlan p = m.plan(kHour, 1);
    if (p.crashes) {
      ++crashes;
      sum_fraction += p.run_s / kHour;
    }
  }
  // Binomial(20000, 0.3): mean 6000, sigma = sqrt(20000 x 0.3 x 0.7) = 64.8; 4 sigma = 259.
  CHECK(std::abs(crashes - 6000) < 259);
  // Crash times are uniform on [0, T): mean fraction 1/2, sigma = sqrt(1/12 / 6000) = 0.0037.
  CHECK(sum_fraction / crashes == Approx(0.5).margin(4 * 0.0037));
}

TEST_CASE("the rate model's crash times are exponential with rate r x gpus", "[failures]") {
  FailureSpec spec;
  spec.rate_per_gpu_hour = 0.01;
  FailureModel m = model_of(spec, 11);
  // lambda = 0.01 x 8 / 3600 per s: mean 1 / lambda = 12.5 h = 45000 s. A 1e9 s job outlives
  // a crash with probability exp(-1e9 / 45000) ~ 0, so every attempt crashes.
  const int n = 20000;
  double sum_s = 0;
  for (int i = 0; i < n; ++i) {
    const AttemptPlan p = m.plan(1e9, 8);
    REQUIRE(p.crashes);
    sum_s += p.run_s;
  }
  // Standard error of the mean: 45000 / sqrt(20000) = 318 s; 4 sigma = 1273 s.
  CHECK(std::abs(sum_s / n - 45000) < 1273);
  // A job far shorter than 1 / lambda mostly finishes: P(crash) = 1 - exp(-60 / 45000) = 0.13 %.
  int short_crashes = 0;
  for (int i = 0; i < 1000; ++i) short_crashes += m.plan(60, 8).crashes;
  CHECK(short_crashes < 10);  // mean 1.3, Poisson: P(>= 10) ~ 1e-6
}

TEST_CASE("equal streams give equal plans and outcomes do not shift later draws", "[failures]") {
  FailureSpec spec = checkpointed(1, 0.1);
  spec.crash_probability = 0.5;
  FailureModel a = model_of(spec, 3), b = model_of(spec, 3), c = model_of(spec, 4);
  int differ_from_other_seed = 0;
  for (int i = 0; i < 200; ++i) {
    const AttemptPlan pa = a.plan(10 * kHour, 4), pb = b.plan(10 * kHour, 4);
    const AttemptPlan pc = c.plan(10 * kHour, 4);
    CHECK(pa.crashes == pb.crashes);
    CHECK(pa.run_s == pb.run_s);
    CHECK(pa.work_saved_s == pb.work_saved_s);
    differ_from_other_seed += pa.run_s != pc.run_s;
  }
  CHECK(differ_from_other_seed > 50);
  // Draws stay aligned whatever the outcomes: on one stream, plan i always uses uniforms 2i and
  // 2i + 1. So with p = 0.5 and p = 0.9 every crash of the first is a crash of the second, at
  // the same time; a model that drew the crash time only on a crash would break this coupling.
  FailureSpec likely = spec;
  likely.crash_probability = 0.9;
  FailureModel x = model_of(spec, 9), y = model_of(likely, 9);
  int x_crashes = 0, y_only = 0;
  for (int i = 0; i < 500; ++i) {
    const AttemptPlan px = x.plan(5 * kHour, 4), py = y.plan(5 * kHour, 4);
    if (px.crashes) {
      ++x_crashes;
      REQUIRE(py.crashes);
      CHECK(px.run_s == py.run_s);
    } else {
      y_only += py.crashes;
    }
  }
  CHECK(x_crashes > 150);  // mean 250
  CHECK(y_only > 100);     // mean 500 x 0.4 = 200
  FailureSpec rated;
  rated.rate_per_gpu_hour = 0.5;
  FailureModel r1 = model_of(rated, 9), r2 = model_of(rated, 9);
  r1.plan(1e6, 8);  // certainly crashes
  r2.plan(1, 1);    // almost certainly not
  for (int i = 0; i < 50; ++i) CHECK(r1.plan(kHour, 2).run_s == r2.plan(kHour, 2).run_s);
}

TEST_CASE("retries after crashes finish the work with the saved part kept", "[failures]") {
  FailureSpec spec = checkpointed(1, 0.1);
  spec.crash_probability = 0.5;
  FailureModel m = model_of(spec, 21);
  // Work left drops by exactly what each crash saved, in whole intervals, until an attempt
  // finishes (P(100 crashes in a row) = 2^-100).
  double left_s = 10 * kHour;
  for (int attempt = 0; attempt < 100 && left_s > 0; ++attempt) {
    const AttemptPlan p = m.plan(left_s, 1);
    CHECK(p.work_saved_s <= left_s);
    CHECK(std::fmod(p.crashes ? p.work_saved_s : 0, kHour) == 0);  // whole intervals only
    left_s = p.crashes ? left_s - p.work_saved_s : 0;
  }
  CHECK(left_s == 0);
}
