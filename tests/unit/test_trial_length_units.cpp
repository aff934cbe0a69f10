// Trial lengths take durations with units, like every other duration of a scenario; plain numbers
// stay hours.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/input_error.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mlcycle;

namespace {
const std::string kPath = std::string(MLCYCLE_SOURCE_DIR) + "/scenarios/test.toml";

std::string with_length(const std::string& length) {
  return R"([simulation]
start = 2020-01-01T00:00:00Z
platform = "../platforms/p100-node.xml"

[grid.us-average-2018]
intensity_g_per_kwh = 400

[[campaign]]
name = "c"
trials = 4
length = )" +
         length + "\n";
}

TrialLengthSpec length_of(const std::string& length) {
  return load_scenario_text(with_length(length), kPath).campaigns.at(0).length;
}

std::string error_of(const std::string& length) {
  try {
    load_scenario_text(with_length(length), kPath);
  } catch (const InputError& e) {
    const std::string what = e.what();
    return what.substr(what.find(".toml:") + 6);
  }
  return "no error";
}
}  // namespace

TEST_CASE("a fixed length takes a unit: 20 d = 480 h, and plain numbers stay hours", "[length]") {
  CHECK(length_of(R"({ fixed = "20 d" })").hours == 480);
  CHECK(length_of(R"({ fixed = 36 })").hours == 36);
  CHECK(length_of(R"({ distribution = "fixed", hours = "90 min" })").hours == 1.5);
  CHECK(length_of(R"({ hours = 2 })").hours == 2);
}

TEST_CASE("lognormal and uniform lengths take units under short or _h names", "[length]") {
  // median 30 h: mu = ln 30; min 1 d = 24 h; max 2 w = 336 h.
  const TrialLengthSpec l =
      length_of(R"({ distribution = "lognormal", median = "30 h", sigma = 1, min = "1 d", )"
                R"(max = "2w" })");
  CHECK(l.mu == Approx(std::log(30.0)).epsilon(1e-12));
  CHECK(l.min_hours == 24);
  CHECK(l.max_hours == 336);
  // mean 2 d = 48 h: mu = ln 48 - 0.5^2 / 2.
  CHECK(length_of(R"({ distribution = "lognormal", mean_h = "2d", sigma = 0.5 })").mu ==
        Approx(std::log(48.0) - 0.125).epsilon(1e-12));
  const TrialLengthSpec u = length_of(R"({ distribution = "uniform", min = "30min", max_h = 2 })");
  CHECK(u.min_hours == 0.5);
  CHECK(u.max_hours == 2);
  CHECK(length_of(R"({ distribution = "list", hours = [1, "2 h", "1d"] })").list ==
        std::vector<double>{1, 2, 24});
}

TEST_CASE("bad lengths are located errors", "[length]") {
  CHECK(error_of(R"({ fixed = "20 parsecs" })") ==
        "11:12: campaign[0].length.fixed: '20 parsecs' is not a length (hours as a number, or a "
        "duration such as \"20 d\")");
  CHECK(error_of(R"({ fixed = "-2 h" })") ==
        "11:12: campaign[0].length.fixed: must be greater than zero");
  CHECK(error_of(R"({ fixed = "1001 y" })") ==
        "11:12: campaign[0].length.fixed: is out of range: lengths are at most 1000 years");
  CHECK(error_of(R"({ fixed = 1e300 })") ==
        "11:12: campaign[0].length.fixed: is out of range: lengths are at most 1000 years");
  CHECK(error_of(R"({ fixed = "1 d", hours = 3 })") ==
        "11:12: campaign[0].length.fixed: is short for distribution = \"fixed\": give it alone");
  CHECK(error_of(R"({ distribution = "uniform", min = 1, min_h = 2, max = 3 })") ==
        "11:38: campaign[0].length.min: give 'min' or 'min_h', not both");
  CHECK(error_of(R"({ distribution = "list", hours = [1, "soon"] })") ==
        "11:47: campaign[0].length.hours: 'soon' is not a length (hours as a number, or a "
        "duration such as \"20 d\")");
}
