"""LLM serving in tokens (a serving deployment's `llm` table, docs/llm-serving.md), end to end:
one replica of a 7B model on a GPU of round figures against the hand arithmetic of
tests/unit/test_llm_replica.cpp, its TTFT and TPOT targets, both engines with conservation, and
a replica sized from the hardware catalog equal to the same figures given by hand. Bad `llm`
tables are in bad_cases_llm.py.

    /usr/bin/python3 -m pytest tests/cli/test_llm_serving.py --mlcycle PATH
"""
import csv
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import expect, expect_close, expect_success, import_hdf5_stack, run_mlcycle  # noqa: E402,E501

# One node of 4 GPUs; wattage_per_state 400:400:2800 gives each GPU 100 W idle and 700 W busy,
# the replica's watts (the llm table gives none).
ROUND_PLATFORM = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <cluster id="serve" prefix="s-" suffix="" radical="0-0" core="4" speed="1Tf" bw="10Gbps"
           lat="1us" bb_bw="40Gbps" bb_lat="1us">
    <prop id="wattage_per_state" value="400:400:2800"/>
    <prop id="grid_region" value="r"/>
  </cluster>
</platform>
"""

# 7e9 parameters in BF16 (14 GB), 1e5 B of KV a token, on 1e15 FLOP/s, 80 GB, 2e12 B/s at half
# of each: requests of 1,000 tokens in and 100 out at 10 a second on one replica for one hour.
# The unit test's arithmetic: prefill 0.28 of the time, batch 22.7642, step 0.0163902 s,
# TTFT 0.0393449 s, TPOT 0.0227642 s, activity 0.5502: 100 + 600 x 0.5502 = 430.12 W.
ROUND_SERVICE = """[simulation]
start = 2020-01-01T00:00:00Z
platform = "round.xml"

[grid.r]
intensity_g_per_kwh = 400

[[deployment]]
name = "chat"
kind = "serving"
cluster = "serve"
start_at = "0s"
duration = "1h"
step = "1h"
autoscaler = { min_replicas = 1, max_replicas = 1 }

[deployment.demand]
base_rps = 10

[deployment.llm]
params = 7e9
kv_bytes_per_token = 1e5
peak_tflops = 1000
memory_gb = 80
memory_tbps = 2
compute_efficiency = 0.5
bandwidth_efficiency = 0.5
input_tokens = 1000
output_tokens = 100
"""


def run(mlcycle, tmp, name, extra="", options=(), platform=ROUND_PLATFORM, service=ROUND_SERVICE):
    """Runs `service` + `extra` on `platform` (as round.xml); /deployments[0], conserved."""
    (tmp / "round.xml").write_text(platform)
    (tmp / f"{name}.toml").write_text(service + extra)
    out = tmp / f"{name}.h5"
    result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", out.name, "--quiet", *options],
                         cwd=tmp)
    expect_success(result, f"run {name}")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        return f["deployments"][0]


@pytest.mark.title("llm serving: one replica at 10 requests/s draws 430.12 W{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_round_replica(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    d = run(mlcycle, tmp, "round", options=options)
    # 430.12 W x 3,600 s = 1,548,432 J for 36,000 requests: 43.012 J = 0.0119478 Wh each.
    expect_close(d["it_energy_j"], 1548432, "IT energy of the replica", rel=1e-9)
    expect_close(d["served"], 36000, "requests served")
    expect_close(d["wh_per_request"], 1548432 / 3600 / 36000, "Wh per request", rel=1e-6)
    # Utilization by activity: 10 / 22.7434 = 10 x 0.04396875.
    expect_close(d["activity_utilization"], 0.4396875, "utilization", rel=1e-9)
    expect(d["late"] == 0, f"no target, yet {d['late']} late requests")
    # Static: the GPU's 100 W idle for the hour, 360,000 J of the 1,548,432.
    expect_close(d["static_energy_j"], 360000, "static energy", rel=1e-9)
    # 36,000 requests x 1,000 and x 100 tokens; 1,548,432 J / 3.6e6 tokens = 0.43012 J each.
    expect_close(d["input_tokens"], 3.6e7, "input tokens")
    expect_close(d["output_tokens"], 3.6e6, "output tokens")
    expect_close(d["j_per_output_token"], 0.43012, "J per output token", rel=1e-9)
    # One step at one load: every request sees TTFT 0.0393449 s and TPOT 0.0227642 s.
    for q in ("mean", "p50", "p90", "p99"):
        expect_close(d[f"ttft_{q}_s"], 0.03934493, f"TTFT {q}", rel=1e-6)
        expect_close(d[f"tpot_{q}_s"], 0.02276423, f"TPOT {q}", rel=1e-6)


@pytest.mark.title("llm serving: a step is late when its TTFT or TPOT misses the target")
def test_targets(mlcycle, tmp):
    # TTFT 39.34 ms and TPOT 22.76 ms (hand arithmetic above).
    cases = [("ttft_target_ms = 40", 0), ("ttft_target_ms = 39", 36000),
             ("tpot_target_ms = 23", 0), ("tpot_target_ms = 22.7", 36000),
             ("ttft_target_ms = 40\ntpot_target_ms = 22.7", 36000)]
    for i, (targets, late) in enumerate(cases):
        directory = tmp / f"case{i}"
        directory.mkdir()
        d = run(mlcycle, directory, "targets", targets + "\n")
        expect(d["late"] == late, f"{targets!r}: {d['late']} late requests, expected {late}")


@pytest.mark.title("llm serving: TTFT percentiles across segments differ by their prefills")
def test_segment_percentiles(mlcycle, tmp):
    # Three requests in four of 1,000 tokens in, one of 4,000 (both 100 out): every request of
    # the step waits as long; their prefills differ by 2 x 7e9 x 3,000 / 5e14 = 0.084 s. So
    # p50 (75 % of the requests) is the short prompt's TTFT, p90 and p99 the long one's, and
    # the mean lies a quarter of 0.084 s above p50.
    segments = ("segments = [{ name = \"short\", share = 3, input_tokens = 1000, "
                "output_tokens = 100 }, { name = \"long\", share = 1, input_tokens = 4000, "
                "output_tokens = 100 }]\n")
    (tmp / "round.xml").write_text(ROUND_PLATFORM)
    text = ROUND_SERVICE.replace("input_tokens = 1000\noutput_tokens = 100\n", segments)
    (tmp / "mix.toml").write_text(text)
    result = run_mlcycle(mlcycle, ["run", "mix.toml", "-o", "mix.h5", "--quiet"], cwd=tmp)
    expect_success(result, "run mix")
    h5py, _ = import_hdf5_stack()
    with h5py.File(tmp / "mix.h5", "r") as f:
        d = f["deployments"][0]
    expect_close(d["ttft_p90_s"] - d["ttft_p50_s"], 0.084, "p90 - p50", rel=1e-9)
    expect_close(d["ttft_p99_s"], d["ttft_p90_s"], "p99 = p90", rel=1e-12)
    expect_close(d["ttft_mean_s"] - d["ttft_p50_s"], 0.021, "mean - p50", rel=1e-9)
    # The mix's mean tokens: (3 x 1,000 + 4,000) / 4 = 1,750 in, 100 out, per request.
    expect_close(d["input_tokens"] / d["served"], 1750, "input tokens per request")


CATALOG_SERVICE = """[simulation]
start = 2020-01-01T00:00:00Z

[[cluster]]
name = "h100"
gpu = "h100-sxm"
host = "dgx-h100"
nodes = 2
topology = "star"
link = "400Gbps"
region = "r"

[grid.r]
intensity_g_per_kwh = 300

[[deployment]]
name = "chat-70b"
kind = "serving"
cluster = "h100"
start_at = "0s"
duration = "6h"
step = "10min"
autoscaler = { min_replicas = 1, max_replicas = 4, target_utilization = 0.7 }

[deployment.demand]
base_rps = 3
diurnal = [0.5, 0.5, 0.6, 0.8, 1.0, 1.2, 1.4, 1.5, 1.5, 1.4, 1.2, 1.0,
           0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 0.8, 0.6, 0.5]

[deployment.llm]
params = 70e9
layers = 80
kv_heads = 8
head_dim = 128
tensor_parallel = 4
GPU_FIGURES
segments = [{ name = "chat", share = 0.8, input_tokens = 600, output_tokens = 300 },
            { name = "reasoning", share = 0.2, input_tokens = 300, output_tokens = 3000 }]
"""


@pytest.mark.title("llm serving: a replica sized from the catalog's H100 equals the figures given")
def test_catalog_figures(mlcycle, tmp):
    h5py, _ = import_hdf5_stack()
    rows = []
    # h100-sxm in platforms/hardware.toml: 989 dense BF16 TFLOP/s, 80 GB, 3.35 TB/s.
    for name, figures in (("catalog", 'gpu = "h100-sxm"'),
                          ("given", "peak_tflops = 989\nmemory_gb = 80\nmemory_tbps = 3.35")):
        (tmp / f"{name}.toml").write_text(CATALOG_SERVICE.replace("GPU_FIGURES", figures))
        check = run_mlcycle(mlcycle, ["check", f"{name}.toml"], cwd=tmp)
        expect_success(check, f"check {name}")
        result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", f"{name}.h5", "--quiet"],
                             cwd=tmp)
        expect_success(result, f"run {name}")
        with h5py.File(tmp / f"{name}.h5", "r") as f:
            conservation.check_file(f)
            rows.append(f["deployments"][0])
    catalog, given = rows
    for field in ("it_energy_j", "served", "late", "replica_hours", "activity_utilization"):
        expect(catalog[field] == given[field],
               f"{field}: {catalog[field]} from the catalog, {given[field]} given")
    expect(catalog["served"] > 0 and catalog["it_energy_j"] > 0, "the service served nothing")


# The published chain of tests/unit/test_llm_published_chain.cpp (Epoch AI 2025): 1e14 FLOP a
# query at 10 % of an H100's 989 TFLOP/s, 892.5 W a GPU, PUE 1.2: 0.3008089 Wh a query. One
# node of 8 GPUs (the replica, 8-way tensor parallel) in a datacentre of PUE 1.2, offered its
# capacity, 7.912 queries a second, for an hour.
CHAIN_PLATFORM = ROUND_PLATFORM.replace('core="4"', 'core="8"').replace(
    '<prop id="grid_region" value="r"/>',
    '<prop id="grid_region" value="r"/>\n    <prop id="pue" value="1.2"/>')
CHAIN_LLM = """[deployment.llm]
params = 100e9
bytes_per_param = 1
kv_bytes_per_token = 1.6e5
gpu = "h100-sxm"
tensor_parallel = 8
compute_efficiency = 0.1
idle_w = 100
busy_w = 892.5
input_tokens = 50
output_tokens = 450
"""


@pytest.mark.title("llm serving: the published chain, 0.3008 Wh a query, within 0.1 % end to end")
def test_published_chain(mlcycle, tmp):
    text = ROUND_SERVICE.replace("base_rps = 10", "base_rps = 7.912")
    d = run(mlcycle, tmp, "chain", platform=CHAIN_PLATFORM,
            service=text[:text.index("[deployment.llm]")] + CHAIN_LLM)
    expect_close(d["served"], 7.912 * 3600, "queries served", rel=1e-9)
    # 1e14 / 98.9e12 x 892.5 x 1.2 / 3600 = 0.3008089 Wh.
    expect_close(d["wh_per_request"], 0.3008089, "Wh a query", rel=1e-3)


@pytest.mark.title("llm serving: sweep.csv carries tokens, J per token, latencies and static share")
def test_sweep_columns(mlcycle, tmp):
    # The round replica at 10 requests/s (above): 3.6e6 output tokens, 0.43012 J each, TTFT
    # 39.34 ms, TPOT 22.76 ms, 360,000 of 1,548,432 J static. At 5 a second: half the tokens.
    (tmp / "round.xml").write_text(ROUND_PLATFORM)
    (tmp / "sweep.toml").write_text(ROUND_SERVICE)
    result = run_mlcycle(mlcycle, ["sweep", "sweep.toml", "-o", "s", "--vary",
                                   "deployment.chat.demand.base_rps=5,10"], cwd=tmp, timeout=60)
    expect_success(result, "sweep")
    with open(tmp / "s" / "sweep.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    expect(len(rows) == 2, f"two runs, got {len(rows)}")
    h5py, _ = import_hdf5_stack()
    for row, tokens in zip(rows, (1.8e6, 3.6e6)):
        expect_close(float(row["output_tokens"]), tokens, f"{row['point_id']} output tokens")
        with h5py.File(tmp / "s" / row["run_file"], "r") as f:
            d = f["deployments"][0]
        for column in ("output_tokens", "j_per_output_token", "ttft_p50_s", "ttft_p99_s",
                       "tpot_p50_s", "tpot_p99_s"):
            expect(float(row[column]) == float(d[column]), f"{column} = the run file's")
        expect_close(float(row["serving_static_energy_share"]),
                     d["static_energy_j"] / d["it_energy_j"], "static share", rel=1e-15)
    expect_close(float(rows[1]["j_per_output_token"]), 0.43012, "J per output token", rel=1e-9)
    expect_close(float(rows[1]["serving_static_energy_share"]), 360000 / 1548432,
                 "static share at 10 requests/s", rel=1e-9)


@pytest.mark.title("llm serving: the trace bins a step's requests, tokens and latencies exactly")
def test_trace_bins(mlcycle, tmp):
    # Bins of 25 minutes cut the hour-long step at 1,500 and 3,000 s: 10 requests/s gives 15,000,
    # 15,000 and 6,000 requests, each of 1,000 tokens in and 100 out; every bin's mean TTFT and
    # TPOT are the step's (39.34 and 22.76 ms), its static share 100 W / 430.12 W.
    d = run(mlcycle, tmp, "bins", '\n[output]\ntrace_step = "25min"\n')
    expect(d["served"] == 36000, "served")
    h5py, _ = import_hdf5_stack()
    with h5py.File(tmp / "bins.h5", "r") as f:
        trace = {name: f["trace"][name][()][:, 0] for name in (
            "deployment_served", "deployment_late", "deployment_input_tokens",
            "deployment_output_tokens", "deployment_ttft_mean_s", "deployment_tpot_mean_s",
            "deployment_static_share", "deployment_busy_replicas")}
    for i, requests in enumerate((15000, 15000, 6000)):
        expect_close(trace["deployment_served"][i], requests, f"bin {i} requests", rel=1e-12)
        expect_close(trace["deployment_input_tokens"][i], requests * 1000, f"bin {i} tokens in",
                     rel=1e-12)
        expect_close(trace["deployment_output_tokens"][i], requests * 100, f"bin {i} tokens out",
                     rel=1e-12)
        expect(trace["deployment_late"][i] == 0, f"bin {i}: nothing late")
        expect_close(trace["deployment_ttft_mean_s"][i], 0.03934493, f"bin {i} TTFT", rel=1e-6)
        expect_close(trace["deployment_tpot_mean_s"][i], 0.02276423, f"bin {i} TPOT", rel=1e-6)
        expect_close(trace["deployment_static_share"][i], 100 / 430.12, f"bin {i} static",
                     rel=1e-9)
        # 10 requests/s of a capacity of 22.7434: 0.4396875 of the replica at work, the
        # deployment's activity utilization.
        expect_close(trace["deployment_busy_replicas"][i], 0.4396875, f"bin {i} busy", rel=1e-9)
    expect_close(d["activity_utilization"], 0.4396875, "activity utilization", rel=1e-9)


@pytest.mark.title("llm serving: the node's own power is each GPU's static host share")
def test_host_share(mlcycle, tmp):
    # node_overhead_w 400 on the node of 4 GPUs: 100 W for the replica's GPU, drawn whatever
    # the load. 430.12 + 100 = 530.12 W for the hour, 1,908,432 J; static (100 W idle + 100 W
    # of the node) x 3,600 s = 720,000 J.
    platform = ROUND_PLATFORM.replace(
        '<prop id="grid_region" value="r"/>',
        '<prop id="grid_region" value="r"/>\n    <prop id="node_overhead_w" value="400"/>')
    d = run(mlcycle, tmp, "host", platform=platform)
    expect_close(d["it_energy_j"], 530.12 * 3600, "IT energy with the host share", rel=1e-9)
    expect_close(d["static_energy_j"], 200 * 3600, "static energy", rel=1e-9)
