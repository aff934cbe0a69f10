#include "workload/power_cap_curve.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace mlcycle {

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The whole of `text` as a finite decimal number.
std::optional<double> number_of(std::string_view text) {
  const std::string s(trimmed(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<PowerCapCurve> PowerCapCurve::parse(std::string_view text, std::string& error) {
  PowerCapCurve curve;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t comma = std::min(text.find(',', begin), text.size());
    const std::string_view entry = trimmed(text.substr(begin, comma - begin));
    const std::string shown(entry);
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      error = "'" + shown + "' is not fraction:factor (e.g. 0.6:1.21)";
      return std::nullopt;
    }
    const auto fraction = number_of(entry.substr(0, colon));
    const auto factor = number_of(entry.substr(colon + 1));
    if (!fraction || !factor) {
      error = "'" + shown + "' is not fraction:factor with two numbers (e.g. 0.6:1.21)";
      return std::nullopt;
    }
    if (*fraction <= 0 || *fraction > 1) {
      error = "'" + shown + "': the fraction of busy power must be in (0, 1]";
      return std::nullopt;
    }
    if (*factor < 1) {
      error = "'" + shown + "': a run-time factor below 1 would make the capped GPU faster";
      return std::nullopt;
    }
    if (!curve.points_.empty()) {
      const Point& last = curve.points_.back();
      if (*fraction <= last.fraction) {
        error = "'" + shown + "': fractions must increase from one point to the next";
        return std::nullopt;
      }
      if (*factor > last.time_factor) {
        error = "'" + shown + "': not monotone, a higher cap may not make the GPU slower";
        return std::nullopt;
      }
    }
    curve.points_.push_back(Point{*fraction, *factor});
    begin = comma + 1;
  }
  if (curve.points_.back().fraction != 1 || curve.points_.back().time_factor != 1) {
    error = "the last point must be 1:1 (uncapped: no slower)";
    return std::nullopt;
  }
  return curve;
}

const PowerCapCurve& PowerCapCurve::default_curve() {
  static const PowerCapCurve curve = [] {
    std::string error;
    std::optional<PowerCapCurve> parsed = parse(kDefaultPowerCapCurve, error);
    if (!parsed) throw std::logic_error("default power cap curve: " + error);
    return *parsed;
  }();
  return curve;
}

double PowerCapCurve::time_factor(double fraction) const {
  if (fraction >= 1) return 1;
  if (fraction < points_.front().fraction)
    throw std::logic_error("PowerCapCurve: cap below the curve");
  for (std::size_t i = 1; i < points_.size(); ++i) {
    const Point& hi = points_[i];
    if (fraction > hi.fraction) continue;
    const Point& lo = points_[i - 1];
    if (fraction == hi.fraction) return hi.time_factor;
    const double along = (fraction - lo.fraction) / (hi.fraction - lo.fraction);
    return lo.time_factor + along * (hi.time_factor - lo.time_factor);
  }
  return 1;
}

bool PowerCapCurve::operator==(const PowerCapCurve& other) const {
  if (points_.size() != other.points_.size()) return false;
  for (std::size_t i = 0; i < points_.size(); ++i)
    if (points_[i].fraction != other.points_[i].fraction ||
        points_[i].time_factor != other.points_[i].time_factor)
      return false;
  return true;
}

}  // namespace mlcycle
