"""Bad input must be rejected cleanly: `mlcycle` exits with status 2, prints exactly one line on
stderr of the form `FILE:LINE:COL: KEY: what is wrong` (for platform XML and command-line errors
the nearest equivalent: `platform.xml: host n0: KEY: ...`, `--set: KEY: ...`,
`command line: ...`), prints nothing on stdout, does not crash, and leaves no trace file behind:
neither OUT.h5 nor OUT.h5.tmp (nor a default results/*.h5) in the temporary working directory.

    /usr/bin/python3 -m pytest tests/cli/test_bad_inputs.py --mlcycle PATH [-k NAME]

One pytest case per bad input, with the case's name as its id (CTest: `cli: bad input: NAME`).

The fixtures are in tests/cli/bad/. Each case's stderr pattern is a regular expression that must
match the whole line; the tokens {f} (the case's scenario fixture), {x} (its platform fixture),
{out}, {tmp}, {single} and the ones a case's setup adds are replaced by the escaped paths first.
"""
import os
import re
import sys
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import BAD_DIR, CRASH_MARKERS, TestFailure, h5_files_under, run_mlcycle

from bad_case import SINGLE  # noqa: E402
from bad_cases_hardware import GENERATED_CASES, HARDWARE_CASES  # noqa: E402
from bad_cases_llm import LLM_CASES  # noqa: E402
from bad_cases_llm_measured import MEASURED_CASES  # noqa: E402
from bad_cases_models import MODEL_CASES  # noqa: E402
from bad_cases_placement import PLACEMENT_CASES, ROUTING_CASES  # noqa: E402
from bad_cases_scenario import SCENARIO_CASES  # noqa: E402

CASES = (SCENARIO_CASES + MODEL_CASES + PLACEMENT_CASES + ROUTING_CASES + HARDWARE_CASES
         + GENERATED_CASES + LLM_CASES + MEASURED_CASES)

assert len({c.name for c in CASES}) == len(CASES), "duplicate case names"


def replace_tokens(text, tokens, escape):
    for key, value in tokens.items():
        text = text.replace("{" + key + "}", re.escape(value) if escape else value)
    return text


@pytest.mark.title("bad input: {}")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(mlcycle, tmp, case):
    tokens = {"tmp": str(tmp), "out": str(tmp / "out.h5"), "single": str(SINGLE),
              "bad": str(BAD_DIR)}
    if case.scenario:
        tokens["f"] = str(BAD_DIR / case.scenario)
    if case.xml:
        tokens["x"] = str(BAD_DIR / case.xml)
    for key in ("f", "x"):
        if key in tokens and not Path(tokens[key]).is_file():
            raise TestFailure(f"fixture missing: {tokens[key]}")
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

