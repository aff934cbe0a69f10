#pragma once
// Reading HDF5 files that may be corrupt. HDF5 1.10 trusts what a file says about its
// variable-length data: a global heap object whose size field claims 2^44 bytes is copied as
// such (SIGSEGV), and a dataset's extent is believed before anything is read (gigabytes
// allocated). Here strings never go through HDF5's heap reader: their descriptors (length, heap
// collection address, object index) are read as stored, and the heap collection is parsed by
// this code, every address and size checked against the file first. Tables' rows are checked
// against the file's size before any allocation.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "output/h5.hpp"

namespace mlcycle::h5 {

// The string held by a scalar string attribute, variable-length or fixed-length. Throws
// InputError (`FILE: attribute 'NAME': what is wrong`) when its data contradicts the file.
std::string read_string_value(hid_t attribute);

// Field `field` (a string member, variable-length or fixed-length) of every element of the 1-D
// compound dataset `dataset`, in order. Throws InputError (`FILE: field 'F' of /PATH: what is
// wrong`) when the dataset is not such a table within the file (rows_within_file) or its string
// data contradicts the file.
std::vector<std::string> read_string_field(hid_t dataset, const char* field);

// The number of elements of the 1-D dataset `dataset` when they can be in the file: elements x
// element size at most the file's size (times 1032, deflate's largest expansion, when the
// dataset is filtered), data in the file itself (no external or virtual storage), its type
// within its size (type_within_size). nullopt otherwise, or when HDF5 cannot tell.
std::optional<std::size_t> rows_within_file(hid_t dataset);

// Whether `type` describes bytes within its own size: compound members inside the row (and so
// on down), numbers' precision, offset and fields inside their bytes, enums and arrays filled
// by their base type. HDF5 1.10 checks none of this when it reads a type from a file, and
// converts data out of bounds (a member offset of 2^24 in a 261-byte row: SIGSEGV).
bool type_within_size(hid_t type);

}  // namespace mlcycle::h5
