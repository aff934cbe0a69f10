#pragma once
// Intensity of a generation mix: sum(MW x factor) / sum(MW) over the sources that generate.
// - Generation columns take the scenario's factor, else the factor set's, else the model's own;
//   a source with none of them is an input error.
// - hydro_pumped_storage is left out (its output is energy drawn from the grid earlier, and its
//   negative values are pumping, i.e. consumption), unless the scenario gives it a factor; then
//   its positive values count as generation with that factor.
// - Negative values of other generation columns (auxiliary consumption in some exports) count
//   as 0; empty cells count as 0.
// - import_from_<cc> columns take a factor, a linked region's intensity, or are excluded;
//   negative values (exports) count as 0. An import column with no rule is an input error.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "grid/time_series.hpp"
#include "scenario/grid_spec.hpp"

namespace mlcycle {

class MixIntensityModel {
 public:
  enum class Role { generation, excluded, import_linked };
  struct Column {
    std::string source;
    Role role = Role::generation;
    double g_per_kwh = 0;
    std::string linked_region;  // import_linked
  };

  // `own_factors`: factors a synthetic model brings for its own pseudo-sources.
  MixIntensityModel(const std::vector<std::string>& sources, const GridRegionSpec& spec,
                    const std::vector<std::pair<std::string, double>>& own_factors = {});

  const std::vector<Column>& columns() const { return columns_; }
  std::vector<std::string> linked_regions() const;

  // `linked_g_per_kwh[c]`: intensity of column c's linked region over the row (ignored for
  // other columns; may be empty when there is no linked column). NaN when nothing generates.
  double intensity(const double* row_mw, const std::vector<double>& linked_g_per_kwh = {}) const;

 private:
  std::vector<Column> columns_;
};

// Intensity series of a mix file. `linked(region, t0, t1)` returns a linked region's mean
// intensity over [t0, t1) (absolute UTC seconds). A row where nothing generates is an error.
template <typename Linked>
IntensitySeries mix_to_intensity(const GenerationMix& mix, const MixIntensityModel& model,
                                 const std::string& key, Linked&& linked);

}  // namespace mlcycle

#include "grid/mix_intensity_impl.hpp"
