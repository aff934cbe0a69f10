// Sweep outputs (sweep.h5: /runs, /aggregates, /run_files; sweep.csv), read back with the HDF5 C
// API, and run files read back for a sweep (complete flag, headline values).
#include <hdf5.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "output/run_file_reader.hpp"
#include "output/trace_file.hpp"
#include "sweep/sweep_tables.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("mlcycle-" + name + "-" + std::to_string(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path / "runs");
  }
  ~TempDir() { fs::remove_all(path); }
};

// A run file as `mlcycle run` commits it, from a hand-made summary (no bins, no jobs).
void write_run_file(const fs::path& path, RunSummary summary = {}) {
  TraceFile trace(path.string(), 1);
  RunOutcome outcome;
  outcome.summary = summary;
  outcome.provenance.wall_time_s = 12.5;
  trace.commit(Scenario{}, outcome);
}

struct H5 {  // a handle closed at scope exit
  hid_t id;
  herr_t (*close)(hid_t);
  ~H5() {
    if (id >= 0) close(id);
  }
};

SweepValue integer(std::int64_t v) {
  return {.type = SweepValue::Type::integer, .text = std::to_string(v), .integer = v};
}

// 2 axes (integer, string) x 2 replicates; point p = 2a + b, seed = 7 + r.
SweepPlan small_plan() {
  SweepPlan plan;
  plan.scenario_path = "scenarios/x.toml";
  plan.definition_text = "vary = campaign.lisa.trials=10,20\nvary = grid.site=fr,\"us,east\"\n";
  plan.replicates = 2;
  plan.base_seed = 7;
  plan.axes.push_back(SweepAxis{{"campaign.lisa.trials"}, {{integer(10), integer(20)}}});
  plan.axes.push_back(
      SweepAxis{{"grid.site"}, {{SweepValue{.text = "fr"}, SweepValue{.text = "us,east"}}}});
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      for (std::uint32_t r = 0; r < 2; ++r) {
        SweepPoint p;
        p.point = static_cast<std::size_t>(2 * a + b);
        p.replicate = r;
        p.seed = 7 + r;
        p.id = "p000" + std::to_string(p.point) + "-r" + std::to_string(r);
        p.settings = {{"campaign.lisa.trials", plan.axes[0].values[0][a]},
                      {"grid.site", plan.axes[1].values[0][b]}};
        plan.points.push_back(p);
      }
  return plan;
}

// headline[i] = 100 p + 10 r + i; p0001-r1 failed; wall time 0.1 for the first run.
std::vector<SweepRow> small_rows(const SweepPlan& plan) {
  std::vector<SweepRow> rows;
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    SweepRow row{plan.points[k], {}, "runs/" + plan.points[k].id + ".h5"};
    row.outcome.wall_time_s = k == 0 ? 0.1 : 1.5 + 0.25 * static_cast<double>(k);
    if (row.point.id == "p0001-r1") {
      row.outcome.status = PointStatus::failed;
      row.outcome.error = "grid \"x\", bad";
    } else {
      row.outcome.status = PointStatus::done;
      for (std::size_t i = 0; i < headline_names().size(); ++i)
        row.outcome.results.headline.push_back(100.0 * static_cast<double>(row.point.point) +
                                               10.0 * row.point.replicate + static_cast<double>(i));
    }
    rows.push_back(row);
  }
  return {rows.rbegin(), rows.rend()};  // out of order: the writer sorts them
}

SweepPlan write_small_sweep(const fs::path& dir) {
  const SweepPlan plan = small_plan();
  const std::vector<SweepRow> rows = small_rows(plan);
  for (const SweepRow& row : rows)
    if (row.outcome.status == PointStatus::done) write_run_file(dir / row.run_file);
  write_sweep_outputs(dir.string(), plan, rows);
  return plan;
}

// "str" (variable-length UTF-8), "u32", "i64", "f64", "enum(u8)", ...
std::string describe(hid_t type) {
  const std::string bits = std::to_string(8 * H5Tget_size(type));
  const H5T_class_t type_class = H5Tget_class(type);
  if (type_class == H5T_STRING)
    return H5Tis_variable_str(type) > 0 && H5Tget_cset(type) == H5T_CSET_UTF8 ? "str" : "?str";
  if (type_class == H5T_INTEGER) return (H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "i") + bits;
  if (type_class == H5T_FLOAT) return "f" + bits;
  if (type_class != H5T_ENUM) return "?";
  H5 base{H5Tget_super(type), H5Tclose};
  return "enum(" + describe(base.id) + ")";
}

// "name type" of each field of a compound, in order.
std::vector<std::string> members(hid_t compound) {
  std::vector<std::string> out;
  for (unsigned i = 0; i < static_cast<unsigned>(H5Tget_nmembers(compound)); ++i) {
    H5 member{H5Tget_member_type(compound, i), H5Tclose};
    char* name = H5Tget_member_name(compound, i);
    out.push_back(std::string(name) + " " + describe(member.id));
    H5free_memory(name);
  }
  return out;
}

std::string enum_label(hid_t type, std::uint8_t code) {
  char label[32] = "";
  REQUIRE(H5Tenum_nameof(type, &code, label, sizeof label) >= 0);
  return label;
}

hid_t member_type(hid_t compound, const char* name) {
  return H5Tget_member_type(compound, static_cast<unsigned>(H5Tget_member_index(compound, name)));
}

// One field of a compound dataset, read through a one-member memory compound.
template <typename T>
std::vector<T> read_field(hid_t dataset, const char* name, hid_t memory_member) {
  H5 space{H5Dget_space(dataset), H5Sclose};
  std::vector<T> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id)));
  H5 memory{H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose};
  REQUIRE(H5Tinsert(memory.id, name, 0, memory_member) >= 0);
  REQUIRE(H5Dread(dataset, memory.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) >= 0);
  return out;
}

std::vector<std::string> read_strings(hid_t dataset, const char* name) {
  H5 type{H5Tcopy(H5T_C_S1), H5Tclose};
  H5Tset_size(type.id, H5T_VARIABLE);
  H5Tset_cset(type.id, H5T_CSET_UTF8);
  std::vector<std::string> out;
  for (char* s : read_field<char*>(dataset, name, type.id)) {
    out.emplace_back(s ? s : "");
    H5free_memory(s);
  }
  return out;
}

std::uint64_t uint_attribute(hid_t object, const char* name) {
  H5 attribute{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  std::uint64_t value = 0;
  REQUIRE(H5Aread(attribute.id, H5T_NATIVE_UINT64, &value) >= 0);
  return value;
}

std::string string_attribute(hid_t object, const char* name) {
  H5 attribute{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
  H5 type{H5Aget_type(attribute.id), H5Tclose};
  char* value = nullptr;
  REQUIRE(H5Aread(attribute.id, type.id, &value) >= 0);
  std::string s = value;
  H5free_memory(value);
  return s;
}

std::vector<std::string> csv_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("sweep.h5 /runs: columns, types and values in plan order", "[sweep_table]") {
  TempDir dir("sweep-table");
  const SweepPlan plan = write_small_sweep(dir.path);
  CHECK_FALSE(fs::exists(dir.path / "sweep.h5.tmp"));
  CHECK_FALSE(fs::exists(dir.path / "sweep.csv.tmp"));

  H5 file{H5Fopen((dir.path / "sweep.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(file.id >= 0);
  CHECK(string_attribute(file.id, "format") == "mlcycle-sweep");
  CHECK(uint_attribute(file.id, "format_version") == 1);
  CHECK(string_attribute(file.id, "scenario") == "scenarios/x.toml");
  CHECK(string_attribute(file.id, "definition") == plan.definition_text);
  for (auto [name, value] :
       {std::pair{"replicates", 2}, {"base_seed", 7}, {"points", 4}, {"runs", 8}, {"failed", 1}})
    CHECK(uint_attribute(file.id, name) == static_cast<std::uint64_t>(value));

  H5 runs{H5Dopen2(file.id, "runs", H5P_DEFAULT), H5Dclose};
  H5 type{H5Dget_type(runs.id), H5Tclose};
  std::vector<std::string> expected = {"point_id str", "point u64", "replicate u32", "seed u64"};
  expected.insert(expected.end(), {"campaign.lisa.trials i64", "grid.site str", "status enum(u8)",
                                   "wall_time_s f64", "error str", "run_file str"});
  for (const std::string& h : headline_names()) expected.push_back(h + " f64");
  CHECK(members(type.id) == expected);
  CHECK(headline_names().size() == 32);
  H5 status_type{member_type(type.id, "status"), H5Tclose};
  CHECK(H5Tget_nmembers(status_type.id) == 2);
  CHECK(enum_label(status_type.id, 0) == "done");
  CHECK(enum_label(status_type.id, 1) == "failed");

  CHECK(read_strings(runs.id, "point_id") ==
        std::vector<std::string>{"p0000-r0", "p0000-r1", "p0001-r0", "p0001-r1", "p0002-r0",
                                 "p0002-r1", "p0003-r0", "p0003-r1"});
  CHECK(read_field<std::uint64_t>(runs.id, "point", H5T_NATIVE_UINT64) ==
        std::vector<std::uint64_t>{0, 0, 1, 1, 2, 2, 3, 3});
  CHECK(read_field<std::uint32_t>(runs.id, "replicate", H5T_NATIVE_UINT32) ==
        std::vector<std::uint32_t>{0, 1, 0, 1, 0, 1, 0, 1});
  CHECK(read_field<std::uint64_t>(runs.id, "seed", H5T_NATIVE_UINT64) ==
        std::vector<std::uint64_t>{7, 8, 7, 8, 7, 8, 7, 8});
  CHECK(read_field<std::int64_t>(runs.id, "campaign.lisa.trials", H5T_NATIVE_INT64) ==
        std::vector<std::int64_t>{10, 10, 10, 10, 20, 20, 20, 20});
  CHECK(read_strings(runs.id, "grid.site") == std::vector<std::string>{"fr", "fr", "us,east",
                                                                       "us,east", "fr", "fr",
                                                                       "us,east", "us,east"});
  CHECK(read_field<std::uint8_t>(runs.id, "status", status_type.id) ==
        std::vector<std::uint8_t>{0, 0, 0, 1, 0, 0, 0, 0});
  CHECK(read_strings(runs.id, "error") ==
        std::vector<std::string>{"", "", "", "grid \"x\", bad", "", "", "", ""});
  CHECK(read_strings(runs.id, "run_file")[5] == "runs/p0002-r1.h5");
  const auto total = read_field<double>(runs.id, "energy_j_total", H5T_NATIVE_DOUBLE);
  CHECK(total[0] == 4);  // 100 p + 10 r + 4
  CHECK(total[2] == 104);
  CHECK(std::isnan(total[3]));  // failed
  CHECK(total[7] == 314);
}

TEST_CASE("sweep.h5 /run_files and /aggregates, and sweep.csv", "[sweep_table]") {
  TempDir dir("sweep-links");
  const SweepPlan plan = write_small_sweep(dir.path);
  H5 file{H5Fopen((dir.path / "sweep.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  REQUIRE(file.id >= 0);

  // External links, relative to the sweep file's directory (this process's cwd is elsewhere).
  REQUIRE(fs::current_path() != dir.path);
  H5 link_target{H5Oopen(file.id, "run_files/p0000-r0/summary", H5P_DEFAULT), H5Oclose};
  CHECK(link_target.id >= 0);
  H5 linked_file_root{H5Oopen(file.id, "run_files/p0003-r1", H5P_DEFAULT), H5Oclose};
  CHECK(linked_file_root.id >= 0);
  H5 links{H5Gopen2(file.id, "run_files", H5P_DEFAULT), H5Gclose};
  H5G_info_t info;
  REQUIRE(H5Gget_info(links.id, &info) >= 0);
  CHECK(info.nlinks == 7);                                   // done runs only
  CHECK(H5Lexists(links.id, "p0001-r1", H5P_DEFAULT) == 0);  // failed: no file
  H5L_info_t link_info;
  REQUIRE(H5Lget_info(links.id, "p0000-r0", &link_info, H5P_DEFAULT) >= 0);
  CHECK(link_info.type == H5L_TYPE_EXTERNAL);

  // /aggregates: 4 points; point 0 has {4, 14} for energy_j_total (headline 4): mean 9,
  // s = sqrt((25 + 25) / 1) = 7.0710678; t(0.975, 1) = 12.706204736, half-width
  // 12.706204736 x 7.0710678 / sqrt(2) = 63.53102368. Point 1 has one done run: 104, s NaN.
  H5 aggregates{H5Dopen2(file.id, "aggregates", H5P_DEFAULT), H5Dclose};
  REQUIRE(aggregates.id >= 0);
  H5 type{H5Dget_type(aggregates.id), H5Tclose};
  const auto names = members(type.id);
  REQUIRE(names.size() == 4 + 4 * headline_names().size());
  CHECK(names[0] + ", " + names[1] + ", " + names[2] + ", " + names[3] + ", " + names[4] ==
        "point u64, campaign.lisa.trials i64, grid.site str, n_done u32, "
        "energy_j_experimentation_mean f64");
  CHECK(names[7] == "energy_j_experimentation_ci95_high f64");
  CHECK(names.back() == "serving_static_energy_share_ci95_high f64");
  CHECK(read_field<std::uint32_t>(aggregates.id, "n_done", H5T_NATIVE_UINT32) ==
        std::vector<std::uint32_t>{2, 1, 2, 2});
  CHECK(read_strings(aggregates.id, "grid.site") ==
        std::vector<std::string>{"fr", "us,east", "fr", "us,east"});
  const auto mean = read_field<double>(aggregates.id, "energy_j_total_mean", H5T_NATIVE_DOUBLE);
  const auto sd = read_field<double>(aggregates.id, "energy_j_total_std", H5T_NATIVE_DOUBLE);
  const auto low = read_field<double>(aggregates.id, "energy_j_total_ci95_low", H5T_NATIVE_DOUBLE);
  const auto high =
      read_field<double>(aggregates.id, "energy_j_total_ci95_high", H5T_NATIVE_DOUBLE);
  CHECK(mean == std::vector<double>{9, 104, 209, 309});
  CHECK(sd[0] == Approx(7.0710678119).epsilon(1e-9));
  CHECK(low[0] == Approx(9 - 63.53102368).epsilon(1e-9));
  CHECK(high[0] == Approx(9 + 63.53102368).epsilon(1e-9));
  CHECK((std::isnan(sd[1]) && std::isnan(low[1]) && std::isnan(high[1])));

  // sweep.csv: the /runs columns; strings quoted when needed, NaN empty.
  const auto lines = csv_lines(dir.path / "sweep.csv");
  REQUIRE(lines.size() == 9);
  std::string header =
      "point_id,point,replicate,seed,campaign.lisa.trials,grid.site,status,wall_time_s,error,"
      "run_file";
  for (const std::string& h : headline_names()) header += "," + h;
  CHECK(lines[0] == header);
  // The 32 headline columns: p0000-r0 holds 100 x 0 + 10 x 0 + i = i; the failed run none.
  CHECK(lines[1] ==
        "p0000-r0,0,0,7,10,fr,done,0.1,,runs/p0000-r0.h5,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
        "17,18,19,20,21,22,23,24,25,26,27,28,29,30,31");
  CHECK(lines[4] ==
        "p0001-r1,1,1,8,10,\"us,east\",failed,2.25,\"grid \"\"x\"\", bad\","
        "runs/p0001-r1.h5,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,");
}

TEST_CASE("sweep tables: boolean, real and mixed-type keys, no aggregates for 1 replicate",
          "[sweep_table]") {
  TempDir dir("sweep-types");
  SweepPlan plan;
  const SweepValue yes{.type = SweepValue::Type::boolean, .text = "true", .boolean = true},
      no{.type = SweepValue::Type::boolean, .text = "false"},
      half{.type = SweepValue::Type::real, .text = "0.5", .real = 0.5}, one = integer(1);
  plan.axes.push_back(SweepAxis{{"a.flag", "a.mixed"}, {{yes, no}, {half, one}}});
  std::vector<SweepRow> rows;
  for (std::size_t i = 0; i < 2; ++i) {
    SweepPoint p;
    p.id = "p000" + std::to_string(i) + "-r0";
    p.point = i;
    p.settings = {{"a.flag", plan.axes[0].values[0][i]}, {"a.mixed", plan.axes[0].values[1][i]}};
    plan.points.push_back(p);
    rows.push_back(SweepRow{p, {}, "runs/" + p.id + ".h5"});
    rows.back().outcome.error = "boom";  // failed: no run file, no link
  }
  write_sweep_outputs(dir.path.string(), plan, rows);
  H5 file{H5Fopen((dir.path / "sweep.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose};
  CHECK(H5Lexists(file.id, "aggregates", H5P_DEFAULT) == 0);
  H5 runs{H5Dopen2(file.id, "runs", H5P_DEFAULT), H5Dclose};
  H5 type{H5Dget_type(runs.id), H5Tclose};
  H5 flag{member_type(type.id, "a.flag"), H5Tclose};
  H5 mixed{member_type(type.id, "a.mixed"), H5Tclose};
  CHECK(describe(flag.id) == "enum(u8)");  // FALSE = 0, TRUE = 1: h5py reads numpy bool
  CHECK(H5Tget_nmembers(flag.id) == 2);
  CHECK(enum_label(flag.id, 0) == "FALSE");
  CHECK(enum_label(flag.id, 1) == "TRUE");
  CHECK(read_field<std::uint8_t>(runs.id, "a.flag", flag.id) == std::vector<std::uint8_t>{1, 0});
  CHECK(describe(mixed.id) == "str");  // 0.5 and 1: real and integer
  CHECK(read_strings(runs.id, "a.mixed") == std::vector<std::string>{"0.5", "1"});
  const auto lines = csv_lines(dir.path / "sweep.csv");
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].rfind("p0000-r0,0,0,0,true,0.5,failed,0,boom,runs/p0000-r0.h5,", 0) == 0);
  CHECK(lines[2].rfind("p0001-r0,1,0,0,false,1,failed,0,boom,", 0) == 0);
}

TEST_CASE("run files: complete only when committed, and headline values", "[sweep_table]") {
  TempDir dir("run-file");
  CHECK_FALSE(run_file_complete((dir.path / "missing.h5").string()));
  CHECK_FALSE(read_run_results((dir.path / "missing.h5").string()));
  std::ofstream((dir.path / "text.h5").string()) << "not an HDF5 file\n";
  CHECK_FALSE(run_file_complete((dir.path / "text.h5").string()));
  {  // HDF5 with the format attribute but no `complete`
    H5 f{H5Fcreate((dir.path / "partial.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
         H5Fclose};
    H5 string_type{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(string_type.id, H5T_VARIABLE);
    H5 space{H5Screate(H5S_SCALAR), H5Sclose};
    H5 a{H5Acreate2(f.id, "format", string_type.id, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
    const char* format = "mlcycle-trace";
    REQUIRE(H5Awrite(a.id, string_type.id, &format) >= 0);
  }
  CHECK_FALSE(run_file_complete((dir.path / "partial.h5").string()));
  CHECK_FALSE(read_run_results((dir.path / "partial.h5").string()));

  const std::string path = (dir.path / "run.h5").string();
  RunSummary s;  // SeriesTotals: jobs, gpu_hours, it_energy_j, energy_j, co2_g, cost, marginal
  s.series = {
      SeriesTotals{0, 0, 0, 1000, 30}, {0, 0, 0, 2000, 50}, {0, 0, 0, 500, 20}, {0, 0, 0, 100, 5}};
  s.total = {0, 12.5, 0, 3600, 105, 0.5, 0};
  s.peak_power_w = 400;
  s.makespan_s = 7200;
  s.mean_utilization = 0.75;
  s.crossover_s = 5400;
  write_run_file(path, s);
  CHECK(run_file_complete(path));
  CHECK(read_run_wall_time_s(path) == 12.5);
  const std::optional<RunResults> results = read_run_results(path);
  REQUIRE(results);
  // experimentation, training, inference, idle, total (total as the hand summary gives it)
  // inference_share = 20 / (30 + 50 + 20) = 0.2: idle CO2e is not part of the lifecycle.
  const std::vector<double> expected = {1000, 2000, 500,  100,  3600, 30,  50,   20,  5,
                                        105,  0.2,  5400, 7200, 400,  0.5, 12.5, 0.75};
  REQUIRE(results->headline.size() == 32);
  CHECK(std::vector<double>(results->headline.begin(), results->headline.begin() + 17) == expected);
  // No GPUs or GPU-hours in this hand summary: no activity utilization or GPU-hour share; no
  // deployments: no requests or vehicle-days (NaN, not 0).
  for (std::size_t i = 17; i < 32; ++i) CHECK(std::isnan(results->headline[i]));

  write_run_file(dir.path / "zero.h5");  // no job CO2e: inference_share NaN; crossover_s NaN
  const auto empty = read_run_results((dir.path / "zero.h5").string());
  REQUIRE(empty);
  CHECK(std::isnan(empty->headline[10]));
  CHECK(std::isnan(empty->headline[11]));
  CHECK(empty->headline[12] == 0);
}
