#pragma once
// Data series (absolute UTC) mapped onto simulation time, with the scenario's coverage rules:
// gaps longer than max_gap are an error unless filled; times outside the data are an error
// unless held at the edges or wrapped into the data's year by calendar date and time of day.
#include <cstdint>
#include <string>

#include "grid/step_timeline.hpp"
#include "grid/time_series.hpp"
#include "scenario/grid_spec.hpp"

namespace mlcycle {

// Checks gaps and applies `fill`; the series then covers [first row, last row + median step).
// `key` names the scenario entry in messages (e.g. "grid.de").
IntensitySeries prepare_series(IntensitySeries series, const CoverageSpec& coverage,
                               const std::string& key);

class SeriesSource final : public StepSource {
 public:
  SeriesSource(IntensitySeries prepared, CoverageSpec coverage, std::int64_t start_unix_s,
               std::string key);
  double extend(double from_s, double to_s, StepAppender& out) override;

  double data_end_unix_s() const { return end_unix_s_; }

 private:
  // Appends the steps of simulation time [sim_from, sim_to), where simulation time = data time
  // + offset_s (a whole number of seconds).
  void append_mapped(double sim_from_s, double sim_to_s, double offset_s, StepAppender& out);
  [[noreturn]] void uncovered(double unix_s) const;

  IntensitySeries data_;
  CoverageSpec coverage_;
  std::int64_t start_unix_s_;
  std::string key_;
  double end_unix_s_;
  int data_year_ = 0;  // the year wrap maps into
};

}  // namespace mlcycle
