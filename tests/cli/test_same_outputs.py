"""Outputs stay bit-identical across refactoring: every shipped scenario (and the exec engine
and a sweep) is run and the content digest of each output file (output_digest.py) is compared,
object by object, with tests/data/golden/output-digests.json.

The golden file was written by the format before the architecture rework (issue 16); rewrite it
only for a change that means to change outputs, and say so in the commit:

    /usr/bin/python3 tests/cli/test_same_outputs.py --mlcycle build/release/mlcycle --write

Runs happen in the source directory with relative paths, so that the paths recorded in the
files are the same on every machine. One pytest case per scenario (CTest: `cli: same outputs:
NAME`); a case that needs ../shared/data is skipped when it is absent.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cli_support import SHARED_DATA, SOURCE_DIR  # noqa: E402
from output_digest import digest  # noqa: E402

GOLDEN = SOURCE_DIR / "tests" / "data" / "golden" / "output-digests.json"


def cases():
    """name -> (mlcycle arguments after the binary, output file names, needs shared data)."""
    found = {}
    for scenario in sorted((SOURCE_DIR / "scenarios").rglob("*.toml")):
        rel = scenario.relative_to(SOURCE_DIR).as_posix()
        text = scenario.read_text()
        if any(line.strip() == "[sweep]" for line in text.splitlines()):
            continue  # a sweep file, not a scenario
        name = rel[len("scenarios/"):-len(".toml")]
        found[name] = (["run", rel, "-o", "{out}/run.h5", "--quiet"], ["run.h5"],
                       "shared/data/" in text)
    found["strubell2019/lisa-campaign (exec engine)"] = (
        ["run", "scenarios/strubell2019/lisa-campaign.toml", "-o", "{out}/run.h5", "--quiet",
         "--set", "simulation.engine=exec"], ["run.h5"], False)
    found["sweep: easy-vs-fifo over two seeds"] = (
        ["sweep", "scenarios/easy-vs-fifo.toml", "-o", "{out}/sweep", "--vary",
         "simulation.seed=1,2", "--jobs", "1"],
        ["sweep/sweep.h5", "sweep/runs/p0000-r0.h5", "sweep/runs/p0001-r0.h5"], False)
    return found


def digests_of(mlcycle, name):
    args, files, _ = cases()[name]
    with tempfile.TemporaryDirectory(prefix="mlcycle-same-") as out:
        argv = [str(mlcycle)] + [a.replace("{out}", out) for a in args]
        proc = subprocess.run(argv, cwd=SOURCE_DIR, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)}: exit {proc.returncode}\n{proc.stderr}")
        return {f: digest(os.path.join(out, f)) for f in files}


def compare(expected, actual):
    """Lines naming every object that differs, is missing or is new."""
    problems = []
    for file in sorted(set(expected) | set(actual)):
        want, got = expected.get(file, {}), actual.get(file, {})
        for key in sorted(set(want) | set(got)):
            if key not in got:
                problems.append(f"{file}: {key}: missing (was in the golden output)")
            elif key not in want:
                problems.append(f"{file}: {key}: new (not in the golden output)")
            elif want[key] != got[key]:
                problems.append(f"{file}: {key}: content differs")
    return problems


@pytest.mark.title("same outputs: {}")
@pytest.mark.parametrize("name", list(cases()))
def test_same_outputs(mlcycle, name):
    _, _, shared = cases()[name]
    if shared and not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent")
    expected = json.loads(GOLDEN.read_text()).get(name)
    assert expected is not None, f"{name}: no golden digest (rewrite {GOLDEN.name} with --write)"
    problems = compare(expected, digests_of(mlcycle, name))
    assert not problems, "outputs differ from the golden digests:\n" + "\n".join(problems)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mlcycle", required=True)
    parser.add_argument("--write", action="store_true", required=True,
                        help="rewrite the golden digests (the tests themselves run under pytest)")
    args = parser.parse_args(argv)
    golden = {}
    for name, (_, _, shared) in cases().items():
        if shared and not SHARED_DATA.is_dir():
            raise SystemExit(f"{SHARED_DATA} is absent: cannot write every golden digest")
        golden[name] = digests_of(args.mlcycle, name)
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN} ({len(golden)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
