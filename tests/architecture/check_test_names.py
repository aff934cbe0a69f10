#!/usr/bin/python3
"""Every Catch2 test of tests/ reaches CTest: catch_discover_tests splits the list of test names
on ';' (a CMake list), so a TEST_CASE whose name holds one becomes two names that match no test
and never run. Fails (exit 1) naming each such test case.

    check_test_names.py [SOURCE_DIR]
"""
import re
import sys
from pathlib import Path

NAME = re.compile(r'TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"')


def main(argv):
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent.parent
    problems = []
    for path in sorted((root / "tests").rglob("*.cpp")):
        text = path.read_text(errors="replace")
        for match in NAME.finditer(text):
            if ";" in match.group(1):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(root)}:{line}: TEST_CASE \"{match.group(1)}\""
                                f": a ';' splits it in CTest, so it never runs")
    for p in problems:
        print(p)
    print(f"{len(problems)} test name(s) with ';'")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
