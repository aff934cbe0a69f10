"""Bad-input cases of a serving deployment's `llm` table (test_bad_inputs.py), on one cluster
"serve" of 2 nodes x 4 GPUs. The deployment's optional extra key is on line 16, the
[deployment.llm] table header on line 19, its keys from line 20 (params 20, kv 21, peak 22,
memory 23, bandwidth 24, input tokens 25, output tokens 26)."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from bad_case import Case  # noqa: E402

PLATFORM = """<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <cluster id="serve" prefix="s-" suffix="" radical="0-1" core="4" speed="1Tf" bw="10Gbps"
           lat="1us" bb_bw="40Gbps" bb_lat="1us">
    <prop id="wattage_per_state" value="400:400:2800"/>
    <prop id="grid_region" value="r"/>
  </cluster>
</platform>
"""

HEAD = ('[simulation]\nstart = 2020-01-01T00:00:00Z\nplatform = "PLATFORM"\n\n'
        '[grid.r]\nintensity_g_per_kwh = 400\n\n'
        '[[deployment]]\nname = "chat"\nkind = "serving"\ncluster = "serve"\nstart_at = "0s"\n'
        'duration = "1h"\nstep = "1h"\nautoscaler = { min_replicas = 1, max_replicas = 1 }\n'
        'EXTRA\ndemand = { base_rps = 10 }\n\n[deployment.llm]\n')

LLM = {"params": "7e9", "kv_bytes_per_token": "1e5", "peak_tflops": "1000", "memory_gb": "80",
       "memory_tbps": "2", "input_tokens": "1000", "output_tokens": "100"}


def llm_case(name, stderr, extra="", files=(), base=None, **keys):
    """HEAD with `extra` on line 16 and the llm table `base` (default LLM) updated by `keys`
    (None: removed; a key named after an existing one keeps its line); `files`: (name, text)
    written beside it, the first one's path the {c} of the message."""
    def setup(tmp):
        (tmp / "serve.xml").write_text(PLATFORM)
        for file_name, text in files:
            (tmp / file_name).write_text(text)
        table = dict(LLM if base is None else base)
        for key, value in keys.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
        body = "".join(f"{k} = {v}\n" for k, v in table.items())
        path = tmp / f"{name}.toml"
        path.write_text(HEAD.replace("PLATFORM", str(tmp / "serve.xml")).replace("EXTRA", extra)
                        + body)
        return {"f": str(path), "c": str(tmp / files[0][0]) if files else ""}
    return Case(name, setup=setup, stderr=stderr)


KEY = r"deployment\[0\]\.llm"

LLM_CASES = [
    llm_case("llm-input-tokens-zero",
             rf"{{f}}:25:\d+: {KEY}\.input_tokens: must be greater than zero", input_tokens="0"),
    llm_case("llm-output-tokens-negative",
             rf"{{f}}:26:\d+: {KEY}\.output_tokens: must be greater than zero",
             output_tokens="-5"),
    llm_case("llm-segment-tokens-zero",
             rf"{{f}}:25:\d+: {KEY}\.segments\[1\]\.input_tokens: must be greater than zero",
             input_tokens=None, output_tokens=None,
             segments='[{ input_tokens = 10, output_tokens = 5 }, '
                      '{ input_tokens = 0, output_tokens = 5 }]'),
    llm_case("llm-segments-empty", rf"{{f}}:25:\d+: {KEY}\.segments: is empty: give at least one "
                                   r"segment", input_tokens=None, output_tokens=None,
             segments="[]"),
    llm_case("llm-unknown-gpu",
             rf"{{f}}:24:\d+: {KEY}\.gpu: unknown accelerator 'h900' \(known: .*h100-sxm.*\)",
             peak_tflops=None, memory_gb=None, memory_tbps=None, gpu='"h900"'),
    llm_case("llm-model-does-not-fit",
             rf"{{f}}:19:\d+: {KEY}: the model does not fit: its weights take 140 GB, 1 GPU of "
             r"80 GB holds 72 GB after the 10 % reserve: 68 GB missing \(.*\)", params="70e9"),
    llm_case("llm-no-room-for-a-sequence",
             rf"{{f}}:19:\d+: {KEY}: not one request fits: a sequence of the mix holds 1000050 "
             r"tokens of context on average, more than the 580000 the KV cache holds",
             input_tokens="1e6"),
    llm_case("llm-tensor-parallel-beyond-a-node",
             rf"{{f}}:19:\d+: {KEY}\.tensor_parallel: 8 GPUs, but the nodes of serve hold at "
             r"most 4", tensor_parallel="8"),
    llm_case("llm-active-params-above-params",
             rf"{{f}}:\d+:\d+: {KEY}\.active_params: is more than params \(7e\+09\)",
             active_params="8e9"),
    llm_case("llm-no-kv-cache",
             rf"{{f}}:19:\d+: {KEY}: missing the KV cache: kv_bytes_per_token, or layers, "
             r"kv_heads and head_dim", kv_bytes_per_token=None),
    llm_case("llm-efficiency-above-one",
             rf"{{f}}:\d+:\d+: {KEY}\.compute_efficiency: must be in \(0, 1\]",
             compute_efficiency="1.5"),
    llm_case("llm-and-replica",
             r"{f}:16:\d+: deployment\[0\]\.replica: give replica \(its latency and power\) or "
             r"llm \(in tokens\), not both", extra="replica = { gpus = 1 }"),
    llm_case("llm-and-latency-target",
             r"{f}:16:\d+: deployment\[0\]\.latency_target_ms: an llm deployment's targets are "
             r"llm\.ttft_target_ms and llm\.tpot_target_ms", extra="latency_target_ms = 100"),
    # The GPUs draw 100 W idle and 700 W busy: a memory-bound decode step 100 + 0.35 x 600.
    llm_case("llm-power-cap-below-decode",
             r"{f}:16:\d+: deployment\[0\]\.power_cap\.limit: a cap of 200 W a GPU is below a "
             r"memory-bound decode step's 310 W \(idle \+ decode_power_fraction x \(busy - "
             r"idle\)\): the model slows compute under a cap, not memory reads",
             extra='power_cap = { limit = "200 W" }'),
    llm_case("llm-power-cap-at-idle",
             r"{f}:16:\d+: deployment\[0\]\.power_cap\.limit: a cap of 100 W a GPU is not above "
             r"its idle power, 100 W", extra='power_cap = { limit = "100 W" }'),
    llm_case("llm-power-cap-above-busy",
             r"{f}:16:\d+: deployment\[0\]\.power_cap\.limit: 800 W is above the busy power "
             r"of a GPU of the replica, 700 W: a cap must be at most the busy power",
             extra='power_cap = { limit = "800 W" }'),
    llm_case("llm-tokens-unknown-distribution",
             rf"{{f}}:25:\d+: {KEY}\.input_tokens\.dist: 'poisson' is not a distribution of "
             r"tokens \(known: lognormal, uniform\)",
             input_tokens='{ dist = "poisson", mean = 5 }'),
    llm_case("llm-tokens-lognormal-sd-negative",
             rf"{{f}}:25:\d+: {KEY}\.input_tokens\.sd: must be greater than zero",
             input_tokens='{ dist = "lognormal", mean = 500, sd = -1 }'),
    llm_case("llm-tokens-uniform-max-below-min",
             rf"{{f}}:26:\d+: {KEY}\.output_tokens\.max: is less than min \(500\)",
             output_tokens='{ dist = "uniform", min = 500, max = 100 }'),
    llm_case("llm-tokens-file-and-counts",
             rf"{{f}}:25:\d+: {KEY}\.input_tokens: give tokens_file or input_tokens and "
             r"output_tokens, not both", tokens_file='"tokens.csv"',
             files=[("tokens.csv", "input_tokens,output_tokens\n10,5\n")]),
    llm_case("llm-tokens-file-zero-output",
             r"{c}:3:\d+: output_tokens: must be in \(0, 1e8\], not 0",
             input_tokens=None, output_tokens=None, tokens_file='"tokens.csv"',
             files=[("tokens.csv", "input_tokens,output_tokens\n10,5\n20,0\n")]),
    llm_case("llm-tokens-file-no-column",
             r"{c}:1: output_tokens: no such column; the header has: input_tokens, out",
             input_tokens=None, output_tokens=None, tokens_file='"tokens.csv"',
             files=[("tokens.csv", "input_tokens,out\n10,5\n")]),
    llm_case("llm-misspelt-key", rf"{{f}}:\d+:\d+: {KEY}\.tensor_paralel: unknown key.*",
             tensor_paralel="2"),
]
