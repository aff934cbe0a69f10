#include "scenario/llm_measured_csv.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/csv_table.hpp"
#include "core/number_text.hpp"

namespace mlcycle {

namespace {

// A field that must hold one positive, finite number.
double positive_field(const CsvTable& table, std::size_t column, std::string_view text) {
  const double value = table.number(column, text);
  if (!(value > 0)) table.fail(column, "must be positive, not " + std::string(trim_blanks(text)));
  return value;
}

std::optional<std::size_t> optional_column(const CsvTable& table, const std::string& name) {
  const auto& header = table.header();
  if (std::find(header.begin(), header.end(), name) == header.end()) return std::nullopt;
  return table.column(name);  // throws when the name appears twice
}

struct Row {
  LlmMeasuredPoint point;
  std::string model, gpu;
  std::uint32_t tensor_parallel = 0;
};

// A batch met twice, or a throughput that does not grow with the batch, at `next`.
void check_monotone(const std::string& path, const std::string& column,
                    const LlmMeasuredPoint& previous, const LlmMeasuredPoint& next) {
  const std::string earlier =
      "batch " + shortest_text(previous.batch) + " (line " + std::to_string(previous.line) + ")";
  if (next.batch == previous.batch)
    throw InputError({path, next.line, 0}, "batch",
                     "batch " + shortest_text(next.batch) + " is also on line " +
                         std::to_string(previous.line) + " (one row per batch)");
  if (!(next.throughput_per_s > previous.throughput_per_s))
    throw InputError({path, next.line, 0}, column,
                     shortest_text(next.throughput_per_s) + " at batch " +
                         shortest_text(next.batch) + " is not more than the " +
                         shortest_text(previous.throughput_per_s) + " of " + earlier +
                         ": the throughput must grow with the batch");
}

}  // namespace

LlmMeasuredTable read_llm_measured_csv(const std::string& path, const std::string& model,
                                       const std::string& gpu, std::uint32_t tensor_parallel,
                                       const SourceLocation& where, const std::string& key) {
  CsvTable table(path);
  const std::size_t model_column = table.column("model");
  const std::size_t gpu_column = table.column("gpu");
  const std::size_t tp_column = table.column("tensor_parallel");
  const std::size_t batch_column = table.column("batch");
  const std::optional<std::size_t> tokens_column = optional_column(table, "output_tokens_per_s");
  const std::optional<std::size_t> requests_column = optional_column(table, "requests_per_s");
  if (tokens_column.has_value() == requests_column.has_value())
    throw InputError({path, table.header_line(), 0}, "",
                     std::string(tokens_column ? "both output_tokens_per_s and requests_per_s"
                                               : "neither output_tokens_per_s nor requests_per_s") +
                         ": give one throughput column "
                         "(header: " +
                         table.header_list() + ")");
  const std::size_t throughput_column = tokens_column ? *tokens_column : *requests_column;
  const std::size_t power_column = table.column("power_w");
  const std::optional<std::size_t> ttft_column = optional_column(table, "ttft_s");
  const std::optional<std::size_t> tpot_column = optional_column(table, "tpot_s");

  LlmMeasuredTable measured;
  measured.path = path;
  measured.throughput_in_requests = requests_column.has_value();
  measured.has_ttft = ttft_column.has_value();
  measured.has_tpot = tpot_column.has_value();
  std::set<std::tuple<std::string, std::string, std::uint32_t>> held;
  std::vector<std::string> fields;
  Row row;
  while (table.next(fields)) {
    row.model = std::string(trim_blanks(fields[model_column]));
    row.gpu = std::string(trim_blanks(fields[gpu_column]));
    if (row.model.empty()) table.fail(model_column, "empty value");
    if (row.gpu.empty()) table.fail(gpu_column, "empty value");
    const double tp = positive_field(table, tp_column, trim_blanks(fields[tp_column]));
    if (tp != std::floor(tp) || tp > 1e6)
      table.fail(tp_column, "must be a whole number of GPUs, at most 1000000");
    row.tensor_parallel = static_cast<std::uint32_t>(tp);
    LlmMeasuredPoint& p = row.point;
    p.batch = positive_field(table, batch_column, trim_blanks(fields[batch_column]));
    p.throughput_per_s =
        positive_field(table, throughput_column, trim_blanks(fields[throughput_column]));
    p.power_w = positive_field(table, power_column, trim_blanks(fields[power_column]));
    if (ttft_column)
      p.ttft_s = positive_field(table, *ttft_column, trim_blanks(fields[*ttft_column]));
    if (tpot_column)
      p.tpot_s = positive_field(table, *tpot_column, trim_blanks(fields[*tpot_column]));
    p.line = table.line();
    held.emplace(row.model, row.gpu, row.tensor_parallel);
    if (row.model == model && row.gpu == gpu && row.tensor_parallel == tensor_parallel)
      measured.points.push_back(p);
  }
  if (measured.points.empty()) {
    std::string list;
    for (const auto& [m, g, t] : held)
      list += (list.empty() ? "" : ", ") + in_quotes(m) + " on " + in_quotes(g) + " x" +
              std::to_string(t);
    throw InputError(where, key,
                     "no row of " + path + " is " + in_quotes(model) + " on " + in_quotes(gpu) +
                         " at tensor_parallel " + std::to_string(tensor_parallel) + " (it has " +
                         (list.empty() ? "no data rows" : list) + ")");
  }
  std::stable_sort(measured.points.begin(), measured.points.end(),
                   [](const auto& a, const auto& b) { return a.batch < b.batch; });
  for (std::size_t i = 1; i < measured.points.size(); ++i)
    check_monotone(path, table.header()[throughput_column], measured.points[i - 1],
                   measured.points[i]);
  return measured;
}

}  // namespace mlcycle
