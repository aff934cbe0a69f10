#include "scenario/link_units.hpp"

#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

namespace mlcycle {

namespace {

// A number followed by one of `units` (suffix, factor); nullopt when either is missing.
std::optional<double> with_unit(const std::string& text,
                                const std::vector<std::pair<std::string, double>>& units) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(value)) return std::nullopt;
  const std::string unit(end);
  for (const auto& [suffix, factor] : units)
    if (unit == suffix && std::isfinite(value * factor)) return value * factor;
  return std::nullopt;
}

}  // namespace

std::optional<double> parse_bandwidth_bps(const std::string& text, std::string& error) {
  static const std::vector<std::pair<std::string, double>> units{
      {"bps", 1}, {"kbps", 1e3}, {"Kbps", 1e3}, {"Mbps", 1e6}, {"Gbps", 1e9}, {"Tbps", 1e12},
      {"Bps", 8}, {"kBps", 8e3}, {"KBps", 8e3}, {"MBps", 8e6}, {"GBps", 8e9}, {"TBps", 8e12}};
  const auto bps = with_unit(text, units);
  if (!bps) {
    error = "'" + text +
            "' is not a bandwidth (a number and a unit: bps, Mbps, Gbps, Tbps, or "
            "GBps for bytes)";
    return std::nullopt;
  }
  if (*bps <= 0) {
    error = "must be greater than zero, got '" + text + "'";
    return std::nullopt;
  }
  return bps;
}

std::optional<double> parse_latency_s(const std::string& text, std::string& error) {
  static const std::vector<std::pair<std::string, double>> units{
      {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
  const auto seconds = with_unit(text, units);
  if (!seconds) {
    error = "'" + text + "' is not a latency (a number and a unit: s, ms, us, ns)";
    return std::nullopt;
  }
  if (*seconds < 0) {
    error = "must not be negative, got '" + text + "'";
    return std::nullopt;
  }
  return seconds;
}

}  // namespace mlcycle
