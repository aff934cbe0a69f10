#include "scenario/grid_spec_reader.hpp"

#include "core/units.hpp"

namespace mlcycle {

namespace {

std::string resolve_path(TomlTableReader& t, std::string_view key,
                         const std::filesystem::path& base_dir) {
  auto text = t.string(key);
  if (!text) throw t.error_here("missing key '" + std::string(key) + "' (path to a CSV file)");
  std::filesystem::path path(*text);
  if (path.is_relative()) path = base_dir / path;
  if (const std::string why = not_a_file(path); !why.empty()) throw t.error_at(key, why);
  return path.lexically_normal().string();
}

void remember(GridRegionSpec& spec, TomlTableReader& t, const std::string& key) {
  if (t.has(key)) spec.key_where[key] = t.location_of_key(key);
}

void read_constant(GridRegionSpec& spec, TomlTableReader& grid) {
  auto g = grid.number("intensity_g_per_kwh");
  auto lbs = grid.number("intensity_lbs_per_kwh");
  if (g && lbs)
    throw grid.error_here("give intensity_g_per_kwh or intensity_lbs_per_kwh, not both");
  if (!g && !lbs) throw grid.error_here("missing key 'intensity_g_per_kwh'");
  spec.intensity_g_per_kwh = g ? *g : *lbs * units::kGramPerPound;
  if (spec.intensity_g_per_kwh < 0)
    throw grid.error_at(g ? "intensity_g_per_kwh" : "intensity_lbs_per_kwh",
                        "must not be negative");
}

void read_trace_columns(GridRegionSpec& spec, TomlTableReader& grid) {
  spec.format = grid.string("format").value_or("plain");
  remember(spec, grid, "format");
  if (auto c = grid.string("time_column")) spec.time_column = *c;
  if (auto c = grid.string("value_column")) spec.value_column = *c;
  remember(spec, grid, "time_column");
  remember(spec, grid, "value_column");
  if (auto basis = grid.string("basis")) {
    if (spec.format != "electricitymaps")
      throw grid.error_at("basis", "only for format = \"electricitymaps\"");
    if (*basis == "lca")
      spec.value_column = "Carbon Intensity gCO2eq/kWh (LCA)";
    else if (*basis == "direct")
      spec.value_column = "Carbon Intensity gCO2eq/kWh (direct)";
    else
      throw grid.error_at("basis", "'" + *basis + "' is not one of: lca, direct");
  }
  if (auto units = grid.string("units")) {
    if (*units == "g_per_kwh" || *units == "kg_per_mwh")
      spec.value_to_g_per_kwh = 1;
    else if (*units == "lbs_per_mwh")
      spec.value_to_g_per_kwh = units::kGramPerPound / 1000;
    else if (*units == "lbs_per_kwh")
      spec.value_to_g_per_kwh = units::kGramPerPound;
    else
      throw grid.error_at(
          "units",
          "'" + *units + "' is not one of: g_per_kwh, kg_per_mwh, lbs_per_mwh, lbs_per_kwh");
    spec.key_where["units"] = grid.location_of_key("units");
  }
}

ImportSpec read_import(TomlTableReader& imports, const std::string& key) {
  const toml::node* n = imports.node(key);
  ImportSpec spec;
  if (n->is_number()) {
    spec.g_per_kwh = *imports.number(key);
    if (*spec.g_per_kwh < 0) throw imports.error_at(key, "must not be negative");
  } else if (n->is_string()) {
    const std::string text = n->as_string()->get();
    if (text == "exclude")
      spec.exclude = true;
    else
      spec.region = text;
  } else {
    throw imports.error_at(key, "expected g/kWh, a region name or \"exclude\"");
  }
  return spec;
}

void read_mix_options(GridRegionSpec& spec, TomlTableReader& grid) {
  spec.mix.factor_set = grid.string("factors").value_or("ipcc-ar5-2014");
  remember(spec, grid, "factors");
  if (const toml::table* factors = grid.table("factor_g_per_kwh")) {
    TomlTableReader f(*factors, grid.path_of("factor_g_per_kwh"), grid.file());
    for (const auto& [source, value] : *factors) {
      const std::string name(source.str());
      if (name.rfind("import_from_", 0) == 0)
        throw f.error_at(name, "imports are priced in [" + grid.path_of("imports") + "]");
      auto g = f.number(name);
      if (*g < 0) throw f.error_at(name, "must not be negative");
      spec.mix.factor_g_per_kwh[name] = *g;
      spec.key_where["factor_g_per_kwh." + name] = f.location_of_key(name);
    }
  }
  if (const toml::table* imports = grid.table("imports")) {
    TomlTableReader im(*imports, grid.path_of("imports"), grid.file());
    for (const auto& [code, value] : *imports) {
      const std::string name(code.str());
      ImportSpec import = read_import(im, name);
      spec.key_where["imports." + name] = im.location_of_key(name);
      if (name == "default")
        spec.mix.import_default = import;
      else
        spec.mix.imports[name] = import;
    }
  }
  if (auto marginal = grid.string("marginal_source")) {
    spec.marginal_source = *marginal;
    remember(spec, grid, "marginal_source");
  }
}

}  // namespace

CoverageSpec read_coverage(TomlTableReader& t) {
  CoverageSpec c;
  if (auto wrap = t.string("wrap")) {
    if (*wrap != "year")
      throw t.error_at("wrap", "'" + *wrap + "' is not supported (only \"year\")");
    c.wrap_year = true;
  }
  if (auto hold = t.string("hold")) {
    if (*hold != "edges")
      throw t.error_at("hold", "'" + *hold + "' is not supported (only \"edges\")");
    c.hold_edges = true;
  }
  if (auto fill = t.string("fill")) {
    const std::optional<CoverageSpec::Fill> parsed = parse_enum<CoverageSpec::Fill>(*fill);
    if (!parsed) throw t.error_at("fill", not_one_of<CoverageSpec::Fill>(*fill));
    c.fill = *parsed;
  }
  if (auto gap = t.duration_s("max_gap")) {
    if (*gap <= 0) throw t.error_at("max_gap", "must be greater than zero");
    c.max_gap_s = *gap;
  }
  return c;
}

std::vector<GridRegionSpec> read_grid_regions(TomlTableReader& root,
                                              const std::filesystem::path& base_dir) {
  const toml::table* table = root.table("grid");
  if (!table || table->empty())
    throw root.error_here("missing [grid.<region>] table: at least one grid region is needed");
  std::vector<GridRegionSpec> grids;
  for (const auto& [name, value] : *table) {
    const std::string key = "grid." + std::string(name.str());
    if (!value.is_table())
      throw InputError(toml_location(value, root.file()), key, "expected a table");
    TomlTableReader grid(*value.as_table(), key, root.file());
    GridRegionSpec spec;
    spec.name = std::string(name.str());
    spec.where = toml_location(value, root.file());
    const std::string kind = grid.string("kind").value_or("constant");
    const std::optional<GridKind> parsed = parse_enum<GridKind>(kind);
    if (!parsed) throw grid.error_at("kind", not_one_of<GridKind>(kind));
    spec.kind = *parsed;
    if (spec.kind == GridKind::constant) {
      read_constant(spec, grid);
    } else if (spec.kind == GridKind::trace) {
      spec.file = resolve_path(grid, "file", base_dir);
      remember(spec, grid, "file");
      read_trace_columns(spec, grid);
      spec.coverage = read_coverage(grid);
    } else if (spec.kind == GridKind::mix) {
      spec.file = resolve_path(grid, "file", base_dir);
      remember(spec, grid, "file");
      if (auto c = grid.string("time_column")) spec.time_column = *c;
      read_mix_options(spec, grid);
      spec.coverage = read_coverage(grid);
    } else {  // synthetic
      auto model = grid.string("model");
      if (!model) throw grid.error_here("missing key 'model' (a built-in synthetic grid)");
      spec.model = *model;
      remember(spec, grid, "model");
      if (grid.has("imports")) throw grid.error_at("imports", "a synthetic grid has no imports");
      read_mix_options(spec, grid);
      spec.coverage = read_coverage(grid);  // for a marginal_file
    }
    if (grid.has("marginal_file")) {
      if (spec.kind == GridKind::constant)
        throw grid.error_at("marginal_file", "a constant grid has no marginal trace");
      spec.marginal_file = resolve_path(grid, "marginal_file", base_dir);
      remember(spec, grid, "marginal_file");
    }
    if (!spec.marginal_file.empty() && !spec.marginal_source.empty())
      throw grid.error_here("give marginal_file or marginal_source, not both");
    grid.reject_unknown_keys();
    grids.push_back(std::move(spec));
  }
  return grids;
}

std::vector<PueProfileSpec> read_pue_profiles(TomlTableReader& root,
                                              const std::filesystem::path& base_dir) {
  std::vector<PueProfileSpec> profiles;
  const toml::table* table = root.table("pue");
  if (!table) return profiles;
  for (const auto& [name, value] : *table) {
    const std::string key = "pue." + std::string(name.str());
    if (!value.is_table())
      throw InputError(toml_location(value, root.file()), key, "expected a table");
    TomlTableReader t(*value.as_table(), key, root.file());
    PueProfileSpec spec;
    spec.name = std::string(name.str());
    spec.where = toml_location(value, root.file());
    auto read_values = [&](std::string_view list_key, std::size_t count) {
      const toml::array* list = t.array(list_key);
      if (list->size() != count)
        throw t.error_at(list_key, "needs " + std::to_string(count) + " values, got " +
                                       std::to_string(list->size()));
      for (const toml::node& n : *list) {
        if (!n.is_number() || *n.value<double>() < 1.0)
          throw InputError(toml_location(n, root.file()), t.path_of(list_key),
                           "every value must be a number of at least 1.0");
        spec.values.push_back(*n.value<double>());
      }
    };
    const int given = t.has("value") + t.has("monthly") + t.has("hourly") + t.has("file");
    if (given != 1) throw t.error_here("give exactly one of: value, monthly, hourly, file");
    if (t.has("value")) {
      spec.kind = PueProfileSpec::Kind::constant;
      spec.values.push_back(*t.number("value"));
      if (spec.values[0] < 1.0) throw t.error_at("value", "a PUE is at least 1.0");
    } else if (t.has("monthly")) {
      spec.kind = PueProfileSpec::Kind::monthly;
      read_values("monthly", 12);
    } else if (t.has("hourly")) {
      spec.kind = PueProfileSpec::Kind::hourly;
      read_values("hourly", 24);
    } else {
      spec.kind = PueProfileSpec::Kind::trace;
      spec.file = resolve_path(t, "file", base_dir);
      if (auto c = t.string("time_column")) spec.time_column = *c;
      if (auto c = t.string("value_column")) spec.value_column = *c;
      spec.coverage = read_coverage(t);
    }
    t.reject_unknown_keys();
    profiles.push_back(std::move(spec));
  }
  return profiles;
}

}  // namespace mlcycle
