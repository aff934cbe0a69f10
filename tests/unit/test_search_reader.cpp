#include <catch2/catch.hpp>
#include <string>

#include "core/input_error.hpp"
#include "scenario/search_reader.hpp"

using namespace mlcycle;

namespace {

const std::string kPath = "campaign[0].search";

// `search = { <inner> }` on line 1 of s.toml, read as a campaign's search table.
SearchSpec read(const std::string& inner) {
  const std::string text = "search = { " + inner + " }";
  const toml::table root = toml::parse(text, std::string_view("s.toml"));
  TomlTableReader t(*root["search"].as_table(), kPath, "s.toml");
  return read_search(t, kPath);
}

// what() of the InputError thrown: "s.toml:1:<col>: campaign[0].search.<key>: <message>".
std::string error_of(const std::string& inner) {
  try {
    read(inner);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// Column (1-based) of `key` in the line "search = { <inner> }".
int column_of(const std::string& inner, const std::string& key) {
  return static_cast<int>(("search = { " + inner).find(key)) + 1;
}

const std::string kAsha = "kind = \"asha\", configurations = 81, min_budget = 1, max_budget = 81";

}  // namespace

TEST_CASE("search reader: a full table", "[search][reader]") {
  const SearchSpec s = read(kAsha +
                            ", eta = 3, unit = \"epochs\", hours_per_epoch = 0.5, resume = false,"
                            " score_mean = 0.7, score_sd = 0.1, noise_sd = 0.02,"
                            " curve_rate_min = 1, curve_rate_max = 5");
  CHECK(s.kind == SearchKind::asha);
  CHECK(s.configurations == 81);
  CHECK(s.min_budget == 1);
  CHECK(s.max_budget == 81);
  CHECK(s.eta == 3);
  CHECK(s.unit == BudgetUnit::epochs);
  CHECK(s.hours_per_epoch == 0.5);
  CHECK_FALSE(s.resume);
  CHECK(s.score_mean == 0.7);
  CHECK(s.score_sd == 0.1);
  CHECK(s.noise_sd == 0.02);
  CHECK(s.curve_rate_min == 1);
  CHECK(s.curve_rate_max == 5);
  CHECK(s.where.file == "s.toml");
  CHECK(s.where.line == 1);
  CHECK(s.where.column == 10);  // the inline table's opening brace
}

TEST_CASE("search reader: defaults and kinds", "[search][reader]") {
  const SearchSpec asha = read(kAsha);
  CHECK(asha.eta == 3);
  CHECK(asha.unit == BudgetUnit::epochs);
  CHECK(asha.hours_per_epoch == 1);
  CHECK(asha.resume);
  CHECK(asha.brackets == 0);
  // random needs no min_budget: it trains every configuration to max_budget.
  const SearchSpec random = read("kind = \"random\", configurations = 20, max_budget = 3.5");
  CHECK(random.kind == SearchKind::random);
  CHECK(random.min_budget == 3.5);
  CHECK(read("kind = \"grid\", configurations = 2, max_budget = 1").kind == SearchKind::grid);
  // hyperband derives its configurations; gpu_hours budgets.
  const SearchSpec hb = read(
      "kind = \"hyperband\", min_budget = 1, max_budget = 81, brackets = 5, unit = \"gpu_hours\"");
  CHECK(hb.kind == SearchKind::hyperband);
  CHECK(hb.brackets == 5);
  CHECK(hb.unit == BudgetUnit::gpu_hours);
  CHECK(hb.configurations == 143);  // derived: 81 + 34 + 15 + 8 + 5
  const SearchSpec sh =
      read("kind = \"successive_halving\", configurations = 9, min_budget = 1, max_budget = 9");
  CHECK(sh.kind == SearchKind::successive_halving);
  // Wall-clock hours: 2 epochs x 0.5 h; 6 GPU-hours on 4 GPUs = 1.5 h.
  CHECK(search_budget_hours(read(kAsha + ", hours_per_epoch = 0.5"), 1, 3, 4) == 1);
  CHECK(search_budget_hours(hb, 3, 9, 4) == 1.5);
}

TEST_CASE("search reader: each bad value names its key, line and column", "[search][reader]") {
  auto expect = [](const std::string& inner, const std::string& key, const std::string& message) {
    const std::string where = "s.toml:1:" + std::to_string(column_of(inner, key)) + ": ";
    CHECK(error_of(inner) == where + kPath + "." + key + ": " + message);
  };
  expect(kAsha + ", eta = 1.5", "eta", "must be at least 2");
  expect("kind = \"asha\", configurations = 8, min_budget = 10, max_budget = 5", "min_budget",
         "must not be greater than campaign[0].search.max_budget (5)");
  expect("kind = \"asha\", configurations = 8, min_budget = 1, max_budget = 0", "max_budget",
         "must be greater than zero");
  expect("kind = \"asha\", configurations = 8, min_budget = -1, max_budget = 3", "min_budget",
         "must be greater than zero");
  expect("kind = \"asha\", configurations = 0, min_budget = 1, max_budget = 3", "configurations",
         "must be a positive integer");
  expect(kAsha + ", hours_per_epoch = 0", "hours_per_epoch", "must be greater than zero");
  expect("kind = \"bayes\", configurations = 8, max_budget = 3", "kind",
         "'bayes' is not one of: grid, random, successive_halving, asha, hyperband");
  expect(kAsha + ", score_sd = -0.1", "score_sd", "must not be negative");
  expect(kAsha + ", noise_sd = -1", "noise_sd", "must not be negative");
  expect(kAsha + ", score_mean = 1.5", "score_mean", "must be between 0 and 1");
  expect(kAsha + ", curve_rate_min = 0", "curve_rate_min", "must be greater than zero");
  expect(kAsha + ", curve_rate_min = 5, curve_rate_max = 2", "curve_rate_max",
         "curve_rate_max (2) must not be less than campaign[0].search.curve_rate_min (5)");
  expect(kAsha + ", unit = \"hours\"", "unit", "'hours' is not one of: epochs, gpu_hours");
  expect(kAsha + ", resume = \"yes\"", "resume", "expected a boolean, got a string");
  expect(kAsha + ", eta = \"3\"", "eta", "expected a number, got a string");
  expect(kAsha + ", bogus = 1", "bogus", "unknown key");
  // s_max = floor(log_3(81 / 1)) = 4: at most 5 brackets.
  expect("kind = \"hyperband\", min_budget = 1, max_budget = 81, brackets = 6", "brackets",
         "must be at most s_max + 1 = 5 for min_budget 1, max_budget 81 and eta 3");
  expect("kind = \"hyperband\", min_budget = 1, max_budget = 81, brackets = -1", "brackets",
         "must not be negative (0: all brackets)");
  // Rungs at 1, 3, 9 keep floor(8 / 9) = 0 configurations at the top.
  expect("kind = \"successive_halving\", configurations = 8, min_budget = 1, max_budget = 9",
         "configurations",
         "successive halving with min_budget 1, max_budget 9 and eta 3 has 3 rungs and needs at "
         "least eta^2 = 9 configurations for one to reach max_budget");
  expect("kind = \"asha\", configurations = 100000001, min_budget = 1, max_budget = 9",
         "configurations", "at most 100000000");
}

TEST_CASE("search reader: missing keys point at the table", "[search][reader]") {
  const std::string table = "s.toml:1:10: " + kPath + ": ";
  CHECK(error_of("configurations = 8, max_budget = 3") ==
        table + "missing key 'kind' (one of: grid, random, successive_halving, asha, hyperband)");
  CHECK(error_of("kind = \"asha\", min_budget = 1, max_budget = 3") ==
        table + "missing key 'configurations' (how many configurations to sample)");
  CHECK(error_of("kind = \"asha\", configurations = 8, min_budget = 1") ==
        table + "missing key 'max_budget' (the full budget, in `unit`)");
  CHECK(error_of("kind = \"asha\", configurations = 8, max_budget = 3") ==
        table + "missing key 'min_budget' (the budget of the first rung, in `unit`)");
  CHECK(error_of("kind = \"hyperband\", min_budget = 1e-300, max_budget = 1e300") ==
        table +
            "hyperband with min_budget 1e-300, max_budget 1e+300 and eta 3 would sample more "
            "than 100000000 configurations");
}
