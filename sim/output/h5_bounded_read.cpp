#include "output/h5_bounded_read.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>

#include "core/input_error.hpp"
#include "output/h5.hpp"
#include "output/h5_types.hpp"

namespace mlcycle::h5 {

namespace {

// Tags the opaque memory type that receives variable-length string descriptors as stored.
constexpr const char* kDescriptorTag = "mlcycle: variable-length descriptor as stored";
constexpr std::uint64_t kDeflateMaxExpansion = 1032;  // zlib's largest output per input byte

// An HDF5 conversion from a variable-length string as stored in a file to an opaque type of
// the same size tagged kDescriptorTag: the descriptor's bytes stay as they are, so HDF5 never
// reads the heap. HDF5 looks conversions up by class (string to opaque), and declines this one
// for any other pair (initialisation fails).
herr_t keep_descriptor(hid_t source, hid_t destination, H5T_cdata_t* cdata, std::size_t,
                       std::size_t, std::size_t, void*, void*, hid_t) {
  if (cdata->command != H5T_CONV_INIT) return 0;  // converting: same size, nothing moves
  cdata->need_bkg = H5T_BKG_NO;
  if (H5Tis_variable_str(source) <= 0 || H5Tget_class(destination) != H5T_OPAQUE ||
      H5Tget_size(source) != H5Tget_size(destination))
    return -1;
  char* tag = H5Tget_tag(destination);
  const bool ours = tag && std::strcmp(tag, kDescriptorTag) == 0;
  H5free_memory(tag);
  return ours ? 0 : -1;
}

Handle descriptor_type(std::size_t size) {
  Handle type(check(H5Tcreate(H5T_OPAQUE, size), "creating an opaque type"), H5Tclose);
  check(H5Tset_tag(type.id(), kDescriptorTag), "tagging an opaque type");
  return type;
}

// HDF5's table of conversions is the library's own process-wide state: the conversion is added
// to it once (thread-safe static initialisation), as the library's built-in ones are.
void register_descriptor_conversion() {
  static const bool registered = [] {
    const Handle text = string_type();
    const Handle raw = descriptor_type(16);
    check(H5Tregister(H5T_PERS_SOFT, "mlcycle: keep variable-length descriptors", text.id(),
                      raw.id(), keep_descriptor),
          "registering a conversion");
    return true;
  }();
  (void)registered;
}

std::uint64_t little_endian(const unsigned char* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = count; i-- > 0;) value = value << 8 | bytes[i];
  return value;
}

std::string text_of(const char* start, std::size_t size) {  // up to the first NUL, as C reads it
  return std::string(start, strnlen(start, size));
}

[[noreturn]] void fail(hid_t object, const std::string& what, const std::string& message) {
  throw InputError(SourceLocation{file_name(object), 0, 0}, "", what + ": " + message);
}

// The file behind an HDF5 object, read directly: variable-length descriptors resolved in its
// global heap collections (file format: "GCOL", version 1, 3 reserved bytes, the collection's
// size; then objects: index (2 bytes), references (2), reserved (4), size, data padded to 8).
class GlobalHeap {
 public:
  GlobalHeap(hid_t object, std::string what);
  std::size_t descriptor_size() const { return 4 + address_bytes_ + 4; }
  // The string a descriptor (length (4 bytes), collection address, object index (4)) holds.
  std::string resolve(const unsigned char* descriptor);
  [[noreturn]] void corrupt(const std::string& message) const {
    throw InputError(SourceLocation{path_, 0, 0}, "", what_ + ": " + message);
  }

 private:
  struct Object {
    std::uint64_t offset = 0;  // of the data, in the collection
    std::uint64_t size = 0;
  };
  struct Collection {
    std::vector<unsigned char> bytes;
    std::map<std::uint64_t, Object> objects;
  };
  const Collection& collection(std::uint64_t address);
  void read(std::uint64_t offset, unsigned char* out, std::uint64_t size);

  std::string path_, what_;
  std::ifstream in_;
  std::uint64_t file_bytes_ = 0;
  std::uint64_t base_ = 0;  // addresses count from the end of the user block
  std::size_t address_bytes_ = 8, length_bytes_ = 8;
  // Collections may not overlap and every string is its own heap object in the files HDF5
  // writes: neither the collections nor the strings read add up to more than the file.
  std::uint64_t collection_budget_ = 0, string_budget_ = 0;
  std::map<std::uint64_t, Collection> collections_;
};

GlobalHeap::GlobalHeap(hid_t object, std::string what)
    : path_(file_name(object)), what_(std::move(what)) {
  Handle file(H5Iget_file_id(object), H5Fclose);
  Handle properties(file.id() < 0 ? H5I_INVALID_HID : H5Fget_create_plist(file.id()), H5Pclose);
  hsize_t user_block = 0;
  if (properties.id() < 0 || H5Pget_sizes(properties.id(), &address_bytes_, &length_bytes_) < 0 ||
      H5Pget_userblock(properties.id(), &user_block) < 0)
    corrupt("cannot read the file's creation properties");
  if (address_bytes_ < 2 || address_bytes_ > 8 || length_bytes_ < 2 || length_bytes_ > 8)
    corrupt("addresses of " + std::to_string(address_bytes_) + " bytes and lengths of " +
            std::to_string(length_bytes_) + " bytes are not supported");
  base_ = user_block;
  in_.open(path_, std::ios::binary);
  in_.seekg(0, std::ios::end);
  const std::streamoff end = in_.tellg();
  if (!in_ || end < 0) corrupt("cannot read the file");
  file_bytes_ = static_cast<std::uint64_t>(end);
  collection_budget_ = string_budget_ = file_bytes_;
}

void GlobalHeap::read(std::uint64_t offset, unsigned char* out, std::uint64_t size) {
  in_.seekg(static_cast<std::streamoff>(offset));
  in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(size));
  if (!in_)
    corrupt("cannot read " + std::to_string(size) + " bytes at byte " + std::to_string(offset));
}

const GlobalHeap::Collection& GlobalHeap::collection(std::uint64_t address) {
  if (const auto found = collections_.find(address); found != collections_.end())
    return found->second;
  const std::string where = "the global heap collection at address " + std::to_string(address);
  const std::uint64_t header_bytes = 8 + length_bytes_;
  if (address > file_bytes_ || base_ > file_bytes_ - address ||
      file_bytes_ - base_ - address < header_bytes)
    corrupt(where + " is past the end of the file (" + std::to_string(file_bytes_) + " bytes)");
  const std::uint64_t start = base_ + address;
  unsigned char header[16] = {};
  read(start, header, header_bytes);
  if (std::memcmp(header, "GCOL", 4) != 0 || header[4] != 1)
    corrupt("no global heap collection (version 1) at address " + std::to_string(address));
  const std::uint64_t size = little_endian(header + 8, length_bytes_);
  if (size < header_bytes || size > file_bytes_ - start)
    corrupt(where + " claims " + std::to_string(size) + " bytes; the file has " +
            std::to_string(file_bytes_ - start) + " from there");
  if (size > collection_budget_) corrupt(where + " overlaps other collections");
  collection_budget_ -= size;
  Collection c;
  c.bytes.resize(size);
  read(start, c.bytes.data(), size);
  // The objects, walked as HDF5 walks them; index 0 is free space, its size counting its header.
  const std::uint64_t object_header = 8 + length_bytes_;
  for (std::uint64_t at = header_bytes; size - at >= object_header;) {
    const std::uint64_t index = little_endian(&c.bytes[at], 2);
    const std::uint64_t object_size = little_endian(&c.bytes[at + 8], length_bytes_);
    const std::uint64_t data = at + object_header;
    if (index == 0) {
      if (object_size < object_header || object_size > size - at)
        corrupt(where + ": free space of " + std::to_string(object_size) + " bytes at byte " +
                std::to_string(at) + " of its " + std::to_string(size));
      at += object_size;
      continue;
    }
    if (object_size > size - data)
      corrupt(where + ": object " + std::to_string(index) + " claims " +
              std::to_string(object_size) + " bytes, more than the collection's " +
              std::to_string(size));
    if (!c.objects.emplace(index, Object{data, object_size}).second)
      corrupt(where + " holds two objects " + std::to_string(index));
    const std::uint64_t padded = (object_size + 7) / 8 * 8;
    at = padded > size - data ? size : data + padded;
  }
  return collections_.emplace(address, std::move(c)).first->second;
}

std::string GlobalHeap::resolve(const unsigned char* descriptor) {
  const std::uint64_t length = little_endian(descriptor, 4);
  if (length == 0) return {};  // an empty (or null) string: no heap object is read
  const std::uint64_t address = little_endian(descriptor + 4, address_bytes_);
  const std::uint64_t index = little_endian(descriptor + 4 + address_bytes_, 4);
  const Collection& c = collection(address);
  const auto found = c.objects.find(index);
  if (found == c.objects.end())
    corrupt("no object " + std::to_string(index) + " in the global heap collection at address " +
            std::to_string(address));
  if (found->second.size != length)
    corrupt("a string of " + std::to_string(length) + " bytes is stored as a heap object of " +
            std::to_string(found->second.size) + " bytes");
  if (length > string_budget_) corrupt("its strings add up to more bytes than the file has");
  string_budget_ -= length;
  return text_of(reinterpret_cast<const char*>(c.bytes.data() + found->second.offset), length);
}

std::uint64_t file_size_of(hid_t object) {
  Handle file(H5Iget_file_id(object), H5Fclose);
  hsize_t bytes = 0;
  if (file.id() < 0 || H5Fget_filesize(file.id(), &bytes) < 0) return 0;
  return bytes;
}

bool bits_within(std::size_t position, std::size_t bits, std::size_t available) {
  return position <= available && bits <= available - position;
}

bool type_within_size_at(hid_t type, int depth) {
  const std::size_t size = H5Tget_size(type);
  if (size == 0 || depth < 0) return false;
  switch (H5Tget_class(type)) {
    case H5T_COMPOUND: {
      const int members = H5Tget_nmembers(type);
      if (members < 0) return false;
      for (unsigned m = 0; m < static_cast<unsigned>(members); ++m) {
        Handle member(H5Tget_member_type(type, m), H5Tclose);
        if (member.id() < 0 ||
            !bits_within(H5Tget_member_offset(type, m), H5Tget_size(member.id()), size) ||
            !type_within_size_at(member.id(), depth - 1))
          return false;
      }
      return true;
    }
    case H5T_INTEGER:
    case H5T_BITFIELD:
    case H5T_FLOAT: {
      const std::size_t precision = H5Tget_precision(type);
      const int offset = H5Tget_offset(type);
      if (precision == 0 || offset < 0 ||
          !bits_within(static_cast<std::size_t>(offset), precision, 8 * size))
        return false;
      if (H5Tget_class(type) != H5T_FLOAT) return true;
      std::size_t sign = 0, exponent = 0, exponent_bits = 0, mantissa = 0, mantissa_bits = 0;
      return H5Tget_fields(type, &sign, &exponent, &exponent_bits, &mantissa, &mantissa_bits) >=
                 0 &&
             sign < precision && bits_within(exponent, exponent_bits, precision) &&
             bits_within(mantissa, mantissa_bits, precision);
    }
    case H5T_ENUM:
    case H5T_ARRAY: {  // the base type's values fill the type exactly
      Handle base(H5Tget_super(type), H5Tclose);
      if (base.id() < 0 || !type_within_size_at(base.id(), depth - 1)) return false;
      std::size_t values = 1;
      if (H5Tget_class(type) == H5T_ARRAY) {
        const int rank = H5Tget_array_ndims(type);
        hsize_t dims[H5S_MAX_RANK] = {};
        if (rank < 1 || rank > H5S_MAX_RANK || H5Tget_array_dims2(type, dims) != rank) return false;
        for (int d = 0; d < rank; ++d) values *= dims[d];
      }
      return H5Tget_size(base.id()) * values == size;
    }
    default:  // strings (fixed: their size; variable: read bounded), opaque bytes, references
      return true;
  }
}

}  // namespace

std::string read_string_value(hid_t attribute) {
  std::string name(256, '\0');
  const ssize_t name_size = H5Aget_name(attribute, name.size(), name.data());
  name.resize(name_size < 0 ? 0 : std::min(static_cast<std::size_t>(name_size), name.size() - 1));
  const std::string what = "attribute '" + name + "'";
  Handle type(H5Aget_type(attribute), H5Tclose);
  if (type.id() < 0 || H5Tget_class(type.id()) != H5T_STRING)
    fail(attribute, what, "is not a string");
  // HDF5 copies the attribute's stored bytes as its type says: a corrupt header that stores
  // fewer makes it read past them (found by the fuzzer), so the two must agree first.
  const hsize_t stored_bytes = H5Aget_storage_size(attribute);
  if (H5Tis_variable_str(type.id()) > 0) {
    register_descriptor_conversion();
    GlobalHeap heap(attribute, what);
    if (stored_bytes < heap.descriptor_size())
      fail(attribute, what,
           "stores " + std::to_string(stored_bytes) + " bytes, less than its type");
    const Handle raw = descriptor_type(heap.descriptor_size());
    unsigned char descriptor[20] = {};
    if (H5Aread(attribute, raw.id(), descriptor) < 0) fail(attribute, what, "cannot be read");
    return heap.resolve(descriptor);
  }
  const std::size_t size = H5Tget_size(type.id());
  if (size == 0 || size > file_size_of(attribute))
    fail(attribute, what, "a string of " + std::to_string(size) + " bytes, more than the file has");
  if (stored_bytes < size)
    fail(attribute, what, "stores " + std::to_string(stored_bytes) + " bytes, less than its type");
  std::string value(size, '\0');
  if (H5Aread(attribute, type.id(), value.data()) < 0) fail(attribute, what, "cannot be read");
  return text_of(value.data(), size);
}

std::vector<std::string> read_string_field(hid_t dataset, const char* field) {
  const std::string what = "field '" + std::string(field) + "' of " + object_name(dataset);
  const std::optional<std::size_t> rows = rows_within_file(dataset);
  if (!rows) fail(dataset, what, "a table larger than the file or of a corrupt type");
  Handle type(H5Dget_type(dataset), H5Tclose);
  const int index = type.id() < 0 ? -1 : H5Tget_member_index(type.id(), field);
  Handle member(
      index < 0 ? H5I_INVALID_HID : H5Tget_member_type(type.id(), static_cast<unsigned>(index)),
      H5Tclose);
  if (member.id() < 0 || H5Tget_class(member.id()) != H5T_STRING)
    fail(dataset, what, "not a string field of a table");
  std::vector<std::string> values;
  values.reserve(*rows);
  std::optional<GlobalHeap> heap;
  Handle raw;  // variable-length: the descriptors; fixed-length: the characters
  if (H5Tis_variable_str(member.id()) > 0) {
    register_descriptor_conversion();
    heap.emplace(dataset, what);
    raw = descriptor_type(heap->descriptor_size());
  } else {
    raw = Handle(H5Tcopy(member.id()), H5Tclose);
  }
  // A fixed-length field is within its row, and rows x row size within the file.
  const std::size_t size = raw.id() < 0 ? 0 : H5Tget_size(raw.id());
  if (!heap && size > H5Tget_size(type.id())) fail(dataset, what, "a field larger than its row");
  Handle memory(size == 0 ? H5I_INVALID_HID : H5Tcreate(H5T_COMPOUND, size), H5Tclose);
  std::vector<unsigned char> bytes(*rows * size);
  if (memory.id() < 0 || H5Tinsert(memory.id(), field, 0, raw.id()) < 0 ||
      (*rows > 0 && H5Dread(dataset, memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0))
    fail(dataset, what, "cannot be read");
  for (std::size_t r = 0; r < *rows; ++r)
    values.push_back(heap ? heap->resolve(&bytes[r * size])
                          : text_of(reinterpret_cast<const char*>(&bytes[r * size]), size));
  return values;
}

std::optional<std::size_t> rows_within_file(hid_t dataset) {
  Handle space(H5Dget_space(dataset), H5Sclose);
  Handle type(H5Dget_type(dataset), H5Tclose);
  Handle properties(H5Dget_create_plist(dataset), H5Pclose);
  if (space.id() < 0 || type.id() < 0 || properties.id() < 0 ||
      H5Sget_simple_extent_ndims(space.id()) != 1)
    return std::nullopt;
  const hssize_t rows = H5Sget_simple_extent_npoints(space.id());
  const std::size_t row_bytes = H5Tget_size(type.id());
  const int filters = H5Pget_nfilters(properties.id());
  if (rows < 0 || row_bytes == 0 || filters < 0 || H5Pget_external_count(properties.id()) != 0 ||
      H5Pget_layout(properties.id()) == H5D_VIRTUAL || !type_within_size(type.id()))
    return std::nullopt;
  const std::uint64_t file_bytes = file_size_of(dataset);
  const std::uint64_t limit = file_bytes * (filters > 0 ? kDeflateMaxExpansion : 1);
  if (static_cast<std::uint64_t>(rows) > limit / row_bytes) return std::nullopt;
  return static_cast<std::size_t>(rows);
}

bool type_within_size(hid_t type) {
  constexpr int kDeepest = 8;  // nested compounds and arrays: mlcycle writes none
  return type_within_size_at(type, kDeepest);
}

}  // namespace mlcycle::h5
