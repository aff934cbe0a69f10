#pragma once
// Writing a RecordTable into an HDF5 file (output's side of record_table.hpp).
#include <string>

#include "output/h5.hpp"
#include "output/record_table.hpp"

namespace mlcycle {

// Writes `table` as dataset `name` under `parent`: one compound element per row, fields named
// and ordered as the columns, packed, native byte order. Throws h5::Error on an HDF5 failure,
// std::logic_error when a row has not one cell per column.
void write_h5_table(hid_t parent, const std::string& name, const RecordTable& table);

}  // namespace mlcycle
