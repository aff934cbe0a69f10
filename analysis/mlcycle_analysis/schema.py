"""The mlcycle file schema in one place (docs/hdf5-schema.md): formats, dataset paths, the fields
and attributes the readers rely on, and units; plus opening files with their format checked.

Every other module of the package names datasets and converts units through these constants
(tests/python/test_analysis_schema.py checks that no dataset path, unit factor or unit symbol is
written anywhere else). Datasets are absolute h5py paths, so `f[JOBS]` and `f"{JOBS} rows"` both
work; members of the per-region /grid groups are relative names.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import h5py
import numpy as np

# --- formats: root attributes `format` and `format_version` --------------------------------------
FORMAT_ATTR = "format"
FORMAT_VERSION_ATTR = "format_version"
TRACE_FORMAT = ("mlcycle-trace", 1)
SWEEP_FORMAT = ("mlcycle-sweep", 1)

# --- run file (format mlcycle-trace) -------------------------------------------------------------
CAMPAIGNS = "/campaigns"
DEPLOYMENTS = "/deployments"
STAGES = "/stages"
CLUSTERS = "/clusters"
HOSTS = "/hosts"
HOSTS_PLUGIN_ENERGY = "/hosts_simgrid_plugin_energy_j"  # exec engine only
JOBS = "/jobs"
TRACE = "/trace"
TRACE_TIME = "/trace/time_s"
TRACE_DURATION = "/trace/duration_s"
TRACE_SERIES = "/trace/series"
TRACE_ENERGY = "/trace/energy_j"
TRACE_CO2 = "/trace/co2_g"
TRACE_ENERGY_CUMULATIVE = "/trace/energy_cumulative_j"
TRACE_CO2_CUMULATIVE = "/trace/co2_cumulative_g"
TRACE_POWER = "/trace/power_w"
TRACE_INTENSITY = "/trace/intensity_g_per_kwh"
TRACE_REGIONS = "/trace/regions"
REGION_ENERGY = "/trace/region_energy_j"
REGION_CO2 = "/trace/region_co2_g"
REGION_INTENSITY = "/trace/region_intensity_g_per_kwh"
CLUSTER_BUSY = "/trace/cluster_busy_gpus"
CLUSTER_QUEUE = "/trace/cluster_queue_jobs"
CAMPAIGN_ENERGY = "/trace/campaign_energy_j"
CAMPAIGN_CO2 = "/trace/campaign_co2_g"
DEPLOYMENT_ENERGY = "/trace/deployment_energy_j"
DEPLOYMENT_CO2 = "/trace/deployment_co2_g"
DEPLOYMENT_REPLICAS = "/trace/deployment_replicas"
# Per deployment and bin: requests and LLM tokens (totals), mean latencies, static share.
DEPLOYMENT_BINNED = {q: f"/trace/deployment_{q}" for q in (
    "served", "late", "input_tokens", "output_tokens", "ttft_mean_s", "tpot_mean_s",
    "static_share", "busy_replicas")}
GRID = "/grid"  # one group per region, holding:
GRID_TIME = "time_s"
GRID_INTENSITY = "intensity_g_per_kwh"
GRID_SOURCES = "sources"  # mix and synthetic signals only
GRID_GENERATION = "generation_mw"  # mix and synthetic signals only
SUMMARY = "/summary"
BY_SERIES = "/summary/by_series"
POLICY = "/policy"  # runs with carbon-aware policies only: the counterfactual comparison

RUN_DATASETS = (CAMPAIGNS, DEPLOYMENTS, STAGES, CLUSTERS, HOSTS, HOSTS_PLUGIN_ENERGY, JOBS, TRACE,
                TRACE_TIME, TRACE_DURATION, TRACE_SERIES, TRACE_ENERGY, TRACE_CO2,
                TRACE_ENERGY_CUMULATIVE, TRACE_CO2_CUMULATIVE, TRACE_POWER, TRACE_INTENSITY,
                TRACE_REGIONS, REGION_ENERGY, REGION_CO2, REGION_INTENSITY, CLUSTER_BUSY,
                CLUSTER_QUEUE, CAMPAIGN_ENERGY, CAMPAIGN_CO2, DEPLOYMENT_ENERGY, DEPLOYMENT_CO2,
                DEPLOYMENT_REPLICAS, *DEPLOYMENT_BINNED.values(), GRID, SUMMARY, BY_SERIES,
                POLICY)
GRID_MEMBERS = (GRID_TIME, GRID_INTENSITY, GRID_SOURCES, GRID_GENERATION)

# Series of /trace/series and rows of /summary/by_series (plus "total"), in file order.
SERIES = ["experimentation", "training", "inference", "idle"]
PHASES = SERIES[:3]
TOTAL = "total"
NO_STAGE = 2**32 - 1  # /jobs.stage of a job outside any [[stage]]
JOB_ENUMS = ("phase", "status", "stop_reason")  # /jobs enum fields, decoded to their names
# Columns of /deployments (an empty table keeps them, so code can select them either way).
DEPLOYMENT_COLUMNS = [
    "kind", "start_s", "end_s", "gpu_hours", "it_energy_j", "energy_j", "co2_g", "requests",
    "served", "dropped", "late", "replica_hours", "max_replicas", "wh_per_request", "co2_g_per_request",
    "vehicles_end", "vehicle_days", "driving_hours", "onboard_energy_j", "fuel_l", "updates"]
# Root attributes the readers use (the report reads more; see docs/hdf5-schema.md).
START_UTC = "start_utc"
CURRENCY = "currency"  # a /summary attribute

# --- sweep directory (format mlcycle-sweep) ------------------------------------------------------
SWEEP_FILE = "sweep.h5"  # DIR/sweep.h5; the runs are DIR/runs/<point_id>.h5
RUNS = "/runs"
AGGREGATES = "/aggregates"  # replicates > 1 only
RUN_FILES = "/run_files"
SWEEP_DATASETS = (RUNS, AGGREGATES, RUN_FILES)
RUNS_FIXED = ["point_id", "point", "replicate", "seed"]  # /runs fields before the varied keys
RUNS_STATUS = "status"  # the enum field right after the varied keys
RUN_FILE = "run_file"  # /runs: the run file relative to the directory ("" for a failed run)

DATASETS = RUN_DATASETS + SWEEP_DATASETS

# --- units ---------------------------------------------------------------------------------------
# Files store SI-like units: J, g CO2e, s, W (and MW, L, Wh where a name says so). Shown as:
J_PER_KWH = 3.6e6
J_PER_WH = 3600.0
G_PER_KG = 1e3
G_PER_LB = 453.59237  # the international avoirdupois pound
S_PER_MINUTE = 60.0
S_PER_HOUR = 3600.0
S_PER_DAY = 86400.0
W_PER_KW = 1e3


@dataclass(frozen=True)
class Unit:
    """A display unit: `size` stored units make one (J_PER_KWH joules make a kWh)."""

    symbol: str
    size: float

    @property
    def factor(self) -> float:
        """Multiply a stored value by this to show it in the unit."""
        return 1 / self.size

    def of(self, stored):
        """A stored value (or array) in this unit."""
        return stored / self.size

    def __str__(self) -> str:
        return self.symbol


KWH = Unit("kWh", J_PER_KWH)
WH = Unit("Wh", J_PER_WH)
KG = Unit("kg", G_PER_KG)
LBS = Unit("lbs", G_PER_LB)
MINUTES = Unit("min", S_PER_MINUTE)
HOURS = Unit("h", S_PER_HOUR)
DAYS = Unit("d", S_PER_DAY)
KW = Unit("kW", W_PER_KW)
PERCENT = Unit("%", 0.01)  # of a 0..1 fraction
INTENSITY = "g CO2e/kWh"  # grid intensity, stored and shown as is
UNITS = (KWH, WH, KG, LBS, MINUTES, HOURS, DAYS, KW, PERCENT)


class SchemaError(ValueError):
    """The file is not the mlcycle format (or version) a reader supports."""


def text(value):
    """An HDF5 string (bytes inside compounds and attributes) as str; anything else unchanged."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def attributes(obj) -> dict:
    """Attributes of a file, group or dataset with strings decoded and numpy scalars as Python."""
    out = {}
    for key, value in obj.attrs.items():
        value = text(value)
        out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def strings(dataset) -> list[str]:
    return [text(s) for s in dataset[()]]


def enum_names(dtype, field: str) -> list[str]:
    """Names of an HDF5 enum field, ordered by code (codes are 0..n-1 in mlcycle files)."""
    mapping = h5py.check_enum_dtype(dtype[field])
    return sorted(mapping, key=mapping.get)


def file_format(f) -> str | None:
    """The `format` root attribute of an open file (None when it has none)."""
    return text(f.attrs.get(FORMAT_ATTR))


def open_checked(path, expected: tuple[str, int]) -> h5py.File:
    """Open `path` read-only and check its format/format_version; SchemaError when they differ."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        # h5py's message ("file signature not found") does not say what we expected.
        raise SchemaError(f"{path}: not an HDF5 file ({error}); expected {expected[0]} "
                          f"version {expected[1]}") from None
    found = (file_format(f), f.attrs.get(FORMAT_VERSION_ATTR))
    if found[0] != expected[0] or found[1] is None or int(found[1]) != expected[1]:
        f.close()
        name = f"no {FORMAT_ATTR} attribute" if found[0] is None else \
            f"{FORMAT_ATTR} {found[0]!r}"
        version = f"no {FORMAT_VERSION_ATTR}" if found[1] is None else \
            f"{FORMAT_VERSION_ATTR} {found[1]}"
        raise SchemaError(f"{path}: found {name}, {version}; this reader supports "
                          f"{expected[0]} version {expected[1]}")
    return f
