#include "output/h5_header_check.hpp"

#include <cstdint>
#include <cstring>
#include <deque>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/input_error.hpp"
#include "output/h5.hpp"
#include "output/h5_bounded_read.hpp"

namespace mlcycle::h5 {

namespace {

constexpr std::uint16_t kDatatypeMessage = 0x03;
constexpr std::uint16_t kOldFillMessage = 0x04;
constexpr std::uint16_t kFillMessage = 0x05;
constexpr std::uint16_t kLayoutMessage = 0x08;
constexpr std::uint16_t kContinuationMessage = 0x10;
constexpr std::uint16_t kAttributeMessage = 0x0C;
constexpr std::uint8_t kSharedMessageFlag = 0x02;
constexpr std::size_t kMaxBlocks = 4096;  // continuation blocks of one header
constexpr int kMaxRank = 32;              // HDF5's own limit (H5S_MAX_RANK)
constexpr int kMaxTypeDepth = 16;         // datatypes nested in datatypes (mlcycle's: 2)

std::uint64_t unsigned_le(const unsigned char* bytes, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = size; i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

std::uint64_t padded8(std::uint64_t size) {
  return (size + 7) / 8 * 8;
}

class HeaderReader {
 public:
  HeaderReader(hid_t object, std::uint64_t address) : address_(address) {
    path_ = file_name(object);
    Handle file(H5Iget_file_id(object), H5Fclose);
    Handle properties(file.id() < 0 ? H5I_INVALID_HID : H5Fget_create_plist(file.id()), H5Pclose);
    hsize_t user_block = 0;
    if (properties.id() < 0 || H5Pget_sizes(properties.id(), &offset_bytes_, &length_bytes_) < 0 ||
        H5Pget_userblock(properties.id(), &user_block) < 0 || offset_bytes_ < 2 ||
        offset_bytes_ > 8 || length_bytes_ < 2 || length_bytes_ > 8)
      fail("the file's address and length sizes cannot be read");
    base_ = user_block;
    in_.open(path_, std::ios::binary | std::ios::ate);
    const std::streamoff end = in_.tellg();
    if (!in_ || end < 0) fail("the file cannot be read");
    file_bytes_ = static_cast<std::uint64_t>(end);
  }

  void check() {
    const std::vector<unsigned char> prefix = read(address_, 16);
    if (std::memcmp(prefix.data(), "OHDR", 4) == 0) return;  // version 2: checksummed
    if (prefix[0] != 1) fail("version " + std::to_string(prefix[0]) + " is not a header version");
    // Version 1: version, reserved, message count (2), reference count (4), header size (4),
    // padding to 16 bytes; the messages follow, then continuation blocks wherever they point.
    std::deque<std::pair<std::uint64_t, std::uint64_t>> blocks{
        {address_ + 16, unsigned_le(prefix.data() + 8, 4)}};
    std::size_t checked = 0;
    while (!blocks.empty()) {
      if (++checked > kMaxBlocks) fail("more than 4096 continuation blocks");
      const auto [start, size] = blocks.front();
      blocks.pop_front();
      check_block(read(start, size), blocks);
    }
  }

 private:
  void check_block(const std::vector<unsigned char>& block,
                   std::deque<std::pair<std::uint64_t, std::uint64_t>>& blocks) {
    std::size_t at = 0;
    while (at + 8 <= block.size()) {
      const auto type = static_cast<std::uint16_t>(unsigned_le(&block[at], 2));
      const std::uint64_t size = unsigned_le(&block[at + 2], 2);
      const std::uint8_t flags = block[at + 4];
      if (at + 8 + size > block.size()) fail("a message runs past the end of its block");
      const unsigned char* data = &block[at + 8];
      if (type == kContinuationMessage) {
        if (size < offset_bytes_ + length_bytes_) fail("a continuation message is too short");
        blocks.emplace_back(unsigned_le(data, offset_bytes_),
                            unsigned_le(data + offset_bytes_, length_bytes_));
      } else if (type == kAttributeMessage) {
        if (flags & kSharedMessageFlag) fail("a shared attribute message (mlcycle writes none)");
        check_attribute(data, size);
      } else if (type == kDatatypeMessage) {
        if (!(flags & kSharedMessageFlag)) {
          std::uint64_t at_type = 0;
          check_datatype(data, size, at_type, 0);
        }
      } else if (type == kOldFillMessage || type == kFillMessage || type == kLayoutMessage) {
        if (!(flags & kSharedMessageFlag)) check_stored_data(type, data, size);
      }
      at += 8 + size;
    }
  }

  // A fill value's or a compact layout's data within its message: HDF5 copies the size the
  // message declares (a fill value of 192,003 bytes in a 1,632-byte header, found by fuzzing).
  void check_stored_data(std::uint16_t type, const unsigned char* data, std::uint64_t size) {
    std::uint64_t at = 0;  // where the 4-byte (2-byte for layout 3) data size sits
    unsigned size_bytes = 4;
    if (size < 2) fail("a fill value or layout message is too short");
    const unsigned version = data[0];
    if (type == kOldFillMessage) {
      at = 0;
    } else if (type == kFillMessage) {
      if (version == 1 || (version == 2 && size >= 4 && data[3] != 0))
        at = 4;
      else if (version == 3 && (data[1] & 0x20))
        at = 2;
      else
        return;  // no fill value stored
    } else {
      if (version == 3 && data[1] == 0) {  // compact: class, then a 2-byte size
        at = 2;
        size_bytes = 2;
      } else if ((version == 1 || version == 2) && size >= 3 && data[2] == 0) {
        // compact: version, rank, class, 5 reserved, rank x 4-byte dimensions, size
        at = 8 + static_cast<std::uint64_t>(data[1]) * 4;
      } else {
        return;  // contiguous or chunked: no data in the message
      }
    }
    if (at + size_bytes > size) fail("a fill value or layout message is too short");
    if (unsigned_le(data + at, size_bytes) > size - at - size_bytes)
      fail("a fill value or compact data does not fit its message");
  }

  // A datatype from data[at] within `size` bytes, walked as HDF5 decodes it (its format
  // specification, section IV.A.2.d): every field it reads, every member and enumeration value
  // it copies, must lie within. HDF5 copies an enumeration's values or an opaque tag at the sizes
  // the message declares. Advances `at` past the datatype.
  void check_datatype(const unsigned char* data, std::uint64_t size, std::uint64_t& at, int depth) {
    if (depth > kMaxTypeDepth) fail("a datatype nests more than 16 deep");
    const auto need = [&](std::uint64_t bytes) {
      if (bytes > size || at > size - bytes) fail("a datatype does not fit its message");
    };
    need(8);
    const unsigned type_class = data[at] & 0x0F, version = data[at] >> 4;
    const std::uint64_t bits = unsigned_le(data + at + 1, 3);
    const std::uint64_t type_size = unsigned_le(data + at + 4, 4);
    at += 8;
    if (version < 1 || version > 4) fail("a datatype of unknown version");
    // A name, null-terminated, padded to 8 bytes before version 3.
    const auto skip_name = [&]() {
      const unsigned char* end =
          static_cast<const unsigned char*>(std::memchr(data + at, 0, size - at));
      if (!end) fail("a datatype's member name is not terminated");
      const std::uint64_t length = static_cast<std::uint64_t>(end - (data + at)) + 1;
      need(version < 3 ? padded8(length) : length);
      at += version < 3 ? padded8(length) : length;
    };
    const std::uint64_t members = bits & 0xFFFF;
    switch (type_class) {
      case 0:
      case 4:
        need(4);
        at += 4;
        return;  // integer, bitfield: offset, precision
      case 1:
        need(12);
        at += 12;
        return;  // floating point
      case 2:
        need(2);
        at += 2;
        return;  // time
      case 3:
      case 7:
        return;  // string, reference
      case 5:
        need(bits & 0xFF);
        at += bits & 0xFF;
        return;  // opaque: its tag
      case 6:    // compound
        for (std::uint64_t m = 0; m < members; ++m) {
          skip_name();
          std::uint64_t offset_bytes = 4;
          if (version >= 3) {
            offset_bytes = 1;
            while (offset_bytes < 4 && (type_size >> (8 * offset_bytes)) != 0) ++offset_bytes;
          }
          need(offset_bytes);
          at += offset_bytes;
          if (version == 1) {
            need(28);
            at += 28;
          }  // rank, permutation, dimensions
          check_datatype(data, size, at, depth + 1);
        }
        return;
      case 8: {  // enumeration: its base type, the names, then the values
        const std::uint64_t base_at = at;
        check_datatype(data, size, at, depth + 1);
        const std::uint64_t base_size = unsigned_le(data + base_at + 4, 4);
        for (std::uint64_t m = 0; m < members; ++m) skip_name();
        if (members != 0 && base_size > (size - at) / members)
          fail("a datatype's enumeration values do not fit its message");
        at += members * base_size;
        return;
      }
      case 9:
        check_datatype(data, size, at, depth + 1);
        return;   // variable length
      case 10: {  // array
        need(1);
        const std::uint64_t rank = data[at];
        if (rank > kMaxRank) fail("an array datatype has more than 32 dimensions");
        const std::uint64_t header = version < 3 ? 4 + 8 * rank : 1 + 4 * rank;
        need(header);
        at += header;
        check_datatype(data, size, at, depth + 1);
        return;
      }
      default:
        fail("a datatype of unknown class");
    }
  }

  // Name, datatype, dataspace and data of an attribute message within its `size` bytes.
  void check_attribute(const unsigned char* data, std::uint64_t size) {
    if (size < 8) fail("an attribute message is too short");
    const unsigned version = data[0];
    if (version < 1 || version > 3) fail("an attribute message of unknown version");
    std::uint64_t name = unsigned_le(data + 2, 2), type = unsigned_le(data + 4, 2),
                  space = unsigned_le(data + 6, 2);
    std::uint64_t header = version == 3 ? 9 : 8;
    if (version == 1) name = padded8(name), type = padded8(type), space = padded8(space);
    const std::uint64_t type_at = header + name, space_at = type_at + type;
    const std::uint64_t data_at = space_at + space;
    if (type < 8 || data_at > size) fail("an attribute's name, datatype or dataspace overflows");
    std::uint64_t datatype_at = 0;
    check_datatype(data + type_at, type, datatype_at, 0);
    const std::uint64_t element_bytes = unsigned_le(data + type_at + 4, 4);
    const std::uint64_t elements = dataspace_elements(data + space_at, space);
    if (elements != 0 && element_bytes > (size - data_at) / elements)
      fail("an attribute's data does not fit its message");
  }

  std::uint64_t dataspace_elements(const unsigned char* space, std::uint64_t size) {
    if (size < 4) fail("an attribute's dataspace is too short");
    const unsigned version = space[0];
    const int rank = space[1];
    if (rank > kMaxRank) fail("an attribute's dataspace has more than 32 dimensions");
    if (version == 2 && space[3] == 2) return 0;  // the null dataspace
    const std::uint64_t dims_at = version == 1 ? 8 : version == 2 ? 4 : size + 1;
    if (dims_at + static_cast<std::uint64_t>(rank) * length_bytes_ > size)
      fail("an attribute's dataspace does not fit");
    std::uint64_t elements = 1;
    for (int d = 0; d < rank; ++d) {
      const std::uint64_t extent = unsigned_le(space + dims_at + d * length_bytes_, length_bytes_);
      if (extent != 0 && elements > UINT64_MAX / extent) fail("an attribute's extent overflows");
      elements *= extent;
    }
    return elements;
  }

  std::vector<unsigned char> read(std::uint64_t address, std::uint64_t size) {
    if (address > file_bytes_ || base_ > file_bytes_ - address ||
        size > file_bytes_ - base_ - address)
      fail("a block lies outside the file");
    std::vector<unsigned char> bytes(size);
    in_.seekg(static_cast<std::streamoff>(base_ + address));
    in_.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!in_) fail("a block cannot be read");
    return bytes;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(SourceLocation{path_, 0, 0}, "",
                     "object header at " + std::to_string(address_) + ": " + message);
  }

  std::string path_;
  std::uint64_t address_;
  std::ifstream in_;
  std::uint64_t file_bytes_ = 0, base_ = 0;
  std::size_t offset_bytes_ = 8, length_bytes_ = 8;
};

}  // namespace

void check_object_header(hid_t parent, const char* name) {
  H5O_info_t info;
  // As below: the basic fields read the header as stored and decode no message. An object that
  // cannot be found is left to the caller's open to report.
  QuietErrors quiet;
  // A file open for writing is this process's own, its headers possibly still in HDF5's cache
  // rather than on disk: only files opened to be read are checked.
  Handle file(H5Iget_file_id(parent), H5Fclose);
  unsigned intent = 0;
  if (!file.valid() || H5Fget_intent(file.id(), &intent) < 0 || (intent & H5F_ACC_RDWR)) return;
  if (H5Oget_info_by_name2(parent, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return;
  HeaderReader(parent, info.addr).check();
}

void check_attribute_messages(hid_t object) {
  H5O_info_t info;
  // The basic fields read the header's prefix and messages as stored; no attribute is decoded.
  if (H5Oget_info2(object, &info, H5O_INFO_BASIC) < 0)
    throw InputError(SourceLocation{file_name(object), 0, 0}, "", "an object header is unreadable");
  HeaderReader(object, info.addr).check();
}

}  // namespace mlcycle::h5
