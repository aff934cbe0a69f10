// Fuzzes every CSV reader. Input: one selector byte, then the file's bytes. The selector's low
// three bits pick the reader; its high bits pick the coverage rules (wrap_year, hold_edges,
// fill) that the series readers' data then goes through, as a scenario would ask:
//   0, 1, 2  intensity trace, "plain" / "electricitymaps" / "watttime" layout, then mapped onto
//            simulation time (prepare_series, SeriesSource, StepTimeline) over its span
//   3        generation mix (`<source>_mw` columns)
//   4        serving demand (timestamp, requests_per_s)
//   5        PUE trace ([pue.<name>] kind = "trace": timestamp, pue)
//   6        the bare CsvTable: header, column lookups, every record
//   7        parse_utc_timestamp on the rest of the input
// InputError is the expected answer to bad input; anything else escaping is a finding.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accounting/pue_profiles.hpp"
#include "core/csv_table.hpp"
#include "core/input_error.hpp"
#include "core/utc_timestamp.hpp"
#include "fuzz_support.hpp"
#include "grid/grid_csv.hpp"
#include "grid/series_source.hpp"
#include "grid/step_timeline.hpp"
#include "scenario/demand_csv.hpp"

namespace {

using namespace mlcycle;

CoverageSpec coverage_of(std::uint8_t selector) {
  CoverageSpec coverage;
  coverage.wrap_year = (selector & 0x08) != 0;
  coverage.hold_edges = (selector & 0x10) != 0;
  const int fill = (selector >> 5) & 0x03;
  coverage.fill = fill == 1   ? CoverageSpec::Fill::previous
                  : fill == 2 ? CoverageSpec::Fill::linear
                              : CoverageSpec::Fill::none;
  return coverage;
}

// Maps the series onto a simulation that starts at its first row and queries up to a year of
// it, as a run's power meter would.
void map_series(IntensitySeries series, const CoverageSpec& coverage) {
  if (series.time_unix_s.empty()) return;
  const auto start_unix_s = static_cast<std::int64_t>(std::floor(series.time_unix_s.front()));
  const std::string key = "grid.fuzz";
  StepTimeline timeline(std::make_unique<SeriesSource>(
      prepare_series(std::move(series), coverage, key), coverage, start_unix_s, key));
  constexpr double kYear_s = 366 * 86400.0;
  timeline.ensure_through(kYear_s / 2);
  (void)timeline.integral(0, kYear_s / 2);
  (void)timeline.value_at(kYear_s / 4);
}

void walk_table(const std::string& path) {
  CsvTable table(path);
  (void)table.header_list();
  (void)table.line_count();
  if (!table.header().empty()) (void)table.column(table.header().front());
  std::vector<std::string> fields;
  while (table.next(fields)) {
  }
}

void read_with(std::uint8_t selector, const std::string& path) {
  const CoverageSpec coverage = coverage_of(selector);
  switch (selector & 0x07) {
    case 0:
      return map_series(read_intensity_csv(path, *trace_format("plain")), coverage);
    case 1:
      return map_series(read_intensity_csv(path, *trace_format("electricitymaps")), coverage);
    case 2:
      return map_series(read_intensity_csv(path, *trace_format("watttime")), coverage);
    case 3:
      (void)read_generation_mix_csv(path);
      return;
    case 4:
      (void)read_demand_csv(path);
      return;
    case 5: {
      PueProfileSpec spec;
      spec.name = "fuzz";
      spec.kind = PueProfileSpec::Kind::trace;
      spec.file = path;
      spec.coverage = coverage;
      // 2020-01-01T00:00:00Z, the year of the seed traces.
      auto signal = make_pue_signal(spec, 1577836800);
      (void)signal->value_at(0);
      return;
    }
    case 6:
      return walk_table(path);
    default:
      return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view body = mlcycle::fuzz::as_text(data + 1, size - 1);
  try {
    if ((selector & 0x07) == 7) {
      (void)mlcycle::parse_utc_timestamp(std::string(body));
    } else {
      const mlcycle::fuzz::TempInput file(body, ".csv");
      read_with(selector, file.path());
    }
  } catch (const mlcycle::InputError&) {
  }
  return 0;
}
