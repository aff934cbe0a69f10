#pragma once
// The /trace series of a run as one registry of columns: each column is a dataset's name, its
// width (values per bin), how a bin fills it, and the bins buffered for it. The simulation
// thread fills the buffers; whole batches of bins are handed to the writer thread, which owns
// the datasets (trace_file.cpp). No HDF5 here: this side never touches the file.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "accounting/run_records.hpp"

namespace mlcycle {

// What a bin adds to the trace besides its own fields: derived figures and running sums.
struct BinFigures {
  const TraceBin& bin;
  double power_w;              // mean power: energy over the bin's time
  double intensity_g_per_kwh;  // energy-weighted; NaN with no energy drawn
  const std::array<double, kSeriesCount>& energy_cumulative_j;
  const std::array<double, kSeriesCount>& co2_cumulative_g;
  std::size_t campaigns;  // the source_* entries before the deployments'
};

struct TraceColumn {
  using Fill = void (*)(const BinFigures&, std::vector<double>& out);
  std::string name;            // the dataset /trace/<name>
  std::size_t width;           // values per bin; 0: one value, a 1-D dataset
  Fill fill;                   // appends a bin's values (width of them, or one)
  std::vector<double> values;  // bins not yet handed to the writer, row after row
};

// Buffered bins of one column, handed over whole: `column` is its index in the registry.
struct ColumnBatch {
  std::size_t column;
  std::string name;
  std::size_t width;
  std::vector<double> values;
};

class TraceColumns {
 public:
  // Registers the columns every trace has; `regions`: the per-region series' width.
  explicit TraceColumns(std::size_t regions);

  // Appends one bin to every column. The first bin registers the per-cluster, per-campaign and
  // per-deployment columns too: their widths are known only then (the platform loads after the
  // trace file is open). A width of 0 registers nothing: such datasets cannot be appended to.
  void record(const TraceBin& bin);

  const std::vector<TraceColumn>& columns() const { return columns_; }
  std::size_t buffered_bins() const { return buffered_bins_; }
  // The buffered bins of every column, in registration order; the buffers start anew.
  std::vector<ColumnBatch> take();

 private:
  void add(std::string name, std::size_t width, TraceColumn::Fill fill);
  void add_first_bin_columns(const TraceBin& bin);
  void add_deployment_sums(std::size_t deployments);

  std::vector<TraceColumn> columns_;
  bool first_bin_seen_ = false;
  std::size_t campaigns_ = 0;
  std::size_t buffered_bins_ = 0;
  std::array<double, kSeriesCount> energy_sum_j_{}, co2_sum_g_{};
};

}  // namespace mlcycle
