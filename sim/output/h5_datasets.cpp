#include "output/h5_datasets.hpp"

#include "output/h5_header_check.hpp"
#include "output/h5_types.hpp"

namespace mlcycle::h5 {

namespace {

// A contiguous dataset of `rank` dimensions `dims`, written from `data`; with no values (or no
// data) it is left unwritten, at its fill value.
void write_whole(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                 int rank, const hsize_t* dims, const void* data) {
  Handle space(check(H5Screate_simple(rank, dims, nullptr), "creating a dataspace"), H5Sclose);
  Handle dataset(check(H5Dcreate2(parent, name.c_str(), file_type, space.id(), H5P_DEFAULT,
                                  H5P_DEFAULT, H5P_DEFAULT),
                       ("creating " + name).c_str()),
                 H5Dclose);
  if (data && H5Sget_simple_extent_npoints(space.id()) > 0)
    check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
          ("writing " + name).c_str());
}

}  // namespace

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  std::vector<const char*> pointers;
  for (const std::string& v : values) pointers.push_back(v.c_str());
  const hsize_t count = values.size();
  write_whole(parent, name, type.id(), type.id(), 1, &count, pointers.data());
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values) {
  const hsize_t count = values.size();
  write_whole(parent, name, H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 1, &count, values.data());
}

void write_matrix(hid_t parent, const std::string& name, std::size_t rows, std::size_t columns,
                  const std::vector<double>& values) {
  const hsize_t dims[2] = {rows, columns};
  write_whole(parent, name, H5T_NATIVE_DOUBLE, H5T_NATIVE_DOUBLE, 2, dims,
              values.empty() ? nullptr : values.data());
}

void write_rows(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type,
                const void* rows, std::size_t count) {
  const hsize_t size = count;
  write_whole(parent, name, file_type, memory_type, 1, &size, rows);
}

Handle open_dataset(hid_t parent, const char* name) {
  check_object_header(parent, name);  // before HDF5 decodes a corrupt header's messages
  return Handle(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose);
}

int rank_of(hid_t dataset) {
  Handle space(dataset < 0 ? H5I_INVALID_HID : H5Dget_space(dataset), H5Sclose);
  return space.valid() ? H5Sget_simple_extent_ndims(space.id()) : -1;
}

bool read_rows(hid_t dataset, hid_t memory_type, void* out, std::size_t count) {
  if (memory_type < 0) return false;
  return count == 0 || H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >= 0;
}

bool read_field_bytes(hid_t dataset, const char* field, hid_t member, void* out,
                      std::size_t count) {
  // HDF5 converts only the members both types have: a field the file lacks would read as nothing.
  if (!has_member(dataset_type(dataset).id(), field)) return false;
  try {
    CompoundType memory(size_of(member));
    memory.add(field, 0, member);
    return read_rows(dataset, memory.id(), out, count);
  } catch (const Error&) {  // not a member HDF5 can build the type with
    return false;
  }
}

}  // namespace mlcycle::h5
