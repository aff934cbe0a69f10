#pragma once
// Template body of mix_to_intensity (included by mix_intensity.hpp).
#include <cmath>

#include "core/input_error.hpp"

namespace mlcycle {

template <typename Linked>
IntensitySeries mix_to_intensity(const GenerationMix& mix, const MixIntensityModel& model,
                                 const std::string& key, Linked&& linked) {
  IntensitySeries out;
  out.source = mix.source;
  const auto& columns = model.columns();
  std::vector<double> linked_values(columns.size(), 0.0);
  const double typical_step_s = mix.rows() > 1 ? mix.time_unix_s[1] - mix.time_unix_s[0] : 3600.0;
  for (std::size_t row = 0; row < mix.rows(); ++row) {
    const double t0 = mix.time_unix_s[row];
    const double t1 = row + 1 < mix.rows() ? mix.time_unix_s[row + 1] : t0 + typical_step_s;
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c].role == MixIntensityModel::Role::import_linked)
        linked_values[c] = linked(columns[c].linked_region, t0, t1);
    const double g = model.intensity(&mix.mw[row * columns.size()], linked_values);
    if (std::isnan(g))
      throw InputError(SourceLocation{mix.source, mix.line[row], 0}, key,
                       "no generation in this row: the intensity is undefined");
    out.time_unix_s.push_back(t0);
    out.g_per_kwh.push_back(g);
    out.line.push_back(mix.line[row]);
  }
  return out;
}

}  // namespace mlcycle
