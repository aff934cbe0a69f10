#pragma once
// A thin RAII layer over the HDF5 C API, in the manner of HighFive: handles that close
// themselves, failures thrown as h5::Error carrying the top line of HDF5's error stack, files,
// groups and names. Attributes (h5_attributes.hpp), types (h5_types.hpp), datasets
// (h5_datasets.hpp) and appendable, compressed datasets (h5_appendable.hpp) build on it. Only the
// output wing includes these headers: <hdf5.h> stays out of every other wing.
#include <hdf5.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace mlcycle::h5 {

// Owns one hid_t and closes it with the matching H5*close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer);
  Handle(Handle&& other) noexcept { *this = std::move(other); }
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Closes without looking at the result: what a failed run does on its way out.
  void reset();
  // Closes and throws Error when HDF5 fails to (closing a file or dataset writes what HDF5 still
  // caches: a full disk shows here). The handle is released either way.
  void close(const char* what);

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// A failed HDF5 call: `what` mlcycle was doing, then the top line of the calling thread's error
// stack ("H5Dwrite_chunk(): failure to write chunk"). A failure of the operating system deep in
// the stack (a write that found the disk full) is kept as its errno, for a one-line report.
class Error : public std::runtime_error {
 public:
  Error(const std::string& what, std::string stack_top, int system_errno);
  const std::string& stack_top() const { return stack_top_; }
  int system_errno() const { return system_errno_; }  // 0: none

 private:
  std::string stack_top_;
  int system_errno_;
};

// Throws Error naming `what` when an HDF5 call failed (a negative id or status).
hid_t check(hid_t id, const char* what);
void check(herr_t status, const char* what);
// The Error for the failure HDF5 just reported on this thread.
[[noreturn]] void fail(const std::string& what);

// Switches HDF5's automatic error printing off for the calling thread for good (not for a
// scope, as QuietErrors does). Debian's HDF5 is thread-safe, so the switch holds for this
// thread only: a thread that calls HDF5 calls this first. After failing to open a corrupt object,
// HDF5 1.10 cannot release all of it and prints "infinite loop closing library" and its internals
// at exit whenever printing is on then.
void silence_errors_for_good();

// Silences HDF5's error-stack printing on this thread for a scope (failures still throw or
// return codes); the previous handler is restored on exit.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

Handle create_file(const std::string& path);
// Reserves disk blocks for all of `file`'s address space, so that what HDF5 writes on closing
// (the metadata it caches, all of it placed already) cannot find the disk full. Throws Error
// (with the errno) when the disk is full now: then every handle can still close cleanly
// (discard_writes), whereas HDF5 1.10 cannot recover from a failed flush. Does nothing where the
// filesystem cannot reserve blocks. Chunks HDF5 still caches would be placed later: see
// h5_appendable.hpp.
void reserve_space(hid_t file);
// For a file being given up after a failed write: its remaining writes (HDF5 flushes what it
// caches on closing) go to an anonymous in-memory file instead, so every handle closes cleanly.
// HDF5 1.10 frees a file or dataset whose close failed yet keeps its id, and closing that id
// again when the library shuts down at exit crashes. The caller removes the file afterwards.
void discard_writes(hid_t file);
// Read-only; an invalid handle when HDF5 cannot open it (not HDF5, corrupt, being written).
Handle open_file(const std::string& path);
// Whether HDF5 recognises `path` as an HDF5 file.
bool is_hdf5_file(const std::string& path);

Handle create_group(hid_t parent, const std::string& name);
// Invalid when absent or not openable.
Handle open_group(hid_t parent, const char* name);
// Whether `parent` has a link `name` (false when HDF5 cannot tell).
bool has_link(hid_t parent, const char* name);
// An external link `name` under `group` to "/" of the file `target` (relative to this file).
void link_external(hid_t group, const std::string& name, const std::string& target);

// The name the file of `object` was opened by, and `object`'s path inside it ("?" when HDF5
// cannot tell): what errors name.
std::string file_name(hid_t object);
std::string object_name(hid_t object);

}  // namespace mlcycle::h5
