// GB's and FR's 2020 intensity recomputed from their generation-mix files with our
// MixIntensityModel and compared, row by row, with the Let's Wait Awhile intensity files
// (../shared/data/grid; IPCC SRREN medians, per the data's README). Skipped without the data.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>

#include "grid/grid_csv.hpp"
#include "grid/mix_intensity.hpp"
#include "support/skip.hpp"

using namespace mlcycle;

namespace {

struct Agreement {
  std::size_t rows = 0;
  double mean_model = 0, mean_file = 0;
  double mean_abs_diff = 0, max_abs_diff = 0;
  double pearson = 0;
  double mean_rel_diff() const { return mean_abs_diff / mean_file; }  // mean|d| / mean(file)
  double bias() const { return (mean_model - mean_file) / mean_file; }
};

std::string shared_grid_file(const std::string& name) {
  return (std::filesystem::path(MLCYCLE_SHARED_DATA) / "grid" / name).string();
}

bool have_shared_data(const std::string& region) {
  for (const char* kind : {"_2020_carbon_intensity.csv", "_2020_generation_mix.csv"})
    if (!std::filesystem::is_regular_file(shared_grid_file(region + kind))) return false;
  return true;
}

// Imports excluded, pumped storage excluded (the default), factors of `factor_set`.
Agreement compare(const std::string& region, const std::string& factor_set) {
  const GenerationMix mix =
      read_generation_mix_csv(shared_grid_file(region + "_2020_generation_mix.csv"));
  const IntensitySeries file = read_intensity_csv(
      shared_grid_file(region + "_2020_carbon_intensity.csv"), *trace_format("plain"));
  GridRegionSpec spec;
  spec.name = region;
  spec.kind = GridKind::mix;
  spec.mix.factor_set = factor_set;
  spec.mix.import_default = ImportSpec{std::nullopt, "", true};
  const MixIntensityModel model(mix.sources, spec);
  REQUIRE(mix.rows() == file.time_unix_s.size());
  Agreement a;
  a.rows = mix.rows();
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (std::size_t row = 0; row < mix.rows(); ++row) {
    REQUIRE(mix.time_unix_s[row] == file.time_unix_s[row]);  // same timestamps
    const double x = model.intensity(&mix.mw[row * mix.sources.size()]);
    const double y = file.g_per_kwh[row];
    REQUIRE(std::isfinite(x));
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
    a.mean_abs_diff += std::abs(x - y);
    a.max_abs_diff = std::max(a.max_abs_diff, std::abs(x - y));
  }
  const double n = static_cast<double>(a.rows);
  a.mean_model = sx / n;
  a.mean_file = sy / n;
  a.mean_abs_diff /= n;
  a.pearson = (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  WARN(region << " 2020, " << factor_set << ", imports and pumped storage excluded, " << a.rows
              << " rows: mean intensity mix " << a.mean_model << " g/kWh, file " << a.mean_file
              << " g/kWh; mean |diff| " << a.mean_abs_diff << " g/kWh (" << 100 * a.mean_rel_diff()
              << " % of the file's mean); max |diff| " << a.max_abs_diff << " g/kWh; bias "
              << 100 * a.bias() << " %; Pearson r " << a.pearson);
  return a;
}

}  // namespace

// Bounds, set after looking at the numbers (printed by compare(); 2020 data):
//   GB SRREN: r 0.995, mean |diff| 6.4 g/kWh = 3.0 % of the file's mean, bias +0.4 %.
//   GB AR5:   r 0.987, mean |diff| 22.8 g/kWh = 10.7 %, bias +10.5 % (AR5's biomass 230 and
//             gas 490 against SRREN's 18 and 469): the file was made with SRREN, as documented.
//   FR SRREN: r 0.970, mean |diff| 3.8 g/kWh = 6.7 %, bias -3.6 %.  FR AR5: r 0.965, 7.2 %.
// Most of what remains is the imports the LWA intensities include and we exclude here: priced at
// a flat 200 g/kWh, imports bring GB's mean |diff| from 6.4 to 4.4 g/kWh (r 0.996) and FR's
// from 3.8 to 2.8 g/kWh (r 0.995). GB's max |diff| (223 g/kWh at 2020-07-23T01:00Z) is a row of
// the mix file with only 804 MW of wind and no other generation, a gap in the ENTSO-E data.
// The bounds leave room of about 1.5x over what was measured, no more: one wrong factor of
// weight is caught (AR5's biomass 230 alone: GB mean |diff| 8.5 %; AR5's gas 490 alone: 5.2 %).
TEST_CASE("GB 2020: intensity recomputed from the mix agrees with the LWA file", "[shared]") {
  if (!have_shared_data("gb"))
    MLCYCLE_SKIP("GB 2020 files not found under " << MLCYCLE_SHARED_DATA << "/grid");
  const Agreement srren = compare("gb", "ipcc-srren-2011");
  CHECK(srren.rows == 17568);
  CHECK(srren.pearson > 0.9);
  CHECK(srren.pearson > 0.99);
  CHECK(srren.mean_rel_diff() < 0.05);
  CHECK(std::abs(srren.bias()) < 0.02);
  const Agreement ar5 = compare("gb", "ipcc-ar5-2014");
  CHECK(ar5.pearson > 0.9);
  CHECK(ar5.mean_rel_diff() < 0.15);
  // The data was made with SRREN: AR5 agrees less well.
  CHECK(ar5.mean_abs_diff > 2 * srren.mean_abs_diff);
}

TEST_CASE("FR 2020: intensity recomputed from the mix agrees with the LWA file", "[shared]") {
  if (!have_shared_data("fr"))
    MLCYCLE_SKIP("FR 2020 files not found under " << MLCYCLE_SHARED_DATA << "/grid");
  const Agreement srren = compare("fr", "ipcc-srren-2011");
  CHECK(srren.rows == 8784);
  CHECK(srren.pearson > 0.9);
  CHECK(srren.mean_rel_diff() < 0.10);
  CHECK(std::abs(srren.bias()) < 0.06);
  const Agreement ar5 = compare("fr", "ipcc-ar5-2014");
  CHECK(ar5.pearson > 0.9);
  CHECK(ar5.mean_rel_diff() < 0.10);
}
