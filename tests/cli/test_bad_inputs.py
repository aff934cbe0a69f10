#!/usr/bin/python3
"""Bad input must be rejected cleanly: `mlcycle` exits with status 2, prints exactly one line on
stderr of the form `FILE:LINE:COL: KEY: what is wrong` (for platform XML and command-line errors
the nearest equivalent: `platform.xml: host n0: KEY: ...`, `--set: KEY: ...`,
`command line: ...`), prints nothing on stdout, does not crash, and leaves no trace file behind:
neither OUT.h5 nor OUT.h5.tmp (nor a default results/*.h5) in the temporary working directory.

    test_bad_inputs.py --mlcycle PATH --case NAME   run one case (CTest: `cli: bad input: NAME`)
    test_bad_inputs.py --mlcycle PATH --all         run every case
    test_bad_inputs.py --list                       print the case names (used by CMake)

The fixtures are in tests/cli/bad/. Each case's stderr pattern is a regular expression that must
match the whole line; the tokens {f} (the case's scenario fixture), {x} (its platform fixture),
{out}, {tmp}, {single} and the ones a case's setup adds are replaced by the escaped paths first.
"""
import argparse
import os
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import (BAD_DIR, CRASH_MARKERS, TestFailure, check_mlcycle_binary,
                         h5_files_under, run_mlcycle, temp_dir)

from bad_case import SINGLE  # noqa: E402
from bad_cases_models import MODEL_CASES  # noqa: E402
from bad_cases_scenario import SCENARIO_CASES  # noqa: E402

CASES = SCENARIO_CASES + MODEL_CASES

CASES_BY_NAME = {c.name: c for c in CASES}
assert len(CASES_BY_NAME) == len(CASES), "duplicate case names"


def replace_tokens(text, tokens, escape):
    for key, value in tokens.items():
        text = text.replace("{" + key + "}", re.escape(value) if escape else value)
    return text


def run_case(mlcycle, case):
    with temp_dir("bad-input") as tmp_name:
        tmp = Path(tmp_name)
        tokens = {"tmp": str(tmp), "out": str(tmp / "out.h5"), "single": str(SINGLE),
                  "bad": str(BAD_DIR)}
        if case.scenario:
            tokens["f"] = str(BAD_DIR / case.scenario)
        if case.xml:
            tokens["x"] = str(BAD_DIR / case.xml)
        for key in ("f", "x"):
            if key in tokens and not Path(tokens[key]).is_file():
                raise TestFailure(f"fixture missing: {tokens[key]}")
        try:
            if case.setup:
                tokens.update(case.setup(tmp))
            command = case.command if case.command is not None else ["run", "{f}", "-o", "{out}"]
            args = [replace_tokens(a, tokens, escape=False) for a in command]
            result = run_mlcycle(mlcycle, args, cwd=tmp)
            leftovers = h5_files_under(tmp)
            for output in case.outputs:
                path = replace_tokens(output, tokens, escape=False)
                for candidate in (path, path + ".tmp"):
                    if os.path.lexists(candidate) and candidate not in leftovers:
                        leftovers.append(candidate)
        finally:
            for path in tmp.iterdir():  # undo a read-only directory so that cleanup works
                if path.is_dir():
                    path.chmod(0o755)
        pattern = replace_tokens(case.stderr, tokens, escape=True)

    problems = []
    if result.returncode != 2:
        problems.append(f"exit status {result.returncode}, expected 2")
    crash = [m for m in CRASH_MARKERS if m in result.stderr]
    if crash:
        problems.append(f"stderr shows a crash ({', '.join(crash)})")
    lines = result.stderr.split("\n")
    if not (len(lines) == 2 and lines[1] == "" and lines[0].strip()):
        problems.append(f"stderr must be exactly one line, got {len(result.stderr.splitlines())}")
    elif not re.fullmatch(pattern, lines[0]):
        problems.append(f"stderr line does not match the expected pattern\n"
                        f"    pattern: {pattern}\n    line:    {lines[0]}")
    if result.stdout:
        problems.append("stdout must be empty for rejected input")
    if leftovers:
        problems.append("output left behind: " + ", ".join(leftovers))
    if problems:
        message = "\n".join("  - " + p for p in problems) + "\n" + result.describe()
        raise TestFailure(message)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mlcycle", help="path of the mlcycle binary under test")
    parser.add_argument("--case", action="append", default=[], help="case to run (repeatable)")
    parser.add_argument("--all", action="store_true", help="run every case")
    parser.add_argument("--list", action="store_true", help="print the case names")
    args = parser.parse_args(argv)
    if args.list:
        for case in CASES:
            print(case.name)
        return 0
    names = [c.name for c in CASES] if args.all else args.case
    if not names:
        parser.error("give --case NAME, --all or --list")
    unknown = [n for n in names if n not in CASES_BY_NAME]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)} (see --list)")
    if not args.mlcycle:
        parser.error("--mlcycle PATH is required")
    failures = 0
    for name in names:
        try:
            run_case(check_mlcycle_binary(args.mlcycle), CASES_BY_NAME[name])
            print(f"PASS bad input: {name}", flush=True)
        except TestFailure as e:
            failures += 1
            print(f"FAIL bad input: {name}\n{e}", file=sys.stderr)
    if len(names) > 1:
        print(f"{len(names) - failures} passed, {failures} failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
