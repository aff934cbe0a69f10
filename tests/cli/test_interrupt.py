"""An interrupted run leaves no file: SIGINT (Ctrl-C), SIGTERM (a batch system's time limit) and
SIGHUP during `mlcycle run` remove OUT.h5.tmp, and the process ends by the same signal (so a
shell reports 130 for Ctrl-C). A signal the caller ignores stays ignored.

    /usr/bin/python3 -m pytest tests/cli/test_interrupt.py --mlcycle PATH
"""
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (CRASH_MARKERS, SOURCE_DIR, TestFailure,
                         temp_dir)

# A million trials on 4,096 GPUs: about 2.5 s in a Release build, long enough to interrupt.
LONG_RUN = SOURCE_DIR / "tests" / "perf" / "trials-1m-4096gpu.toml"



def interrupt_run(mlcycle, signal_number, ignore=False):
    with temp_dir("interrupt") as tmp:
        out = Path(tmp) / "out.h5"
        temp = Path(str(out) + ".tmp")
        # preexec_fn: the signal ignored by the parent, as nohup or a background job does.
        preexec = (lambda: signal.signal(signal_number, signal.SIG_IGN)) if ignore else None
        proc = subprocess.Popen([mlcycle, "run", str(LONG_RUN), "-o", str(out), "--quiet"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, preexec_fn=preexec)
        deadline = time.monotonic() + 30
        while not temp.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        if not temp.exists():
            proc.kill()
            raise TestFailure(f"{temp.name} never appeared (the run ended with {proc.poll()})")
        # Signal mid-simulation, once the trace grows: SimGrid's engine exists then, and it
        # installs a SIGINT handler of its own that mlcycle must have replaced again.
        first_size = temp.stat().st_size
        while (proc.poll() is None and time.monotonic() < deadline and temp.exists()
               and temp.stat().st_size == first_size):
            time.sleep(0.01)
        if proc.poll() is not None:
            raise TestFailure(f"the run ended ({proc.returncode}) before it could be interrupted")
        proc.send_signal(signal_number)
        stdout, stderr = proc.communicate(timeout=60)
        name = signal.Signals(signal_number).name
        if ignore:
            if proc.returncode != 0 or not out.exists() or temp.exists():
                raise TestFailure(f"an ignored {name} should not stop the run: exit "
                                  f"{proc.returncode}, {out.name} exists: {out.exists()}, "
                                  f"stderr: {stderr.decode(errors='replace')}")
            return
        if proc.returncode != -signal_number:
            raise TestFailure(f"expected the run to end by {name} (status {-signal_number}), "
                              f"got {proc.returncode}; stderr: {stderr.decode(errors='replace')}")
        left = [p.name for p in Path(tmp).iterdir()]
        if left:
            raise TestFailure(f"after {name} these files are left: {left}")
        text = stderr.decode(errors="replace")
        if any(marker in text for marker in CRASH_MARKERS):
            raise TestFailure(f"after {name} stderr shows a crash: {text}")


@pytest.mark.title("interrupt: SIGINT removes the partial trace")
def test_sigint(mlcycle):
    interrupt_run(mlcycle, signal.SIGINT)


@pytest.mark.title("interrupt: SIGTERM removes the partial trace")
def test_sigterm(mlcycle):
    interrupt_run(mlcycle, signal.SIGTERM)


@pytest.mark.title("interrupt: SIGHUP removes the partial trace")
def test_sighup(mlcycle):
    interrupt_run(mlcycle, signal.SIGHUP)


@pytest.mark.title("interrupt: an ignored SIGINT stays ignored")
def test_ignored_sigint(mlcycle):
    interrupt_run(mlcycle, signal.SIGINT, ignore=True)

