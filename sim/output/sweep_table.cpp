#include "output/sweep_table.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "output/h5_attributes.hpp"
#include "output/record_table_h5.hpp"

#ifndef MLCYCLE_VERSION
#define MLCYCLE_VERSION "unknown"
#endif

namespace mlcycle {

namespace {

namespace fs = std::filesystem;

void write_h5(const std::string& path, const SweepTables& tables) {
  h5::QuietErrors quiet;
  h5::Handle file = h5::create_file(path);
  const hid_t root = file.id();
  const SweepFileHeader& h = tables.header;
  h5::write_attribute(root, "format", std::string("mlcycle-sweep"));
  h5::write_attribute(root, "format_version", std::int64_t{kSweepFormatVersion});
  h5::write_attribute(root, "mlcycle_version", std::string(MLCYCLE_VERSION));
  h5::write_attribute(root, "scenario", h.scenario);
  h5::write_attribute(root, "definition", h.definition);
  h5::write_attribute(root, "replicates", h.replicates);
  h5::write_attribute(root, "base_seed", h.base_seed);
  h5::write_attribute(root, "points", h.points);
  h5::write_attribute(root, "runs", h.runs);
  h5::write_attribute(root, "failed", h.failed);
  write_h5_table(root, "runs", tables.runs);
  if (tables.aggregates) write_h5_table(root, "aggregates", *tables.aggregates);
  h5::Handle links = h5::create_group(root, "run_files");
  for (const SweepRunLink& link : tables.run_links)
    h5::link_external(links.id(), link.name, link.run_file);
}

void write_csv(const std::string& path, const RecordTable& runs) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << to_csv(runs);
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Runs `write(temporary)`, then renames the temporary to `path`; removes it on failure.
template <typename Write>
void write_atomically(const fs::path& path, Write write) {
  const std::string temporary = path.string() + ".tmp";
  std::error_code ec;
  try {
    write(temporary);
    fs::rename(temporary, path, ec);
    if (ec) throw std::runtime_error("cannot rename to " + path.string() + ": " + ec.message());
  } catch (const std::exception& e) {
    fs::remove(temporary, ec);
    throw std::runtime_error("writing " + path.string() + ": " + e.what());
  }
}

}  // namespace

void write_sweep_files(const std::string& dir, const SweepTables& tables) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  write_atomically(fs::path(dir) / "sweep.h5",
                   [&](const std::string& temporary) { write_h5(temporary, tables); });
  write_atomically(fs::path(dir) / "sweep.csv",
                   [&](const std::string& temporary) { write_csv(temporary, tables.runs); });
}

}  // namespace mlcycle
