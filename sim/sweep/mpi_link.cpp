#include "sweep/mpi_link.hpp"

// Only the C API: Open MPI would otherwise pull in its deprecated C++ bindings.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace mlcycle {

namespace {

constexpr int kTagRequest = 1;
constexpr int kTagPoint = 2;
constexpr int kTagStop = 3;

// A request is bytes: slots(4) has_report(1) [index(8) status(1) wall(8) n(4) doubles(8n)
// len(4) error].
template <typename T>
void put(std::vector<char>& out, const T& value) {
  // resize + memcpy, not insert: GCC 12 misreads insert into an empty vector as an overflow.
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}
template <typename T>
T take(const std::vector<char>& in, std::size_t& at) {
  if (at + sizeof(T) > in.size()) throw std::runtime_error("MPI: truncated sweep message");
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

std::vector<char> encode(std::uint32_t slots, const std::optional<PointReport>& report) {
  std::vector<char> out;
  put<std::uint32_t>(out, slots);
  put<std::uint8_t>(out, report ? 1 : 0);
  if (!report) return out;
  const PointOutcome& o = report->outcome;
  put<std::uint64_t>(out, report->index);
  put<std::uint8_t>(out, static_cast<std::uint8_t>(o.status));
  put<double>(out, o.wall_time_s);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(o.results.headline.size()));
  for (double v : o.results.headline) put<double>(out, v);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(o.error.size()));
  out.insert(out.end(), o.error.begin(), o.error.end());
  return out;
}

std::optional<PointReport> decode(const std::vector<char>& in, std::uint32_t& slots) {
  std::size_t at = 0;
  slots = take<std::uint32_t>(in, at);
  if (take<std::uint8_t>(in, at) == 0) return std::nullopt;
  PointReport report;
  report.index = take<std::uint64_t>(in, at);
  report.outcome.status = static_cast<PointStatus>(take<std::uint8_t>(in, at));
  report.outcome.wall_time_s = take<double>(in, at);
  const auto n = take<std::uint32_t>(in, at);
  for (std::uint32_t i = 0; i < n; ++i)
    report.outcome.results.headline.push_back(take<double>(in, at));
  const auto length = take<std::uint32_t>(in, at);
  if (at + length > in.size()) throw std::runtime_error("MPI: truncated sweep message");
  report.outcome.error.assign(in.data() + at, length);
  return report;
}

}  // namespace

bool MpiLink::available() {
  return true;
}

MpiLink::MpiLink(int* argc, char*** argv) {
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiLink::~MpiLink() {
  MPI_Finalize();
}

std::optional<WorkerRequest> MpiLink::poll_request() {
  int pending = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &pending, &status);
  if (!pending) return std::nullopt;
  int bytes = 0;
  MPI_Get_count(&status, MPI_BYTE, &bytes);
  std::vector<char> buffer(static_cast<std::size_t>(bytes));
  MPI_Recv(buffer.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  WorkerRequest request;
  request.rank = status.MPI_SOURCE;
  request.report = decode(buffer, request.slots);
  return request;
}

void MpiLink::send_point(int worker, std::uint64_t index) {
  MPI_Send(&index, 1, MPI_UINT64_T, worker, kTagPoint, MPI_COMM_WORLD);
}

void MpiLink::send_stop(int worker) {
  std::uint64_t none = 0;
  MPI_Send(&none, 1, MPI_UINT64_T, worker, kTagStop, MPI_COMM_WORLD);
}

void MpiLink::request(std::uint32_t slots, const std::optional<PointReport>& report) {
  std::vector<char> buffer = encode(slots, report);
  MPI_Send(buffer.data(), static_cast<int>(buffer.size()), MPI_BYTE, 0, kTagRequest,
           MPI_COMM_WORLD);
}

std::optional<std::uint64_t> MpiLink::receive_point() {
  std::uint64_t index = 0;
  MPI_Status status;
  MPI_Recv(&index, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  if (status.MPI_TAG == kTagStop) return std::nullopt;
  return index;
}

void MpiLink::barrier() {
  MPI_Barrier(MPI_COMM_WORLD);
}

int MpiLink::agree_status(int status) {
  int agreed = 0;
  MPI_Allreduce(&status, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return agreed;
}

}  // namespace mlcycle
