#include "grid/step_timeline.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mlcycle {

FixedStepsSource::FixedStepsSource(std::vector<double> start_s, std::vector<double> value)
    : start_s_(std::move(start_s)), value_(std::move(value)) {
  if (start_s_.empty() || start_s_.size() != value_.size() || start_s_.front() != 0.0)
    throw std::invalid_argument("FixedStepsSource: steps must start at 0, one value each");
}

double FixedStepsSource::extend(double from_s, double, StepAppender& out) {
  if (from_s == 0.0)
    for (std::size_t i = 0; i < start_s_.size(); ++i) out.add(start_s_[i], value_[i]);
  return std::numeric_limits<double>::infinity();
}

StepTimeline::StepTimeline(std::unique_ptr<StepSource> source, double chunk_s)
    : source_(std::move(source)), chunk_s_(chunk_s) {}

void StepTimeline::ensure(double time_s) const {
  ensure_through(time_s);
  if (known_until_s_ <= time_s) ensure_through(std::nextafter(time_s, HUGE_VAL));
}

void StepTimeline::ensure_through(double time_s) const {
  while (known_until_s_ < time_s || start_s_.empty()) {
    const double from_s = start_s_.empty() ? 0.0 : known_until_s_;
    // Whole seconds: sources map data rows to simulation time exactly.
    const double to_s = std::ceil(std::max(time_s + 1.0, from_s + chunk_s_));
    const std::size_t before = start_s_.size();
    StepAppender out{start_s_, value_, origin_};
    const double known_s = source_->extend(from_s, to_s, out);
    if (start_s_.empty() || start_s_.front() != 0.0)
      throw std::logic_error("StepTimeline: the first step must start at 0");
    if (!(known_s > from_s)) throw std::logic_error("StepTimeline: source did not extend");
    for (std::size_t i = std::max<std::size_t>(before, 1); i < start_s_.size(); ++i)
      if (!(start_s_[i] > start_s_[i - 1]))
        throw std::logic_error("StepTimeline: step times must increase");
    prefix_.resize(start_s_.size());
    for (std::size_t i = before; i < start_s_.size(); ++i)
      prefix_[i] = i == 0 ? 0.0 : prefix_[i - 1] + value_[i - 1] * (start_s_[i] - start_s_[i - 1]);
    known_until_s_ = known_s;
  }
}

std::size_t StepTimeline::step_at(double time_s) const {
  ensure(time_s);
  auto it = std::upper_bound(start_s_.begin(), start_s_.end(), time_s);
  return it == start_s_.begin() ? 0 : static_cast<std::size_t>(it - start_s_.begin() - 1);
}

double StepTimeline::value_at(double time_s) const {
  return value_[step_at(time_s)];
}

double StepTimeline::integral(double t0_s, double t1_s) const {
  ensure_through(t1_s);
  auto index = [&](double t) {
    auto it = std::upper_bound(start_s_.begin(), start_s_.end(), t);
    return it == start_s_.begin() ? std::size_t{0}
                                  : static_cast<std::size_t>(it - start_s_.begin() - 1);
  };
  const std::size_t i1 = index(t1_s);
  const std::size_t i0 = index(t0_s);
  // Within one step, multiply directly; across steps, the whole steps between come from the
  // prefix sums and the two partial ones are multiplied, so no large sums cancel.
  if (i0 == i1) return value_[i0] * (t1_s - t0_s);
  return value_[i0] * (start_s_[i0 + 1] - t0_s) + (prefix_[i1] - prefix_[i0 + 1]) +
         value_[i1] * (t1_s - start_s_[i1]);
}

double StepTimeline::next_change_after_s(double time_s) const {
  const std::size_t i = step_at(time_s);
  return i + 1 < start_s_.size() ? start_s_[i + 1] : known_until_s_;
}

}  // namespace mlcycle
