#include <catch2/catch.hpp>

#include "core/input_error.hpp"
#include "scenario/overrides.hpp"

using namespace mlcycle;

namespace {
toml::table sample() {
  return toml::parse(R"([simulation]
seed = 1
engine = "analytic"
[[campaign]]
name = "search"
trials = 10
[[campaign]]
name = "final"
trials = 1
)");
}
}  // namespace

TEST_CASE("overrides set scalars by dotted path, array elements by index or name") {
  toml::table t = sample();
  apply_override(t, "simulation.seed=42");
  apply_override(t, "campaign.1.trials=3");
  apply_override(t, "campaign.search.trials=7");
  apply_override(t, "simulation.engine=exec");                 // bare word: a string
  apply_override(t, "simulation.horizon=\"30d\"");             // quoted TOML string
  apply_override(t, "simulation.start=2021-05-01T00:00:00Z");  // TOML date-time
  CHECK(t["simulation"]["seed"].value<std::int64_t>() == 42);
  CHECK(t["campaign"][1]["trials"].value<std::int64_t>() == 3);
  CHECK(t["campaign"][0]["trials"].value<std::int64_t>() == 7);
  CHECK(t["simulation"]["engine"].value<std::string>() == "exec");
  CHECK(t["simulation"]["horizon"].value<std::string>() == "30d");
  CHECK(t["simulation"]["start"].is_date_time());
}

TEST_CASE("overrides that cannot apply are input errors") {
  toml::table t = sample();
  CHECK_THROWS_AS(apply_override(t, "simulation.seed"), InputError);         // no '='
  CHECK_THROWS_AS(apply_override(t, "campaign.nope.trials=1"), InputError);  // no such element
  CHECK_THROWS_AS(apply_override(t, "campaign.5.trials=1"), InputError);     // out of range
  CHECK_THROWS_AS(apply_override(t, "simulation=3"), InputError);            // a table
  CHECK_THROWS_AS(apply_override(t, "simulation.seed.x=3"), InputError);     // seed is no table
  CHECK_THROWS_WITH(apply_override(t, "campaign.nope.trials=1"),
                    "--set: campaign.nope.trials: no element 'nope' in the array");
}
