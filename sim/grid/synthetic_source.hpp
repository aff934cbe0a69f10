#pragma once
// A synthetic grid's generation, made hour by hour as the simulation reaches it, turned into
// intensity by the same MixIntensityModel as a mix file.
#include <cstdint>
#include <memory>

#include "grid/mix_intensity.hpp"
#include "grid/step_timeline.hpp"
#include "grid/synthetic_grid.hpp"

namespace mlcycle {

class SyntheticSource final : public StepSource {
 public:
  SyntheticSource(std::unique_ptr<SyntheticGrid> grid, const GridRegionSpec& spec,
                  std::int64_t start_unix_s);
  double extend(double from_s, double to_s, StepAppender& out) override;

  const SyntheticGrid& grid() const { return *grid_; }
  const MixIntensityModel& model() const { return model_; }
  // Every row generated so far (absolute UTC start, MW per source, row-major).
  const std::vector<double>& row_time_unix_s() const { return time_unix_s_; }
  const std::vector<double>& row_mw() const { return mw_; }

 private:
  std::unique_ptr<SyntheticGrid> grid_;
  MixIntensityModel model_;
  std::int64_t start_unix_s_;
  double next_from_unix_s_;
  std::vector<double> time_unix_s_;
  std::vector<double> mw_;
};

}  // namespace mlcycle
