#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "scenario/serving_reader.hpp"
#include "support/temp_dir.hpp"

using namespace mlcycle;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

// Reads the body of one [[deployment]] table (serving keys only) as the integrator would.
ServingSpec read(const std::string& body, const fs::path& base_dir = fs::path(".")) {
  toml::table root = toml::parse("[[deployment]]\n" + body, std::string_view("s.toml"));
  TomlTableReader d(*root["deployment"][0].as_table(), "deployment[0]", "s.toml");
  ServingSpec spec;
  read_serving(d, spec, base_dir);
  d.reject_unknown_keys();
  return spec;
}

// "line:col: key: message" of the InputError, without the file name.
std::string error_of(const std::string& body, const fs::path& base_dir = fs::path(".")) {
  try {
    read(body, base_dir);
  } catch (const InputError& e) {
    const std::string what = e.what();
    return what.starts_with("s.toml:") ? what.substr(7) : what;
  }
  return "no error";
}

const std::string kDemand = "demand = { base_rps = 100 }\n";

}  // namespace

TEST_CASE("a serving deployment with every key", "[serving-reader]") {
  // Sub-tables or inline tables (an inline table must fit on one line, but arrays may wrap).
  const ServingSpec s = read(R"(step = "5min"
latency_target_ms = 250
replica = { gpus = 2, batch_size = 16, latency_base_ms = 30, latency_per_item_ms = 4, idle_w = 120, busy_w = 700 }

[deployment.demand]
base_rps = 1500
utc_offset_hours = -5
monthly_growth = 0.05
noise_sd = 0.1
weekly = [1, 1, 1, 1, 1, 0.8, 0.7]
diurnal = [0.5, 0.4, 0.4, 0.4, 0.4, 0.5, 0.7, 0.9, 1.1, 1.2, 1.3, 1.3,
           1.3, 1.3, 1.3, 1.3, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.8, 0.6]

[deployment.autoscaler]
target_utilization = 0.7
min_replicas = 2
max_replicas = 40
scale_up_delay = "3min"
scale_down_cooldown = 900
)");
  CHECK(s.step_s == 300);
  CHECK(s.latency_target_ms == 250);
  CHECK(s.demand.base_rps == 1500);
  CHECK(s.demand.utc_offset_hours == -5);
  CHECK(s.demand.monthly_growth == 0.05);
  CHECK(s.demand.noise_sd == 0.1);
  CHECK(s.demand.weekly[5] == 0.8);
  CHECK(s.demand.diurnal[0] == 0.5);
  CHECK(s.demand.diurnal[23] == 0.6);
  CHECK(s.demand.file.time_unix_s.empty());
  CHECK(s.replica.gpus == 2);
  CHECK(s.replica.batch_size == 16);
  CHECK(s.replica.latency_base_ms == 30);
  CHECK(s.replica.latency_per_item_ms == 4);
  CHECK(s.replica.idle_w == 120);
  CHECK(s.replica.busy_w == 700);
  CHECK(s.replica.key == "deployment[0].replica");
  CHECK(s.autoscaler.target_utilization == 0.7);
  CHECK(s.autoscaler.min_replicas == 2);
  CHECK(s.autoscaler.max_replicas == 40);
  CHECK(s.autoscaler.scale_up_delay_s == 180);
  CHECK(s.autoscaler.scale_down_cooldown_s == 900);
}

TEST_CASE("serving defaults: flat profiles, no growth or noise, platform watts",
          "[serving-reader]") {
  const ServingSpec s = read(kDemand);
  CHECK(s.step_s == 60);
  CHECK_FALSE(s.latency_target_ms);
  CHECK(s.demand.diurnal[13] == 1);
  CHECK(s.demand.weekly[6] == 1);
  CHECK(s.demand.monthly_growth == 0);
  CHECK(s.demand.noise_sd == 0);
  CHECK(s.replica.gpus == 1);
  CHECK(s.replica.batch_size == 8);
  CHECK(s.replica.latency_base_ms == 50);
  CHECK(s.replica.latency_per_item_ms == 10);
  CHECK_FALSE(s.replica.idle_w);
  CHECK_FALSE(s.replica.busy_w);
  CHECK(s.autoscaler.target_utilization == 0.6);
  CHECK(s.autoscaler.min_replicas == 1);
  CHECK(s.autoscaler.max_replicas == 16);
  CHECK(s.autoscaler.scale_up_delay_s == 120);
  CHECK(s.autoscaler.scale_down_cooldown_s == 600);
}

TEST_CASE("a demand file is read relative to the scenario and checked", "[serving-reader]") {
  TempDir tmp("mlcycle_serving_reader");
  tmp.write("d.csv",
            "timestamp,requests_per_s\n2020-01-01T00:00:00Z,10\n2020-01-01T00:30:00Z,20\n");
  const ServingSpec s =
      read(R"(demand = { file = "d.csv", hold = "edges", noise_sd = 0.05 })", tmp.dir);
  REQUIRE(s.demand.file.time_unix_s.size() == 2);
  CHECK(s.demand.file.requests_per_s[1] == 20);
  CHECK(s.demand.file.hold_edges);
  CHECK(s.demand.file.key == "deployment[0].demand.file");
  CHECK(s.demand.file.end_unix_s == make_utc(2020, 1, 1, 1, 0, 0).unix_s);  // 00:30 + 30 min
  CHECK(s.demand.noise_sd == 0.05);

  const std::string csv = (tmp.dir / "bad.csv").string();
  auto file_error = [&](const std::string& text) {
    tmp.write("bad.csv", text);
    const std::string e = error_of(R"(demand = { file = "bad.csv" })", tmp.dir);
    return e.starts_with(csv) ? e.substr(csv.size()) : e;
  };
  CHECK(
      file_error("timestamp,requests_per_s\n2020-01-01T00:00:00Z,10\n2020-01-01T01:00:00Z,-3\n") ==
      ":3:2: requests_per_s: negative request rate -3");
  CHECK(file_error("timestamp,requests_per_s\n2020-01-01T00:00:00Z,ten\n") ==
        ":2:2: requests_per_s: 'ten' is not a number");
  CHECK(file_error("timestamp,requests_per_s\n2020-01-01T01:00:00Z,1\n2020-01-01T00:00:00Z,1\n") ==
        ":3:1: timestamp: timestamp 2020-01-01T00:00:00Z is not after the previous row's (line 2)");
  CHECK(file_error("timestamp,requests_per_s\nyesterday,1\n") ==
        ":2:1: timestamp: 'yesterday' is not a UTC timestamp (expected e.g. 2020-01-01T00:00:00Z)");
  CHECK(file_error("timestamp,rps\n2020-01-01T00:00:00Z,1\n") ==
        ":1: requests_per_s: no such column; the header has: timestamp, rps");
  CHECK(file_error("timestamp,requests_per_s\n") == ":1: no data rows after the header");
}

TEST_CASE("serving keys out of range are errors at the key", "[serving-reader]") {
  CHECK(error_of("step = 60\n") ==
        "1:1: deployment[0]: missing key 'demand' (demand = { base_rps = ... } or demand = { "
        "file = \"...\" })");
  CHECK(error_of("demand = { noise_sd = 0.1 }\n") ==
        "2:10: deployment[0].demand: missing key 'base_rps' (requests per second) or 'file'");
  CHECK(error_of("demand = { base_rps = -1 }\n") ==
        "2:12: deployment[0].demand.base_rps: must not be negative");
  CHECK(error_of("demand = { base_rps = 1, diurnal = [1, 2] }\n") ==
        "2:26: deployment[0].demand.diurnal: must have 24 values (one per local hour, 0 to 23), "
        "got 2");
  CHECK(error_of("demand = { base_rps = 1, weekly = [1, 1, 1, 1, 1, 1] }\n") ==
        "2:26: deployment[0].demand.weekly: must have 7 values (one per local weekday, Monday "
        "first), got 6");
  CHECK(error_of("demand = { base_rps = 1, weekly = [1, 1, 1, -1, 1, 1, 1] }\n") ==
        "2:45: deployment[0].demand.weekly: every entry must be a non-negative number");
  CHECK(error_of("demand = { base_rps = 1, monthly_growth = -1 }\n") ==
        "2:26: deployment[0].demand.monthly_growth: must be greater than -1 (-100 %)");
  CHECK(error_of("demand = { base_rps = 1, noise_sd = -0.1 }\n") ==
        "2:26: deployment[0].demand.noise_sd: must not be negative");
  CHECK(error_of("demand = { base_rps = 1, utc_offset_hours = 25 }\n") ==
        "2:26: deployment[0].demand.utc_offset_hours: must be between -24 and 24");
  CHECK(error_of("demand = { base_rps = 1, hold = \"edges\" }\n") ==
        "2:26: deployment[0].demand.hold: only used with 'file'");
  CHECK(error_of("demand = { file = \"nowhere.csv\" }\n") ==
        "2:12: deployment[0].demand.file: no such file: ./nowhere.csv");
  CHECK(error_of("demand = { file = \"x.csv\", base_rps = 3 }\n") ==
        "2:28: deployment[0].demand.base_rps: not used with 'file': the file gives the request "
        "rate");
  CHECK(error_of("demand = { base_rps = 1, peak = 2 }\n") ==
        "2:26: deployment[0].demand.peak: unknown key");
  CHECK(error_of("step = 0\n" + kDemand) == "2:1: deployment[0].step: must be at least 1 s");
  // A 1-ms step would make a year of service 3e10 steps: refused (docs/scenarios.md, Limits).
  CHECK(error_of("step = \"1ms\"\n" + kDemand) == "2:1: deployment[0].step: must be at least 1 s");
  CHECK(error_of("step = \"1001y\"\n" + kDemand) ==
        "2:1: deployment[0].step: is out of range: durations are at most 1000 years");
  CHECK(error_of("latency_target_ms = 0\n" + kDemand) ==
        "2:1: deployment[0].latency_target_ms: must be greater than zero");
  CHECK(error_of(kDemand + "replica = { batch_size = 0 }\n") ==
        "3:13: deployment[0].replica.batch_size: must be a positive integer");
  CHECK(error_of(kDemand + "replica = { gpus = 0 }\n") ==
        "3:13: deployment[0].replica.gpus: must be a positive integer");
  CHECK(error_of(kDemand + "replica = { latency_base_ms = -1 }\n") ==
        "3:13: deployment[0].replica.latency_base_ms: must not be negative");
  CHECK(error_of(kDemand + "replica = { latency_base_ms = 0, latency_per_item_ms = 0 }\n") ==
        "3:11: deployment[0].replica: latency_base_ms and latency_per_item_ms are both zero: a "
        "replica's throughput would be infinite");
  CHECK(error_of(kDemand + "replica = { idle_w = 100, busy_w = 90 }\n") ==
        "3:27: deployment[0].replica.busy_w: must not be less than idle_w");
  CHECK(error_of(kDemand + "replica = { idle_w = -5 }\n") ==
        "3:13: deployment[0].replica.idle_w: must not be negative");
  CHECK(error_of(kDemand + "autoscaler = { min_replicas = 5, max_replicas = 4 }\n") ==
        "3:16: deployment[0].autoscaler.min_replicas: min replicas greater than max replicas (5 > "
        "4)");
  CHECK(error_of(kDemand + "autoscaler = { target_utilization = 0 }\n") ==
        "3:16: deployment[0].autoscaler.target_utilization: must be in (0, 1]");
  CHECK(error_of(kDemand + "autoscaler = { target_utilization = 1.5 }\n") ==
        "3:16: deployment[0].autoscaler.target_utilization: must be in (0, 1]");
  CHECK(error_of(kDemand + "autoscaler = { max_replicas = 0, min_replicas = 0 }\n") ==
        "3:16: deployment[0].autoscaler.max_replicas: must be at least 1");
  CHECK(error_of(kDemand + "autoscaler = { min_replicas = -1 }\n") ==
        "3:16: deployment[0].autoscaler.min_replicas: must not be negative");
  CHECK(error_of(kDemand + "autoscaler = { scale_up_delay = \"-2min\" }\n") ==
        "3:16: deployment[0].autoscaler.scale_up_delay: must not be negative");
  CHECK(error_of(kDemand + "autoscaler = { scale_down_cooldown = \"soon\" }\n") ==
        "3:16: deployment[0].autoscaler.scale_down_cooldown: 'soon' is not a duration (use "
        "seconds or a unit: s, min, h, d, w, y)");
  CHECK(error_of(kDemand + "replica = { gpus = 1000 }\nautoscaler = { max_replicas = 1001 }\n") ==
        "4:16: deployment[0].autoscaler.max_replicas: max_replicas x replica.gpus = 1001000 GPUs; "
        "at most 1000000");
  CHECK(error_of(kDemand + "autoscaler = { min = 1 }\n") ==
        "3:16: deployment[0].autoscaler.min: unknown key");
  CHECK(error_of(kDemand + "replicas = 3\n") == "3:1: deployment[0].replicas: unknown key");
}
