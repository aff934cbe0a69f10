#!/usr/bin/python3
"""The wing order of sim/, checked against the code, the build and the docs.

A wing may include itself and the wings below it; wings on the same level (grid and workload)
may not include each other. A third-party library belongs to one wing. Fails (exit 1) with one
line per problem:

  * an #include "wing/..." that runs up or sideways, or a file-level include cycle;
  * a third-party header included outside its wing (SimGrid outside engine, ...);
  * a library in sim/CMakeLists.txt linking a wing that is not below it, or a third-party
    library linked by another wing;
  * docs/architecture.md not stating the same order (its line "Wing order: ...").

    check_includes.py [SOURCE_DIR]      check the project (CTest: architecture)
    check_includes.py --self-test       check that each kind of problem is found
"""
import re
import sys
import tempfile
from pathlib import Path

# Level of each wing: a wing may include wings of a lower level only.
LEVELS = {
    "core": 0,
    "scenario": 1,
    "grid": 2,
    "workload": 2,
    "accounting": 3,
    "engine": 4,
    "output": 5,
    "sweep": 6,
    "app": 7,
}
# Third-party headers (by include prefix) and CMake targets, each the property of one wing.
THIRD_PARTY = {
    "engine": (("simgrid/", "xbt/", "xbt.h"), ("PkgConfig::SimGrid",)),
    "output": (("hdf5.h", "H5", "zlib.h"), ("HDF5::HDF5", "ZLIB::ZLIB")),
    "scenario": (("toml++/",), ("tomlplusplus::tomlplusplus",)),
    "sweep": (("mpi.h",), ("MPI::MPI_C", "${mlcycle_mpi_library}")),
    "app": (("boost/program_options",), ("Boost::program_options",)),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def order_line():
    by_level = {}
    for wing, level in LEVELS.items():
        by_level.setdefault(level, []).append(wing)
    return "Wing order: " + " < ".join(
        "{" + ", ".join(w) + "}" if len(w) > 1 else w[0] for _, w in sorted(by_level.items()))


def may_include(wing, other):
    return other == wing or LEVELS[other] < LEVELS[wing]


def check_sources(sim):
    problems, graph = [], {}
    for path in sorted(sim.rglob("*")):
        if path.suffix not in (".cpp", ".hpp") or not path.is_file():
            continue
        rel = path.relative_to(sim).as_posix()
        wing = rel.split("/")[0]
        if wing not in LEVELS:
            problems.append(f"sim/{rel}: in no wing (known wings: {', '.join(LEVELS)})")
            continue
        text = path.read_text(errors="replace")
        graph[rel] = []
        for match in INCLUDE.finditer(text):
            kind, target = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            where = f"sim/{rel}:{line}"
            if kind == '"':
                other = target.split("/")[0]
                if other in LEVELS:
                    graph[rel].append(target)
                    if not may_include(wing, other):
                        problems.append(f"{where}: {wing} includes {target}: {other} is not "
                                        f"below {wing}")
                continue
            for owner, (headers, _) in THIRD_PARTY.items():
                if owner != wing and target.startswith(headers):
                    problems.append(f"{where}: {wing} includes <{target}>: only {owner} may")
    problems += find_cycles(graph)
    return problems


def find_cycles(graph):
    """One line per include cycle among the files (depth-first search, cycles by their path)."""
    problems, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):] + [nxt]
                problems.append("include cycle: " + " -> ".join(cycle))
            elif nxt not in state and nxt in graph:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return problems


def check_cmake(cmake_file):
    problems = []
    text = cmake_file.read_text()
    for match in re.finditer(r"mlcycle_wing\((\w+)(.*?)\)\n", text, re.S):
        wing, body = match.group(1), match.group(2)
        if wing not in LEVELS:
            problems.append(f"{cmake_file.name}: library mlcycle_{wing}: not a wing")
            continue
        links = " ".join(re.findall(r"(?:PUBLIC|PRIVATE)([^\n]*)", body)).split()
        for item in links:
            if item.startswith("mlcycle_") and not may_include(wing, item[len("mlcycle_"):]):
                problems.append(f"{cmake_file.name}: mlcycle_{wing} links {item}: not below "
                                f"{wing}")
            for owner, (_, targets) in THIRD_PARTY.items():
                if owner != wing and item in targets:
                    problems.append(f"{cmake_file.name}: mlcycle_{wing} links {item}: only "
                                    f"{owner} may")
    found = set(re.findall(r"mlcycle_wing\((\w+)", text))
    for wing in LEVELS:
        if wing not in found:
            problems.append(f"{cmake_file.name}: no library for wing {wing}")
    return problems


def check_docs(doc):
    if not doc.is_file():
        return [f"{doc}: missing"]
    if order_line() not in doc.read_text():
        return [f"{doc.name}: does not state \"{order_line()}\""]
    return []


def check_project(root):
    return (check_sources(root / "sim") + check_cmake(root / "sim" / "CMakeLists.txt") +
            check_docs(root / "docs" / "architecture.md"))


def self_test():
    """A small tree with one problem of each kind; every one must be reported."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = {
            "sim/core/a.hpp": '#include "engine/b.hpp"\n',  # upward
            "sim/engine/b.hpp": '#include <simgrid/s4u.hpp>\n',
            "sim/grid/c.hpp": '#include "workload/d.hpp"\n',  # sideways
            "sim/workload/d.hpp": '#include <hdf5.h>\n',  # third party outside output
            "sim/output/e.hpp": '#include "output/f.hpp"\n',
            "sim/output/f.hpp": '#include "output/e.hpp"\n',  # cycle
            "sim/CMakeLists.txt": "".join(
                f"mlcycle_wing({w}\n  SOURCES x.cpp\n  PUBLIC mlcycle_core)\n" for w in LEVELS
                if w != "app") + "mlcycle_wing(app\n  PUBLIC mlcycle_engine\n"
                "  PRIVATE HDF5::HDF5)\nmlcycle_wing(core\n  PUBLIC mlcycle_app)\n",
            "docs/architecture.md": "no order here\n",
        }
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        problems = check_project(root)
    expected = ["core includes engine/b.hpp", "grid includes workload/d.hpp",
                "workload includes <hdf5.h>: only output", "include cycle: output/",
                "mlcycle_app links HDF5::HDF5", "mlcycle_core links mlcycle_app",
                "does not state"]
    missed = [e for e in expected if not any(e in p for p in problems)]
    for e in missed:
        print(f"self-test: not reported: {e}")
    print(f"self-test: {len(problems)} problems found, {len(missed)} expected ones missed")
    return 1 if missed else 0


def main(argv):
    if argv[1:2] == ["--self-test"]:
        return self_test()
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent.parent
    problems = check_project(root)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s); {order_line()}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
