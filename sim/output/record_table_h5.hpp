#pragma once
// Writing a RecordTable into an HDF5 file (output's side of record_table.hpp).
#include <hdf5.h>

#include <string>

#include "output/record_table.hpp"

namespace mlcycle {

// Writes `table` as dataset `name` under `parent`: one compound element per row, fields named
// and ordered as the columns, packed, native byte order. Throws std::runtime_error on an HDF5
// failure, std::logic_error when a row has not one cell per column.
void write_h5_table(hid_t parent, const std::string& name, const RecordTable& table);

// Silences HDF5's error-stack printing for a scope (failures still throw or return codes); the
// previous handler is restored on exit.
class QuietH5Errors {
 public:
  QuietH5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &function_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietH5Errors() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }
  QuietH5Errors(const QuietH5Errors&) = delete;
  QuietH5Errors& operator=(const QuietH5Errors&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

}  // namespace mlcycle
