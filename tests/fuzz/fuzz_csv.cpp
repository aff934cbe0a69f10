// Fuzzes every CSV reader. Input: one selector byte, then the file's bytes. The selector's low
// three bits pick the reader; its high bits pick the coverage rules (wrap_year, hold_edges,
// fill) that the series readers' data then goes through, as a scenario would ask:
//   0, 1, 2  intensity trace, "plain" / "electricitymaps" / "watttime" layout, then mapped onto
//            simulation time (prepare_series, SeriesSource, StepTimeline) over its span
//   3        generation mix (`<source>_mw` columns)
//   4        serving demand (timestamp, requests_per_s)
//   5        PUE trace ([pue.<name>] kind = "trace": timestamp, pue)
//   6        the bare CsvTable: header, column lookups, every record; with bit 3 set, an LLM
//            operating-point table (model "m" on gpu "g", tensor_parallel 1 or, with bit 4, 2)
//            and the measured replica it makes, at loads from none to past its capacity; with
//            bit 5 set instead, a segment's requests (input_tokens, output_tokens) and the
//            token mix they make
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
#include "scenario/llm_measured_csv.hpp"
#include "scenario/request_tokens_csv.hpp"
#include "workload/llm_measured.hpp"

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

// The replica's steady state must stay inside its table: finite power between the idle power
// and the largest measured, a batch no larger than the last row's.
void serve_from_table(std::uint8_t selector, const std::string& path) {
  const std::uint32_t tp = (selector & 0x10) != 0 ? 2 : 1;
  const LlmMeasuredTable table =
      read_llm_measured_csv(path, "m", "g", tp, SourceLocation{"fuzz.toml", 1, 1}, "llm.model");
  LlmReplicaSpec spec;
  spec.tensor_parallel = tp;
  spec.idle_w = 0;
  const MeasuredLlmReplica replica(table, spec);
  const TokenMix mix{100, 200, 200};
  double largest_w = 0;
  for (const LlmMeasuredPoint& p : table.points) largest_w = std::max(largest_w, p.power_w);
  const double capacity_per_s = replica.capacity_per_s(mix);
  for (double share : {0.0, 1e-9, 0.3, 0.999, 1.0, 2.0}) {
    const LlmOperatingPoint point = replica.at(share * capacity_per_s, mix);
    if (!(point.power_w >= 0 && point.power_w <= largest_w) ||
        !(point.batch >= 0 && point.batch <= table.points.back().batch) || !(point.tpot_s > 0))
      __builtin_trap();
  }
}

// The mix of a file of requests: means and context positive and finite, quantiles sorted.
void mix_from_requests(const std::string& path) {
  RequestSegment segment;
  read_request_tokens_csv(path, segment);
  const TokenMix mix = token_mix(std::vector<RequestSegment>{segment});
  if (!(mix.batch_context_tokens > 0 && std::isfinite(mix.batch_context_tokens)) ||
      !std::is_sorted(segment.input_points.begin(), segment.input_points.end(),
                      [](const TokenPoint& a, const TokenPoint& b) { return a.tokens < b.tokens; }))
    __builtin_trap();
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
      if ((selector & 0x08) != 0) return serve_from_table(selector, path);
      if ((selector & 0x20) != 0) return mix_from_requests(path);
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
