#pragma once
// HDF5 datatypes: the string and enum types mlcycle writes, one builder of compound types for
// writers and readers alike, and what a reader asks of a type it found in a file.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "output/h5.hpp"

namespace mlcycle::h5 {

Handle string_type();  // variable-length UTF-8
// Fixed-length text of `bytes` bytes, NUL-terminated (a table row's id field).
Handle fixed_string_type(std::size_t bytes);

// An enum over uint8 whose members are `names`, coded 0, 1, 2... in order.
Handle enum_type(const std::vector<std::string>& names);

// A compound type built a member at a time. Members are copied into the type as they are added,
// so a member's own handle may close afterwards.
class CompoundType {
 public:
  explicit CompoundType(std::size_t row_bytes);
  CompoundType& add(const std::string& name, std::size_t offset_bytes, hid_t member);
  hid_t id() const { return type_.id(); }
  // The same members without padding: the file layout of a table whose memory rows are aligned.
  Handle packed() const;

 private:
  Handle type_;
};

// Type classes and sizes; H5T_NO_CLASS and 0 when HDF5 cannot tell (a corrupt type).
H5T_class_t class_of(hid_t type);
std::size_t size_of(hid_t type);
bool is_variable_string(hid_t type);
bool is_signed_integer(hid_t type);
// The type a dataset or attribute stores (invalid when HDF5 cannot tell).
Handle dataset_type(hid_t dataset);
Handle attribute_type(hid_t attribute);
// The same type in this machine's layout (enums: the native integer underneath, same members).
Handle native_type(hid_t type);

// Compound members. member_index: nullopt when `type` has no member `name`.
std::optional<unsigned> member_index(hid_t compound, const char* name);
bool has_member(hid_t compound, const char* name);
// -1 when HDF5 cannot tell.
int member_count(hid_t compound);
std::optional<std::string> member_name(hid_t compound, unsigned index);
Handle member_type(hid_t compound, unsigned index);

// The name of the member of `enum_type` whose code is at `value`; nullopt for no member.
std::optional<std::string> enum_name(hid_t enum_type, const void* value);

}  // namespace mlcycle::h5
