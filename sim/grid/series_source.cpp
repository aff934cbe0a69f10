#include "grid/series_source.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/duration.hpp"
#include "core/input_error.hpp"
#include "core/utc_time.hpp"

namespace mlcycle {

namespace {

double median_step_s(const std::vector<double>& t) {
  if (t.size() < 2) return 3600.0;  // one row: it covers an hour, like the public hourly exports
  std::vector<double> steps;
  steps.reserve(t.size() - 1);
  for (std::size_t i = 1; i < t.size(); ++i) steps.push_back(t[i] - t[i - 1]);
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
  return steps[steps.size() / 2];
}

std::string timestamp(double unix_s) {
  return format_iso8601(UtcTime{0}, std::floor(unix_s));
}

int civil_year(double unix_s) {
  int year = 1970 + static_cast<int>(std::floor(unix_s / (365.2425 * 86400)));
  while (make_utc(year, 1, 1, 0, 0, 0).unix_s > unix_s) --year;
  while (make_utc(year + 1, 1, 1, 0, 0, 0).unix_s <= unix_s) ++year;
  return year;
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

}  // namespace

IntensitySeries prepare_series(IntensitySeries series, const CoverageSpec& coverage,
                               const std::string& key) {
  const double step_s = median_step_s(series.time_unix_s);
  const double max_gap_s = coverage.max_gap_s > 0 ? coverage.max_gap_s : 3 * step_s;
  IntensitySeries out;
  out.source = series.source;
  for (std::size_t i = 0; i < series.time_unix_s.size(); ++i) {
    if (i > 0) {
      const double t0 = series.time_unix_s[i - 1], t1 = series.time_unix_s[i];
      if (t1 - t0 > max_gap_s) {
        if (coverage.fill == CoverageSpec::Fill::none)
          throw InputError(SourceLocation{series.source, series.line[i], 1}, key,
                           "gap of " + format_duration(t1 - t0) + " before " + timestamp(t1) +
                               " (after " + timestamp(t0) + ", line " +
                               std::to_string(series.line[i - 1]) + ") is longer than max_gap " +
                               format_duration(max_gap_s) +
                               ": set fill = \"previous\" or \"linear\", or a larger max_gap");
        if (coverage.fill == CoverageSpec::Fill::linear) {
          // Intermediate rows at the median step, on the straight line between the two values.
          const double v0 = series.g_per_kwh[i - 1], v1 = series.g_per_kwh[i];
          for (double t = t0 + step_s; t < t1 - step_s / 2; t += step_s) {
            out.time_unix_s.push_back(t);
            out.g_per_kwh.push_back(v0 + (v1 - v0) * (t - t0) / (t1 - t0));
            out.line.push_back(0);
          }
        }
      }
    }
    out.time_unix_s.push_back(series.time_unix_s[i]);
    out.g_per_kwh.push_back(series.g_per_kwh[i]);
    out.line.push_back(series.line[i]);
  }
  // The last row holds for one median step: the data's end.
  out.time_unix_s.push_back(out.time_unix_s.back() + step_s);
  out.g_per_kwh.push_back(out.g_per_kwh.back());
  out.line.push_back(-1);  // end marker, not a row
  return out;
}

SeriesSource::SeriesSource(IntensitySeries prepared, CoverageSpec coverage,
                           std::int64_t start_unix_s, std::string key)
    : data_(std::move(prepared)),
      coverage_(coverage),
      start_unix_s_(start_unix_s),
      key_(std::move(key)),
      end_unix_s_(data_.time_unix_s.back()) {
  const double first = data_.time_unix_s.front();
  data_year_ = civil_year(first + (end_unix_s_ - first) / 2);
  if (coverage_.wrap_year && !coverage_.hold_edges) {
    const double year_start = static_cast<double>(make_utc(data_year_, 1, 1, 0, 0, 0).unix_s);
    const double year_end = static_cast<double>(make_utc(data_year_ + 1, 1, 1, 0, 0, 0).unix_s);
    if (first > year_start) uncovered(year_start);
    if (end_unix_s_ < year_end) uncovered(end_unix_s_);
  }
}

void SeriesSource::uncovered(double unix_s) const {
  const bool before = unix_s < data_.time_unix_s.front();
  const std::size_t edge = before ? 0 : data_.time_unix_s.size() - 2;
  const std::string remedy = coverage_.wrap_year
                                 ? "the data does not cover its whole year: set hold = \"edges\""
                                 : "set hold = \"edges\" or wrap = \"year\"";
  const std::string what =
      before ? "the run needs " + timestamp(unix_s) + " but the data starts at " +
                   timestamp(data_.time_unix_s.front())
             : "the run goes on past " + timestamp(end_unix_s_) + ", where the data ends";
  throw InputError(SourceLocation{data_.source, data_.line[edge], 1}, key_,
                   what + " (" + remedy + ")");
}

void SeriesSource::append_mapped(double sim_from_s, double sim_to_s, double offset_s,
                                 StepAppender& out) {
  const std::vector<double>& t = data_.time_unix_s;
  auto emit = [&](double sim_s, double value, std::int64_t row) {
    if (!out.start_s.empty() && out.start_s.back() >= sim_s) {  // same instant: keep the later
      out.value.back() = value;
      out.origin.back() = row;
    } else {
      out.add(sim_s, value, row);
    }
  };
  // Row times plus the offset are exact (whole seconds), so steps land exactly on data rows.
  const double data_from = sim_from_s - offset_s;
  const double data_to = sim_to_s - offset_s;
  if (data_from < t.front()) {
    if (!coverage_.hold_edges) uncovered(data_from);
    emit(sim_from_s, data_.g_per_kwh.front(), 0);
  } else if (data_from < end_unix_s_) {
    const auto i =
        static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), data_from) - t.begin()) - 1;
    emit(sim_from_s, data_.g_per_kwh[i], static_cast<std::int64_t>(i));
  }
  for (std::size_t i =
           static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), data_from) - t.begin());
       i + 1 < t.size() && t[i] < data_to; ++i)
    emit(t[i] + offset_s, data_.g_per_kwh[i], static_cast<std::int64_t>(i));
  if (data_to > end_unix_s_) {
    const double from_end = std::max(end_unix_s_, data_from);
    if (!coverage_.hold_edges) uncovered(from_end);
    const std::size_t last = t.size() - 2;
    emit(std::max(sim_from_s, end_unix_s_ + offset_s), data_.g_per_kwh[last],
         static_cast<std::int64_t>(last));
  }
}

double SeriesSource::extend(double from_s, double to_s, StepAppender& out) {
  const double start = static_cast<double>(start_unix_s_);
  if (!coverage_.wrap_year) {
    // Data times minus the start are exact in double for whole seconds, so steps land exactly.
    if (coverage_.hold_edges) {
      append_mapped(from_s, to_s, -start, out);
      return start + to_s >= end_unix_s_ ? std::numeric_limits<double>::infinity() : to_s;
    }
    // Read ahead no further than the data goes: only a time the run needs may be an error.
    const double data_end_s = end_unix_s_ - start;
    if (data_end_s <= from_s) uncovered(start + from_s);
    const double until_s = std::min(to_s, data_end_s);
    append_mapped(from_s, until_s, -start, out);
    return until_s;
  }
  // Wrap: each simulated calendar year maps onto the data's year by calendar date and time of
  // day. A 29 February the data lack repeats its 28 February; a data 29 February is skipped.
  double cursor_s = from_s;
  while (cursor_s < to_s) {
    const int year = civil_year(start + cursor_s);
    const double year_start_s = static_cast<double>(make_utc(year, 1, 1, 0, 0, 0).unix_s) - start;
    const double data_year_start = static_cast<double>(make_utc(data_year_, 1, 1, 0, 0, 0).unix_s);
    const double feb28_end = 59 * 86400.0;  // offset of 1 March in a common year
    struct Segment {
      double sim_begin_s, sim_end_s, data_begin;
    };
    std::vector<Segment> segments{{0, feb28_end, data_year_start}};
    const double sim_march = is_leap(year) ? feb28_end + 86400 : feb28_end;
    const double data_march =
        data_year_start + (is_leap(data_year_) ? feb28_end + 86400 : feb28_end);
    // A simulated 29 February takes the data's own, or its 28 February in a common year.
    if (is_leap(year))
      segments.push_back(
          {feb28_end, sim_march, data_year_start + (is_leap(data_year_) ? 59 : 58) * 86400.0});
    const double sim_year_len = (is_leap(year) ? 366 : 365) * 86400.0;
    segments.push_back({sim_march, sim_year_len, data_march});
    for (const Segment& seg : segments) {
      const double a = std::max(cursor_s, year_start_s + seg.sim_begin_s);
      const double b = std::min(to_s, year_start_s + seg.sim_end_s);
      if (a >= b) continue;
      append_mapped(a, b, year_start_s + seg.sim_begin_s - seg.data_begin, out);
    }
    cursor_s = std::min(to_s, year_start_s + sim_year_len);
  }
  return to_s;
}

}  // namespace mlcycle
