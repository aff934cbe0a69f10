#include "app/sweep_command.hpp"

#include "sweep/sweep_check.hpp"
#include "sweep/sweep_session.hpp"

namespace mlcycle {

int run_sweep_command(const SweepRequest& request, int* argc, char*** argv, std::ostream& out) {
  const SweepReport report = run_sweep(request, argc, argv);
  if (report.leader)
    out << "sweep: " << report.runs << " runs (" << report.run_now << " run now, "
        << report.runs - report.run_now << " kept), " << report.failed << " failed -> "
        << request.dir << "/sweep.h5, " << request.dir << "/sweep.csv\n";
  return report.status;
}

int run_sweep_check_command(const std::string& sweep_path,
                            const std::vector<std::string>& overrides, std::ostream& out) {
  const SweepCheckReport report = check_sweep(sweep_path, overrides);
  out << sweep_path << ": ok (" << report.points << " point(s) x " << report.replicates
      << " replicate(s) of " << report.scenario_path << ", each point checked)\n";
  return 0;
}

}  // namespace mlcycle
