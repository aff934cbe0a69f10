"""Bad-input cases of an `llm` table with measured operating points (`measured`, a CSV next to
the scenario: {c} in the messages), on the platform of bad_cases_llm.py (GPUs of 100 W idle).
The [deployment.llm] table header is on line 19, its keys from line 20 (measured 20, model 21,
gpu 22, input tokens 23, output tokens 24, then any added key)."""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from bad_cases_llm import llm_case  # noqa: E402

# Two rows of model "m" on gpu "g" (tests/unit/test_llm_measured.cpp): lines 2 and 3.
GOOD_CSV = ("model,gpu,tensor_parallel,batch,output_tokens_per_s,power_w\n"
            "m,g,1,4,200,300\n"
            "m,g,1,16,600,500\n")

LLM = {"measured": '"ops.csv"', "model": '"m"', "gpu": '"g"', "input_tokens": "50",
       "output_tokens": "100"}


def measured_case(name, stderr, csv=GOOD_CSV, extra="", **keys):
    """The llm table LLM updated by `keys` (None: removed), reading `csv` as ops.csv ({c})."""
    return llm_case(name, stderr, extra=extra, files=[("ops.csv", csv)], base=LLM, **keys)


KEY = r"deployment\[0\]\.llm"

MEASURED_CASES = [
    measured_case("llm-measured-throughput-falls",
                  r"{c}:3: output_tokens_per_s: 150 at batch 16 is not more than the 200 of "
                  r"batch 4 \(line 2\): the throughput must grow with the batch",
                  csv=GOOD_CSV.replace("16,600", "16,150")),
    measured_case("llm-measured-batch-twice",
                  r"{c}:3: batch: batch 4 is also on line 2 \(one row per batch\)",
                  csv=GOOD_CSV.replace("16,600", "4,600")),
    measured_case("llm-measured-no-power-column",
                  r"{c}:1: power_w: no such column; the header has: .*, watts",
                  csv=GOOD_CSV.replace(",power_w", ",watts")),
    measured_case("llm-measured-no-throughput-column",
                  r"{c}:1: neither output_tokens_per_s nor requests_per_s: give one "
                  r"throughput column \(header: .*\)",
                  csv=GOOD_CSV.replace("output_tokens_per_s", "tokens")),
    measured_case("llm-measured-negative-power",
                  r"{c}:2:\d+: power_w: must be positive, not -300",
                  csv=GOOD_CSV.replace("200,300", "200,-300")),
    measured_case("llm-measured-not-a-number",
                  r"{c}:3:\d+: batch: 'sixteen' is not a number",
                  csv=GOOD_CSV.replace("1,16,", "1,sixteen,")),
    measured_case("llm-measured-no-rows-for-model",
                  rf"{{f}}:21:\d+: {KEY}\.model: no row of {{c}} is 'llama' on 'g' at "
                  r"tensor_parallel 1 \(it has 'm' on 'g' x1\)", model='"llama"'),
    measured_case("llm-measured-with-roofline-key",
                  rf"{{f}}:25:\d+: {KEY}\.params: not used with 'measured': the table gives the "
                  r"replica's throughput and power", params="7e9"),
    measured_case("llm-measured-ttft-target-without-column",
                  rf"{{f}}:25:\d+: {KEY}\.ttft_target_ms: the measured table has no ttft_s "
                  r"column: no TTFT to hold to a target", ttft_target_ms="500"),
    measured_case("llm-measured-missing-file",
                  rf"{{f}}:20:\d+: {KEY}\.measured: .*", measured='"nowhere.csv"'),
    measured_case("llm-measured-idle-above-first-row",
                  rf"{{f}}:19:\d+: {KEY}: the idle power of its 1 GPU\(s\), 100 W, is more than "
                  r"the 80 W measured at batch 4 \({c} line 2\): give idle_w per GPU",
                  csv=GOOD_CSV.replace("200,300", "200,80")),
    measured_case("llm-measured-power-cap",
                  r"{f}:16:\d+: deployment\[0\]\.power_cap: a measured table has no rows under "
                  r"a power cap: cap a replica derived from the model \(no `measured`\), or "
                  r"measure capped rows", extra='power_cap = { limit = "500 W" }'),
    measured_case("llm-measured-zero-output-tokens",
                  rf"{{f}}:24:\d+: {KEY}\.output_tokens: must be greater than zero",
                  output_tokens="0"),
]
