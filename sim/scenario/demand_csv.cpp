#include "scenario/demand_csv.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "core/csv_table.hpp"
#include "core/input_error.hpp"
#include "core/utc_timestamp.hpp"

namespace mlcycle {

namespace {

double read_rate(const CsvTable& table, std::size_t column, std::string_view text) {
  const double value = table.number(column, text);
  if (value < 0) table.fail(column, "negative request rate " + std::string(trim_blanks(text)));
  return value;
}

double median_spacing_s(const std::vector<double>& t) {
  if (t.size() < 2) return 3600.0;
  std::vector<double> steps;
  steps.reserve(t.size() - 1);
  for (std::size_t i = 1; i < t.size(); ++i) steps.push_back(t[i] - t[i - 1]);
  std::nth_element(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2),
                   steps.end());
  return steps[steps.size() / 2];
}

}  // namespace

DemandSeries read_demand_csv(const std::string& path) {
  CsvTable table(path);
  const std::size_t time_column = table.column("timestamp");
  const std::size_t rate_column = table.column("requests_per_s");
  DemandSeries series;
  series.path = path;
  std::vector<std::string> fields;
  while (table.next(fields)) {
    const std::string text(trim_blanks(fields[time_column]));
    if (text.empty()) table.fail(time_column, "empty timestamp");
    const std::optional<double> t = parse_utc_timestamp(text);
    if (!t)
      table.fail(time_column,
                 in_quotes(text) + " is not a UTC timestamp (expected e.g. 2020-01-01T00:00:00Z)");
    if (!series.time_unix_s.empty() && *t <= series.time_unix_s.back())
      table.fail(time_column, "timestamp " + text + " is not after the previous row's (line " +
                                  std::to_string(series.line.back()) + ")");
    series.time_unix_s.push_back(*t);
    series.requests_per_s.push_back(
        read_rate(table, rate_column, trim_blanks(fields[rate_column])));
    series.line.push_back(table.line());
  }
  if (series.time_unix_s.empty())
    throw InputError({path, table.header_line(), 0}, "", "no data rows after the header");
  series.end_unix_s = series.time_unix_s.back() + median_spacing_s(series.time_unix_s);
  return series;
}

}  // namespace mlcycle
