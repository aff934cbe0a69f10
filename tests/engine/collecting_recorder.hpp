#pragma once
// The records a run emits, kept in memory for the simulation tests.
#include <vector>

#include "accounting/run_records.hpp"

namespace mlcycle {

struct CollectingRecorder final : RunRecorder {
  std::vector<JobRecord> jobs;
  std::vector<TraceBin> bins;
  void record_job(const JobRecord& job) override { jobs.push_back(job); }
  void record_bin(const TraceBin& bin) override { bins.push_back(bin); }
};

}  // namespace mlcycle
