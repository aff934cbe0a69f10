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

  // Facility energy summed over every trace bin and series.
  double trace_energy_j() const {
    double sum_j = 0;
    for (const TraceBin& bin : bins)
      for (double e : bin.energy_j) sum_j += e;
    return sum_j;
  }
};

}  // namespace mlcycle
