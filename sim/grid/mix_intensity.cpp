#include "grid/mix_intensity.hpp"

#include <cmath>
#include <limits>

#include "core/input_error.hpp"
#include "grid/emission_factors.hpp"

namespace mlcycle {

namespace {
constexpr std::string_view kImportPrefix = "import_from_";
}

MixIntensityModel::MixIntensityModel(
    const std::vector<std::string>& sources, const GridRegionSpec& spec,
    const std::vector<std::pair<std::string, double>>& own_factors) {
  const MixSpec& mix = spec.mix;
  if (!is_emission_factor_set(mix.factor_set))
    throw InputError(spec.location_of("factors"), "grid." + spec.name + ".factors",
                     "'" + mix.factor_set + "' is not one of: ipcc-ar5-2014, ipcc-srren-2011");
  for (const auto& [source, value] : mix.factor_g_per_kwh) {
    bool used = false;
    for (const std::string& s : sources) used = used || s == source;
    if (!used)
      throw InputError(spec.location_of("factor_g_per_kwh." + source),
                       "grid." + spec.name + ".factor_g_per_kwh." + source,
                       "the data has no source '" + source + "'");
  }
  for (const std::string& source : sources) {
    Column column;
    column.source = source;
    if (source.rfind(kImportPrefix, 0) == 0) {
      const std::string country = source.substr(kImportPrefix.size());
      auto it = mix.imports.find(country);
      const ImportSpec* rule = it != mix.imports.end() ? &it->second
                               : mix.import_default    ? &*mix.import_default
                                                       : nullptr;
      if (!rule)
        throw InputError(spec.location_of("file"), "grid." + spec.name,
                         "import column " + source + "_mw needs a rule: [grid." + spec.name +
                             ".imports] " + country +
                             " = <g/kWh>, = \"<region>\" or = \"exclude\"");
      if (rule->exclude)
        column.role = Role::excluded;
      else if (rule->g_per_kwh)
        column.g_per_kwh = *rule->g_per_kwh;
      else {
        column.role = Role::import_linked;
        column.linked_region = rule->region;
      }
    } else if (auto over = mix.factor_g_per_kwh.find(source); over != mix.factor_g_per_kwh.end()) {
      column.g_per_kwh = over->second;
    } else if (source == "hydro_pumped_storage") {
      column.role = Role::excluded;
    } else if (auto factor = emission_factor(mix.factor_set, source)) {
      column.g_per_kwh = factor->g_per_kwh;
    } else {
      bool found = false;
      for (const auto& [name, value] : own_factors)
        if (name == source) {
          column.g_per_kwh = value;
          found = true;
        }
      if (!found)
        throw InputError(spec.location_of("file"), "grid." + spec.name,
                         "unknown source '" + source + "' and no factor: give [grid." + spec.name +
                             ".factor_g_per_kwh] " + source + " = <g/kWh>");
    }
    columns_.push_back(std::move(column));
  }
}

std::vector<std::string> MixIntensityModel::linked_regions() const {
  std::vector<std::string> regions;
  for (const Column& c : columns_)
    if (c.role == Role::import_linked) regions.push_back(c.linked_region);
  return regions;
}

double MixIntensityModel::intensity(const double* row_mw,
                                    const std::vector<double>& linked_g_per_kwh) const {
  double weighted = 0, total_mw = 0;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const Column& column = columns_[c];
    const double mw = row_mw[c];
    if (column.role == Role::excluded || !(mw > 0)) continue;  // NaN, zero and negative: none
    const double g = column.role == Role::import_linked ? linked_g_per_kwh[c] : column.g_per_kwh;
    weighted += mw * g;
    total_mw += mw;
  }
  return total_mw > 0 ? weighted / total_mw : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace mlcycle
