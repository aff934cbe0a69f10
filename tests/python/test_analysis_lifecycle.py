"""The analysis package on lifecycle runs (pytest): searches, stages, crashes, serving and
fleet deployments, loaded and reported; hand-computed budgets of ASHA and random search."""
import os

import h5py
import pytest
from analysis_support import (CAMPAIGN_SHOWN, ROOT, cells_of, check_cells, check_table,
                              enum_labels, equal, parse, simulate)
from mlcycle_analysis import conservation_errors, derived, load_run
from mlcycle_analysis.report import write_report


def test_lifecycle_values_equal_the_file(asha_run):
    run = load_run(asha_run)
    with h5py.File(asha_run, "r") as f:
        raw = f["jobs"][()]
        for column in ("stage_run", "attempt", "rung", "trial", "score", "wait_s",
                       "wasted_gpu_hours", "wasted_co2_g"):
            assert equal(run.jobs[column], raw[column]), column
        assert list(run.jobs["stop_reason"].astype(str)) == enum_labels(f["jobs"], "stop_reason")
        assert (raw["stage"] == 2**32 - 1).all() and run.jobs["stage"].isna().all()  # no stages
        assert equal(run.jobs["wait_s"], raw["start_s"] - raw["submit_s"])
        check_table(run.campaigns, f["campaigns"])
        assert run.stages == [] and len(f["stages"]) == 0
        assert len(run.deployments) == len(f["deployments"]) == 0
        assert "deployment_energy_j" not in f["trace"] and run.deployment_trace.empty
        for i, name in enumerate(run.campaigns.index):
            for quantity in ("energy_j", "co2_g"):
                assert equal(run.campaign_trace[(name, quantity)],
                             f["trace"][f"campaign_{quantity}"][:, i]), (name, quantity)
        for phase in ("experimentation", "training", "inference"):
            for kind in ("energy", "co2"):
                key = f"{phase}_{kind}_share"
                assert run.summary_attrs[key] == f["summary"].attrs[key]
    assert run.summary_attrs["experimentation_co2_share"] == 1.0  # two searches, nothing else
    for name in ("node_boots", "node_off_hours", "node_down_hours"):
        assert run.summary_attrs[name] == 0

    # Hand-computed: 729 configurations x 27 epochs x 0.5 h = 9841.5 GPU-hours, what random search
    # spends and both searches' full budget. ASHA's rungs train 1, 3 - 1, 9 - 3 and 27 - 9 epochs.
    c, jobs = run.campaigns, run.jobs
    assert c["search"].tolist() == ["random", "asha"] and c["phase"].tolist() == [
        "experimentation"] * 2
    assert c["full_budget_gpu_hours"].tolist() == [9841.5, 9841.5]
    assert c.loc["random-search", "gpu_hours"] == pytest.approx(9841.5, rel=1e-12)
    assert c.loc["random-search", "saved_gpu_hours"] == 0 == c.loc["random-search", "stopped_early"]
    asha = jobs[jobs["campaign"] == "asha"]
    epochs = {0: 1, 1: 2, 2: 6, 3: 18}
    assert (asha["gpu_hours"] == asha["rung"].map(epochs) * 0.5).all()
    assert c.loc["asha", "trials_started"] == 729 == asha["trial"].nunique()
    assert c.loc["asha", "completed"] + c.loc["asha", "stopped_early"] == 729
    assert c.loc["asha", "completed"] == (asha["rung"] == 3).sum()
    assert c.loc["asha", "saved_gpu_hours"] == pytest.approx(
        9841.5 - c.loc["asha", "gpu_hours"], rel=1e-12)
    for name, row in c.iterrows():
        mine = jobs[jobs["campaign"] == name]
        assert row["jobs"] == len(mine)
        for column in ("gpu_hours", "energy_j", "co2_g"):
            assert row[column] == pytest.approx(mine[column].sum(), rel=1e-12), (name, column)
            if column != "gpu_hours":
                assert row[column] == pytest.approx(
                    run.campaign_trace[(name, column)].sum(), rel=1e-9), (name, column)
        top = mine[mine["rung"] == mine["rung"].max()]
        assert row["best_score"] == top["score"].max()  # the best at the largest budget reached
        assert row["first_submit_s"] == mine["submit_s"].min()
        assert row["last_end_s"] == mine["end_s"].max()
    for error in conservation_errors(run).values():
        assert error < 1e-9


def test_lifecycle_report(asha_run, tmp_path):
    run = load_run(asha_run)
    page = parse(write_report(asha_run, tmp_path / "asha.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "campaigns"]
    tables = {c["table"] for c in page.cells if c["section"] == "campaigns"}
    assert tables == {"campaigns-table", "searches-table"}  # no crash: no failures table
    main, searches = cells_of(page, "campaigns-table"), cells_of(page, "searches-table")
    check_cells(main, run.campaigns, CAMPAIGN_SHOWN)
    check_cells(searches, run.campaigns, CAMPAIGN_SHOWN)
    for field in ("stopped_early", "saved_gpu_hours", "best_score", "full_budget_gpu_hours"):
        assert ("asha", field) in searches and ("random-search", field) in searches
    saved = run.campaigns.loc["asha", "saved_gpu_hours"]
    assert searches[("asha", "saved_gpu_hours")]["text"] == f"{saved:,.1f}"
    key = {c["data-key"]: c["text"] for c in page.cells
           if c["section"] == "key-numbers" and "data-key" in c}
    assert key["co2-shares"] == "experimentation 100.0%, training 0.0%, inference 0.0%"
    assert "nodes" not in key


def test_deployments_and_stages_equal_the_file(lifecycle_run):
    run = load_run(lifecycle_run)
    with h5py.File(lifecycle_run, "r") as f:
        check_table(run.deployments, f["deployments"])
        check_table(run.campaigns, f["campaigns"])
        assert run.stages == list(f["stages"].asstr()[()]) == ["explore", "train"]
        raw = f["jobs"][()]
        assert list(run.jobs["stage"].astype(str)) == [run.stages[i] for i in raw["stage"]]
        t = f["trace"]
        for i, name in enumerate(run.deployments.index):
            for quantity, dataset in (("energy_j", "deployment_energy_j"),
                                      ("co2_g", "deployment_co2_g"),
                                      ("replicas", "deployment_replicas")):
                assert equal(run.deployment_trace[(name, quantity)], t[dataset][:, i])
        assert equal(run.cluster_busy["ps"], t["cluster_busy_gpus"][:, 0])
        assert run.summary_attrs["node_off_hours"] == f["summary"].attrs["node_off_hours"] > 0
    d = run.deployments
    assert d["kind"].tolist() == ["serving", "fleet"]
    api, cars = d.loc["api"], d.loc["cars"]
    # The service starts when training ends and runs one day at 2 requests/s: 172,800 requests.
    assert api["start_s"] == run.campaigns.loc["final", "last_end_s"]
    assert api["end_s"] - api["start_s"] == pytest.approx(86400, rel=1e-12)
    assert api["served"] == pytest.approx(2 * 86400, rel=1e-12)
    assert api["wh_per_request"] == pytest.approx(api["energy_j"] / 3600 / api["served"],
                                                  rel=1e-12)
    assert cars["vehicles_end"] == 20 and cars["vehicle_days"] == pytest.approx(40, rel=1e-12)
    for name in d.index:
        for quantity in ("energy_j", "co2_g"):
            assert run.deployment_trace[(name, quantity)].sum() == pytest.approx(
                d.loc[name, quantity], rel=1e-9), (name, quantity)
    replicas = run.deployment_trace[("api", "replicas")]
    assert replicas.between(0, 1).all() and replicas.max() == 1.0
    # The training crashed and resumed: a crashed attempt, then the one that completed.
    final = run.jobs[run.jobs["campaign"] == "final"]
    assert run.campaigns.loc["final", "crashes"] == (final["stop_reason"] == "crashed").sum() >= 1
    assert run.campaigns.loc["final", "wasted_gpu_hours"] == pytest.approx(
        final["wasted_gpu_hours"].sum(), rel=1e-12)
    assert final["attempt"].tolist() == list(range(len(final)))
    for error in conservation_errors(run).values():
        assert error < 1e-9


def test_deployments_report(lifecycle_run, tmp_path):
    run = load_run(lifecycle_run)
    page = parse(write_report(lifecycle_run, tmp_path / "lifecycle.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "campaigns",
                             "deployments"]
    check_cells(cells_of(page, "failures-table"), run.campaigns, CAMPAIGN_SHOWN)
    assert ("final", "crashes") in cells_of(page, "failures-table")
    assert ("search", "stopped_early") in cells_of(page, "searches-table")
    shown = {"energy_j": (1 / 3.6e6, 2), "co2_g": (1e-3, 2), "requests": (1, 0),
             "served": (1, 0), "dropped": (1, 0), "late": (1, 0), "replica_hours": (1, 1),
             "max_replicas": (1, 0), "wh_per_request": (1, 4), "co2_g_per_request": (1, 4),
             "vehicles_end": (1, 0), "vehicle_days": (1, 1), "driving_hours": (1, 1),
             "onboard_energy_j": (1 / 3.6e6, 2), "fuel_l": (1, 1), "updates": (1, 0)}
    serving, fleet = cells_of(page, "serving-table"), cells_of(page, "fleet-table")
    check_cells(serving, run.deployments, shown)
    check_cells(fleet, run.deployments, shown)
    assert {name for name, _ in serving} == {"api"} and {name for name, _ in fleet} == {"cars"}
    key = {c["data-key"]: c["text"] for c in page.cells
           if c["section"] == "key-numbers" and "data-key" in c}
    assert key["nodes"].endswith("node-hours down") and "node-hours off" in key["nodes"]


def test_deployments_only(tmp_path):
    """A scenario of one serving deployment and no campaign: no /jobs rows, an empty /campaigns
    table and no campaign series; the report has no campaigns section."""
    scenario = tmp_path / "serve.toml"
    scenario.write_text(f"""[simulation]
start = 2020-01-01T00:00:00Z
seed = 7
platform = "{os.path.join(ROOT, 'platforms', 'p100-node.xml')}"
[grid.us-average-2018]
intensity_g_per_kwh = 400
[[deployment]]
name = "api"
kind = "serving"
duration = "1d"
demand = {{ base_rps = 10 }}
replica = {{ gpus = 1, batch_size = 4 }}
autoscaler = {{ max_replicas = 4 }}
""")
    run = load_run(simulate(tmp_path / "serve.h5", scenario))
    assert len(run.jobs) == 0 and len(run.campaigns) == 0 and run.campaign_trace.empty
    assert list(run.deployments.index) == ["api"]
    # All the inference energy is the deployment's; 4 reserved GPUs of 8 for the whole day.
    assert run.deployments.loc["api", "energy_j"] == pytest.approx(
        run.summary.loc["inference", "energy_j"], rel=1e-12)
    assert derived.busy_gpus(run)["p100-node"].tolist() == pytest.approx([4.0] * 24, rel=1e-12)
    for error in conservation_errors(run).values():
        assert error < 1e-9
    page = parse(write_report(run.path, tmp_path / "serve.html"))
    assert page.sections == ["summary", "key-numbers", "equivalents", "plots", "deployments"]


def test_llm_serving_report(tmp_path):
    """An LLM service (scenarios/llm-tokens-70b-h100.toml): the report's LLM table shows the
    /deployments figures exactly (data-value) and rounded (text), and its static share."""
    scenario = os.path.join(ROOT, "scenarios", "llm-tokens-70b-h100.toml")
    run = load_run(simulate(tmp_path / "llm.h5", scenario))
    page = parse(write_report(run.path, tmp_path / "llm.html"))
    cells = cells_of(page, "llm-serving-table")
    shown = {"output_tokens": (1, 0), "j_per_output_token": (1, 3), "ttft_p50_s": (1000, 1),
             "ttft_p99_s": (1000, 1), "tpot_p50_s": (1000, 1), "tpot_p99_s": (1000, 1)}
    check_cells({k: v for k, v in cells.items() if k[1] != "static_share"}, run.deployments,
                shown)
    d = run.deployments.loc["chat-70b"]
    static = cells[("chat-70b", "static_share")]
    assert float(static["data-value"]) == d["static_energy_j"] / d["it_energy_j"]
    # Energy per output token is the facility energy over the tokens.
    assert d["j_per_output_token"] == pytest.approx(d["energy_j"] / d["output_tokens"], rel=1e-12)
    assert d["ttft_p50_s"] <= d["ttft_p90_s"] <= d["ttft_p99_s"]
