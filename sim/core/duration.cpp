#include "core/duration.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace mlcycle {

namespace {
struct Unit {
  const char* suffix;
  double seconds;
};
// Longest suffixes first so that "min" is not read as "m" + "in".
constexpr std::array<Unit, 13> kUnits{{{"min", 60.0},
                                       {"ms", 1e-3},
                                       {"s", 1.0},
                                       {"m", 60.0},
                                       {"h", 3600.0},
                                       {"d", 86400.0},
                                       {"w", 7 * 86400.0},
                                       {"y", 365 * 86400.0},
                                       {"sec", 1.0},
                                       {"hour", 3600.0},
                                       {"hours", 3600.0},
                                       {"day", 86400.0},
                                       {"days", 86400.0}}};
}  // namespace

std::optional<double> parse_duration_s(const std::string& text) {
  std::size_t begin = text.find_first_not_of(' ');
  if (begin == std::string::npos) return std::nullopt;
  const char* first = text.data() + begin;
  const char* last = text.data() + text.size();
  double value = 0;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  std::string suffix(ptr, last);
  while (!suffix.empty() && suffix.front() == ' ') suffix.erase(suffix.begin());
  while (!suffix.empty() && suffix.back() == ' ') suffix.pop_back();
  if (suffix.empty()) return value;
  for (const Unit& unit : kUnits)
    if (suffix == unit.suffix && std::isfinite(value * unit.seconds)) return value * unit.seconds;
  return std::nullopt;
}

std::string format_duration(double time_s) {
  char buffer[64];
  if (time_s >= 2 * 86400.0)
    std::snprintf(buffer, sizeof buffer, "%.1f d", time_s / 86400.0);
  else if (time_s >= 2 * 3600.0)
    std::snprintf(buffer, sizeof buffer, "%.1f h", time_s / 3600.0);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f s", time_s);
  return buffer;
}

}  // namespace mlcycle
