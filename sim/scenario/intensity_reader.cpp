#include "scenario/intensity_reader.hpp"

#include <cmath>
#include <string>

namespace mlcycle {

double read_intensity_g_per_kwh(TomlTableReader& t, std::string_view key) {
  const toml::node* n = t.node(key);
  double value = 0;
  if (n->is_number()) {
    value = *n->value<double>();
  } else if (n->is_string()) {
    const std::string text = n->as_string()->get();
    std::size_t used = 0;
    double number = 0;
    try {
      number = std::stod(text, &used);
    } catch (const std::exception&) {
      throw t.error_at(key, "'" + text + "' is not an intensity (e.g. 200 or \"0.2 kg/kWh\")");
    }
    std::string unit = text.substr(used);
    unit.erase(0, unit.find_first_not_of(' '));
    unit.erase(unit.find_last_not_of(' ') + 1);
    if (unit == "g/kWh")
      value = number;
    else if (unit == "kg/kWh")
      value = number * 1000;
    else if (unit == "kg/MWh")
      value = number;
    else if (unit == "lbs/MWh")
      value = number * 453.59237 / 1000;
    else
      throw t.error_at(key, "unit '" + unit +
                                "' is not an intensity: use g/kWh, kg/kWh, kg/MWh or "
                                "lbs/MWh (a bare number is g/kWh)");
  } else {
    throw t.error_at(key, std::string("expected an intensity in g/kWh, got ") + toml_type_name(*n));
  }
  if (!std::isfinite(value) || value < 0)
    throw t.error_at(key, "must be an intensity of at least 0 g/kWh");
  return value;
}

}  // namespace mlcycle
