#include "grid/grid_csv.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "core/csv_table.hpp"
#include "core/input_error.hpp"
#include "core/utc_time.hpp"
#include "core/utc_timestamp.hpp"

namespace mlcycle {

namespace {

enum class NumberParse { ok, empty, not_a_number, not_finite };

NumberParse parse_number(std::string_view text, double& out) {
  if (text.empty()) return NumberParse::empty;
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);  // from_chars takes no '+'
  const char* const end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, out);
  if (ec == std::errc::result_out_of_range) return NumberParse::not_finite;
  if (ec != std::errc() || ptr != end || digits.empty()) return NumberParse::not_a_number;
  return std::isfinite(out) ? NumberParse::ok : NumberParse::not_finite;
}

// The time column of each row: parsed, and checked to increase strictly.
class TimeColumn {
 public:
  TimeColumn(const CsvTable& table, std::size_t column) : table_(table), column_(column) {}

  double read(const std::vector<std::string>& fields) {
    const std::string_view text = trim_blanks(fields[column_]);
    if (text.empty()) table_.fail(column_, "empty timestamp");
    const std::optional<double> t = parse_utc_timestamp(text);
    if (!t) {
      table_.fail(column_,
                  in_quotes(text) + " is not a UTC timestamp (expected e.g. 2020-01-01T00:00:00Z)");
    }
    if (previous_line_ > 0 && *t == previous_s_) {
      table_.fail(column_, "duplicate timestamp " + std::string(text) + " (also on line " +
                               std::to_string(previous_line_) + ")");
    }
    if (previous_line_ > 0 && *t < previous_s_) {
      table_.fail(column_, "timestamps out of order: " + std::string(text) + " after " +
                               previous_text_ + " (line " + std::to_string(previous_line_) + ")");
    }
    previous_s_ = *t;
    previous_line_ = table_.line();
    previous_text_.assign(text);  // reuses its buffer: no allocation per row
    return *t;
  }

 private:
  const CsvTable& table_;
  std::size_t column_;
  double previous_s_ = 0;
  int previous_line_ = 0;  // 0: no row yet
  std::string previous_text_;
};

// A finite number, or the reason it is not one.
double read_number(const CsvTable& table, std::size_t column, std::string_view text) {
  double value = 0;
  switch (parse_number(text, value)) {
    case NumberParse::ok:
      return value;
    case NumberParse::empty:
      table.fail(column, "empty value");
    case NumberParse::not_a_number:
      table.fail(column, in_quotes(text) + " is not a number");
    case NumberParse::not_finite:
      break;
  }
  table.fail(column, in_quotes(text) + " is not a finite number");
}

}  // namespace

std::optional<TraceColumns> trace_format(const std::string& name) {
  if (name == "plain") return TraceColumns{"timestamp", "carbon_intensity_g_per_kwh", 1.0};
  if (name == "electricitymaps") {
    // Life-cycle (LCA) rather than direct: the factors of our generation-mix model are
    // life-cycle medians too, so both kinds of grid agree.
    return TraceColumns{"Datetime (UTC)", "Carbon Intensity gCO2eq/kWh (LCA)", 1.0};
  }
  // WattTime's MOER is in lbs/MWh: 453.59237 g per lb over 1000 kWh per MWh.
  if (name == "watttime") return TraceColumns{"point_time", "value", 453.59237 / 1000.0};
  return std::nullopt;
}

IntensitySeries read_intensity_csv(const std::string& path, const TraceColumns& columns) {
  CsvTable table(path);
  const std::size_t time_column = table.column(columns.time_column);
  const std::size_t value_column = table.column(columns.value_column);
  TimeColumn times(table, time_column);

  IntensitySeries series;
  series.source = path;
  const std::size_t rows_guess = table.line_count();
  series.time_unix_s.reserve(rows_guess);
  series.g_per_kwh.reserve(rows_guess);
  series.line.reserve(rows_guess);
  std::vector<std::string> fields;
  while (table.next(fields)) {
    const double t = times.read(fields);
    const std::string_view text = trim_blanks(fields[value_column]);
    const double value = read_number(table, value_column, text);
    if (value < 0)
      table.fail(value_column, "negative " + columns.quantity + " " + std::string(text));
    series.time_unix_s.push_back(t);
    series.g_per_kwh.push_back(value * columns.to_g_per_kwh);
    series.line.push_back(table.line());
  }
  if (series.time_unix_s.empty()) {
    throw InputError({path, table.header_line(), static_cast<int>(value_column + 1)},
                     columns.value_column, "no data rows");
  }
  return series;
}

GenerationMix read_generation_mix_csv(const std::string& path, const std::string& time_column) {
  CsvTable table(path);
  const std::size_t time_index = table.column(time_column);
  GenerationMix mix;
  mix.source = path;
  std::vector<std::size_t> source_columns;
  const std::vector<std::string>& header = table.header();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (i == time_index || !header[i].ends_with("_mw")) continue;
    if (header[i].size() == 3) {
      throw InputError({path, table.header_line(), static_cast<int>(i + 1)}, header[i],
                       "a generation column needs a source name before _mw");
    }
    table.column(header[i]);  // rejects a source named twice
    source_columns.push_back(i);
    mix.sources.push_back(header[i].substr(0, header[i].size() - 3));
  }
  if (source_columns.empty()) {
    throw InputError({path, table.header_line(), 0}, "",
                     "no generation column (<source>_mw); the header has: " + table.header_list());
  }

  TimeColumn times(table, time_index);
  const std::size_t rows_guess = table.line_count();
  mix.time_unix_s.reserve(rows_guess);
  mix.line.reserve(rows_guess);
  mix.mw.reserve(rows_guess * source_columns.size());
  std::vector<std::string> fields;
  while (table.next(fields)) {
    mix.time_unix_s.push_back(times.read(fields));
    mix.line.push_back(table.line());
    for (const std::size_t column : source_columns) {
      // Negative values are real: net pumped storage and exports. Empty means no value.
      const std::string_view text = trim_blanks(fields[column]);
      mix.mw.push_back(text.empty() ? std::numeric_limits<double>::quiet_NaN()
                                    : read_number(table, column, text));
    }
  }
  if (mix.time_unix_s.empty()) {
    throw InputError({path, table.header_line(), static_cast<int>(time_index + 1)}, time_column,
                     "no data rows");
  }
  return mix;
}

}  // namespace mlcycle
