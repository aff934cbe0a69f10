#pragma once
// `search = { kind = "asha", configurations = 81, min_budget = 1, max_budget = 81, eta = 3,
//             unit = "epochs", hours_per_epoch = 0.5 }` of a campaign; see search_spec.hpp.
// Every key is range-checked whatever the kind; keys the kind does not use (min_budget for
// random, brackets for asha, ...) are accepted, so that a sweep can switch `kind` alone.
#include <string>

#include "scenario/search_spec.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// Reads and validates the table, then rejects unknown keys. `key_path_for_messages` is the
// table's dotted path (campaign[0].search), used where a message names another key.
SearchSpec read_search(TomlTableReader& search, const std::string& key_path_for_messages);

}  // namespace mlcycle
