#pragma once
// The HDF5 compound and enum types of trace schema v1, and the tables written at commit.
#include <cstdint>

#include "accounting/run_outcome.hpp"
#include "accounting/run_records.hpp"
#include "output/h5_types.hpp"
#include "scenario/scenario.hpp"

namespace mlcycle {

// One /jobs row, laid out for HDF5 (phase and status are stored as HDF5 enums over uint8).
// Packed: the file's compound has this very layout, so rows reach the file without a type
// conversion, and no padding bytes (whose content is unspecified) are compressed or stored.
#pragma pack(push, 1)
struct JobRow {
  std::uint64_t job_id;
  std::uint32_t campaign;
  std::uint8_t phase;
  std::uint8_t status;
  std::uint32_t host;
  std::uint32_t nodes;
  std::uint32_t gpus;
  double submit_s;
  double start_s;
  double end_s;
  double gpu_hours;
  double it_energy_j;
  double energy_j;
  double co2_g;
  double cost;
  std::uint32_t stage;  // index of the [[stage]]; 2^32 - 1: none
  std::uint32_t stage_run;
  std::uint32_t attempt;
  std::int32_t rung;
  std::uint64_t trial;
  double score;
  double wait_s;
  std::uint8_t stop_reason;
  double wasted_gpu_hours;
  double wasted_co2_g;
  double flops;
  double flops_per_gpu_s;
  double mfu;
};
#pragma pack(pop)
static_assert(sizeof(JobRow) == 171, "JobRow must stay packed");

JobRow to_job_row(const JobRecord& job);

struct TraceTypes;
// JobRow's members into `row`, a compound whose first bytes are a JobRow.
void add_job_members(h5::CompoundType& row, const TraceTypes& types);

struct TraceTypes {
  TraceTypes();
  h5::Handle phase_enum;
  h5::Handle status_enum;
  h5::Handle stop_reason_enum;
  h5::CompoundType job_row;  // the members above: phase_enum and the rest open first
};

void write_host_table(hid_t root, const TraceTypes& types, const RunOutcome& outcome);
// /grid/<region>: the intensity each region had over the run, and its generation mix.
void write_grid_group(hid_t root, const RunOutcome& outcome);

// /campaigns and /deployments: one row each, the results of the lifecycle and inference issues.
void write_campaign_table(hid_t root, const Scenario& scenario, const RunSummary& summary);
void write_deployment_table(hid_t root, const RunSummary& summary);

void write_summary_group(hid_t root, const TraceTypes& types, const Scenario& scenario,
                         const RunOutcome& outcome);

}  // namespace mlcycle
