"""A run whose disk fills up: `mlcycle run` writing into a small tmpfs exits 1 with one line on
stderr that names the file and the failure ("... writing OUT.h5: No space left on device"),
leaves neither OUT.h5 nor OUT.h5.tmp behind, and does not crash (HDF5 1.10 crashes at exit when
a file it failed to flush is closed again).

The tmpfs is mounted in a mount namespace of its own (`unshare -m`, gone with the run), else
directly (root) and unmounted afterwards; where neither is allowed the tests are skipped.

    /usr/bin/python3 -m pytest tests/cli/test_disk_full.py --mlcycle PATH
    /usr/bin/python3 tests/cli/test_disk_full.py --mlcycle PATH     (exit 77: skipped)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

SOURCE_DIR = Path(__file__).resolve().parent.parent.parent
CANNOT_MOUNT = 125  # the shell's status when mount fails: skip, not fail
# Mounts a tmpfs of SIZE on DIR, runs the command, then lists what is left in DIR on stdout
# (`run --quiet` prints nothing there) and exits with the command's status.
IN_TMPFS = r'''
dir=$1; size=$2; shift 2
mount -t tmpfs -o "size=$size,mode=0755" mlcycle-disk-full "$dir" 2>/dev/null || exit 125
"$@"
status=$?
ls -A "$dir"
exit $status
'''
CRASH_MARKERS = ("Segmentation fault", "terminate called", "Aborted", "HDF5-DIAG", "core dumped")

# Where the disk fills: a small scenario fills 48 KiB when its run-level tables are written at
# the end; a million trials fill 1 MiB while the writer thread appends chunks mid-run.
CASES = {
    "at commit": ("scenarios/asha-vs-random.toml", "48k"),
    "mid-run": ("tests/perf/trials-1m-4096gpu.toml", "1m"),
}


def namespaces_work():
    try:
        return subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                              capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def run_in_tmpfs(mlcycle, scenario, size, directory):
    out = directory / "out.h5"
    command = [str(mlcycle), "run", scenario, "-o", str(out), "--quiet"]
    shell = ["sh", "-c", IN_TMPFS, "sh", str(directory), size, *command]
    if namespaces_work():
        argv = ["unshare", "-m", "--propagation", "private", *shell]
        proc = subprocess.run(argv, cwd=SOURCE_DIR, capture_output=True, text=True, timeout=50)
    else:
        try:
            proc = subprocess.run(shell, cwd=SOURCE_DIR, capture_output=True, text=True,
                                  timeout=50)
        finally:
            subprocess.run(["umount", str(directory)], capture_output=True)
    if proc.returncode == CANNOT_MOUNT:
        pytest.skip("cannot mount a tmpfs here (needs root, or unshare -m)")
    return out, proc


def check_disk_full(mlcycle, case):
    scenario, size = CASES[case]
    directory = Path(tempfile.mkdtemp(prefix="mlcycle-disk-full-"))
    try:
        out, proc = run_in_tmpfs(mlcycle, scenario, size, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    report = (f"\n  exit status: {proc.returncode}\n  stderr:\n{proc.stderr}"
              f"  left in the tmpfs: {proc.stdout.split()}")
    assert not any(m in proc.stderr for m in CRASH_MARKERS), "a crash, not a report:" + report
    assert proc.returncode == 1, "expected exit status 1 (a runtime failure):" + report
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, "expected exactly one line on stderr:" + report
    assert lines[0].startswith("mlcycle: "), "the line should start with 'mlcycle: ':" + report
    assert f"writing {out}: No space left on device" in lines[0], (
        "the line should name the file and the failure:" + report)
    assert proc.stdout.split() == [], "expected no out.h5 nor out.h5.tmp left:" + report


@pytest.mark.title("disk full: a run whose disk fills at commit exits 1, leaves nothing")
def test_disk_full_at_commit(mlcycle):
    check_disk_full(mlcycle, "at commit")


@pytest.mark.title("disk full: a run whose disk fills mid-run exits 1, leaves nothing")
def test_disk_full_mid_run(mlcycle):
    check_disk_full(mlcycle, "mid-run")


def main(argv):
    """Without pytest's collection (a CTest entry of its own): 0 passed, 77 skipped, 1 failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mlcycle", default=os.environ.get("MLCYCLE"), required=False)
    args = parser.parse_args(argv)
    if not args.mlcycle:
        parser.error("give --mlcycle PATH or set MLCYCLE")
    mlcycle = Path(args.mlcycle).resolve()
    skipped = 0
    for case in CASES:
        try:
            check_disk_full(mlcycle, case)
            print(f"disk full {case}: ok")
        except pytest.skip.Exception as e:
            print(f"disk full {case}: skipped: {e.msg}")
            skipped += 1
        except AssertionError as e:
            print(f"disk full {case}: FAILED: {e}")
            return 1
    return 77 if skipped == len(CASES) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
