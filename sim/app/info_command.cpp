#include "app/info_command.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "app/policy_summary.hpp"
#include "app/summary_table.hpp"
#include "core/input_error.hpp"
#include "core/units.hpp"
#include "output/info_reader.hpp"

namespace mlcycle {

namespace {

InputError usage_error(const std::string& key, const std::string& message) {
  return InputError(SourceLocation{"command line", 0, 0}, key, message);
}

// --- a trace file -------------------------------------------------------------------------------

std::string or_unknown(const std::string& text) {
  return text.empty() ? "unknown" : text;
}

void print_trace(std::ostream& out, const TraceInfo& info) {
  out << "file: " << info.path << " (" << info.format << ", schema version " << info.format_version
      << ", mlcycle " << or_unknown(info.mlcycle_version) << ", SimGrid "
      << or_unknown(info.simgrid_version) << ")\n";
  out << "scenario: "
      << (info.scenario_path.empty() ? std::string("not recorded in this file")
                                     : info.scenario_path)
      << " (seed " << info.seed << ", " << or_unknown(info.engine) << " engine)\n";
  print_summary_table(out, info.summary, info.start, info.currency,
                      info.simgrid_plugin_max_rel_diff);
  if (info.policy) print_policy_comparison(out, *info.policy);
}

// --- a sweep ------------------------------------------------------------------------------------

const std::vector<std::string> kDefaultColumns = {"co2_g_total", "energy_j_total", "cost",
                                                  "makespan_s", "inference_share"};

// How a result column is shown: its label and the factor from the stored unit.
struct Display {
  std::string label;
  double scale = 1;
};

Display display_of(const SweepColumn& column, bool varied) {
  const std::string& name = column.name;
  if (varied || column.type != SweepColumnType::real) return {name, 1};
  if (name.rfind("co2_g_", 0) == 0) return {"co2_kg_" + name.substr(6), 1e-3};
  if (name.rfind("energy_j_", 0) == 0)
    return {"energy_kwh_" + name.substr(9), 1 / units::kJoulePerKwh};
  if (name == "makespan_s" || name == "crossover_s")
    return {name.substr(0, name.size() - 2) + "_d", 1 / 86400.0};
  return {name, 1};
}

bool is_varied(const SweepListing& listing, const std::string& name) {
  return std::find(listing.varied.begin(), listing.varied.end(), name) != listing.varied.end();
}

// Index of a /runs column named `name` (or shown as `name`, e.g. co2_kg_total); throws when none.
std::size_t column_index(const SweepListing& listing, const std::string& name,
                         const std::string& option) {
  for (std::size_t c = 0; c < listing.columns.size(); ++c)
    if (listing.columns[c].name == name) return c;
  for (std::size_t c = 0; c < listing.columns.size(); ++c)
    if (display_of(listing.columns[c], is_varied(listing, listing.columns[c].name)).label == name)
      return c;
  std::string known;
  for (const SweepColumn& column : listing.columns)
    known += (known.empty() ? "" : ", ") + column.name;
  throw usage_error(option,
                    "no column '" + name + "' in " + listing.path + " (columns: " + known + ")");
}

std::string shortest(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

bool is_numeric(SweepColumnType type) {
  return type == SweepColumnType::signed_integer || type == SweepColumnType::unsigned_integer ||
         type == SweepColumnType::real;
}

// Decimals that give the column's largest finite value 4 significant digits (0 to 6).
int decimals_for(const SweepListing& listing, std::size_t c, double scale) {
  double largest = 0;
  for (const auto& row : listing.rows)
    if (std::isfinite(row[c].real)) largest = std::max(largest, std::abs(row[c].real * scale));
  if (largest == 0) return 1;
  return std::clamp(3 - static_cast<int>(std::floor(std::log10(largest))), 0, 6);
}

std::string cell_text(const SweepColumn& column, const SweepCell& cell, bool varied, double scale,
                      int decimals) {
  switch (column.type) {
    case SweepColumnType::signed_integer:
      return std::to_string(cell.signed_value);
    case SweepColumnType::unsigned_integer:
      return std::to_string(cell.unsigned_value);
    case SweepColumnType::real: {
      if (std::isnan(cell.real)) return "-";
      if (varied) return shortest(cell.real);  // the value as swept, exactly
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.*f", decimals, cell.real * scale);
      return buffer;
    }
    case SweepColumnType::label:
      if (cell.text == "TRUE") return "true";
      if (cell.text == "FALSE") return "false";
      return cell.text;
    case SweepColumnType::text:
      return cell.text.empty() ? "-" : cell.text;
  }
  return "?";
}

// -1, 0, 1: a against b in column c (NaN handled by the caller).
int compare(const SweepColumn& column, const SweepCell& a, const SweepCell& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (column.type) {
    case SweepColumnType::signed_integer:
      return sign(a.signed_value, b.signed_value);
    case SweepColumnType::unsigned_integer:
      return sign(a.unsigned_value, b.unsigned_value);
    case SweepColumnType::real:
      return sign(a.real, b.real);
    case SweepColumnType::label:
    case SweepColumnType::text:
      break;
  }
  return sign(a.text, b.text);
}

// Row order: file order, or stably sorted by one column (NaN last in both directions).
std::vector<std::size_t> row_order(const SweepListing& listing, const InfoCli& cli) {
  std::vector<std::size_t> order(listing.rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (cli.sort.empty()) return order;
  const std::size_t c = column_index(listing, cli.sort, "--sort");
  const SweepColumn& column = listing.columns[c];
  auto missing = [&](std::size_t r) {
    return column.type == SweepColumnType::real && std::isnan(listing.rows[r][c].real);
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (missing(a) || missing(b)) return !missing(a) && missing(b);
    const int order_ab = compare(column, listing.rows[a][c], listing.rows[b][c]);
    return cli.descending ? order_ab > 0 : order_ab < 0;
  });
  return order;
}

std::size_t text_width(const std::string& text) {  // code points of UTF-8 text
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

void print_sweep(std::ostream& out, const SweepListing& listing, const InfoCli& cli) {
  // Columns: point_id, status, the varied keys, then the headline (or --columns) results.
  std::vector<std::size_t> shown;
  auto show = [&](std::size_t c) {
    if (std::find(shown.begin(), shown.end(), c) == shown.end()) shown.push_back(c);
  };
  auto show_named = [&](const std::string& name) {
    for (std::size_t c = 0; c < listing.columns.size(); ++c)
      if (listing.columns[c].name == name) show(c);
  };
  show_named("point_id");
  show_named("status");
  for (const std::string& key : listing.varied) show_named(key);
  if (cli.columns.empty()) {
    for (const std::string& name : kDefaultColumns) show_named(name);
  } else {
    for (const std::string& name : cli.columns) show(column_index(listing, name, "--columns"));
  }
  const std::vector<std::size_t> order = row_order(listing, cli);

  out << "file: " << listing.path << " (mlcycle-sweep, schema version " << listing.format_version
      << ", mlcycle " << or_unknown(listing.mlcycle_version) << ")\n";
  out << "scenario: " << or_unknown(listing.scenario) << "\n";
  out << "points: " << listing.points << "\n";
  out << "runs: " << listing.runs << " (" << listing.replicates << " per point, base seed "
      << listing.base_seed << ")\n";
  out << "failed: " << listing.failed << "\n";
  out << "definition:\n";
  std::istringstream definition(listing.definition);
  for (std::string line; std::getline(definition, line);)
    if (!line.empty()) out << "  " << line << "\n";

  const std::size_t n = shown.size();
  std::vector<std::vector<std::string>> table(1 + order.size(), std::vector<std::string>(n));
  std::vector<bool> right(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t c = shown[k];
    const SweepColumn& column = listing.columns[c];
    const bool varied = is_varied(listing, column.name);
    const Display display = display_of(column, varied);
    const int decimals = decimals_for(listing, c, display.scale);
    right[k] = is_numeric(column.type);
    table[0][k] = display.label;
    for (std::size_t i = 0; i < order.size(); ++i)
      table[1 + i][k] =
          cell_text(column, listing.rows[order[i]][c], varied, display.scale, decimals);
  }
  std::vector<std::size_t> width(n, 0);
  for (const auto& line : table)
    for (std::size_t k = 0; k < n; ++k) width[k] = std::max(width[k], text_width(line[k]));
  for (const auto& line : table) {
    std::string text;
    for (std::size_t k = 0; k < n; ++k) {
      const std::string pad(width[k] - text_width(line[k]), ' ');
      text += "  ";
      text += right[k] ? pad + line[k] : line[k] + pad;
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  }
}

}  // namespace

int run_info_command(const InfoCli& cli, std::ostream& out) {
  const InfoFile file = read_info_file(cli.path);
  if (file.is_sweep) {
    print_sweep(out, file.listing, cli);
    return 0;
  }
  if (!cli.sort.empty() || cli.descending || !cli.columns.empty())
    throw usage_error(!cli.sort.empty() ? "--sort"
                      : cli.descending  ? "--desc"
                                        : "--columns",
                      "applies to a sweep directory, not to a trace file");
  print_trace(out, file.trace);
  return 0;
}

}  // namespace mlcycle
