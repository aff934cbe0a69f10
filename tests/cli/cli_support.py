"""Shared helpers for the end-to-end CLI tests of mlcycle (tests/cli/test_*.py, run by pytest).

Standard library only: h5py and numpy are imported when a test needs them. Every check raises
TestFailure with a message that says what was expected and what mlcycle actually did; pytest
reports it as the test's failure.
"""
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CLI_DIR = Path(__file__).resolve().parent
BAD_DIR = CLI_DIR / "bad"
SOURCE_DIR = CLI_DIR.parent.parent
SCENARIOS_DIR = SOURCE_DIR / "scenarios"
PLATFORMS_DIR = SOURCE_DIR / "platforms"
# ../shared/data beside the repository (CMake passes its cache variable MLCYCLE_SHARED_DATA):
# a test that needs it is skipped without it (pytest.skip; CTest shows "Skipped").
SHARED_DATA = Path(os.environ.get("MLCYCLE_SHARED_DATA") or SOURCE_DIR.parent / "shared" / "data")

TIMEOUT_S = 10  # every run of every test here takes well under a second

# Signs that something crashed instead of reporting bad input: a signal handler's note, a
# SimGrid/xbt abort with its backtrace, an uncaught C++ exception, a Python traceback.
CRASH_MARKERS = ("Segmentation fault", "Backtrace", "terminate called", "Aborted",
                 "Traceback (most recent call last)", "core dumped", "xbt_die", "[root/CRITICAL]")


class TestFailure(Exception):
    """A check failed; the message is the whole explanation."""

    __test__ = False  # not a pytest test class, though its name starts with "Test"


@dataclass
class Result:
    argv: list
    returncode: int
    stdout: str
    stderr: str

    def describe(self):
        status = self.returncode
        if status < 0:
            try:
                status = f"{status} (killed by {signal.Signals(-status).name})"
            except ValueError:
                status = f"{status} (killed by signal {-status})"
        err = self.stderr if len(self.stderr) < 2000 else self.stderr[:2000] + "\n[... truncated]"
        out = self.stdout if len(self.stdout) < 1000 else self.stdout[:1000] + "\n[... truncated]"
        return (f"  command: {shlex.join(self.argv)}\n  exit status: {status}\n"
                f"  stderr ({len(self.stderr.splitlines())} line(s)):\n{indent(err)}\n"
                f"  stdout:\n{indent(out)}")


def indent(text, prefix="    | "):
    if not text:
        return prefix + "<empty>"
    return "\n".join(prefix + line for line in text.rstrip("\n").split("\n"))


def run_mlcycle(mlcycle, args, cwd=None, timeout=TIMEOUT_S, env=None):
    """`env`: variables to set on top of this process's environment."""
    argv = [str(mlcycle)] + [str(a) for a in args]
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL,
                              env=None if env is None else {**os.environ, **env})
    except subprocess.TimeoutExpired:
        raise TestFailure(f"mlcycle did not finish within {timeout} s: {shlex.join(argv)}")
    return Result(argv, proc.returncode,
                  proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def expect(condition, message, result=None):
    if not condition:
        raise TestFailure(message + ("\n" + result.describe() if result is not None else ""))


def expect_success(result, what):
    expect(result.returncode == 0, f"{what}: expected exit status 0", result)
    expect(not any(m in result.stderr for m in CRASH_MARKERS),
           f"{what}: stderr shows a crash", result)


def rel_close(actual, expected, rel=1e-9, abs_tol=0.0):
    actual, expected = float(actual), float(expected)
    return abs(actual - expected) <= max(rel * max(abs(actual), abs(expected)), abs_tol)


def expect_close(actual, expected, what, rel=1e-9, abs_tol=0.0):
    if not rel_close(actual, expected, rel, abs_tol):
        diff = abs(float(actual) - float(expected))
        scale = max(abs(float(actual)), abs(float(expected))) or 1.0
        raise TestFailure(f"{what}: got {float(actual)!r}, expected {float(expected)!r} "
                          f"(relative difference {diff / scale:.3e} > {rel:g})")


def check_mlcycle_binary(path):
    p = Path(path)
    if not p.is_file() or not os.access(p, os.X_OK):
        raise TestFailure(f"--mlcycle {path}: not an executable file (build the mlcycle target)")
    return p.resolve()


def h5_files_under(directory):
    """Every trace file or temporary trace file below `directory`."""
    found = []
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if name.endswith(".h5") or name.endswith(".h5.tmp") or name.endswith(".tmp"):
                found.append(os.path.join(root, name))
    return sorted(found)


def temp_dir(prefix):
    return tempfile.TemporaryDirectory(prefix=f"mlcycle-{prefix}-")


def import_hdf5_stack():
    """h5py, numpy (and pandas when asked), or a TestFailure that says which Python lacks them."""
    try:
        import h5py
        import numpy
    except ImportError as e:
        raise TestFailure(f"{sys.executable} cannot import {e.name}: run these tests with "
                          "Debian's /usr/bin/python3 (CMake cache variable MLCYCLE_TEST_PYTHON)")
    return h5py, numpy
