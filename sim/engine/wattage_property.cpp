#include "engine/wattage_property.hpp"

#include <cmath>
#include <cstdlib>

#include "core/split_text.hpp"

namespace mlcycle {

namespace {

std::optional<double> to_watts(std::string text) {
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

std::optional<std::vector<PstateWattage>> parse_uncached(const std::string& text,
                                                         std::string& error) {
  std::vector<PstateWattage> states;
  for (const std::string& entry : split_text(text, ',')) {
    const std::vector<std::string> fields = split_text(entry, ':');
    if (fields.size() != 2 && fields.size() != 3) {
      error = "entry '" + entry + "' must be Idle:Epsilon:AllCores or Idle:AllCores";
      return std::nullopt;
    }
    std::vector<double> watts;
    for (const std::string& f : fields) {
      auto w = to_watts(f);
      if (!w) {
        error = "'" + f + "' in entry '" + entry + "' is not a non-negative number of watts";
        return std::nullopt;
      }
      watts.push_back(*w);
    }
    if (watts.size() == 2)
      states.push_back(PstateWattage{watts[0], watts[0], watts[1]});
    else
      states.push_back(PstateWattage{watts[0], watts[1], watts[2]});
  }
  return states;
}

}  // namespace

std::optional<std::vector<PstateWattage>> parse_wattage_per_state(const std::string& text,
                                                                  std::string& error) {
  // The hosts of a cluster share one value: a 100,000-GPU platform parses it once, not 25,000
  // times (the loader and the property check each read every host's).
  struct Parsed {
    std::string text;
    std::optional<std::vector<PstateWattage>> states;
    std::string error;
  };
  thread_local std::optional<Parsed> last;
  if (last && last->text == text) {
    if (!last->states) error = last->error;
    return last->states;
  }
  std::string why;
  auto states = parse_uncached(text, why);
  last = Parsed{text, states, why};
  if (!states) error = why;
  return states;
}

}  // namespace mlcycle
