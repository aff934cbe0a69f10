#include "grid/synthetic_source.hpp"

#include <cmath>
#include <stdexcept>

namespace mlcycle {

SyntheticSource::SyntheticSource(std::unique_ptr<SyntheticGrid> grid, const GridRegionSpec& spec,
                                 std::int64_t start_unix_s)
    : grid_(std::move(grid)),
      model_(grid_->sources(), spec, grid_->own_factors_g_per_kwh()),
      start_unix_s_(start_unix_s),
      // The step holding at the start begins at or before it.
      next_from_unix_s_(std::floor(static_cast<double>(start_unix_s) / grid_->step_s()) *
                        grid_->step_s()) {
  if (!model_.linked_regions().empty())
    throw std::logic_error("synthetic grids have no import columns");
}

double SyntheticSource::extend(double /*from_s*/, double to_s, StepAppender& out) {
  const double start = static_cast<double>(start_unix_s_);
  const double step_s = grid_->step_s();
  // Rows up to the one holding at to_s.
  const double to_unix = std::floor((start + to_s) / step_s) * step_s + step_s;
  const std::size_t before = time_unix_s_.size();
  grid_->generate(next_from_unix_s_, to_unix, time_unix_s_, mw_);
  next_from_unix_s_ = to_unix;
  const std::size_t sources = grid_->sources().size();
  for (std::size_t row = before; row < time_unix_s_.size(); ++row) {
    const double g = model_.intensity(&mw_[row * sources]);
    if (std::isnan(g)) throw std::logic_error("synthetic grid generated a row without generation");
    out.add(std::max(0.0, time_unix_s_[row] - start), g, static_cast<std::int64_t>(row));
  }
  return to_unix - start;
}

}  // namespace mlcycle
