#include "workload/log_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace mlcycle {

std::optional<double> parse_log_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // Most of a log's numbers are whole and short (seconds, counts): up to 15 digits a double
  // holds exactly, the value from_chars would give, at a fraction of its cost.
  if (text.size() <= 15) {
    std::uint64_t whole = 0;
    bool digits = true;
    for (const char c : text) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      whole = whole * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (digits) return static_cast<double>(whole);
  }
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<std::uint32_t> parse_log_count(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() ||
      value > std::numeric_limits<std::uint32_t>::max())
    return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::optional<double> parse_slurm_duration_s(std::string_view text) {
  double days = 0;
  bool has_days = false;
  if (const std::size_t dash = text.find('-'); dash != std::string_view::npos) {
    has_days = true;
    const std::optional<std::uint32_t> d = parse_log_count(text.substr(0, dash));
    if (!d) return std::nullopt;
    days = *d;
    text.remove_prefix(dash + 1);
  }
  // Up to three parts from the right: seconds, minutes, hours.
  double parts[3] = {0, 0, 0};
  int count = 0;
  while (true) {
    const std::size_t colon = text.rfind(':');
    const std::string_view part = colon == std::string_view::npos ? text : text.substr(colon + 1);
    if (count == 3 || part.empty()) return std::nullopt;
    // Only the seconds may have a fraction; every part is a plain non-negative number.
    if (part.find_first_not_of(count == 0 ? "0123456789." : "0123456789") != std::string::npos)
      return std::nullopt;
    const std::optional<double> value = parse_log_number(part);
    if (!value) return std::nullopt;
    parts[count++] = *value;
    if (colon == std::string_view::npos) break;
    text = text.substr(0, colon);
  }
  // With days, the parts start at hours: "D-HH", "D-HH:MM", "D-HH:MM:SS". Without, a bare
  // number is not one of Slurm's durations: "MM:SS", "HH:MM:SS".
  if (has_days && count < 3) {
    if (parts[0] != std::floor(parts[0])) return std::nullopt;
    std::rotate(parts, parts + count, parts + 3);  // {s, m, h} from {h} or {m, h}
  } else if (count < 2) {
    return std::nullopt;
  }
  if (parts[0] >= 60 || parts[1] >= 60 || (has_days && parts[2] >= 24)) return std::nullopt;
  const double seconds = ((days * 24 + parts[2]) * 60 + parts[1]) * 60 + parts[0];
  if (seconds > kMaxLogSeconds) return std::nullopt;
  return seconds;
}

}  // namespace mlcycle
