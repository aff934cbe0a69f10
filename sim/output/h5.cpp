#include "output/h5.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace mlcycle::h5 {

Handle::Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}

Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = std::exchange(other.closer_, nullptr);
  }
  return *this;
}

void Handle::reset() {
  if (id_ >= 0 && closer_) closer_(id_);
  id_ = H5I_INVALID_HID;
}

void Handle::close(const char* what) {
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (id >= 0 && closer_) check(closer_(id), what);
}

Error::Error(const std::string& what, std::string stack_top, int system_errno)
    : std::runtime_error(what), stack_top_(std::move(stack_top)), system_errno_(system_errno) {}

namespace {

// What fail() keeps of the error stack: its top line, and the errno that HDF5's file drivers
// put into their messages ("..., errno = 28, error message = 'No space left on device', ...").
struct StackReading {
  std::string top;
  int system_errno = 0;
};

herr_t read_stack_entry(unsigned depth, const H5E_error2_t* entry, void* data) {
  auto& reading = *static_cast<StackReading*>(data);
  const char* description = entry->desc ? entry->desc : "";
  if (depth == 0)
    reading.top = std::string(entry->func_name ? entry->func_name : "?") + "(): " + description;
  if (const char* at = std::strstr(description, "errno = "); at && reading.system_errno == 0)
    reading.system_errno = std::atoi(at + std::strlen("errno = "));
  return 0;
}

}  // namespace

void fail(const std::string& what) {
  // The stack is this thread's (HDF5 is built thread-safe) and holds the failure until the next
  // API call; walking it does not clear it.
  StackReading reading;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, read_stack_entry, &reading);
  const std::string message =
      "HDF5: " + what + (reading.top.empty() ? " failed" : ": " + reading.top);
  throw Error(message, reading.top, reading.system_errno);
}

hid_t check(hid_t id, const char* what) {
  if (id < 0) fail(what);
  return id;
}

void check(herr_t status, const char* what) {
  if (status < 0) fail(what);
}

void silence_errors_for_good() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() {
  H5Eset_auto2(H5E_DEFAULT, function_, data_);
}

Handle create_file(const std::string& path) {
  return Handle(
      check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "creating the file"),
      H5Fclose);
}

void reserve_space(hid_t file) {
  haddr_t end_of_address_space_bytes = 0;
  void* handle = nullptr;  // the sec2 driver's (HDF5's default): a pointer to its descriptor
  check(H5Fget_eoa(file, &end_of_address_space_bytes), "getting the file's size");
  check(H5Fget_vfd_handle(file, H5P_DEFAULT, &handle), "getting the file's descriptor");
  if (!handle) return;
  // KEEP_SIZE: the file's size stays HDF5's business (it truncates the file on closing).
  if (fallocate(*static_cast<int*>(handle), FALLOC_FL_KEEP_SIZE, 0,
                static_cast<off_t>(end_of_address_space_bytes)) == 0)
    return;
  const int error = errno;
  if (error == EOPNOTSUPP || error == ENOSYS) return;
  throw Error("reserving space for the file: " + std::system_category().message(error), "", error);
}

void discard_writes(hid_t file) {
  void* handle = nullptr;  // the sec2 driver's (HDF5's default): a pointer to its descriptor
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || !handle) return;
  const int memory = memfd_create("mlcycle-discarded-writes", MFD_CLOEXEC);
  if (memory < 0) return;
  dup2(memory, *static_cast<int*>(handle));  // the descriptor HDF5 holds now writes to memory
  ::close(memory);
}

Handle open_file(const std::string& path) {
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
}

bool is_hdf5_file(const std::string& path) {
#if H5_VERSION_GE(1, 12, 0)
  return H5Fis_accessible(path.c_str(), H5P_DEFAULT) > 0;
#else
  return H5Fis_hdf5(path.c_str()) > 0;
#endif
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      ("creating group " + name).c_str()),
                H5Gclose);
}

Handle open_group(hid_t parent, const char* name) {
  return Handle(H5Gopen2(parent, name, H5P_DEFAULT), H5Gclose);
}

bool has_link(hid_t parent, const char* name) {
  return H5Lexists(parent, name, H5P_DEFAULT) > 0;
}

void link_external(hid_t group, const std::string& name, const std::string& target) {
  check(H5Lcreate_external(target.c_str(), "/", group, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        ("linking run file " + target).c_str());
}

namespace {

// HDF5's names come in two calls: the length, then the characters into a buffer one longer.
template <typename GetName>
std::string name_by(GetName get_name) {
  const ssize_t size = get_name(nullptr, 0);
  if (size <= 0) return "?";
  std::string name(static_cast<std::size_t>(size) + 1, '\0');
  get_name(name.data(), name.size());
  name.resize(static_cast<std::size_t>(size));
  return name;
}

}  // namespace

std::string file_name(hid_t object) {
  return name_by([object](char* out, std::size_t size) { return H5Fget_name(object, out, size); });
}

std::string object_name(hid_t object) {
  return name_by([object](char* out, std::size_t size) { return H5Iget_name(object, out, size); });
}

}  // namespace mlcycle::h5
