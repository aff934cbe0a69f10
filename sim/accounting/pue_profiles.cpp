#include "accounting/pue_profiles.hpp"

#include <cmath>
#include <limits>

#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "grid/grid_csv.hpp"
#include "grid/series_source.hpp"

namespace mlcycle {

namespace {

// Civil month (0-11) and the unix time of the next month start, for `unix_s`.
std::pair<int, std::int64_t> month_of(std::int64_t unix_s) {
  const std::string iso = format_iso8601(UtcTime{unix_s});
  const int year = std::stoi(iso.substr(0, 4));
  const int month = std::stoi(iso.substr(5, 2));
  const std::int64_t next =
      month == 12 ? make_utc(year + 1, 1, 1, 0, 0, 0).unix_s
                  : make_utc(year, static_cast<unsigned>(month + 1), 1, 0, 0, 0).unix_s;
  return {month - 1, next};
}

}  // namespace

CalendarProfileSource::CalendarProfileSource(std::vector<double> values, std::int64_t start_unix_s)
    : values_(std::move(values)), start_unix_s_(start_unix_s) {}

double CalendarProfileSource::extend(double from_s, double to_s, StepAppender& out) {
  const auto start = start_unix_s_;
  std::int64_t t = start + static_cast<std::int64_t>(std::floor(from_s));
  const std::int64_t end = start + static_cast<std::int64_t>(std::ceil(to_s));
  while (t < end) {
    std::int64_t next = 0;
    double value = 0;
    if (values_.size() == 12) {
      auto [month, next_month] = month_of(t);
      value = values_[static_cast<std::size_t>(month)];
      next = next_month;
    } else {
      const std::int64_t day_s = ((t % 86400) + 86400) % 86400;
      value = values_[static_cast<std::size_t>(day_s / 3600)];
      next = t - day_s % 3600 + 3600;
    }
    const double sim_s = std::max(from_s, static_cast<double>(t - start));
    if (out.start_s.empty() || out.start_s.back() < sim_s) out.add(sim_s, value);
    t = next;
  }
  return static_cast<double>(t - start);
}

std::shared_ptr<const StepSignal> make_pue_signal(const PueProfileSpec& spec,
                                                  std::int64_t start_unix_s) {
  using Kind = PueProfileSpec::Kind;
  switch (spec.kind) {
    case Kind::constant:
      return std::make_shared<ConstantSignal>(spec.values.front());
    case Kind::monthly:
    case Kind::hourly:
      return std::make_shared<StepTimeline>(
          std::make_unique<CalendarProfileSource>(spec.values, start_unix_s));
    case Kind::trace: {
      IntensitySeries series = read_intensity_csv(
          spec.file, TraceColumns{spec.time_column, spec.value_column, 1.0, "PUE"});
      const std::string key = "pue." + spec.name;
      for (std::size_t i = 0; i < series.g_per_kwh.size(); ++i)
        if (series.g_per_kwh[i] < 1.0)
          throw InputError(SourceLocation{spec.file, series.line[i], 0}, key,
                           spec.value_column + " " + std::to_string(series.g_per_kwh[i]) +
                               " is below 1.0: a PUE is at least 1");
      auto timeline = std::make_shared<StepTimeline>(std::make_unique<SeriesSource>(
          prepare_series(std::move(series), spec.coverage, key), spec.coverage, start_unix_s, key));
      timeline->ensure(0);
      return timeline;
    }
  }
  return nullptr;
}

std::map<std::string, std::shared_ptr<const StepSignal>> make_pue_signals(
    const Scenario& scenario) {
  std::map<std::string, std::shared_ptr<const StepSignal>> signals;
  for (const PueProfileSpec& spec : scenario.pue_profiles)
    signals[spec.name] = make_pue_signal(spec, scenario.simulation.start.unix_s);
  return signals;
}

}  // namespace mlcycle
