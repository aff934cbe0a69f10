#include "engine/wattage_property.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace mlcycle {

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep) parts.emplace_back();
  return parts;
}

std::optional<double> to_watts(std::string text) {
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::vector<PstateWattage>> parse_wattage_per_state(const std::string& text,
                                                                  std::string& error) {
  std::vector<PstateWattage> states;
  for (const std::string& entry : split(text, ',')) {
    const std::vector<std::string> fields = split(entry, ':');
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

}  // namespace mlcycle
