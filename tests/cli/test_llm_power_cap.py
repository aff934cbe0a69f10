"""A GPU power cap on an LLM service (`power_cap` of a serving deployment with `llm`,
docs/llm-serving.md), end to end on the round replica of test_llm_serving.py: the cap slows
compute by the platform's curve and bounds each phase's draw, always or only while the grid is
dirty (carbon-cap). Bad caps are in bad_cases_llm_measured.py.

    /usr/bin/python3 -m pytest tests/cli/test_llm_power_cap.py --mlcycle PATH
"""
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import expect, expect_close  # noqa: E402
from test_llm_serving import run  # noqa: E402

# 500 W of the GPU's 700 W busy power, 0.714286 of it: the default curve between 0.67:1.21 and
# 0.78:1.11 gives a time factor 1.21 - (0.714286 - 0.67) / 0.11 x 0.1 = 1.169740. F = 5e14 /
# 1.169740; a prefill 0.0327527 s, 0.327527 of the time at 10 requests/s; decode k = 1000 /
# 0.672473 tokens/s, b = 24.6708, a step 0.0165904 s, r = 0.0487049: a decode step draws 100 +
# 600 x (0.35 + 0.65 r) = 328.995 W, a prefill 500 W:
#   P = 100 + 0.327527 x 400 + 0.672473 x 228.995 = 385.004 W, 1,386,013.5 J in the hour
CAPPED_W = 385.0037454545


@pytest.mark.title("llm serving: a 500 W cap slows prefills and holds them to 500 W")
def test_capped_replica(mlcycle, tmp):
    d = run(mlcycle, tmp, "capped", '\n[deployment.power_cap]\nlimit = "500 W"\n')
    expect_close(d["it_energy_j"], CAPPED_W * 3600, "IT energy under the cap", rel=1e-9)
    expect(d["served"] == 36000, "the capped replica still serves every request")
    # TTFT: the wait, 0.672473 x 0.0165904 / 2 + 0.327527 x 0.0327527 / (2 x 0.672473) =
    # 0.0135544 s, plus the prefill, 0.0327527 s: 0.0463071 s (0.0393449 s uncapped). TPOT: the
    # step stretched by the prefills, 0.0165904 / 0.672473 = 0.0246708 s.
    expect_close(d["ttft_p50_s"], 0.0463071281, "TTFT under the cap", rel=1e-8)
    expect_close(d["tpot_p50_s"], 0.0246707891, "TPOT under the cap", rel=1e-8)


@pytest.mark.title("llm serving: a carbon-cap caps the replica only while the grid is dirty")
def test_carbon_cap(mlcycle, tmp):
    # The constant 400 g/kWh grid is above a 300 g/kWh threshold: capped all hour, as above;
    # below a 500 g/kWh one: never, 430.12 W.
    for threshold, watts in ((300, CAPPED_W), (500, 430.12)):
        directory = tmp / f"t{threshold}"
        directory.mkdir()
        cap = (f'\n[deployment.power_cap]\nlimit = "500 W"\npolicy = "carbon-cap"\n'
               f"threshold = {threshold}\n")
        d = run(mlcycle, directory, "carbon", cap)
        expect_close(d["it_energy_j"], watts * 3600, f"threshold {threshold}", rel=1e-9)
