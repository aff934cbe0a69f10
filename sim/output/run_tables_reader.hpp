#pragma once
// Reading a trace file's /campaigns and /deployments tables back into the simulator's result
// types (docs/hdf5-schema.md), for read_trace_info. HDF5 ids only: callers are in sim/output.
#include <hdf5.h>

#include <string>

#include "accounting/run_records.hpp"

namespace mlcycle {

// Both throw InputError (`PATH: what is wrong`) when the table lacks a field the summary table
// shows. A file without the table, or with the older string list of names as /campaigns, adds
// no rows. Fields added to /deployments after the first schema-1 files are left NaN when absent.
void read_campaign_rows(hid_t root, const std::string& path, RunSummary& summary);
void read_deployment_rows(hid_t root, const std::string& path, RunSummary& summary);

}  // namespace mlcycle
