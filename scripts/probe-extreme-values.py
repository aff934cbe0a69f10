#!/usr/bin/python3
"""Sets every number of the shipped scenarios, one at a time, to extreme values (1e308, 1e-300,
2^63 - 1, -1) with `--set`, runs `mlcycle run` with a 400-day horizon and a 20-s bound, and
lists every run that did not end cleanly: exit 0 with nothing on stderr, or exit 2 with exactly
one stderr line and no file left. A hang (the bound), a crash, exit 1 or a leftover OUT.h5.tmp is
a problem. Takes several minutes (about 900 runs); not part of CTest.

    scripts/probe-extreme-values.py build/release/mlcycle
"""
import glob
import os
import subprocess
import sys
import tempfile
import tomllib

VALUES = ["1e308", "1e-300", "9223372036854775807", "-1"]


def numeric_keys(table, prefix):
    """Dotted --set paths of every number; array elements by their `name`."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from numeric_keys(value, prefix + [key])
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for element in value:
                if "name" in element:
                    yield from numeric_keys(element, prefix + [key, element["name"]])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield ".".join(prefix + [key])


def probe(mlcycle, scenario, key, value):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o.h5")
        argv = [mlcycle, "run", scenario, "--set", f"{key}={value}", "--set",
                'simulation.horizon="400d"', "-o", out, "--quiet"]
        try:
            p = subprocess.run(argv, capture_output=True, timeout=20, text=True)
        except subprocess.TimeoutExpired:
            return "no end within 20 s"
        lines = p.stderr.splitlines()
        if p.returncode == 0 and not lines:
            return None
        if p.returncode == 2 and len(lines) == 1 and not os.listdir(tmp):
            return None
        return f"exit {p.returncode}, stderr {p.stderr[:200]!r}, left {os.listdir(tmp)}"


def main():
    mlcycle = sys.argv[1]
    scenarios = sorted(glob.glob("scenarios/*.toml")) + ["scenarios/strubell2019/lisa-campaign.toml"]
    runs, problems = 0, []
    for scenario in scenarios:
        with open(scenario, "rb") as f:
            keys = [k for k in numeric_keys(tomllib.load(f), []) if k != "simulation.seed"]
        for key in keys:
            for value in VALUES:
                runs += 1
                problem = probe(mlcycle, scenario, key, value)
                if problem:
                    problems.append((scenario, key, value, problem))
    print(f"{runs} runs; {len(problems)} problems")
    for p in problems:
        print(*p, sep=" | ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
