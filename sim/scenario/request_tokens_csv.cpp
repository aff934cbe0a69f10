#include "scenario/request_tokens_csv.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/csv_table.hpp"
#include "core/input_error.hpp"
#include "scenario/token_distribution.hpp"

namespace mlcycle {

namespace {

double token_count(const CsvTable& table, std::size_t column, std::string_view text) {
  const double value = table.number(column, text);
  if (!(value > 0) || value > kMaxRequestTokens)
    table.fail(column, "must be in (0, 1e8], not " + std::string(trim_blanks(text)));
  return value;
}

}  // namespace

void read_request_tokens_csv(const std::string& path, RequestSegment& segment) {
  CsvTable table(path);
  const std::size_t input_column = table.column("input_tokens");
  const std::size_t output_column = table.column("output_tokens");
  std::vector<double> inputs;
  double sum_input = 0, sum_output = 0, sum_input_output = 0, sum_output_squared = 0;
  std::vector<std::string> fields;
  while (table.next(fields)) {
    const double input = token_count(table, input_column, trim_blanks(fields[input_column]));
    const double output = token_count(table, output_column, trim_blanks(fields[output_column]));
    inputs.push_back(input);
    sum_input += input;
    sum_output += output;
    sum_input_output += input * output;
    sum_output_squared += output * output;
  }
  if (inputs.empty())
    throw InputError({path, table.header_line(), 0}, "", "no requests after the header");
  const double n = static_cast<double>(inputs.size());
  segment.input_tokens = sum_input / n;
  segment.output_tokens = sum_output / n;
  segment.input_output_tokens = sum_input_output / n;
  segment.output_tokens_squared = sum_output_squared / n;
  std::sort(inputs.begin(), inputs.end());
  segment.input_points = empirical_points(inputs);
}

}  // namespace mlcycle
