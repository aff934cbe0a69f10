"""Generated platforms and compute-sized training, end to end: `mlcycle platform` writes XML that
`mlcycle check` and SimGrid load and that runs bit for bit like the same platform written by
hand or declared inline ([[cluster]]); every topology carries a data-parallel job; `work` sizes
trials from FLOPs or 6 N D with hand-computed oracles (GPT-3's 3.14e23 FLOPs on V100s among
them). Bad input is in bad_cases_hardware.py.

    /usr/bin/python3 -m pytest tests/cli/test_generated_platforms.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SOURCE_DIR, expect, expect_close, expect_success,  # noqa: E402
                         import_hdf5_stack, run_mlcycle)
from output_digest import digest  # noqa: E402

HEAD = """[simulation]
start = 2020-01-01T00:00:00Z
{platform}
[grid.r]
intensity_g_per_kwh = 400
"""
# 16 trials of 1 h on 16 GPUs (two nodes) with a 100 MB all-reduce after each 1-s step.
DATA_PARALLEL = """
[[campaign]]
name = "dp"
trials = 16
gpus_per_trial = 16
step_time = "1s"
gradient_mb = 100
length = { fixed = "1h" }
"""
CLUSTER = """
[[cluster]]
name = "c"
gpu = "v100-sxm2"
nodes = 16
gpus_per_node = 8
topology = "{topology}"
link = "100Gbps"
region = "r"
pue = 1.1
"""


def run(mlcycle, directory, text, *options, files=None):
    directory.mkdir(exist_ok=True)
    for name, content in (files or {}).items():
        (directory / name).write_text(content)
    (directory / "run.toml").write_text(text)
    result = run_mlcycle(mlcycle, ["run", "run.toml", "-o", "run.h5", "--quiet", *options],
                         cwd=directory, timeout=60)
    expect_success(result, f"mlcycle run in {directory.name}")
    return directory / "run.h5"


def jobs_of(out):
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        conservation.check_file(f)
        return f["jobs"][()], f["campaigns"][()]


def same_run(a, b):
    """Every dataset and attribute equal but the scenario text."""
    da, db = digest(a), digest(b)
    differing = sorted(k for k in da.keys() | db.keys()
                       if k != "/@scenario_toml" and da.get(k) != db.get(k))
    expect(not differing, f"the runs differ in: {', '.join(differing)}")


@pytest.mark.title("generated platforms: mlcycle platform, check, and a run like the hand-written XML")
def test_platform_command_matches_hand_written(mlcycle, tmp):
    result = run_mlcycle(mlcycle, ["platform", "--gpu", "v100-sxm2", "--nodes", "16",
                                   "--gpus-per-node", "8", "--link", "100Gbps", "--region", "r",
                                   "--pue", "1.1", "--name", "c", "-o", "gen.xml"], cwd=tmp)
    expect_success(result, "mlcycle platform")
    expect(result.stdout.startswith("gen.xml: cluster 'c', 16 nodes x 8 NVIDIA V100 SXM2 32 GB "
                                    "= 128 GPUs, star"), f"stdout: {result.stdout!r}")
    expect(not (tmp / "gen.xml.tmp").exists(), "gen.xml.tmp left behind")
    # The same cluster by hand: V100 SXM2 at its FP16 tensor peak 125 TFLOP/s a GPU; 8 x 42 W
    # idle = 336 W, 8 x 300 W TDP = 2,400 W; a 16 x 100 Gb/s backbone; figures written otherwise.
    by_hand = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <cluster id="c" prefix="c-" suffix="" radical="0-15" core="8" speed="125Tf"
           bw="100Gbps" lat="1us" bb_bw="1600Gbps" bb_lat="1us">
    <prop id="grid_region" value="r"/>
    <prop id="pue" value="1.10"/>
    <prop id="wattage_per_state" value="336:336:2400"/>
    <prop id="node_overhead_w" value="0"/>
  </cluster>
</platform>
"""
    (tmp / "hand.xml").write_text(by_hand)
    generated = run(mlcycle, tmp / "gen", HEAD.format(platform='platform = "../gen.xml"')
                    + DATA_PARALLEL)
    written = run(mlcycle, tmp / "hand", HEAD.format(platform='platform = "../hand.xml"')
                  + DATA_PARALLEL)
    (tmp / "check.toml").write_text(HEAD.format(platform='platform = "gen.xml"') + DATA_PARALLEL)
    check = run_mlcycle(mlcycle, ["check", "check.toml"], cwd=tmp)
    expect_success(check, "mlcycle check")
    expect("128 GPUs" in check.stdout, f"check: {check.stdout!r}")
    same_run(generated, written)


@pytest.mark.title("generated platforms: [[cluster]] gives the run of the written file ({})")
@pytest.mark.parametrize("topology", ["star", "fat-tree", "torus", "dragonfly"])
def test_inline_cluster_matches_file(mlcycle, tmp, topology):
    result = run_mlcycle(mlcycle, ["platform", "--gpu", "v100-sxm2", "--nodes", "16",
                                   "--gpus-per-node", "8", "--topology", topology, "--link",
                                   "100Gbps", "--region", "r", "--pue", "1.1", "--name", "c",
                                   "-o", "gen.xml"], cwd=tmp)
    expect_success(result, "mlcycle platform")
    from_file = run(mlcycle, tmp / "file", HEAD.format(platform='platform = "../gen.xml"')
                    + DATA_PARALLEL)
    inline = run(mlcycle, tmp / "inline", HEAD.format(platform="")
                 + CLUSTER.format(topology=topology) + DATA_PARALLEL)
    same_run(from_file, inline)
    jobs, _ = jobs_of(inline)
    # Each 1-h trial's 3,600 steps wait for the all-reduce SimGrid times on the topology.
    run_s = jobs["end_s"] - jobs["start_s"]
    expect((run_s > 3600).all() and (run_s < 2 * 3600).all(),
           f"{topology}: run times {sorted(set(run_s))[:3]}")


@pytest.mark.title("generated platforms: --set and --vary reach a [[cluster]]")
def test_cluster_keys_settable(mlcycle, tmp):
    text = HEAD.format(platform="") + CLUSTER.format(topology="star") + DATA_PARALLEL
    out = run(mlcycle, tmp / "set", text, "--set", "cluster.c.nodes=4")
    h5py, _ = import_hdf5_stack()
    with h5py.File(out, "r") as f:
        expect(len(f["hosts"]) == 4, f"/hosts has {len(f['hosts'])} rows, expected 4")


WORK = HEAD.format(platform="") + """
[[cluster]]
name = "v100"
gpu = "v100-sxm2"
nodes = {nodes}
gpus_per_node = 8
region = "r"

[[campaign]]
name = "pretrain"
phase = "training"
gpus_per_trial = {gpus}
work = {{ {work} }}
{mfu}
"""


@pytest.mark.title("compute-sized work: 6 N D at a given MFU")
def test_six_n_d(mlcycle, tmp):
    out = run(mlcycle, tmp / "r", WORK.format(nodes=1, gpus=8, work="params = 1e9, tokens = 1e10",
                                              mfu="mfu = 0.5"))
    jobs, campaigns = jobs_of(out)
    # 6 x 1e9 x 1e10 = 6e19 FLOPs on 8 V100s of 125 TFLOP/s at 0.5: 6e19 / 5e14 = 120,000 s,
    # 8 x 120,000 / 3,600 = 266.67 GPU-hours; achieved 6e19 / (8 x 120,000) = 6.25e13 FLOP/s.
    job = jobs[0]
    expect_close(job["end_s"] - job["start_s"], 120000.0, "run time")
    expect_close(job["gpu_hours"], 8 * 120000 / 3600, "GPU-hours")
    expect_close(job["flops"], 6e19, "job flops")
    expect_close(job["flops_per_gpu_s"], 6.25e13, "achieved FLOP/s per GPU")
    expect_close(job["mfu"], 0.5, "achieved MFU")
    expect_close(campaigns["flops"][0], 6e19, "campaign flops")
    expect_close(campaigns["mfu"][0], 0.5, "campaign MFU")


@pytest.mark.title("compute-sized work: the attention term and the catalog's MFU")
def test_attention_and_catalog_mfu(mlcycle, tmp):
    work = "params = 1e9, tokens = 1e10, layers = 24, context = 2048, d_model = 2048"
    out = run(mlcycle, tmp / "r", WORK.format(nodes=1, gpus=8, work=work, mfu=""))
    jobs, _ = jobs_of(out)
    # 6 N D + 6 x 24 x 2048 x 2048 x D = 6e19 + 6.039797760e18 = 6.6039797760e19 FLOPs; the
    # catalog's V100 MFU 0.213: 6.603979776e19 / (8 x 1.25e14 x 0.213) = 310,046.0 s.
    flops = 6e19 + 6 * 24 * 2048 * 2048 * 1e10
    expect_close(jobs["flops"][0], flops, "flops with attention")
    expect_close(jobs["end_s"][0] - jobs["start_s"][0], flops / (8 * 1.25e14 * 0.213), "run time")
    expect_close(jobs["mfu"][0], 0.213, "achieved MFU")


@pytest.mark.title("compute-sized work: a multi-node job's all-reduce lowers its achieved MFU")
def test_work_with_allreduce(mlcycle, tmp):
    # dp-cluster.xml's four 2-GPU nodes with an accelerator of the scenario's own catalog entry
    # (1 TFLOP/s). 1.44e16 FLOPs on 8 GPUs at MFU 0.5: 1.44e16 / (8 x 1e12 x 0.5) = 3,600 s of
    # compute. Under CM02 without cross-traffic a 1,000 MB ring all-reduce takes 1.5 s per 1-s
    # step (tests/engine: 6 phases of 250 MB at 1 GB/s), so the job runs 3,600 x 2.5 = 9,000 s
    # and achieves 1.44e16 / (8 x 9,000) = 2e11 FLOP/s a GPU: MFU 0.2.
    platform = (SOURCE_DIR / "tests" / "data" / "dp-cluster.xml").read_text().replace(
        '<prop id="grid_region" value="r"/>',
        '<prop id="grid_region" value="r"/>\n    <prop id="accelerator" value="test-chip"/>')
    text = HEAD.format(platform='platform = "dp.xml"') + """
[catalog.gpu.test-chip]
name = "a 1 TFLOP/s test chip"
kind = "gpu"
year = 2020
bf16_tflops = 1
fp16_tflops = 1
fp32_tflops = 0.5
memory_gb = 16
memory_tbps = 1
tdp_w = 100
idle_w = 10
mfu = 0.3

[[campaign]]
name = "dp"
phase = "training"
gpus_per_trial = 8
step_time = "1s"
gradient_mb = 1000
work = { flops = 1.44e16 }
mfu = 0.5
"""
    out = run(mlcycle, tmp / "r", text, "--sg-cfg", "network/model:CM02", "--sg-cfg",
              "network/crosstraffic:0", files={"dp.xml": platform})
    jobs, _ = jobs_of(out)
    expect_close(jobs["end_s"][0] - jobs["start_s"][0], 9000.0, "run time with all-reduce")
    expect_close(jobs["flops"][0], 1.44e16, "flops")
    expect_close(jobs["mfu"][0], 0.2, "achieved MFU")


@pytest.mark.title("compute-sized work: GPT-3's 3.14e23 FLOPs on 10,000 V100s")
def test_gpt3_on_v100(mlcycle, tmp):
    out = run(mlcycle, tmp / "r", WORK.format(nodes=1250, gpus=10000, work="flops = 3.14e23",
                                              mfu="mfu = 0.2"))
    jobs, _ = jobs_of(out)
    # 3.14e23 / (10,000 x 1.25e14 x 0.2) = 1,256,000 s = 14.54 days (Patterson et al. 2021
    # report 14.8 days: GPT-3 ran at about 19.6 % of the V100's FP16 peak);
    # 10,000 x 1,256,000 / 3,600 = 3,488,888.9 GPU-hours.
    expect_close(jobs["end_s"][0] - jobs["start_s"][0], 1256000.0, "GPT-3 run time")
    expect_close(jobs["gpu_hours"][0], 1e4 * 1256000 / 3600, "GPT-3 GPU-hours")


@pytest.mark.title("generated platforms: mlcycle platform --list prints the catalog")
def test_platform_list(mlcycle, tmp):
    result = run_mlcycle(mlcycle, ["platform", "--list"], cwd=tmp)
    expect_success(result, "mlcycle platform --list")
    for gpu in ("p100-sxm2", "v100-sxm2", "a100-sxm4-80gb", "h100-sxm", "b200", "tpu-v5e"):
        expect(f"\n{gpu} " in result.stdout, f"{gpu} missing from the list")


@pytest.mark.title("compute-sized work: crashed and walltime-killed attempts count the FLOPs they computed")
def test_work_of_stopped_attempts(mlcycle, tmp):
    # 8 V100s at 125 TFLOP/s x 0.5 = 5e14 FLOP/s: 1.8e18 FLOPs are 3,600 s of compute. Crashes
    # without checkpoints: a crashed attempt computed until its crash (end - start) and the
    # retry starts over, so every row computed 5e14 x its run time, and the campaign's MFU is
    # exactly 0.5. A walltime of 30 min stops a 1-h trial at half its work: 9e17 FLOPs.
    crash = WORK.format(nodes=1, gpus=8, work="flops = 1.8e18", mfu="mfu = 0.5").replace(
        "gpus_per_trial = 8", "gpus_per_trial = 8\ntrials = 6\n"
        "failures = { crash_probability = 0.6, max_retries = 20 }")
    jobs, campaigns = jobs_of(run(mlcycle, tmp / "crash", crash))
    run_s = jobs["end_s"] - jobs["start_s"]
    crashed = jobs["stop_reason"] == 1
    expect(crashed.any() and (~crashed).any(), f"stop reasons {sorted(set(jobs['stop_reason']))}")
    for row, seconds in zip(jobs, run_s):
        expect_close(row["flops"], 5e14 * seconds, f"flops of job {row['job_id']}")
    expect_close(jobs["flops"][~crashed].sum(), 6 * 1.8e18, "the completed attempts' flops")
    expect_close(campaigns["flops"][0], 5e14 * run_s.sum(), "campaign flops")
    expect_close(campaigns["mfu"][0], 0.5, "campaign MFU")
    walltime = WORK.format(nodes=1, gpus=8, work="flops = 1.8e18", mfu="mfu = 0.5") + \
        'walltime = "30min"\n'
    jobs, _ = jobs_of(run(mlcycle, tmp / "walltime", walltime))
    expect(jobs["stop_reason"][0] == 4, f"stop reason {jobs['stop_reason'][0]}, expected walltime")
    expect_close(jobs["flops"][0], 9e17, "flops at the walltime")
    expect_close(jobs["mfu"][0], 0.5, "MFU at the walltime")
