#pragma once
// Reader of hardware catalog entries (scenario wing only: it works on toml++ tables).
#include "scenario/hardware_catalog.hpp"
#include "scenario/toml_reader.hpp"

namespace mlcycle {

// The [gpu.<id>] and [host.<id>] tables under `root` (the catalog file's root, or a scenario's
// [catalog]) added to `catalog`; an id already there is replaced. `sources_required`: the
// built-in catalog must cite every figure; a user's entry need not.
void read_catalog_entries(TomlTableReader& root, HardwareCatalog& catalog, bool sources_required);

}  // namespace mlcycle
