"""LLM serving from measured operating points (a deployment's `llm.measured`,
docs/llm-serving.md), end to end: a rate between two rows lands exactly between them (the hand
arithmetic of tests/unit/test_llm_measured.cpp), on both engines with conservation, and the
shipped table of published measurements (platforms/llm-operating-points.csv) drives a service.
Bad tables are in bad_cases_llm_measured.py.

    /usr/bin/python3 -m pytest tests/cli/test_llm_measured.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
import conservation  # noqa: E402
from cli_support import (SOURCE_DIR, expect, expect_close, expect_success,  # noqa: E402
                         import_hdf5_stack, run_mlcycle)
from test_llm_serving import ROUND_PLATFORM, ROUND_SERVICE  # noqa: E402

# Two rows: at batch 4, 200 output tokens/s at 300 W (TTFT 0.1 s, TPOT 0.02 s); at batch 16,
# 600 tokens/s at 500 W (TTFT 0.3 s, TPOT 0.04 s). A "source" column is carried along.
TABLE = ("model,gpu,tensor_parallel,batch,output_tokens_per_s,power_w,ttft_s,tpot_s,source\n"
         "m,g,1,16,600,500,0.3,0.04,made up\n"
         "other,g,1,4,1,1,1,1,another model\n"
         "m,g,1,4,200,300,0.1,0.02,made up\n")

MEASURED_LLM = """[deployment.llm]
measured = "ops.csv"
model = "m"
gpu = "g"
input_tokens = 50
output_tokens = 100
"""


def run(mlcycle, tmp, name, base_rps, options=()):
    (tmp / "round.xml").write_text(ROUND_PLATFORM)
    (tmp / "ops.csv").write_text(TABLE)
    text = ROUND_SERVICE.replace("base_rps = 10", f"base_rps = {base_rps}")
    (tmp / f"{name}.toml").write_text(text[:text.index("[deployment.llm]")] + MEASURED_LLM)
    result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", f"{name}.h5", *options], cwd=tmp)
    expect_success(result, f"run {name}")
    h5py, _ = import_hdf5_stack()
    with h5py.File(tmp / f"{name}.h5", "r") as f:
        conservation.check_file(f)
        return f["deployments"][0], result.stdout


@pytest.mark.title("llm measured: a rate between two rows draws exactly their mean power{}")
@pytest.mark.parametrize("engine", ["", " (exec engine)"], ids=["", " (exec engine)"])
def test_between_two_rows(mlcycle, tmp, engine):
    options = ["--set", "simulation.engine=exec"] if engine else []
    d, stdout = run(mlcycle, tmp, "between", 4, options)
    # 4 requests/s x 100 tokens = 400 tokens/s, halfway from 200 to 600: 400 W for the hour,
    # 1,440,000 J for 14,400 requests, 1.44e6 output tokens: 1 J a token, 0.0277778 Wh each.
    expect_close(d["it_energy_j"], 1440000, "IT energy", rel=1e-12)
    expect_close(d["served"], 14400, "requests served", rel=1e-12)
    expect_close(d["output_tokens"], 1.44e6, "output tokens", rel=1e-12)
    expect_close(d["j_per_output_token"], 1.0, "J per output token", rel=1e-12)
    expect_close(d["wh_per_request"], 100 / 3600, "Wh per request", rel=1e-12)
    # The GPU's 100 W idle (the platform's) is the static part: 360,000 J.
    expect_close(d["static_energy_j"], 360000, "static energy", rel=1e-12)
    # Batch 10, halfway from 4 to 16: TTFT 0.2 s and TPOT 0.03 s for every request.
    for q in ("mean", "p50", "p99"):
        expect_close(d[f"ttft_{q}_s"], 0.2, f"TTFT {q}", rel=1e-12)
        expect_close(d[f"tpot_{q}_s"], 0.03, f"TPOT {q}", rel=1e-12)
    expect(d["late"] == 0, "no target, no late request")
    expect("1 J per output token" in stdout, "the summary line gives J per output token")


@pytest.mark.title("llm measured: at a measured row, that row's power; below the first, from idle")
def test_rows_and_origin(mlcycle, tmp):
    # 6 requests/s: the last row (600 tokens/s), 500 W; 1 request/s: half the first row's
    # throughput, halfway from the idle 100 W to its 300 W: 200 W.
    at_row, _ = run(mlcycle, tmp, "row", 6)
    expect_close(at_row["it_energy_j"], 500 * 3600, "at the last row", rel=1e-12)
    # The last row is a measured steady state, not an overload: its TTFT, nothing late.
    expect_close(at_row["ttft_p50_s"], 0.3, "TTFT at the last row", rel=1e-12)
    expect(at_row["late"] == 0, f"{at_row['late']} late at the last row")
    below, _ = run(mlcycle, tmp, "below", 1)
    expect_close(below["it_energy_j"], 200 * 3600, "below the first row", rel=1e-12)


# The shipped table's Llama-3-8B on one A100-SXM4-40GB (ML.ENERGY v2, vLLM): at 2.0 requests/s,
# between the rows of 1.85692 (195.852 W, batch 28.3567) and 2.64831 (206.571 W, batch 53.6031)
# requests/s: f = (2 - 1.85692) / (2.64831 - 1.85692) = 0.180802, power 195.852 + f x 10.719 =
# 197.790 W, so 197.790 x 3600 J for 7,200 requests: 98.895 J = 0.0274708 Wh each.
SHIPPED = """[deployment.llm]
measured = "PLATFORMS/llm-operating-points.csv"
model = "Meta-Llama-3-8B-Instruct"
gpu = "a100-sxm4-40gb"
idle_w = 50
input_tokens = 200
output_tokens = 250
"""


@pytest.mark.title("llm measured: the shipped ML.ENERGY table serves Llama-3-8B on an A100")
def test_shipped_table(mlcycle, tmp):
    (tmp / "round.xml").write_text(ROUND_PLATFORM)
    text = ROUND_SERVICE.replace("base_rps = 10", "base_rps = 2")
    llm = SHIPPED.replace("PLATFORMS", str(SOURCE_DIR / "platforms"))
    (tmp / "shipped.toml").write_text(text[:text.index("[deployment.llm]")] + llm)
    result = run_mlcycle(mlcycle, ["run", "shipped.toml", "-o", "shipped.h5", "--quiet"], cwd=tmp)
    expect_success(result, "run shipped")
    h5py, _ = import_hdf5_stack()
    with h5py.File(tmp / "shipped.h5", "r") as f:
        d = f["deployments"][0]
    f = (2 - 1.85692) / (2.64831 - 1.85692)
    watts = 195.852 + f * (206.571 - 195.852)
    expect_close(d["it_energy_j"], watts * 3600, "IT energy", rel=1e-9)
    expect_close(d["wh_per_request"], watts / 2 / 3600, "Wh per request", rel=1e-9)
    expect_close(d["wh_per_request"], 0.0274708, "Wh per request, by hand", rel=1e-5)
    # Without ttft_s the table gives no TTFT; TPOT by Little's law: the batch 28.3567 + f x
    # 25.2464 = 32.9213 shares 2 x 250 = 500 tokens/s: 0.0658426 s.
    expect(d["ttft_p50_s"] != d["ttft_p50_s"], "no TTFT without a ttft_s column (NaN)")
    batch = 28.3567 + f * (53.6031 - 28.3567)
    expect_close(d["tpot_p50_s"], batch / 500, "TPOT", rel=1e-9)
