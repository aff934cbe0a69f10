#include "output/h5_types.hpp"

#include <cstdint>

namespace mlcycle::h5 {

Handle string_type() {
  Handle type(check(H5Tcopy(H5T_C_S1), "copying the string type"), H5Tclose);
  check(H5Tset_size(type.id(), H5T_VARIABLE), "setting a string size");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "setting a string charset");
  return type;
}

Handle fixed_string_type(std::size_t bytes) {
  Handle type(check(H5Tcopy(H5T_C_S1), "copying the string type"), H5Tclose);
  check(H5Tset_size(type.id(), bytes), "setting a string size");
  check(H5Tset_strpad(type.id(), H5T_STR_NULLTERM), "setting a string's padding");
  return type;
}

Handle enum_type(const std::vector<std::string>& names) {
  Handle type(check(H5Tenum_create(H5T_NATIVE_UINT8), "creating an enum"), H5Tclose);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto code = static_cast<std::uint8_t>(i);
    check(H5Tenum_insert(type.id(), names[i].c_str(), &code),
          ("adding enum member " + names[i]).c_str());
  }
  return type;
}

CompoundType::CompoundType(std::size_t row_bytes)
    : type_(check(H5Tcreate(H5T_COMPOUND, row_bytes), "creating a compound"), H5Tclose) {}

CompoundType& CompoundType::add(const std::string& name, std::size_t offset_bytes, hid_t member) {
  check(H5Tinsert(type_.id(), name.c_str(), offset_bytes, member),
        ("adding compound member " + name).c_str());
  return *this;
}

Handle CompoundType::packed() const {
  Handle copy(check(H5Tcopy(type_.id()), "copying a compound"), H5Tclose);
  check(H5Tpack(copy.id()), "packing a compound");
  return copy;
}

H5T_class_t class_of(hid_t type) {
  return type < 0 ? H5T_NO_CLASS : H5Tget_class(type);
}

std::size_t size_of(hid_t type) {
  return type < 0 ? 0 : H5Tget_size(type);
}

bool is_variable_string(hid_t type) {
  return type >= 0 && H5Tis_variable_str(type) > 0;
}

bool is_signed_integer(hid_t type) {
  return H5Tget_sign(type) != H5T_SGN_NONE;
}

Handle dataset_type(hid_t dataset) {
  return Handle(dataset < 0 ? H5I_INVALID_HID : H5Dget_type(dataset), H5Tclose);
}

Handle attribute_type(hid_t attribute) {
  return Handle(attribute < 0 ? H5I_INVALID_HID : H5Aget_type(attribute), H5Tclose);
}

Handle native_type(hid_t type) {
  return Handle(type < 0 ? H5I_INVALID_HID : H5Tget_native_type(type, H5T_DIR_ASCEND), H5Tclose);
}

std::optional<unsigned> member_index(hid_t compound, const char* name) {
  const int index = compound < 0 ? -1 : H5Tget_member_index(compound, name);
  if (index < 0) return std::nullopt;
  return static_cast<unsigned>(index);
}

bool has_member(hid_t compound, const char* name) {
  return member_index(compound, name).has_value();
}

int member_count(hid_t compound) {
  return compound < 0 ? -1 : H5Tget_nmembers(compound);
}

std::optional<std::string> member_name(hid_t compound, unsigned index) {
  char* name = H5Tget_member_name(compound, index);  // allocated by HDF5: freed by HDF5
  if (!name) return std::nullopt;
  std::string text = name;
  H5free_memory(name);
  return text;
}

Handle member_type(hid_t compound, unsigned index) {
  return Handle(compound < 0 ? H5I_INVALID_HID : H5Tget_member_type(compound, index), H5Tclose);
}

std::optional<std::string> enum_name(hid_t enum_type, const void* value) {
  char name[256];  // mlcycle's labels are short; a longer one in a file reads as no member
  if (H5Tenum_nameof(enum_type, value, name, sizeof name) < 0) return std::nullopt;
  return std::string(name);
}

}  // namespace mlcycle::h5
