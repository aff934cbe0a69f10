"""Digest of an mlcycle HDF5 file's content: one SHA-256 (first 64 bits) per object, provenance left out.

The digest sees what a reader sees (names, shapes, types, field values, attribute values), not
the file's byte layout, so a change in how mlcycle writes (which thread, chunk order, the order
objects are created in) keeps it equal while any changed number changes it. Compound datasets
are hashed field by field in the file's field order; strings as UTF-8.

Provenance that differs from run to run or machine to machine is left out: the wall time, the
scenario's path, mlcycle's and SimGrid's versions, and how SimGrid was driven (the scheduler
as an actor or from the main context: the same outputs either way).
"""
import hashlib
import json
import sys

import h5py
import numpy as np

PROVENANCE = {"/wall_time_s", "/scenario_path", "/mlcycle_version", "/simgrid_version",
              "/scheduler_context", "/heap_huge_pages"}
# Table columns that are provenance too (a sweep's per-run wall time).
PROVENANCE_FIELDS = {"wall_time_s"}


def _hash_array(h, array):
    array = np.asarray(array)
    h.update(repr((array.shape, array.dtype.str if array.dtype.names is None else "")).encode())
    if array.dtype.names:
        for name in array.dtype.names:
            if name in PROVENANCE_FIELDS:
                continue
            h.update(name.encode())
            _hash_array(h, array[name])
    elif array.dtype.kind == "O":
        for item in array.reshape(-1):
            item = item.decode() if isinstance(item, bytes) else str(item)
            h.update(len(item).to_bytes(8, "little") + item.encode())
    else:
        h.update(np.ascontiguousarray(array).tobytes())


def _hash_value(value):
    h = hashlib.sha256()
    if isinstance(value, (bytes, str)):
        value = value.decode() if isinstance(value, bytes) else value
        h.update(b"s" + value.encode())
    else:
        _hash_array(h, value)
    return h.hexdigest()[:16]  # 64 bits: plenty to tell two outputs apart


def digest(path):
    """{object path or path@attribute: sha256} for every dataset and attribute of the file."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit_attrs(name, obj):
            prefix = "/" + name if name else ""
            for key, value in obj.attrs.items():
                attr_path = f"{prefix}/{key}" if prefix else f"/{key}"
                if attr_path in PROVENANCE:
                    continue
                out[f"{prefix or '/'}@{key}"] = _hash_value(value)

        visit_attrs("", f)

        def visit(name, obj):
            visit_attrs(name, obj)
            if isinstance(obj, h5py.Dataset):
                out["/" + name] = _hash_value(obj[()])
            else:
                out["/" + name + "/"] = "group"

        f.visititems(visit)
    return out


if __name__ == "__main__":
    json.dump({p: digest(p) for p in sys.argv[1:]}, sys.stdout, indent=1, sort_keys=True)
