#include "output/trace_file.hpp"

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "core/input_error.hpp"
#include "output/background_writer.hpp"
#include "output/h5_appendable.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_datasets.hpp"
#include "output/policy_group.hpp"
#include "output/replayed_job_row.hpp"
#include "output/trace_columns.hpp"
#include "output/trace_types.hpp"

#ifndef MLCYCLE_VERSION
#define MLCYCLE_VERSION "unknown"
#endif

namespace mlcycle {

namespace {

constexpr std::size_t kJobBufferRows = 8192;
constexpr std::size_t kBinBufferRows = 1024;
constexpr std::size_t kMaxPendingBuffers = 4;

// Every HDF5 object of the file: created, written and closed by the writer thread alone.
struct TraceSink {
  h5::Handle file;
  h5::Handle trace_group;
  TraceTypes types;
  std::optional<h5::AppendableDataset> jobs;
  std::vector<std::optional<h5::AppendableDataset>> series;  // by TraceColumns index

  // `logged_columns`: /jobs rows are ReplayedJobRow (a run with replays), else JobRow.
  TraceSink(h5::Handle f, const std::vector<TraceColumn>& columns, bool logged_columns)
      : file(std::move(f)), trace_group(h5::create_group(file.id(), "trace")) {
    if (logged_columns)
      jobs.emplace(file.id(), "jobs", replayed_job_type(types).id(), 0, kJobBufferRows, true);
    else
      jobs.emplace(file.id(), "jobs", types.job_row.id(), 0, kJobBufferRows, true);
    for (const TraceColumn& column : columns)
      create_series(series.size(), column.name, column.width);
  }

  void create_series(std::size_t index, const std::string& name, std::size_t width) {
    if (series.size() <= index) series.resize(index + 1);
    series[index].emplace(trace_group.id(), name, H5T_NATIVE_DOUBLE, width, kBinBufferRows);
  }

  // Columns registered at the first bin get their datasets with their first batch.
  void append(const std::vector<ColumnBatch>& batches, hsize_t bins) {
    for (const ColumnBatch& batch : batches) {
      if (batch.column >= series.size() || !series[batch.column])
        create_series(batch.column, batch.name, batch.width);
      series[batch.column]->append(batch.values.data(), bins);
    }
  }

  // Closing writes the metadata HDF5 caches. Its disk space is reserved first: a full disk shows
  // while every handle can still close cleanly (abandon()); HDF5 1.10 cannot close a file whose
  // flush failed, and crashes at exit.
  void close() {
    for (auto& dataset : series)
      if (dataset) dataset->finish();
    jobs->finish();
    h5::reserve_space(file.id());
    for (auto& dataset : series)
      if (dataset) dataset->close();
    jobs->close();
    trace_group.close("closing /trace");
    file.close("closing the file");
  }

  // After a failure, or with nothing to keep: closes what is open, its writes discarded (the
  // caller removes the file). A no-op after close().
  void abandon() {
    if (file.valid()) h5::discard_writes(file.id());
    series.clear();
    jobs.reset();
    trace_group.reset();
    file.reset();
  }
};

// The run-level tables and attributes, written at commit.
void write_run_level(TraceSink& sink, const Scenario& scenario, const RunOutcome& outcome) {
  const hid_t root = sink.file.id();
  h5::write_attribute(root, "format", std::string("mlcycle-trace"));
  h5::write_attribute(root, "format_version", std::int64_t{kTraceFormatVersion});
  h5::write_attribute(root, "mlcycle_version", std::string(MLCYCLE_VERSION));
  h5::write_attribute(root, "simgrid_version", outcome.provenance.simgrid_version);
  h5::write_attribute(root, "scheduler_context", outcome.provenance.scheduler_context);
  h5::write_attribute(root, "scenario_toml", scenario.effective_toml);
  h5::write_attribute(root, "scenario_path", scenario.source_path);
  h5::write_attribute(root, "seed", static_cast<std::uint64_t>(scenario.simulation.seed));
  h5::write_attribute(root, "start_utc", format_iso8601(scenario.simulation.start));
  h5::write_attribute(root, "end_s", outcome.summary.makespan_s);
  h5::write_attribute(
      root, "engine",
      std::string(scenario.simulation.engine == EngineMode::exec ? "exec" : "analytic"));

  write_campaign_table(root, scenario, outcome.summary);
  write_deployment_table(root, outcome.summary);
  std::vector<std::string> stages;
  for (const StageSpec& st : scenario.stages) stages.push_back(st.name);
  h5::write_strings(root, "stages", stages);
  h5::write_strings(root, "clusters", outcome.cluster_names);
  write_host_table(root, sink.types, outcome);

  const hid_t trace = sink.trace_group.id();
  std::vector<std::string> series;
  for (std::string_view s : kSeriesNames) series.emplace_back(s);
  h5::write_strings(trace, "series", series);
  std::vector<std::string> regions;
  for (const GridRegionSpec& g : scenario.grids) regions.push_back(g.name);
  h5::write_strings(trace, "regions", regions);
  write_grid_group(root, outcome);
  h5::write_attribute(trace, "step_s", scenario.output.trace_step_s);

  write_summary_group(root, sink.types, scenario, outcome);
  if (outcome.policy) write_policy_group(root, *outcome.policy);

  h5::write_attribute(root, "heap_huge_pages", outcome.provenance.heap_huge_pages);
  h5::write_attribute(root, "wall_time_s", outcome.provenance.wall_time_s);
  // Written last: a reader (sweep --resume) trusts a file only when it carries this.
  h5::write_attribute(root, "complete", std::int64_t{1});
}

// An HDF5 failure while writing, as one line: the operating system's reason when HDF5 met one
// (a full disk: "No space left on device"), else HDF5's own top line.
std::runtime_error write_failure(const std::string& path, const h5::Error& e) {
  const std::string reason = e.system_errno() != 0
                                 ? std::system_category().message(e.system_errno())
                                 : std::string(e.what());
  return std::runtime_error("writing " + path + ": " + reason);
}

}  // namespace

struct TraceFile::Impl {
  // The simulation thread's: rows and bins buffered until a chunk's worth is full.
  std::vector<JobRow> job_rows;
  std::vector<ReplayedJobRow> replayed_rows;  // instead of job_rows when logged_columns
  bool logged_columns;
  TraceColumns columns;
  std::string path;  // the file's final name, for messages
  // The writer thread's alone, from its first task to its last breath (on_stop).
  std::unique_ptr<TraceSink> sink;
  BackgroundWriter writer{kMaxPendingBuffers, [this] {
                            if (sink) sink->abandon();
                            sink.reset();
                          }};  // last member: stops first

  Impl(std::string final_path, std::size_t regions, bool logged)
      : logged_columns(logged), columns(regions), path(std::move(final_path)) {
    if (logged_columns)
      replayed_rows.reserve(kJobBufferRows);
    else
      job_rows.reserve(kJobBufferRows);
  }

  // Runs `task` on the writer thread, its HDF5 failures reported as failures to write the file.
  template <typename Task>
  void run(Task task) {
    writer.submit([this, task = std::move(task)]() mutable {
      try {
        task();
      } catch (const h5::Error& e) {
        throw write_failure(path, e);
      }
    });
  }

  void open(const std::string& temp_path) {
    writer.submit([this, temp_path] {
      // This thread's error stack: failures become exceptions, not stderr dumps.
      h5::silence_errors_for_good();
      h5::Handle file;
      try {
        file = h5::create_file(temp_path);
      } catch (const h5::Error&) {
        throw InputError(SourceLocation{path, 0, 0}, "--output",
                         "cannot create " + temp_path + " (is the directory writable?)");
      }
      try {
        sink = std::make_unique<TraceSink>(std::move(file), columns.columns(), logged_columns);
      } catch (const h5::Error& e) {
        throw write_failure(path, e);
      }
    });
    writer.wait();
  }

  // Full buffers move to the writer thread, which compresses and appends them in order.
  void flush_jobs() {
    flush_rows(job_rows);
    flush_rows(replayed_rows);
  }
  template <typename Row>
  void flush_rows(std::vector<Row>& rows) {
    if (rows.empty()) return;
    run([this, full = std::move(rows)] { sink->jobs->append(full.data(), full.size()); });
    rows = {};
    rows.reserve(kJobBufferRows);
  }
  void flush_bins() {
    const hsize_t bins = columns.buffered_bins();
    if (bins == 0) return;
    run([this, bins, batches = columns.take()] { sink->append(batches, bins); });
  }
};

TraceFile::TraceFile(std::string path, std::size_t regions, bool logged_columns)
    : path_(std::move(path)), temp_path_(path_ + ".tmp") {
  std::error_code unknown;  // a path the system cannot look up fails to open below
  if (std::filesystem::is_directory(path_, unknown))
    throw InputError(SourceLocation{path_, 0, 0}, "--output", "is a directory, not a file name");
  const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent, unknown))
    throw InputError(SourceLocation{path_, 0, 0}, "--output",
                     "directory " + parent.string() + " does not exist");
  // The temporary is created here first, without HDF5: an unwritable path fails before HDF5 sees
  // it (a failed create leaves part of HDF5 1.10 unreleased, and it then prints "infinite loop
  // closing library" at exit from whichever thread exits).
  std::FILE* probe = std::fopen(temp_path_.c_str(), "wb");
  if (!probe)
    throw InputError(SourceLocation{path_, 0, 0}, "--output",
                     "cannot create " + temp_path_ + " (is the directory writable?)");
  std::fclose(probe);
  impl_ = std::make_unique<Impl>(path_, regions, logged_columns);
  try {
    impl_->open(temp_path_);
  } catch (...) {
    impl_.reset();
    std::remove(temp_path_.c_str());
    throw;
  }
}

TraceFile::~TraceFile() {
  if (committed_) return;
  impl_.reset();  // the writer thread closes what is open, then stops
  std::remove(temp_path_.c_str());
}

void TraceFile::record_job(const JobRecord& job) {
  if (impl_->logged_columns) {
    impl_->replayed_rows.push_back(to_replayed_job_row(job));
    if (impl_->replayed_rows.size() == kJobBufferRows) impl_->flush_jobs();
  } else {
    impl_->job_rows.push_back(to_job_row(job));
    if (impl_->job_rows.size() == kJobBufferRows) impl_->flush_jobs();
  }
}

void TraceFile::record_bin(const TraceBin& bin) {
  impl_->columns.record(bin);
  if (impl_->columns.buffered_bins() == kBinBufferRows) impl_->flush_bins();
}

void TraceFile::commit(const Scenario& scenario, const RunOutcome& outcome) {
  Impl& m = *impl_;
  m.flush_jobs();
  m.flush_bins();
  m.run([&m, &scenario, &outcome] {
    write_run_level(*m.sink, scenario, outcome);
    m.sink->close();
  });
  m.writer.finish();  // the file is closed, or the failure to write it rethrown here
  impl_.reset();
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec)
    throw std::runtime_error("cannot rename " + temp_path_ + " to " + path_ + ": " + ec.message());
  committed_ = true;
}

}  // namespace mlcycle
