"""The analysis package as a distribution (pytest): analysis/pyproject.toml says what the code
is (package, version, dependencies, console script), builds offline into a wheel holding every
module, and the installed `mlcycle-analysis` runs; modules stay under 400 lines."""
import configparser
import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import tomllib
import zipfile

import pytest
from analysis_support import ANALYSIS, PYTHON, ROOT

import mlcycle_analysis

PACKAGE = os.path.join(ANALYSIS, "mlcycle_analysis")
MAX_LINES = 400


def pyproject():
    with open(os.path.join(ANALYSIS, "pyproject.toml"), "rb") as handle:
        return tomllib.load(handle)


def package_files():
    """Every .py of the package, relative to analysis/."""
    return sorted(os.path.relpath(os.path.join(d, n), ANALYSIS)
                  for d, _, names in os.walk(PACKAGE) for n in names if n.endswith(".py"))


def test_pyproject_describes_the_package():
    config = pyproject()
    assert config["build-system"]["build-backend"] == "setuptools.build_meta"
    project = config["project"]
    assert project["name"] == "mlcycle-analysis" and project["requires-python"] == ">=3.11"
    names = {re.match(r"[A-Za-z0-9_.-]+", d).group(0) for d in project["dependencies"]}
    assert names == {"h5py", "numpy", "pandas", "matplotlib"}
    module, function = project["scripts"]["mlcycle-analysis"].split(":")
    assert callable(getattr(importlib.import_module(module), function))
    # The version is the package's, which is the simulator's (project() in CMakeLists.txt).
    assert config["tool"]["setuptools"]["dynamic"]["version"]["attr"] == \
        "mlcycle_analysis.__version__"
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as handle:
        cmake = re.search(r"project\(mlcycle VERSION ([0-9.]+)", handle.read()).group(1)
    assert mlcycle_analysis.__version__ == cmake
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert include == ["mlcycle_analysis", "mlcycle_analysis.*"]


def test_modules_stay_short():
    here = os.path.dirname(os.path.abspath(__file__))
    tests = [os.path.join(here, n) for n in sorted(os.listdir(here))
             if n.startswith("test_analysis") or n in ("conftest.py", "analysis_support.py")]
    for path in [os.path.join(ANALYSIS, p) for p in package_files()] + tests:
        with open(path, encoding="utf-8") as handle:
            assert len(handle.readlines()) < MAX_LINES, path


def offline_build_available() -> bool:
    return all(importlib.util.find_spec(m) for m in ("pip", "setuptools"))


@pytest.mark.skipif(not offline_build_available(), reason="python3-pip or -setuptools missing")
def test_wheel_builds_offline_and_its_script_runs(tmp_path):
    # A copy, so that the build's build/ and *.egg-info/ stay out of the source tree.
    source = tmp_path / "analysis"
    shutil.copytree(ANALYSIS, source, ignore=shutil.ignore_patterns("__pycache__", "build",
                                                                    "*.egg-info"))
    build = subprocess.run([PYTHON, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "--no-index", "-q", "-w", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    [wheel] = os.listdir(tmp_path / "dist")
    assert wheel == f"mlcycle_analysis-{mlcycle_analysis.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(tmp_path / "dist" / wheel) as archive:
        names = archive.namelist()
        info = f"mlcycle_analysis-{mlcycle_analysis.__version__}.dist-info"
        entry_points = configparser.ConfigParser()
        entry_points.read_string(archive.read(f"{info}/entry_points.txt").decode())
    assert sorted(n for n in names if n.endswith(".py")) == package_files()
    assert entry_points["console_scripts"]["mlcycle-analysis"] == "mlcycle_analysis.__main__:main"

    target = tmp_path / "installed"
    install = subprocess.run([PYTHON, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                              "--target", str(target), str(tmp_path / "dist" / wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([str(target / "bin" / "mlcycle-analysis"), "--help"],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "report" in result.stdout and "plot" in result.stdout
