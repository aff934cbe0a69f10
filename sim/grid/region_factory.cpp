#include "grid/region_factory.hpp"

#include "core/input_error.hpp"
#include "core/seed_stream.hpp"
#include "grid/grid_csv.hpp"
#include "grid/mix_intensity.hpp"
#include "grid/series_source.hpp"
#include "grid/synthetic_source.hpp"

namespace mlcycle {

namespace {

// Maps a data series onto simulation time and checks that it covers the start of the run.
std::shared_ptr<const StepTimeline> series_timeline(IntensitySeries prepared,
                                                    const GridRegionSpec& spec,
                                                    std::int64_t start_unix_s) {
  auto timeline = std::make_shared<const StepTimeline>(
      std::make_unique<SeriesSource>(std::move(prepared), spec.coverage, start_unix_s, spec.key()));
  timeline->ensure(0);
  return timeline;
}

std::shared_ptr<const StepSignal> marginal_signal(const GridRegionSpec& spec,
                                                  const MixIntensityModel* model,
                                                  std::int64_t start_unix_s) {
  if (!spec.marginal_file.empty()) {
    TraceColumns columns = *trace_format("plain");
    if (spec.kind == GridKind::trace) columns = trace_columns_of(spec);
    return series_timeline(prepare_series(read_intensity_csv(spec.marginal_file, columns),
                                          spec.coverage, spec.key() + ".marginal_file"),
                           spec, start_unix_s);
  }
  if (!spec.marginal_source.empty()) {
    for (const auto& column : model->columns())
      if (column.source == spec.marginal_source && column.source.rfind("import_from_", 0) != 0 &&
          column.role == MixIntensityModel::Role::generation)
        return std::make_shared<ConstantSignal>(column.g_per_kwh);
    throw InputError(spec.location_of("marginal_source"), spec.key() + ".marginal_source",
                     "'" + spec.marginal_source + "' is not a generation source of this grid");
  }
  return nullptr;
}

}  // namespace

TraceColumns trace_columns_of(const GridRegionSpec& spec) {
  auto preset = trace_format(spec.format);
  if (!preset)
    throw InputError(spec.location_of("format"), spec.key() + ".format",
                     "'" + spec.format + "' is not one of: plain, electricitymaps, watttime");
  TraceColumns columns = *preset;
  // Explicit keys win over the preset; the loader's defaults are the plain format's.
  if (spec.key_where.count("time_column")) columns.time_column = spec.time_column;
  if (spec.key_where.count("value_column")) columns.value_column = spec.value_column;
  if (spec.key_where.count("units")) columns.to_g_per_kwh = spec.value_to_g_per_kwh;
  return columns;
}

BuiltRegion make_region(const GridRegionSpec& spec, RegionData data, std::int64_t start_unix_s,
                        std::uint64_t seed) {
  BuiltRegion built;
  switch (spec.kind) {
    case GridKind::constant:
      built.signal = std::make_shared<ConstantSignal>(*data.constant_g_per_kwh);
      built.info = GridRegionInfo{"constant", "scenario", {}, {}};
      return built;
    case GridKind::trace:
    case GridKind::mix: {
      IntensitySeries prepared = prepare_series(std::move(*data.series), spec.coverage, spec.key());
      // Step origins index the prepared series; rows a linear fill inserted have no mix row.
      auto mix_row = std::make_shared<std::vector<std::int64_t>>();
      std::int64_t next = 0;
      for (int line : prepared.line) mix_row->push_back(line > 0 ? next++ : -1);
      built.timeline = series_timeline(std::move(prepared), spec, start_unix_s);
      built.signal = built.timeline;
      built.info.kind = spec.kind == GridKind::trace ? "trace" : "mix";
      built.info.source = spec.file;
      if (data.mix) {
        built.info.mix_sources = data.mix->sources;
        std::shared_ptr<const GenerationMix> mix = data.mix;
        built.info.generation_mw = [mix, mix_row](std::int64_t row) {
          std::vector<double> mw;
          if (row < 0 || (*mix_row)[row] < 0) return mw;
          const auto r = static_cast<std::size_t>((*mix_row)[row]);
          for (std::size_t s = 0; s < mix->sources.size(); ++s) mw.push_back(mix->at(r, s));
          return mw;
        };
        MixIntensityModel model(data.mix->sources, spec);
        built.marginal = marginal_signal(spec, &model, start_unix_s);
      } else {
        built.marginal = marginal_signal(spec, nullptr, start_unix_s);
      }
      return built;
    }
    case GridKind::synthetic: {
      // Each region draws its own noise: two regions of one model are not copies.
      std::uint64_t purpose = 0x47524944ULL;  // "GRID"
      for (char c : spec.name) purpose = mix_seed(purpose ^ static_cast<unsigned char>(c));
      auto grid = SyntheticGrid::make(spec.model, mix_seed(seed ^ purpose));
      if (!grid) {
        std::string names;
        for (const std::string& n : SyntheticGrid::names())
          names += (names.empty() ? "" : ", ") + n;
        throw InputError(spec.location_of("model"), spec.key() + ".model",
                         "'" + spec.model + "' is not a built-in grid (" + names + ")");
      }
      auto source = std::make_unique<SyntheticSource>(std::move(grid), spec, start_unix_s);
      const SyntheticSource* raw = source.get();
      built.timeline = std::make_shared<const StepTimeline>(std::move(source));
      built.signal = built.timeline;
      built.info.kind = "synthetic";
      built.info.source = spec.model;
      built.info.mix_sources = raw->grid().sources();
      auto keep_alive = built.timeline;
      built.info.generation_mw = [raw, keep_alive](std::int64_t row) {
        std::vector<double> mw;
        const std::size_t n = raw->grid().sources().size();
        if (row < 0) return mw;
        for (std::size_t s = 0; s < n; ++s)
          mw.push_back(raw->row_mw()[static_cast<std::size_t>(row) * n + s]);
        return mw;
      };
      built.marginal = marginal_signal(spec, &raw->model(), start_unix_s);
      return built;
    }
  }
  return built;
}

}  // namespace mlcycle
