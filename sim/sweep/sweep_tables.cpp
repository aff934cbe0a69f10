#include "sweep/sweep_tables.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>

#include "output/record_table.hpp"
#include "sweep/sweep_stats.hpp"

namespace mlcycle {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct VariedKey {
  std::string key;
  SweepValue::Type type = SweepValue::Type::text;
};

// The varied keys in axis order, each typed by its values (text when they mix types).
std::vector<VariedKey> varied_keys(const SweepPlan& plan) {
  std::vector<VariedKey> keys;
  std::map<std::string, std::set<SweepValue::Type>> types;
  for (const SweepAxis& axis : plan.axes)
    for (std::size_t k = 0; k < axis.keys.size(); ++k) {
      if (!types.count(axis.keys[k])) keys.push_back(VariedKey{axis.keys[k]});
      auto& seen = types[axis.keys[k]];
      if (k < axis.values.size())
        for (const SweepValue& v : axis.values[k]) seen.insert(v.type);
    }
  for (const SweepPoint& p : plan.points)
    for (const auto& [key, value] : p.settings) {
      if (!types.count(key)) keys.push_back(VariedKey{key});
      types[key].insert(value.type);
    }
  for (VariedKey& k : keys)
    if (types[k.key].size() == 1) k.type = *types[k.key].begin();
  return keys;
}

ColumnType column_type(SweepValue::Type type) {
  switch (type) {
    case SweepValue::Type::integer:
      return ColumnType::int64;
    case SweepValue::Type::real:
      return ColumnType::real;
    case SweepValue::Type::boolean:
      return ColumnType::boolean;
    case SweepValue::Type::text:
      break;
  }
  return ColumnType::text;
}

TableCell varied_cell(const VariedKey& key, const SweepPoint& point) {
  const SweepValue* value = nullptr;
  for (const auto& [k, v] : point.settings)
    if (k == key.key) value = &v;
  switch (key.type) {
    case SweepValue::Type::integer:
      return signed_cell(value ? value->integer : 0);
    case SweepValue::Type::real:
      return real_cell(value ? value->real : kNaN);
    case SweepValue::Type::boolean:
      return boolean_cell(value && value->boolean);
    case SweepValue::Type::text:
      break;
  }
  return text_cell(value ? value->text : std::string());
}

double headline_value(const SweepRow& row, std::size_t i) {
  const auto& headline = row.outcome.results.headline;
  if (row.outcome.status != PointStatus::done || i >= headline.size()) return kNaN;
  return headline[i];
}

RecordTable runs_table(const std::vector<VariedKey>& keys,
                       const std::vector<const SweepRow*>& rows) {
  RecordTable t;
  t.columns = {{"point_id", ColumnType::text, {}},
               {"point", ColumnType::uint64, {}},
               {"replicate", ColumnType::uint32, {}},
               {"seed", ColumnType::uint64, {}}};
  for (const VariedKey& k : keys) t.columns.push_back({k.key, column_type(k.type), {}});
  t.columns.push_back({"status", ColumnType::label, {"done", "failed"}});
  t.columns.push_back({"wall_time_s", ColumnType::real, {}});
  t.columns.push_back({"error", ColumnType::text, {}});
  t.columns.push_back({"run_file", ColumnType::text, {}});
  for (const std::string& name : headline_names())
    t.columns.push_back({name, ColumnType::real, {}});
  for (const SweepRow* row : rows) {
    const SweepPoint& p = row->point;
    const bool done = row->outcome.status == PointStatus::done;
    std::vector<TableCell> cells = {text_cell(p.id), unsigned_cell(p.point),
                                    unsigned_cell(p.replicate), unsigned_cell(p.seed)};
    for (const VariedKey& k : keys) cells.push_back(varied_cell(k, p));
    cells.push_back(unsigned_cell(done ? 0 : 1));
    cells.push_back(real_cell(row->outcome.wall_time_s));
    cells.push_back(text_cell(done ? std::string() : row->outcome.error));
    cells.push_back(text_cell(row->run_file));
    for (std::size_t i = 0; i < headline_names().size(); ++i)
      cells.push_back(real_cell(headline_value(*row, i)));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

// One row per point (plan order), statistics over its replicates.
RecordTable aggregates_table(const SweepPlan& plan, const std::vector<VariedKey>& keys,
                             const std::vector<const SweepRow*>& rows) {
  RecordTable t;
  t.columns = {{"point", ColumnType::uint64, {}}};
  for (const VariedKey& k : keys) t.columns.push_back({k.key, column_type(k.type), {}});
  t.columns.push_back({"n_done", ColumnType::uint32, {}});
  for (const std::string& name : headline_names())
    for (const char* stat : {"_mean", "_std", "_ci95_low", "_ci95_high"})
      t.columns.push_back({name + stat, ColumnType::real, {}});

  std::vector<const SweepPoint*> points;  // first run of each point, plan order
  std::map<std::size_t, std::vector<const SweepRow*>> runs_of;
  auto add_point = [&](const SweepPoint& p) {
    if (!runs_of.count(p.point)) points.push_back(&p);
    runs_of[p.point];
  };
  for (const SweepPoint& p : plan.points) add_point(p);
  for (const SweepRow* row : rows) {
    add_point(row->point);
    runs_of[row->point.point].push_back(row);
  }
  for (const SweepPoint* p : points) {
    const auto& runs = runs_of[p->point];
    std::vector<TableCell> cells = {unsigned_cell(p->point)};
    for (const VariedKey& k : keys) cells.push_back(varied_cell(k, *p));
    cells.push_back(unsigned_cell(
        static_cast<std::uint64_t>(std::count_if(runs.begin(), runs.end(), [](const SweepRow* r) {
          return r->outcome.status == PointStatus::done;
        }))));
    for (std::size_t i = 0; i < headline_names().size(); ++i) {
      std::vector<double> values;
      for (const SweepRow* r : runs) values.push_back(headline_value(*r, i));
      const SummaryStats s = summarize(values);
      for (double v : {s.mean, s.stddev, s.ci95_low, s.ci95_high}) cells.push_back(real_cell(v));
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

}  // namespace

SweepTables make_sweep_tables(const SweepPlan& plan, const std::vector<SweepRow>& rows) {
  // Plan order: by the position of the run's id in plan.points (ids not in the plan last).
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < plan.points.size(); ++i) position.emplace(plan.points[i].id, i);
  std::vector<const SweepRow*> ordered;
  for (const SweepRow& row : rows) ordered.push_back(&row);
  auto rank = [&](const SweepRow* r) {
    auto it = position.find(r->point.id);
    return std::make_pair(it == position.end() ? plan.points.size() : it->second, r->point.id);
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const SweepRow* a, const SweepRow* b) { return rank(a) < rank(b); });

  const std::vector<VariedKey> keys = varied_keys(plan);
  SweepTables tables;
  tables.runs = runs_table(keys, ordered);
  if (plan.replicates > 1) tables.aggregates = aggregates_table(plan, keys, ordered);

  std::set<std::size_t> points;
  for (const SweepPoint& p : plan.points) points.insert(p.point);
  for (const SweepRow* r : ordered) points.insert(r->point.point);
  SweepFileHeader& h = tables.header;
  h.scenario = plan.scenario_path;
  h.definition = plan.definition_text;
  h.replicates = plan.replicates;
  h.base_seed = plan.base_seed;
  h.points = points.size();
  h.runs = ordered.size();
  h.failed = static_cast<std::uint64_t>(
      std::count_if(ordered.begin(), ordered.end(),
                    [](const SweepRow* r) { return r->outcome.status != PointStatus::done; }));
  for (const SweepRow* r : ordered)
    if (r->outcome.status == PointStatus::done && !r->run_file.empty())
      tables.run_links.push_back(SweepRunLink{r->point.id, r->run_file});
  return tables;
}

void write_sweep_outputs(const std::string& dir, const SweepPlan& plan,
                         const std::vector<SweepRow>& rows) {
  write_sweep_files(dir, make_sweep_tables(plan, rows));
}

}  // namespace mlcycle
