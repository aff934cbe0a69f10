"""`mlcycle info` on corrupt files: whatever the bytes of a trace file or a sweep.h5, it exits 0
or 2, with nothing on stderr or exactly one line, never killed by a signal, within a time and an
address-space bound. HDF5 1.10 trusts the sizes a file states for its variable-length strings (a
global heap object claiming 2^44 bytes was copied as such: SIGSEGV), so those are named cases;
seeded byte flips, overwritten 8-byte fields and truncations of fresh files cover the rest, and
every input that once crashed mlcycle is kept in tests/data/corrupt/.

    /usr/bin/python3 -m pytest tests/cli/test_corrupt_files.py --mlcycle PATH

Standard library only.
"""
import random
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (SCENARIOS_DIR, SOURCE_DIR, TestFailure, expect,
                         expect_success, run_mlcycle, temp_dir)

SINGLE = SCENARIOS_DIR / "single-trial.toml"
# Campaign rows (a search, a crashing training run) and deployment rows (serving, a fleet).
LIFECYCLE_MIX = SOURCE_DIR / "tests" / "data" / "lifecycle-mix.toml"
SAVED_DIR = SOURCE_DIR / "tests" / "data" / "corrupt"
HANG_S = 20  # a hang detector, not a performance bound: a healthy `info` takes well under 1 s
ADDRESS_SPACE_BYTES = 1 << 30  # so that a multi-gigabyte allocation fails instead of swapping
HUGE = 1 << 44  # 17592186044416: the size that crashed HDF5's heap reader
MUTATIONS_PER_TEST = 40  # x 8 seeds



def limit_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))


def info_on(mlcycle, target, cwd):
    """`mlcycle info target` bounded in time and address space: (exit status, stdout, stderr),
    the status negative when a signal killed it, None when it did not finish."""
    argv = [str(mlcycle), "info", str(target)]
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=HANG_S,
                              stdin=subprocess.DEVNULL, preexec_fn=limit_address_space)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def keep_failing_input(data, name):
    """A copy of an input that failed, outside the temporary directory, for the report."""
    kept = Path(tempfile.mkdtemp(prefix="mlcycle-corrupt-failure-")) / name
    kept.write_bytes(data)
    return kept


def check_survives(mlcycle, path, what, data=None):
    """The house rule for bad input, on any bytes: exit 0 with nothing on stderr, or exit 2 with
    one line naming the file and nothing on stdout."""
    status, out, err = info_on(mlcycle, path.name, cwd=path.parent)
    problem = None
    if status is None:
        problem = f"did not finish within {HANG_S} s"
    elif status < 0:
        problem = f"was killed by signal {-status}"
    elif status not in (0, 2):
        problem = f"exited with status {status} (0 or 2 expected)"
    elif status == 0 and err:
        problem = "exited 0 but wrote on stderr"
    elif status == 2 and (len(err.splitlines()) != 1 or not err.endswith("\n") or out):
        problem = "exited 2 without exactly one stderr line and an empty stdout"
    elif status == 2 and not err.startswith(path.name + ":"):
        problem = f"exited 2 with a line that does not start with '{path.name}:'"
    if problem:
        kept = keep_failing_input(data if data is not None else path.read_bytes(), path.name)
        raise TestFailure(f"mlcycle info on {what} {problem} (input kept as {kept})\n"
                          f"  stderr: {err[:1500]!r}\n  stdout: {out[:300]!r}")
    return status, err


def fresh_run_file(mlcycle, tmp, scenario=SINGLE):
    out = Path(tmp) / "base.h5"
    result = run_mlcycle(mlcycle, ["run", scenario, "-o", out, "--quiet"], cwd=tmp)
    expect_success(result, f"run {scenario.name}")
    return out.read_bytes()


def fresh_lifecycle_file(mlcycle, tmp):
    return fresh_run_file(mlcycle, tmp, LIFECYCLE_MIX)


def fresh_sweep_file(mlcycle, tmp):
    """sweep.h5 of a 2-point sweep of single-trial (1 and 2 GPUs)."""
    out = Path(tmp) / "sweep"
    result = run_mlcycle(mlcycle,
                         ["sweep", SINGLE, "-o", out, "--vary",
                          "campaign.one-trial.gpus_per_trial=1,2", "--jobs", "1"],
                         cwd=tmp, timeout=60)
    expect_success(result, "sweep single-trial")
    return (out / "sweep.h5").read_bytes()


def heap_collections(data):
    """(offset, size) of every global heap collection: "GCOL", version 1, 3 reserved bytes, the
    collection's 8-byte size (the files mlcycle writes have 8-byte lengths)."""
    found = []
    at = data.find(b"GCOL")
    while at >= 0:
        if at + 16 <= len(data) and data[at + 4] == 1:
            found.append((at, struct.unpack_from("<Q", data, at + 8)[0]))
        at = data.find(b"GCOL", at + 1)
    return found


def with_first_heap_object_size(data, size):
    """The first object of the first collection (after its 16-byte header: index (2 bytes),
    references (2), reserved (4), then the 8-byte size) set to claim `size` bytes."""
    collections = heap_collections(data)
    if not collections:
        raise TestFailure("no global heap collection (GCOL) in the file written by mlcycle")
    at = collections[0][0] + 16 + 8
    changed = bytearray(data)
    changed[at:at + 8] = struct.pack("<Q", size)
    return bytes(changed)


def mutate(data, rng):
    """One seeded mutation: a bit flipped, a byte replaced, an 8-byte field overwritten, the file
    truncated; half of the in-place ones aimed at a global heap collection."""
    changed = bytearray(data)
    collections = heap_collections(data)
    kind = rng.choice(["flip", "byte", "field", "truncate"])
    if kind == "truncate":
        return bytes(changed[:rng.randrange(len(changed))]), kind
    if collections and rng.random() < 0.5:
        start, size = rng.choice(collections)
        at = rng.randrange(start, min(start + size, len(changed) - 8))
        kind += " in a heap collection"
    else:
        at = rng.randrange(len(changed) - 8)
    if kind.startswith("flip"):
        changed[at] ^= 1 << rng.randrange(8)
    elif kind.startswith("byte"):
        changed[at] = rng.randrange(256)
    else:
        value = rng.choice([HUGE, (1 << 64) - 1, 0, 1 << 63, 1 << 32])
        changed[at:at + 8] = struct.pack("<Q", value)
    return bytes(changed), f"{kind} at byte {at}"


def check_mutations(mlcycle, fresh, name, seed):
    with temp_dir("corrupt") as tmp:
        data = fresh(mlcycle, tmp)
        rng = random.Random(seed)
        statuses = {0: 0, 2: 0}
        for i in range(MUTATIONS_PER_TEST):
            changed, how = mutate(data, rng)
            path = Path(tmp) / name
            path.write_bytes(changed)
            status, _ = check_survives(mlcycle, path,
                                       f"mutation {i} of seed {seed} ({how})", changed)
            statuses[status] += 1
        # The mutations must reach the readers, not only HDF5's superblock checks.
        expect(statuses[2] > 0, f"no mutation of seed {seed} was reported as bad input")


@pytest.mark.title("corrupt run file: heap object of 2^44 bytes")
def test_run_file_huge_heap_object(mlcycle):
    with temp_dir("corrupt") as tmp:
        path = Path(tmp) / "run.h5"
        path.write_bytes(with_first_heap_object_size(fresh_run_file(mlcycle, tmp), HUGE))
        status, err = check_survives(mlcycle, path, "a run file")
        expect(status == 2 and re.search(r"object 1 claims 17592186044416 bytes, more than the "
                                         r"collection's 4096\n$", err),
               f"expected the heap object's size in the one line, got {err!r}")


@pytest.mark.title("corrupt sweep file: heap object of 2^44 bytes")
def test_sweep_file_huge_heap_object(mlcycle):
    with temp_dir("corrupt") as tmp:
        data = fresh_sweep_file(mlcycle, tmp)
        directory = Path(tmp) / "copy"
        directory.mkdir()
        path = directory / "sweep.h5"
        path.write_bytes(with_first_heap_object_size(data, HUGE))
        status, err = check_survives(mlcycle, path, "a sweep file")
        expect(status == 2 and "object 1 claims 17592186044416 bytes" in err,
               f"expected the heap object's size in the one line, got {err!r}")
        # The same through the sweep's directory (the line names DIR/sweep.h5).
        status, out, err = info_on(mlcycle, "copy", cwd=tmp)
        expect(status == 2 and err.startswith("copy/sweep.h5: ") and len(err.splitlines()) == 1,
               f"info copy: expected one line about copy/sweep.h5, got {status}: {err!r}")


def heap_objects(data, collection):
    """(index, offset in the file, size) of the objects of a collection, free space (0) last."""
    start, size = collection
    objects, at = [], 16
    while at + 16 <= size:
        index = struct.unpack_from("<H", data, start + at)[0]
        object_size = struct.unpack_from("<Q", data, start + at + 8)[0]
        objects.append((index, start + at, object_size))
        if index == 0:
            break
        at += 16 + (object_size + 7) // 8 * 8
    return objects


@pytest.mark.title("corrupt run file: heap collection structure")
def test_heap_structure(mlcycle):
    """Each check of the heap parser on its own: one line naming what is wrong."""
    with temp_dir("corrupt") as tmp:
        data = fresh_run_file(mlcycle, tmp)
        collection = heap_collections(data)[0]
        objects = heap_objects(data, collection)
        free = [o for o in objects if o[0] == 0][0]
        first, second = objects[0], objects[1]

        def changed(at, fmt, value):
            b = bytearray(data)
            struct.pack_into(fmt, b, at, value)
            return bytes(b)

        cases = [
            # Free space claiming 0 bytes: a walk by sizes would never move on.
            (changed(free[1] + 8, "<Q", 0),
             f"free space of 0 bytes at byte {free[1] - collection[0]}"),
            # Two objects with the same index.
            (changed(first[1], "<H", second[0]), f"holds two objects {second[0]}"),
            # The collection's size (2^40) beyond the end of the file.
            (changed(collection[0] + 8, "<Q", 1 << 40), "claims 1099511627776 bytes; the file has "
             f"{len(data) - collection[0]} from there"),
            # No "GCOL" signature where a string's descriptor points.
            (changed(collection[0], "<4s", b"GCOX"),
             f"no global heap collection (version 1) at address {collection[0]}"),
        ]
        for i, (corrupt, expected) in enumerate(cases):
            path = Path(tmp) / f"case{i}.h5"
            path.write_bytes(corrupt)
            status, err = check_survives(mlcycle, path, f"heap case {i}")
            expect(status == 2 and expected in err, f"case {i}: expected '{expected}', got {err!r}")


@pytest.mark.title("corrupt files kept from crashes")
def test_saved_inputs(mlcycle):
    saved = sorted(SAVED_DIR.glob("*.h5"))
    expect(saved, f"no saved inputs in {SAVED_DIR}")
    with temp_dir("corrupt") as tmp:
        for original in saved:
            path = Path(tmp) / original.name
            shutil.copyfile(original, path)
            status, _ = check_survives(mlcycle, path, str(original))
            expect(status == 2, f"{original.name}: expected exit status 2, got {status}")


@pytest.mark.title("corrupt run file: mutations seed {}")
@pytest.mark.parametrize("seed", range(1, 6), ids=str)
def test_run_file_mutations(mlcycle, seed):
    check_mutations(mlcycle, fresh_run_file, "run.h5", seed)


@pytest.mark.title("corrupt lifecycle run file: mutations seed {}")
@pytest.mark.parametrize("seed", [1], ids=str)
def test_lifecycle_file_mutations(mlcycle, seed):
    check_mutations(mlcycle, fresh_lifecycle_file, "mix.h5", seed)


@pytest.mark.title("corrupt sweep file: mutations seed {}")
@pytest.mark.parametrize("seed", range(1, 3), ids=str)
def test_sweep_file_mutations(mlcycle, seed):
    check_mutations(mlcycle, fresh_sweep_file, "sweep.h5", seed)
