#include "grid/grid_registry.hpp"

#include <algorithm>

#include "core/input_error.hpp"
#include "grid/grid_csv.hpp"
#include "grid/mix_intensity.hpp"
#include "grid/region_factory.hpp"

namespace mlcycle {

namespace {

// Mean of a series over [t0, t1) (absolute UTC), holding its edges: linked imports price a
// neighbour's electricity at the time it flowed.
double series_mean(const IntensitySeries& s, double t0, double t1) {
  const auto& t = s.time_unix_s;
  auto value_at = [&](double x) {
    auto it = std::upper_bound(t.begin(), t.end(), x);
    return s.g_per_kwh[it == t.begin() ? 0 : static_cast<std::size_t>(it - t.begin() - 1)];
  };
  if (!(t1 > t0)) return value_at(t0);
  double sum = 0, cursor = t0;
  for (auto it = std::upper_bound(t.begin(), t.end(), t0); it != t.end() && *it < t1; ++it) {
    sum += value_at(cursor) * (*it - cursor);
    cursor = *it;
  }
  sum += value_at(cursor) * (t1 - cursor);
  return sum / (t1 - t0);
}

// Reads the regions' files in dependency order (a mix's linked imports first).
class RegionReader {
 public:
  explicit RegionReader(const std::vector<GridRegionSpec>& specs)
      : specs_(specs), data_(specs.size()), state_(specs.size(), 0) {}

  std::vector<RegionData> read_all() {
    for (std::size_t i = 0; i < specs_.size(); ++i) read(i);
    return std::move(data_);
  }

 private:
  std::size_t index_of(const GridRegionSpec& from, const std::string& name) const {
    for (std::size_t j = 0; j < specs_.size(); ++j)
      if (specs_[j].name == name && specs_[j].kind != GridKind::synthetic) return j;
    throw InputError(from.location_of("file"), from.key() + ".imports",
                     "'" + name + "' is not a constant, trace or mix region of the scenario");
  }

  void read(std::size_t i) {
    const GridRegionSpec& spec = specs_[i];
    if (state_[i] == 2) return;
    if (state_[i] == 1)
      throw InputError(spec.where, spec.key() + ".imports", "linked imports form a cycle");
    state_[i] = 1;
    RegionData& d = data_[i];
    switch (spec.kind) {
      case GridKind::constant:
        d.constant_g_per_kwh = spec.intensity_g_per_kwh;
        break;
      case GridKind::trace:
        d.series = read_intensity_csv(spec.file, trace_columns_of(spec));
        break;
      case GridKind::mix: {
        auto mix =
            std::make_shared<GenerationMix>(read_generation_mix_csv(spec.file, spec.time_column));
        MixIntensityModel model(mix->sources, spec);
        for (const std::string& linked : model.linked_regions()) read(index_of(spec, linked));
        d.series = mix_to_intensity(
            *mix, model, spec.key(), [&](const std::string& linked, double t0, double t1) {
              const RegionData& other = data_[index_of(spec, linked)];
              return other.constant_g_per_kwh ? *other.constant_g_per_kwh
                                              : series_mean(*other.series, t0, t1);
            });
        d.mix = std::move(mix);
        break;
      }
      case GridKind::synthetic:
        break;  // generated on demand over simulation time
    }
    state_[i] = 2;
  }

  const std::vector<GridRegionSpec>& specs_;
  std::vector<RegionData> data_;
  std::vector<int> state_;  // 0 unread, 1 reading, 2 read: linked imports must form no cycle
};

}  // namespace

GridRegistry::~GridRegistry() = default;

GridRegistry::GridRegistry(const std::vector<GridRegionSpec>& grids, std::int64_t start_unix_s,
                           std::uint64_t seed) {
  std::vector<RegionData> data = RegionReader(grids).read_all();
  for (std::size_t i = 0; i < grids.size(); ++i) {
    BuiltRegion built = make_region(grids[i], std::move(data[i]), start_unix_s, seed);
    regions_.push_back(Region{grids[i].name, std::move(built.signal), std::move(built.timeline),
                              std::move(built.marginal), std::move(built.info)});
  }
}

GridRegistry::GridRegistry(std::vector<std::string> names,
                           std::vector<std::unique_ptr<StepSignal>> signals) {
  for (std::size_t i = 0; i < names.size(); ++i)
    regions_.push_back(Region{names[i], std::shared_ptr<const StepSignal>(std::move(signals[i])),
                              nullptr, nullptr, GridRegionInfo{"custom", "test", {}, {}}});
}

std::optional<std::size_t> GridRegistry::find(const std::string& name) const {
  for (std::size_t i = 0; i < regions_.size(); ++i)
    if (regions_[i].name == name) return i;
  return std::nullopt;
}

}  // namespace mlcycle
