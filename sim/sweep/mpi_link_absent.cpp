// MpiLink for builds without MPI: sweeps run as local processes only.
#include <stdexcept>

#include "sweep/mpi_link.hpp"

namespace mlcycle {

bool MpiLink::available() {
  return false;
}
bool MpiLink::launched_by_mpi() {
  return false;
}
MpiLink::MpiLink(int*, char***) {
  throw std::runtime_error("this mlcycle was built without MPI: use --jobs N");
}
MpiLink::~MpiLink() = default;
std::optional<WorkerRequest> MpiLink::poll_request() {
  return std::nullopt;
}
void MpiLink::send_point(int, std::uint64_t) {}
void MpiLink::send_stop(int) {}
void MpiLink::request(std::uint32_t, const std::optional<PointReport>&) {}
std::optional<std::uint64_t> MpiLink::receive_point() {
  return std::nullopt;
}
void MpiLink::barrier() {}
int MpiLink::agree_status(int status) {
  return status;
}

}  // namespace mlcycle
