#pragma once
// What a scenario says about its grid regions ([grid.<name>]): the grid wing builds its signals
// from these alone, so it includes this header and not the whole scenario.
#include <map>
#include <optional>
#include <string>

#include "core/enum_names.hpp"
#include "core/input_error.hpp"

namespace mlcycle {

enum class GridKind { constant, trace, mix, synthetic };
inline constexpr EnumName<GridKind> kGridKindNames[] = {{GridKind::constant, "constant"},
                                                        {GridKind::trace, "trace"},
                                                        {GridKind::mix, "mix"},
                                                        {GridKind::synthetic, "synthetic"}};
constexpr std::span<const EnumName<GridKind>> enum_names(GridKind) {
  return kGridKindNames;
}

// What to do where the simulation needs grid data the file does not have.
struct CoverageSpec {
  bool wrap_year = false;   // map any time into the data's year by day of year and time of day
  bool hold_edges = false;  // before the first row: the first value; after the data: the last
  enum class Fill { none, previous, linear } fill = Fill::none;  // steps longer than max_gap_s
  double max_gap_s = 0;  // 0: three times the data's median step
};
// `fill = ...` names a way to fill; none is the default, not a word a scenario may write.
inline constexpr EnumName<CoverageSpec::Fill> kFillNames[] = {
    {CoverageSpec::Fill::previous, "previous"}, {CoverageSpec::Fill::linear, "linear"}};
constexpr std::span<const EnumName<CoverageSpec::Fill>> enum_names(CoverageSpec::Fill) {
  return kFillNames;
}

// An import column `import_from_<cc>_mw` of a mix: a factor, another region, or left out.
struct ImportSpec {
  std::optional<double> g_per_kwh;
  std::string region;  // a [grid.<region>] of the scenario (constant, trace or mix)
  bool exclude = false;
};

struct MixSpec {
  std::string factor_set = "ipcc-ar5-2014";
  std::map<std::string, double> factor_g_per_kwh;  // per source, overriding the set
  std::map<std::string, ImportSpec> imports;       // by country code (`fr` for import_from_fr_mw)
  std::optional<ImportSpec> import_default;        // for import columns not listed
};

struct GridRegionSpec {
  std::string name;
  GridKind kind = GridKind::constant;
  double intensity_g_per_kwh = 0;  // constant
  std::string file;                // trace and mix: path resolved against the scenario file
  std::string time_column = "timestamp";
  std::string value_column = "carbon_intensity_g_per_kwh";  // trace
  double value_to_g_per_kwh = 1;                            // trace: unit conversion
  MixSpec mix;                                              // mix and synthetic
  std::string model;                                        // synthetic: built-in name
  CoverageSpec coverage;
  // Optional marginal signal: a trace file (same column options), or for a mix / synthetic
  // grid the source on the margin (its factor, constant).
  std::string marginal_file;
  std::string marginal_source;
  std::string format = "plain";  // trace preset, as written (checked by the grid layer)
  SourceLocation where;
  // Positions of keys whose values are checked once the data is read (file, model, factors,
  // imports.<cc>, factor_g_per_kwh.<source>, ...), so those errors point at the key too.
  std::map<std::string, SourceLocation> key_where;
  SourceLocation location_of(const std::string& key) const {
    auto it = key_where.find(key);
    return it == key_where.end() ? where : it->second;
  }
  // The region's scenario key ("grid.<name>"), the prefix of every error about it.
  std::string key() const { return "grid." + name; }
};

}  // namespace mlcycle
