#pragma once
// A piecewise-constant signal over simulation time (seconds since the scenario start), built
// on demand from a StepSource: the timeline asks its source for more steps only when a query
// reaches past what it holds, so a run never materialises more of a year-long 15-min trace
// than it uses, and integrals cost two binary searches however many steps they span.
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "grid/step_signal.hpp"

namespace mlcycle {

// Receives steps in increasing start time; `origin` is the data row the value came from
// (-1: none), kept so that outputs can show which rows were used.
struct StepAppender {
  std::vector<double>& start_s;
  std::vector<double>& value;
  std::vector<std::int64_t>& origin;
  void add(double t_s, double v, std::int64_t row = -1) {
    start_s.push_back(t_s);
    value.push_back(v);
    origin.push_back(row);
  }
};

class StepSource {
 public:
  virtual ~StepSource() = default;
  // Appends the steps starting in [from_s, to_s); the first call has from_s = 0 and must add a
  // step at 0. Returns the time up to which the signal is now known: beyond from_s, usually
  // to_s or +inf, less when the data ends before to_s. A source that cannot go beyond from_s
  // throws (the run needs a time its data does not have).
  virtual double extend(double from_s, double to_s, StepAppender& out) = 0;
};

// Given steps (start times from 0, strictly increasing); the last value holds forever.
class FixedStepsSource final : public StepSource {
 public:
  FixedStepsSource(std::vector<double> start_s, std::vector<double> value);
  double extend(double from_s, double to_s, StepAppender& out) override;

 private:
  std::vector<double> start_s_;
  std::vector<double> value_;
};

class StepTimeline final : public StepSignal {
 public:
  explicit StepTimeline(std::unique_ptr<StepSource> source, double chunk_s = 30 * 86400.0);

  double value_at(double time_s) const override;
  double integral(double t0_s, double t1_s) const override;
  // The next step after `time_s`, or the end of what is known so far (a possible change).
  double next_change_after_s(double time_s) const override;
  // Makes the timeline known past `time_s` (its value at time_s is known).
  void ensure(double time_s) const;
  // Makes the timeline known up to `time_s` (integrals ending at time_s can be taken; a trace
  // may end exactly there).
  void ensure_through(double time_s) const;
  double known_until_s() const { return known_until_s_; }

  // The steps held so far (start times, values, data rows), for outputs.
  const std::vector<double>& start_s() const { return start_s_; }
  const std::vector<double>& values() const { return value_; }
  const std::vector<std::int64_t>& origins() const { return origin_; }

 private:
  std::size_t step_at(double time_s) const;

  mutable std::unique_ptr<StepSource> source_;
  double chunk_s_;
  mutable std::vector<double> start_s_;
  mutable std::vector<double> value_;
  mutable std::vector<std::int64_t> origin_;
  mutable std::vector<double> prefix_;  // integral from 0 to start_s_[i]
  mutable double known_until_s_ = 0;
};

}  // namespace mlcycle
