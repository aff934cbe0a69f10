"""pytest set-up of the end-to-end CLI tests: the mlcycle binary under test, temporary
directories, and the CTest name of each test.

    /usr/bin/python3 -m pytest -p no:cacheprovider tests/cli --mlcycle build/release/mlcycle
    MLCYCLE=build/release/mlcycle /usr/bin/python3 -m pytest tests/cli -k "bad_input"

Each test carries a `title` mark: its CTest name after `cli: ` (for a parametrized test, "{}" is
replaced by the case's id). CMake lists them at configure time with `--ctest-list FILE`, which
writes one line `title<TAB>node id` per test, and runs each as its own CTest entry.
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree

from cli_support import check_mlcycle_binary  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--mlcycle", default=os.environ.get("MLCYCLE"),
                     help="path of the mlcycle binary under test (default: $MLCYCLE)")
    parser.addoption("--ctest-list", metavar="FILE",
                     help="write `title<TAB>node id` of every collected test to FILE (CMake)")


def pytest_configure(config):
    config.addinivalue_line("markers", "title(text): the test's CTest name after `cli: `; "
                                       "{} stands for the id of a parametrized case")


def title_of(item):
    mark = item.get_closest_marker("title")
    if mark is None:  # every CLI test has a CTest name: fail the listing rather than invent one
        raise pytest.UsageError(f"{item.nodeid}: no @pytest.mark.title(...)")
    text = mark.args[0]
    callspec = getattr(item, "callspec", None)
    return text.replace("{}", callspec.id) if callspec else text


def pytest_collection_finish(session):
    listing = session.config.getoption("ctest_list")
    if not listing:
        return
    lines, seen = [], set()
    for item in session.items:
        title = title_of(item)
        if title in seen:
            raise pytest.UsageError(f"two CLI tests are titled {title!r}")
        seen.add(title)
        # An absolute path: CTest runs the entry from the build directory.
        lines.append(f"{title}\t{item.path}::{item.nodeid.split('::', 1)[1]}\n")
    Path(listing).write_text("".join(lines))


@pytest.fixture(scope="session")
def mlcycle(request):
    """The mlcycle binary (--mlcycle or $MLCYCLE), resolved; a usage error when it is not one."""
    path = request.config.getoption("mlcycle")
    if not path:
        raise pytest.UsageError("give --mlcycle PATH or set MLCYCLE to the mlcycle binary")
    return check_mlcycle_binary(path)


@pytest.fixture
def tmp():
    """A fresh directory, removed afterwards (made writable first: some tests make a
    read-only subdirectory). Not pytest's tmp_path, which keeps the last runs' files."""
    path = Path(tempfile.mkdtemp(prefix="mlcycle-cli-"))
    yield path
    for root, dirs, _files in os.walk(path):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(path, ignore_errors=True)
