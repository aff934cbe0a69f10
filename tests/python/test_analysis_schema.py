"""The analysis package's schema module (pytest): the one place that names datasets and holds
units. Every dataset of real run and sweep files is named there, no other module of the package
spells a dataset path, a unit factor or a unit symbol, and the units convert as by hand."""
import ast
import os
import re

import h5py
import pytest
from analysis_support import ANALYSIS
from mlcycle_analysis import schema
from mlcycle_analysis.sweep import label

PACKAGE = os.path.join(ANALYSIS, "mlcycle_analysis")
SCHEMA = os.path.join(PACKAGE, "schema.py")
# Dataset names that are also the names of loaded columns or attributes (run.trace["time_s"],
# run.summary["jobs"], the sweep attribute `runs`) or of the report's sections (id="summary"):
# as bare words they are not dataset names.
NOT_DATASETS = {"time_s", "duration_s", "energy_j", "co2_g", "power_w", "intensity_g_per_kwh",
                "jobs", "deployments", "series", "runs", "summary", "campaigns", "aggregates"}
# Conversion factors of the units (J per kWh, J per Wh or s per hour, s per day, g per lb).
FACTORS = {3.6e6, 3600, 86400, 453.59237}
SYMBOLS = re.compile(r"\b(kWh|Wh|kW|kg|lbs)\b")


def modules():
    """(path, source) of every module of the package but schema.py."""
    for directory, _, names in os.walk(PACKAGE):
        for name in sorted(names):
            path = os.path.join(directory, name)
            if name.endswith(".py") and path != SCHEMA:
                with open(path, encoding="utf-8") as handle:
                    yield path, handle.read()


def docstrings(tree):
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def constants(source):
    """(line, value) of the string and number literals of a module in source order, docstrings
    left out; the literal parts of f-strings included."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    found = [(node.lineno, node.col_offset, node.value) for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and id(node) not in skip
             and isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool)]
    return [(line, value) for line, _, value in sorted(found, key=lambda c: c[:2])]


def offences(source):
    paths = sorted(schema.DATASETS, key=len, reverse=True)
    absolute = re.compile("|".join(f"(?<![\\w/]){re.escape(p)}(?![\\w])" for p in paths))
    relative = re.compile("|".join(re.escape(p.lstrip("/")) for p in paths if p.count("/") > 1))
    bare = {p.rsplit("/", 1)[1] for p in schema.DATASETS} | set(schema.GRID_MEMBERS)
    bare -= NOT_DATASETS
    found = []
    for line, value in constants(source):
        if isinstance(value, str):
            if absolute.search(value) or relative.search(value) or value in bare:
                found.append((line, value, "dataset"))
            elif SYMBOLS.search(value):
                found.append((line, value, "unit symbol"))
        elif value in FACTORS or (isinstance(value, float) and value in (1e3, 1e-3, 60.0)):
            found.append((line, value, "unit factor"))
    return found


def test_the_scan_finds_what_it_looks_for():
    source = '''"""Docstrings may say /summary/by_series and kWh."""
f["/trace/cluster_busy_gpus"]; f["summary/by_series"]; group["generation_mw"]
note = f"from /jobs rows"; x = e / 3.6e6; y = c / 1e3; h = s / 3600; label = "kWh"
run.trace["time_s"]; summary["jobs"]; "jobs waiting"; "/jobs_per_hour"; limit = 1000
'''
    assert [(line, kind) for line, _, kind in offences(source)] == [
        (2, "dataset"), (2, "dataset"), (2, "dataset"), (3, "dataset"), (3, "unit factor"),
        (3, "unit factor"), (3, "unit factor"), (3, "unit symbol")]


def test_only_the_schema_names_datasets_and_units():
    found = {os.path.relpath(path, ANALYSIS): offences(source) for path, source in modules()}
    assert len(found) >= 10  # every module was read
    assert {path: hits for path, hits in found.items() if hits} == {}


def datasets(f):
    """Every dataset and group path of a file, the per-region /grid members as GRID/<member>."""
    names = []
    f.visit(names.append)
    grid = schema.GRID.lstrip("/")
    return {"/" + re.sub(f"^{grid}/[^/]+", grid, name) for name in names
            if not re.fullmatch(f"{grid}/[^/]+", name)}


def test_every_dataset_of_real_files_is_in_the_schema(lifecycle_run, sweep_dir):
    with h5py.File(lifecycle_run, "r") as f:  # serving and a fleet: every optional dataset
        found = datasets(f)
    members = {f"{schema.GRID}/{m}" for m in schema.GRID_MEMBERS}
    assert found - set(schema.RUN_DATASETS) - members == set()
    # All but the exec engine's /hosts_simgrid_plugin_energy_j and /policy (runs with
    # carbon-aware policies) are in this analytic run.
    assert set(schema.RUN_DATASETS) - found == {schema.HOSTS_PLUGIN_ENERGY, schema.POLICY}
    with h5py.File(os.path.join(sweep_dir, schema.SWEEP_FILE), "r") as f:
        top = {"/" + name for name in f.keys()}  # /run_files holds links to the run files
        assert schema.file_format(f) == schema.SWEEP_FORMAT[0]
    assert top == set(schema.SWEEP_DATASETS)
    assert len(set(schema.DATASETS)) == len(schema.DATASETS)
    assert all(p.startswith("/") for p in schema.DATASETS)


def test_units_by_hand():
    assert schema.KWH.of(7.2e6) == 2.0 and str(schema.KWH) == "kWh"
    assert schema.KWH.factor * 1.8e6 == pytest.approx(0.5, rel=1e-15)
    assert schema.WH.of(3600) == 1.0
    assert schema.KG.of(1500.0) == 1.5 and schema.KG.factor == 1e-3
    assert schema.LBS.of(2 * 453.59237) == 2.0
    assert schema.HOURS.of(5400) == 1.5 and schema.DAYS.of(43200) == 0.5
    assert schema.MINUTES.of(1800) == 30.0 and schema.KW.of(9200) == 9.2
    assert schema.PERCENT.of(0.25) == 25.0 and schema.PERCENT.factor == 100.0
    assert f"{schema.KG} CO2e" == "kg CO2e"


def test_sweep_column_labels():
    assert label("co2_g_total") == (1e-3, "CO2e total (kg)")
    assert label("energy_j_idle_mean") == (1 / 3.6e6, "energy idle (kWh)")
    assert label("makespan_s") == (1 / 3600, "makespan (h)")
    assert label("peak_power_w") == (1e-3, "peak power (kW)")
    assert label("mean_utilization") == (100.0, "mean utilization (%)")
    assert label("cost", "EUR") == (1, "cost (EUR)") and label("seed") == (1, "seed")
