// Fuzzes the parsers of the list-valued host properties the platform loader reads before
// anything runs: SimGrid's `wattage_per_state` ("Idle:Epsilon:AllCores, ...") and mlcycle's
// `power_cap_curve` ("fraction:factor, ..."). Both have the same shape (comma-separated,
// colon-joined numbers), so one harness and one corpus serve both. Input: the property's text.
// The parsers report errors by value; they must never throw or crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/wattage_property.hpp"
#include "fuzz_support.hpp"
#include "workload/power_cap_curve.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(mlcycle::fuzz::as_text(data, size));
  std::string error;
  const auto states = mlcycle::parse_wattage_per_state(text, error);
  // An answer is either entries or an explanation, never neither.
  if (!states && error.empty()) __builtin_trap();
  std::string curve_error;
  const auto curve = mlcycle::PowerCapCurve::parse(text, curve_error);
  if (!curve && curve_error.empty()) __builtin_trap();
  if (curve) {
    // An accepted curve keeps its promises: 1 at the top, factors >= 1, never rising.
    double last = curve->time_factor(curve->min_fraction());
    if (!(last >= 1) || curve->time_factor(1) != 1) __builtin_trap();
    for (double x = curve->min_fraction(); x <= 1; x += 0.01) {
      const double factor = curve->time_factor(x);
      if (!(factor >= 1) || factor > last) __builtin_trap();
      last = factor;
    }
  }
  return 0;
}
