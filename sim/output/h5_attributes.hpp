#pragma once
// Scalar attributes: written as strings (variable-length UTF-8) or numbers, read back typed.
#include <cstdint>
#include <optional>
#include <string>

#include "output/h5.hpp"

namespace mlcycle::h5 {

void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, std::uint64_t value);

// Scalar attributes read back: nullopt when absent, not scalar, or of another class (numbers
// convert between integer and float types as HDF5 converts them). The object's header is checked
// first (h5_header_check.hpp), and a string's data is read bounded by the file
// (h5_bounded_read.hpp): either throws InputError when the file contradicts itself.
std::optional<std::string> read_string_attribute(hid_t object, const char* name);
std::optional<double> read_double_attribute(hid_t object, const char* name);
std::optional<std::int64_t> read_int64_attribute(hid_t object, const char* name);
std::optional<std::uint64_t> read_uint64_attribute(hid_t object, const char* name);

}  // namespace mlcycle::h5
