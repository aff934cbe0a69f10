#!/usr/bin/python3
"""pytest for CTest, with skips that CTest can see: exit status 77 (SKIP_RETURN_CODE) when no
test failed, none passed and at least one was skipped, so that a test whose inputs are absent
(../shared/data, Chromium, mpirun) is reported as "Skipped", not "Passed". Any other outcome is
pytest's own exit status (a partial skip beside passes is a pass: pytest's summary names it).

    run_pytest.py [pytest arguments...]     e.g. run_pytest.py -q tests/python/test_trace_reader.py

No .pyc files or .pytest_cache are written into the source tree.
"""
import sys

SKIPPED = 77


class Outcomes:
    """Counts test outcomes of the call phase (and skips or failures of setup)."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def pytest_runtest_logreport(self, report):
        if report.skipped:
            self.skipped += 1
        elif report.failed:
            self.failed += 1
        elif report.passed and report.when == "call":
            self.passed += 1


def main(argv):
    sys.dont_write_bytecode = True  # pytest's assertion rewriting honours it
    import pytest

    outcomes = Outcomes()
    status = int(pytest.main(["-p", "no:cacheprovider", *argv], plugins=[outcomes]))
    if status == 0 and outcomes.skipped and not outcomes.passed and not outcomes.failed:
        print(f"run_pytest: all {outcomes.skipped} test(s) skipped: exit {SKIPPED}", flush=True)
        return SKIPPED
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
