"""Requests whose tokens vary (a segment's `input_tokens = { dist = ... }` or `tokens_file`,
docs/llm-serving.md), end to end on the round replica of test_llm_serving.py.

    /usr/bin/python3 -m pytest tests/cli/test_llm_token_mix.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import expect_close, expect_success, import_hdf5_stack, run_mlcycle  # noqa: E402
from test_llm_serving import ROUND_PLATFORM, ROUND_SERVICE  # noqa: E402

FIXED = "input_tokens = 1000\noutput_tokens = 100\n"


def run_tokens(mlcycle, tmp, name, tokens, files=(), base_rps=10):
    (tmp / "round.xml").write_text(ROUND_PLATFORM)
    for file_name, text in files:
        (tmp / file_name).write_text(text)
    text = ROUND_SERVICE.replace(FIXED, tokens).replace("base_rps = 10", f"base_rps = {base_rps}")
    (tmp / f"{name}.toml").write_text(text)
    result = run_mlcycle(mlcycle, ["run", f"{name}.toml", "-o", f"{name}.h5", "--quiet"], cwd=tmp)
    expect_success(result, f"run {name}")
    h5py, _ = import_hdf5_stack()
    with h5py.File(tmp / f"{name}.h5", "r") as f:
        return f["deployments"][0]


@pytest.mark.title("llm serving: a file of requests equals the segments it holds")
def test_tokens_file(mlcycle, tmp):
    # Two requests, 1,000 in and 100 out, 4,000 in and 300 out: the same mix as two segments of
    # equal share. The file's exact moments, E[I O] = 650,000 and E[O^2] = 50,000, give the
    # context (650,000 + 25,000) / 200 = 3,375 tokens, as the segments' (100 x 1,050 + 300 x
    # 4,150) / 400 do (E[I] E[O] would give 2,500 + 125 = 2,625). So the same energy, and the
    # same TTFT quantiles (half the weight at each prompt length), at 3 requests/s (10 would
    # saturate the replica with these long prompts).
    requests = ("tokens.csv", "input_tokens,output_tokens\n1000,100\n4000,300\n")
    from_file = run_tokens(mlcycle, tmp, "file", 'tokens_file = "tokens.csv"\n', [requests], 3)
    segments = run_tokens(mlcycle, tmp, "segments",
                          "segments = [{ input_tokens = 1000, output_tokens = 100 },\n"
                          "            { input_tokens = 4000, output_tokens = 300 }]\n",
                          base_rps=3)
    for field in ("it_energy_j", "served", "input_tokens", "output_tokens", "ttft_mean_s",
                  "ttft_p50_s", "ttft_p90_s", "tpot_p50_s"):
        expect_close(from_file[field], segments[field], field, rel=1e-12)


@pytest.mark.title("llm serving: lognormal prompts spread TTFT by their quantiles' prefills")
def test_lognormal_prompts(mlcycle, tmp):
    # Prompts lognormal of mean 1,000 and sd 500 (sigma^2 = ln 1.25, mu = ln 1000 - sigma^2 / 2),
    # 100 tokens out: every request waits as long, and its prefill takes 2 x 7e9 / 5e14 = 2.8e-5 s
    # a token. The prompts' p50 is exp(mu) = 894.427 tokens, p90 exp(mu + 1.281552 sigma) =
    # 1,638.545, p99 2,684.02 (Phi^-1(0.99) = 2.326348): p90 - p50 = 2.8e-5 x 744.118 =
    # 0.0208353 s, p99 - p50 = 0.0501112 s.
    d = run_tokens(mlcycle, tmp, "lognormal",
                   'input_tokens = { dist = "lognormal", mean = 1000, sd = 500 }\n'
                   "output_tokens = 100\n")
    expect_close(d["ttft_p90_s"] - d["ttft_p50_s"], 0.0208352909, "p90 - p50", rel=1e-8)
    expect_close(d["ttft_p99_s"] - d["ttft_p50_s"], 0.0501111880, "p99 - p50", rel=1e-8)
    # The mean prompt and the output are the fixed case's: so are the batch, the power, the
    # energy and the mean TTFT (prefill is linear in the prompt).
    fixed = run_tokens(mlcycle, tmp, "fixed", FIXED)
    expect_close(d["it_energy_j"], fixed["it_energy_j"], "energy as with fixed counts", rel=1e-12)
    expect_close(d["ttft_mean_s"], fixed["ttft_mean_s"], "mean TTFT as with fixed counts",
                 rel=1e-12)
