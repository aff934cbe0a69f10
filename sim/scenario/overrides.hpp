#pragma once
// `--set key.path=value`: replaces (or adds) one scalar of the parsed TOML before validation.
// Array elements are addressed by index (`campaign.0.trials`) or by their `name`
// (`campaign.lisa.trials`). The value is read as a TOML value (number, boolean, date-time,
// quoted string); anything that is not valid TOML is taken as a bare string.
#include <toml++/toml.h>
#include <string>

namespace mlcycle {

void apply_override(toml::table& root, const std::string& assignment);

}  // namespace mlcycle
