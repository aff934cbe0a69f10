#pragma once
// Checking an object's header before HDF5 decodes its attributes. HDF5 1.10 trusts the sizes
// inside an attribute message: a message of 64 bytes whose name, datatype and dataspace declare
// 65,088 bytes of data is copied as declared (a use-after-free or SIGSEGV inside H5Aexists, found
// by fuzzing `mlcycle info`). Here the version-1 header (the one HDF5 writes by default, without a
// checksum) is read as stored and every message, continuation block and attribute is checked
// against its container first. Version-2 headers carry a checksum that HDF5 verifies itself.
#include <hdf5.h>

namespace mlcycle::h5 {

// Throws InputError (`FILE: object header at ADDRESS: what is wrong`) when the header of
// `object` (a file, group or dataset) holds an attribute that does not fit its message, a
// message that does not fit its block, or a continuation block outside the file.
void check_attribute_messages(hid_t object);

// The same check of the object `name` under `parent`, before it is opened: HDF5 decodes a
// dataset's fill value and layout as it opens it, trusting the sizes they declare, so those are
// checked against their messages too. Nothing happens when there is no such object, or when the
// file is open for writing (this process's own, its headers perhaps not yet on disk).
void check_object_header(hid_t parent, const char* name);

}  // namespace mlcycle::h5
