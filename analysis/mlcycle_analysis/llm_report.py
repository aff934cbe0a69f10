"""The report's LLM serving table: the `llm` services among a run's serving deployments."""
from __future__ import annotations

import math

from ._html import num, table
from .schema import PERCENT


def llm_serving_table(serving) -> list:
    """LLM services (an `llm` table): tokens, energy per token, latencies, static share."""
    if "j_per_output_token" not in serving:  # files from before LLM serving lack the columns
        return []
    llm = serving[serving["j_per_output_token"].notna()]
    if len(llm) == 0:
        return []
    fields = [("output_tokens", 0, 1), ("j_per_output_token", 3, 1), ("ttft_p50_s", 1, 1000),
              ("ttft_p99_s", 1, 1000), ("tpot_p50_s", 1, 1000), ("tpot_p99_s", 1, 1000)]
    headers = ["deployment", "output tokens", "J / output token", "TTFT p50 (ms)",
               "TTFT p99 (ms)", "TPOT p50 (ms)", "TPOT p99 (ms)", f"static ({PERCENT})"]
    rows = []
    for name, r in llm.iterrows():
        static = r["static_energy_j"] / r["it_energy_j"] if r["it_energy_j"] > 0 else math.nan
        rows.append([name] + [num(r[k], digits, factor, deployment=name, field=k)
                              for k, digits, factor in fields]
                    + [num(static, 1, PERCENT.factor, deployment=name, field="static_share")])
    note = ('<p class="note">LLM services in tokens (docs/llm-serving.md): facility energy per '
            "output token; time to first token and per output token, request-weighted over "
            "steps and segments; static: the reservation's idle power, drawn whatever the "
            "load, as a share of its IT energy.</p>")
    return ["<h3>LLM serving</h3>", table(headers, rows, table_id="llm-serving-table"), note]
