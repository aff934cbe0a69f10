#include "sweep/sweep_session.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "core/input_error.hpp"
#include "sweep/mpi_link.hpp"
#include "sweep/sweep_points.hpp"
#include "sweep/sweep_runner.hpp"
#include "sweep/sweep_setup.hpp"
#include "sweep/sweep_tables.hpp"

namespace mlcycle {

SweepReport run_sweep(const SweepRequest& request, int* argc, char*** argv) {
  std::unique_ptr<MpiLink> mpi;
  if (MpiLink::launched_by_mpi() && MpiLink::available())
    mpi = std::make_unique<MpiLink>(argc, argv);
  const bool leader = !mpi || mpi->rank() == 0;

  std::uint32_t replicates = 1;
  std::optional<unsigned> jobs = request.jobs;
  SweepPlan plan;
  // Every rank makes the plan; rank 0 prepares the directory. All ranks then agree on going on:
  // each calls agree_status exactly once on every path, so none can wait for another.
  std::exception_ptr failure;
  int status = 0;
  try {
    plan = make_plan(request, replicates, jobs);
    if (leader) {
      prepare_directory(request.dir, request.resume);
      check_definition(request.dir, plan.definition_text, request.resume);
    }
  } catch (const InputError&) {
    failure = std::current_exception();
    status = 2;
  } catch (const std::exception&) {
    failure = std::current_exception();
    status = 1;
  }
  if (!mpi) {
    if (failure) std::rethrow_exception(failure);
  } else {
    const int any_status = mpi->agree_status(status);
    const int leader_status = mpi->agree_status(leader ? status : 0);
    if (failure && leader) std::rethrow_exception(failure);  // said once, by rank 0
    if (failure && leader_status == 0) {  // only this rank failed (a node that lacks a file)
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        std::cerr << "rank " << mpi->rank() << ": " << e.what() << "\n";
      }
    }
    if (any_status != 0) return SweepReport{any_status};
  }

  SweepRunOptions options;
  options.dir = request.dir;
  options.jobs = jobs.value_or(1);
  options.executable = current_executable();
  options.progress = leader && isatty(STDERR_FILENO);
  if (!leader) {
    serve_points(plan, options, finish_point, *mpi);
    return SweepReport{0};
  }
  std::vector<PointOutcome> outcomes(plan.points.size());
  const std::vector<std::size_t> to_run =
      points_to_run(plan, request.dir, request.resume, outcomes);
  run_points(plan, to_run, options, finish_point, outcomes, mpi.get());

  SweepReport report;
  report.leader = true;
  report.run_now = to_run.size();
  std::vector<SweepRow> rows;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    report.failed += outcomes[i].status == PointStatus::failed;
    // A failed run has no file: its row names none.
    rows.push_back(SweepRow{
        plan.points[i], outcomes[i],
        outcomes[i].status == PointStatus::done ? run_file_of(plan.points[i]) : std::string()});
  }
  write_sweep_outputs(request.dir, plan, rows);
  report.runs = rows.size();
  report.status = report.failed == 0 ? 0 : 1;
  return report;
}

}  // namespace mlcycle
