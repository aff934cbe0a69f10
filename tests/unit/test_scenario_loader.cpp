#include <catch2/catch.hpp>
#include <cmath>

#include "core/input_error.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mlcycle;

namespace {
// Scenario text anchored in scenarios/ so that the platform path resolves.
const std::string kPath = std::string(MLCYCLE_SOURCE_DIR) + "/scenarios/test.toml";

std::string base(const std::string& campaign_extra = "",
                 const std::string& length = "length = { hours = 2 }") {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
seed = 5
platform = "../platforms/p100-node.xml"

[grid.us-average-2018]
intensity_g_per_kwh = 400

[[campaign]]
name = "c"
trials = 4
)" + length +
         "\n" + campaign_extra;
}

// Returns "line:col: key: message" (without the file) of the InputError thrown.
std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario_text(text, kPath, overrides);
  } catch (const InputError& e) {
    const std::string what = e.what();
    const std::size_t file_end = what.find(".toml:");
    return file_end == std::string::npos ? what : what.substr(file_end + 6);
  }
  return "no error";
}
}  // namespace

TEST_CASE("a minimal scenario loads with documented defaults") {
  Scenario s = load_scenario_text(base(), kPath);
  CHECK(s.simulation.seed == 5);
  CHECK(s.simulation.start.unix_s == 1577836800);  // 2020-01-01T00:00:00Z
  CHECK_FALSE(s.simulation.horizon_s.has_value());
  CHECK(s.simulation.engine == EngineMode::analytic);
  REQUIRE(s.grids.size() == 1);
  CHECK(s.grids[0].intensity_g_per_kwh == 400);
  REQUIRE(s.campaigns.size() == 1);
  const CampaignSpec& c = s.campaigns[0];
  CHECK(c.phase == Phase::experimentation);
  CHECK(c.gpus_per_trial == 1);
  CHECK(c.trials == 4);
  CHECK(c.max_concurrent == 0);
  CHECK(c.length.distribution == LengthDistribution::fixed);
  CHECK(c.length.hours == 2);
  CHECK(s.output.trace_step_s == 3600);
  CHECK(s.accounting.price_per_kwh == 0);
  CHECK_FALSE(s.accounting.pue.has_value());
  CHECK(s.simulation.platform_path.find("platforms/p100-node.xml") != std::string::npos);
}

TEST_CASE("lbs per kWh converts with the exact pound") {
  std::string text = base();
  text.replace(text.find("intensity_g_per_kwh = 400"), 25, "intensity_lbs_per_kwh = 0.954");
  Scenario s = load_scenario_text(text, kPath);
  // 0.954 lbs x 453.59237 g/lb = 432.72712098 g
  CHECK(s.grids[0].intensity_g_per_kwh == Approx(432.72712098).epsilon(1e-12));
}

TEST_CASE("lognormal mean_h gives mu = ln(mean) - sigma^2/2") {
  Scenario s = load_scenario_text(
      base("", "length = { distribution = \"lognormal\", mean_h = 52, sigma = 1.2 }"), kPath);
  // ln(52) - 0.72 = 3.951243719 - 0.72 = 3.231243719
  CHECK(s.campaigns[0].length.mu == Approx(3.231243719).epsilon(1e-9));
}

TEST_CASE("errors point at the line and column of the offending key") {
  // Line 11 is the campaign's `trials = 4`; the value starts at column 1.
  CHECK(error_of(base("bogus = 1")) == "13:1: campaign[0].bogus: unknown key");
  std::string neg = base();
  neg.replace(neg.find("trials = 4"), 10, "trials = -4");
  CHECK(error_of(neg) == "11:1: campaign[0].trials: must be a positive integer");
  CHECK(error_of(base("phase = \"deploy\"")) ==
        "13:1: campaign[0].phase: 'deploy' is not one of: experimentation, training, inference");
  CHECK(error_of(base("gpus_per_trial = \"two\"")) ==
        "13:1: campaign[0].gpus_per_trial: expected an integer, got a string");
}

TEST_CASE("malformed TOML reports the parser's position") {
  const std::string e = error_of("[simulation\nstart = 1\n");
  CHECK(e.rfind("1:", 0) == 0);
  CHECK(e.find("malformed TOML") != std::string::npos);
}

TEST_CASE("a start time without UTC offset is rejected") {
  std::string text = base();
  text.replace(text.find("2020-01-01T00:00:00Z"), 20, "2020-01-01T00:00:00");
  CHECK(error_of(text).find("simulation.start: needs a UTC offset") != std::string::npos);
}

TEST_CASE("overrides from the command line are applied before validation") {
  Scenario s = load_scenario_text(base(), kPath, {"campaign.c.trials=9", "simulation.seed=11"});
  CHECK(s.campaigns[0].trials == 9);
  CHECK(s.simulation.seed == 11);
  CHECK(s.effective_toml.find("trials = 9") != std::string::npos);
  // An override that breaks a rule is reported as coming from --set.
  CHECK(error_of(base(), {"campaign.0.trials=0"}) ==
        "--set: campaign[0].trials: must be a positive integer");
}
