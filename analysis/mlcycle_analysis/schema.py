"""Opening mlcycle HDF5 files: format checks and string decoding shared by the readers."""
from __future__ import annotations

import os

import h5py
import numpy as np

TRACE_FORMAT = ("mlcycle-trace", 1)
SWEEP_FORMAT = ("mlcycle-sweep", 1)


class SchemaError(ValueError):
    """The file is not the mlcycle format (or version) a reader supports."""


def text(value):
    """An HDF5 string (bytes inside compounds and attributes) as str; anything else unchanged."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def attributes(obj) -> dict:
    """Attributes of a file, group or dataset with strings decoded and numpy scalars as Python."""
    out = {}
    for key, value in obj.attrs.items():
        value = text(value)
        out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def strings(dataset) -> list[str]:
    return [text(s) for s in dataset[()]]


def enum_names(dtype, field: str) -> list[str]:
    """Names of an HDF5 enum field, ordered by code (codes are 0..n-1 in mlcycle files)."""
    mapping = h5py.check_enum_dtype(dtype[field])
    return sorted(mapping, key=mapping.get)


def open_checked(path, expected: tuple[str, int]) -> h5py.File:
    """Open `path` read-only and check its format/format_version; SchemaError when they differ."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        # h5py's message ("file signature not found") does not say what we expected.
        raise SchemaError(f"{path}: not an HDF5 file ({error}); expected {expected[0]} "
                          f"version {expected[1]}") from None
    found = (text(f.attrs.get("format")), f.attrs.get("format_version"))
    if found[0] != expected[0] or found[1] is None or int(found[1]) != expected[1]:
        f.close()
        name = "no format attribute" if found[0] is None else f"format {found[0]!r}"
        version = "no format_version" if found[1] is None else f"format_version {found[1]}"
        raise SchemaError(f"{path}: found {name}, {version}; this reader supports "
                          f"{expected[0]} version {expected[1]}")
    return f
