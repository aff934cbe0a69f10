// The built-in catalog: platforms/hardware.toml, compiled in (hardware_catalog_text.cpp.in), so
// the program needs no data file at run time. Every figure must carry its source.
#include <string_view>

#include "scenario/hardware_catalog_reader.hpp"

namespace mlcycle {

extern const std::string_view kHardwareCatalogToml;

namespace {

HardwareCatalog parse_builtin() {
  const std::string file = "platforms/hardware.toml";
  toml::table root;
  try {
    root = toml::parse(kHardwareCatalogToml, file);
  } catch (const toml::parse_error& e) {
    throw InputError(SourceLocation{file, static_cast<int>(e.source().begin.line),
                                    static_cast<int>(e.source().begin.column)},
                     "", "malformed TOML: " + std::string(e.description()));
  }
  TomlTableReader reader(root, "", file);
  HardwareCatalog catalog;
  read_catalog_entries(reader, catalog, true);
  return catalog;
}

}  // namespace

const HardwareCatalog& builtin_catalog() {
  static const HardwareCatalog catalog = parse_builtin();
  return catalog;
}

}  // namespace mlcycle
