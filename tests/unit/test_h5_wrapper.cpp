// The HDF5 wrapper of the output wing (sim/output/h5*.hpp) and the trace's column registry: errors
// carry HDF5's top line, compound rows and fields round-trip, appendable datasets keep the rows
// that do not fill a chunk until finish(), and the first bin registers the width-known-late
// series.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "output/h5.hpp"
#include "output/h5_appendable.hpp"
#include "output/h5_attributes.hpp"
#include "output/h5_datasets.hpp"
#include "output/h5_types.hpp"
#include "output/trace_columns.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;

namespace {

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("mlcycle-h5-" + std::to_string(getpid()) + ".h5");
  ~TempFile() { fs::remove(path); }
};

struct Row {
  std::uint32_t count;
  double energy_j;
};

}  // namespace

TEST_CASE("h5::Error names what failed and carries HDF5's top line", "[h5]") {
  TempFile temp;
  h5::QuietErrors quiet;
  h5::Handle file = h5::create_file(temp.path.string());
  try {
    h5::check(H5Dopen2(file.id(), "missing", H5P_DEFAULT), "opening /missing");
    FAIL("no exception");
  } catch (const h5::Error& e) {
    CHECK(std::string(e.what()).find("opening /missing") != std::string::npos);
    CHECK(e.stack_top().find("H5Dopen2()") == 0);
    CHECK(e.system_errno() == 0);
  }
}

TEST_CASE("compound rows written by the builder read back by field and as rows", "[h5]") {
  TempFile temp;
  h5::QuietErrors quiet;
  h5::Handle file = h5::create_file(temp.path.string());
  h5::CompoundType type(sizeof(Row));
  type.add("count", offsetof(Row, count), H5T_NATIVE_UINT32)
      .add("energy_j", offsetof(Row, energy_j), H5T_NATIVE_DOUBLE);
  const std::vector<Row> rows = {{1, 2.5}, {3, 4.5}};
  h5::write_rows(file.id(), "rows", type.packed().id(), type.id(), rows.data(), rows.size());
  h5::write_attribute(file.id(), "label", std::string("two rows"));
  file.close("closing");  // the readers check headers on disk: they read closed files

  file = h5::open_file(temp.path.string());
  REQUIRE(file.valid());
  h5::Handle dataset = h5::open_dataset(file.id(), "rows");
  CHECK(h5::rank_of(dataset.id()) == 1);
  h5::Handle stored = h5::dataset_type(dataset.id());
  CHECK(h5::class_of(stored.id()) == H5T_COMPOUND);
  CHECK(h5::member_count(stored.id()) == 2);
  CHECK(h5::member_name(stored.id(), 1) == std::optional<std::string>("energy_j"));
  CHECK_FALSE(h5::has_member(stored.id(), "power_w"));
  CHECK(h5::read_field<double>(dataset.id(), "energy_j", H5T_NATIVE_DOUBLE, 2) ==
        std::optional<std::vector<double>>({2.5, 4.5}));
  CHECK_FALSE(h5::read_field<double>(dataset.id(), "power_w", H5T_NATIVE_DOUBLE, 2));
  CHECK(h5::read_string_attribute(file.id(), "label") == std::optional<std::string>("two rows"));
  CHECK_FALSE(h5::read_double_attribute(file.id(), "absent"));
}

TEST_CASE("an appendable dataset writes the rows short of a chunk at finish()", "[h5]") {
  TempFile temp;
  h5::QuietErrors quiet;
  h5::Handle file = h5::create_file(temp.path.string());
  std::vector<double> values;
  {
    h5::AppendableDataset dataset(file.id(), "series", H5T_NATIVE_DOUBLE, 2, 4);
    for (int batch = 0; batch < 3; ++batch) {  // 3 rows at a time: chunks fill across appends
      std::vector<double> rows;
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 2; ++c) rows.push_back(batch * 100 + r * 10 + c);
      dataset.append(rows.data(), 3);
      values.insert(values.end(), rows.begin(), rows.end());
    }
    CHECK(dataset.rows() == 9);
    dataset.finish();
    dataset.close();
  }
  h5::Handle dataset = h5::open_dataset(file.id(), "series");
  std::vector<double> read(values.size());
  REQUIRE(H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, read.data()) >=
          0);
  CHECK(read == values);
}

TEST_CASE("the trace's columns: fixed ones from the start, the first bin adds the rest",
          "[h5][trace]") {
  TraceColumns columns(2);
  CHECK(columns.columns().size() == 11);
  TraceBin bin;
  bin.time_s = 0;
  bin.duration_s = 10;
  bin.energy_j = {100, 0, 0, 0};
  bin.co2_g = {5, 0, 0, 0};
  bin.region_energy_j = {60, 40};
  bin.region_co2_g = {3, 2};
  bin.region_intensity_g_per_kwh = {1, 2};
  bin.cluster_busy_gpus = {1.5};
  bin.cluster_queue_jobs = {0};
  bin.source_energy_j = {70, 30};  // one campaign, then one deployment
  bin.source_co2_g = {4, 1};
  bin.deployment_replicas = {2};
  // Over the bin's 10 s: 5 replica-seconds at work, 30 requests (3 late), TTFT sum 6 and TPOT sum
  // 0.75 request-seconds, 100 J of IT power of which 25 J static.
  bin.deployment_sums = {DeploymentLevels{20, 5, 30, 3, 1500, 3000, 6, 0.75, 100, 25}};
  columns.record(bin);
  columns.record(bin);
  CHECK(columns.buffered_bins() == 2);
  const std::vector<ColumnBatch> batches = columns.take();
  REQUIRE(batches.size() == 26);
  CHECK(columns.buffered_bins() == 0);
  auto find = [&](const std::string& name) {
    for (const ColumnBatch& b : batches)
      if (b.name == name) return b;
    FAIL("no column " << name);
    return ColumnBatch{};
  };
  CHECK(find("power_w").values == std::vector<double>{10, 10});
  CHECK(find("energy_cumulative_j").values == std::vector<double>{100, 0, 0, 0, 200, 0, 0, 0});
  CHECK(find("campaign_energy_j").values == std::vector<double>{70, 70});
  CHECK(find("deployment_co2_g").values == std::vector<double>{1, 1});
  CHECK(find("deployment_served").values == std::vector<double>{30, 30});
  CHECK(find("deployment_output_tokens").values == std::vector<double>{3000, 3000});
  CHECK(find("deployment_ttft_mean_s").values == std::vector<double>{0.2, 0.2});  // 6 / 30
  CHECK(find("deployment_tpot_mean_s").values == std::vector<double>{0.025, 0.025});
  CHECK(find("deployment_static_share").values == std::vector<double>{0.25, 0.25});
  // 5 replica-seconds at work in the 10-s bin: half a replica busy on average.
  CHECK(find("deployment_busy_replicas").values == std::vector<double>{0.5, 0.5});
  CHECK(find("cluster_busy_gpus").width == 1);
  CHECK(find("region_energy_j").width == 2);
}
