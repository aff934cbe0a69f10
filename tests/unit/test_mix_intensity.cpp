// MixIntensityModel: emission factors per column, sum(MW x factor) / sum(MW), pumped storage,
// negative and empty values, import rules, and the input errors. Hand oracles.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "grid/emission_factors.hpp"
#include "grid/mix_intensity.hpp"

using namespace mlcycle;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

GridRegionSpec region(const std::string& factor_set = "ipcc-ar5-2014") {
  // Whole strings moved in: GCC 12 warns falsely (-Wrestrict) on assigning a literal.
  GridRegionSpec spec;
  spec.name = std::string("x");
  spec.kind = GridKind::mix;
  spec.file = std::string("mix.csv");
  spec.mix.factor_set = factor_set;
  spec.where = SourceLocation{"s.toml", 5, 1};
  spec.key_where["file"] = SourceLocation{"s.toml", 7, 1};
  spec.key_where["factors"] = SourceLocation{"s.toml", 8, 1};
  return spec;
}

const std::vector<std::string> kFour = {"gas", "hard_coal", "nuclear", "wind_offshore"};

double factor_of(const MixIntensityModel& m, const std::string& source) {
  for (const auto& c : m.columns())
    if (c.source == source) return c.g_per_kwh;
  return -1;
}

MixIntensityModel::Role role_of(const MixIntensityModel& m, const std::string& source) {
  for (const auto& c : m.columns())
    if (c.source == source) return c.role;
  FAIL("no column " << source);
  return MixIntensityModel::Role::generation;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("AR5 and SRREN factors of known columns", "[mix]") {
  struct Row {
    const char* source;
    double ar5, srren;
  };
  // IPCC AR5 WGIII Annex III Table A.III.2 and SRREN Annex II Table A.II.4, life-cycle medians.
  const Row rows[] = {{"gas", 490, 469},
                      {"hard_coal", 820, 1001},
                      {"nuclear", 12, 16},
                      {"wind_offshore", 12, 12},
                      {"wind_onshore", 11, 12},
                      {"solar", 48, 46},
                      {"hydro_run_of_river", 24, 4},
                      {"biomass", 230, 18},
                      {"lignite", 820, 1001},
                      {"oil", 840, 840}};
  for (const Row& r : rows) {
    INFO(r.source);
    REQUIRE(emission_factor("ipcc-ar5-2014", r.source).has_value());
    CHECK(emission_factor("ipcc-ar5-2014", r.source)->g_per_kwh == r.ar5);
    CHECK(emission_factor("ipcc-srren-2011", r.source)->g_per_kwh == r.srren);
  }
  CHECK_FALSE(emission_factor("ipcc-ar5-2014", "hydro_pumped_storage").has_value());
  CHECK_FALSE(emission_factor("ipcc-ar5-2014", "unobtainium").has_value());
  CHECK_FALSE(emission_factor("ipcc-ar6", "gas").has_value());

  const MixIntensityModel ar5(kFour, region("ipcc-ar5-2014"));
  CHECK(factor_of(ar5, "gas") == 490);
  CHECK(factor_of(ar5, "hard_coal") == 820);
  CHECK(factor_of(ar5, "nuclear") == 12);
  CHECK(factor_of(ar5, "wind_offshore") == 12);
  const MixIntensityModel srren(kFour, region("ipcc-srren-2011"));
  CHECK(factor_of(srren, "gas") == 469);
  CHECK(factor_of(srren, "hard_coal") == 1001);
  CHECK(factor_of(srren, "nuclear") == 16);
  CHECK(factor_of(srren, "wind_offshore") == 12);
}

TEST_CASE("intensity of a hand row is sum(MW x factor) / sum(MW)", "[mix]") {
  // gas 100, hard_coal 50, nuclear 200, wind_offshore 150 MW (500 MW):
  // AR5:   100 x 490 + 50 x 820 + 200 x 12 + 150 x 12 = 49000 + 41000 + 2400 + 1800 = 94200
  //        / 500 = 188.4 g/kWh
  // SRREN: 100 x 469 + 50 x 1001 + 200 x 16 + 150 x 12 = 46900 + 50050 + 3200 + 1800 = 101950
  //        / 500 = 203.9 g/kWh
  const double row[] = {100, 50, 200, 150};
  CHECK(MixIntensityModel(kFour, region()).intensity(row) == Approx(188.4).epsilon(1e-14));
  CHECK(MixIntensityModel(kFour, region("ipcc-srren-2011")).intensity(row) ==
        Approx(203.9).epsilon(1e-14));
  // A scenario factor overrides the set: gas at 400 -> (40000 + 41000 + 2400 + 1800) / 500
  // = 170.4.
  GridRegionSpec spec = region();
  spec.mix.factor_g_per_kwh["gas"] = 400;
  CHECK(MixIntensityModel(kFour, spec).intensity(row) == Approx(170.4).epsilon(1e-14));
  // Nothing generates: NaN.
  const double none[] = {0, 0, -5, kNaN};
  CHECK(std::isnan(MixIntensityModel(kFour, region()).intensity(none)));
}

TEST_CASE("pumped storage: excluded by default, positive only with an explicit factor", "[mix]") {
  const std::vector<std::string> sources = {"gas", "hard_coal", "nuclear", "wind_offshore",
                                            "hydro_pumped_storage"};
  const double generating[] = {100, 50, 200, 150, 300};
  const double pumping[] = {100, 50, 200, 150, -300};
  const MixIntensityModel plain(sources, region());
  CHECK(role_of(plain, "hydro_pumped_storage") == MixIntensityModel::Role::excluded);
  // Excluded either way: 188.4 as without the column.
  CHECK(plain.intensity(generating) == Approx(188.4).epsilon(1e-14));
  CHECK(plain.intensity(pumping) == Approx(188.4).epsilon(1e-14));
  // With factor 50: (94200 + 300 x 50) / (500 + 300) = 109200 / 800 = 136.5; pumping counts 0.
  GridRegionSpec spec = region();
  spec.mix.factor_g_per_kwh["hydro_pumped_storage"] = 50;
  const MixIntensityModel counted(sources, spec);
  CHECK(role_of(counted, "hydro_pumped_storage") == MixIntensityModel::Role::generation);
  CHECK(counted.intensity(generating) == Approx(136.5).epsilon(1e-14));
  CHECK(counted.intensity(pumping) == Approx(188.4).epsilon(1e-14));
}

TEST_CASE("negative and empty (NaN) generation count as zero", "[mix]") {
  // Gas missing: (50 x 820 + 200 x 12 + 150 x 12) / 400 = 45200 / 400 = 113.
  const MixIntensityModel m(kFour, region());
  const double negative[] = {-100, 50, 200, 150};
  const double empty[] = {kNaN, 50, 200, 150};
  CHECK(m.intensity(negative) == Approx(113).epsilon(1e-14));
  CHECK(m.intensity(empty) == Approx(113).epsilon(1e-14));
}

TEST_CASE("imports: a factor, exclude, a default rule, a linked region", "[mix]") {
  const std::vector<std::string> sources = {"gas",           "hard_coal",      "nuclear",
                                            "wind_offshore", "import_from_fr", "import_from_nl"};
  const double row[] = {100, 50, 200, 150, 100, 100};
  GridRegionSpec spec = region();
  spec.mix.imports["fr"] = ImportSpec{60.0, "", false};
  spec.mix.imports["nl"] = ImportSpec{std::nullopt, "", true};
  // fr at 60, nl excluded: (94200 + 100 x 60) / 600 = 100200 / 600 = 167.
  const MixIntensityModel m(sources, spec);
  CHECK(role_of(m, "import_from_nl") == MixIntensityModel::Role::excluded);
  CHECK(m.intensity(row) == Approx(167).epsilon(1e-14));
  // Exports (negative imports) count 0: 188.4.
  const double exporting[] = {100, 50, 200, 150, -100, 100};
  CHECK(m.intensity(exporting) == Approx(188.4).epsilon(1e-14));

  // nl not listed, default 300: fr 60 and nl 300: (94200 + 6000 + 30000) / 700 = 186.
  GridRegionSpec with_default = region();
  with_default.mix.imports["fr"] = ImportSpec{60.0, "", false};
  with_default.mix.import_default = ImportSpec{300.0, "", false};
  CHECK(MixIntensityModel(sources, with_default).intensity(row) ==
        Approx(130200.0 / 700).epsilon(1e-14));
  // Default exclude: only the listed fr counts: 167.
  with_default.mix.import_default = ImportSpec{std::nullopt, "", true};
  CHECK(MixIntensityModel(sources, with_default).intensity(row) == Approx(167).epsilon(1e-14));

  // fr linked to region "fr" at 50 g/kWh over the row, nl excluded: (94200 + 5000) / 600
  // = 165.333...
  GridRegionSpec linked = region();
  linked.mix.imports["fr"] = ImportSpec{std::nullopt, "fr", false};
  linked.mix.imports["nl"] = ImportSpec{std::nullopt, "", true};
  const MixIntensityModel l(sources, linked);
  CHECK(l.linked_regions() == std::vector<std::string>{"fr"});
  CHECK(l.intensity(row, {0, 0, 0, 0, 50, 0}) == Approx(99200.0 / 600).epsilon(1e-14));
}

TEST_CASE("mix_to_intensity: one value per row, linked means over the row, no-generation error",
          "[mix]") {
  GenerationMix mix;
  mix.source = "mix.csv";
  mix.sources = {"gas", "import_from_fr"};
  mix.time_unix_s = {0, 1800, 3600};
  mix.line = {2, 3, 4};
  mix.mw = {100, 100, 300, 0, 0, 0};
  GridRegionSpec spec = region();
  spec.mix.imports["fr"] = ImportSpec{std::nullopt, "fr", false};
  const MixIntensityModel m(mix.sources, spec);
  std::vector<std::pair<double, double>> asked;
  auto linked = [&](const std::string& name, double t0, double t1) {
    CHECK(name == "fr");
    asked.emplace_back(t0, t1);
    return 10.0;
  };
  // Row 3 generates nothing: the error names its line.
  CHECK(error_of([&] { mix_to_intensity(mix, m, "grid.x", linked); }) ==
        "mix.csv:4: grid.x: no generation in this row: the intensity is undefined");
  mix.mw[5] = 10;  // 10 MW from fr in row 3
  asked.clear();
  const IntensitySeries s = mix_to_intensity(mix, m, "grid.x", linked);
  // Row 1: (100 x 490 + 100 x 10) / 200 = 250; row 2: 490; row 3: 10.
  CHECK(s.g_per_kwh == std::vector<double>{250, 490, 10});
  CHECK(s.line == std::vector<int>{2, 3, 4});
  // Each row's interval; the last lasts the first step (1800 s).
  CHECK(asked == std::vector<std::pair<double, double>>{{0, 1800}, {1800, 3600}, {3600, 5400}});
}

TEST_CASE("mix model input errors", "[mix]") {
  SECTION("an import column without a rule") {
    CHECK(error_of([] {
            MixIntensityModel({"gas", "import_from_fr"}, region());
          }) ==
          "s.toml:7:1: grid.x: import column import_from_fr_mw needs a rule: [grid.x.imports] "
          "fr = <g/kWh>, = \"<region>\" or = \"exclude\"");
  }
  SECTION("an unknown source without a factor") {
    CHECK(error_of([] {
            MixIntensityModel({"gas", "peat"}, region());
          }) ==
          "s.toml:7:1: grid.x: unknown source 'peat' and no factor: give "
          "[grid.x.factor_g_per_kwh] peat = <g/kWh>");
    // With a factor it is accepted: (100 x 490 + 100 x 1100) / 200 = 795.
    GridRegionSpec spec = region();
    spec.mix.factor_g_per_kwh["peat"] = 1100;
    const double row[] = {100, 100};
    CHECK(MixIntensityModel({"gas", "peat"}, spec).intensity(row) == Approx(795));
  }
  SECTION("a factor for a column the data does not have") {
    GridRegionSpec spec = region();
    spec.mix.factor_g_per_kwh["peat"] = 1100;
    spec.key_where["factor_g_per_kwh.peat"] = SourceLocation{"s.toml", 12, 1};
    CHECK(error_of([&] { MixIntensityModel({"gas"}, spec); }) ==
          "s.toml:12:1: grid.x.factor_g_per_kwh.peat: the data has no source 'peat'");
  }
  SECTION("an unknown factor set") {
    CHECK(error_of([] { MixIntensityModel({"gas"}, region("ipcc-ar6")); }) ==
          "s.toml:8:1: grid.x.factors: 'ipcc-ar6' is not one of: ipcc-ar5-2014, ipcc-srren-2011");
  }
}
