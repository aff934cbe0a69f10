"""End-to-end tests of `mlcycle sweep` (pytest, Debian's /usr/bin/python3 with h5py).

A 12-point x 2-replicate sweep of scenarios/single-trial.toml, run locally and with
`mpirun -n 3`, killed with SIGKILL at several moments and resumed: the tables must agree.
"""
import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MLCYCLE = os.environ.get("MLCYCLE", os.path.join(ROOT, "build", "release", "mlcycle"))
SCENARIO = os.path.join(ROOT, "scenarios", "single-trial.toml")
# 3 x 2 x 2 = 12 points, 2 replicates each.
AXES = ["--vary", "campaign.one-trial.trials=1,2,3",
        "--vary", "accounting.price_per_kwh=0.1,0.2",
        "--vary", "grid.us-average-2018.intensity_g_per_kwh=100,400"]
SWEEP = ["sweep", SCENARIO, *AXES, "--replicates", "2"]
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
           "OMPI_MCA_rmaps_base_oversubscribe": "1"}


def sweep(out, *extra, mpi_ranks=None, check=True):
    command = [MLCYCLE, *SWEEP, "-o", str(out), *extra]
    env = dict(os.environ)
    if mpi_ranks:
        env.update(MPI_ENV)
        command = ["mpirun", "-n", str(mpi_ranks), "--oversubscribe", *command]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def table(out):
    """The /runs table without the wall times (the only column that may differ)."""
    with h5py.File(os.path.join(out, "sweep.h5"), "r") as f:
        runs = f["runs"][()]
    names = [n for n in runs.dtype.names if n != "wall_time_s"]
    return {n: runs[n].tolist() for n in names}


def same_tables(a, b):
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        assert len(x) == len(y), name
        for u, v in zip(x, y):
            if isinstance(u, float) and np.isnan(u):
                assert isinstance(v, float) and np.isnan(v), name
            else:
                assert u == v, f"{name}: {u!r} != {v!r}"


@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "sweep"
    result = sweep(out, "--jobs", "2")
    return out, result


def test_local_sweep_table(local_sweep):
    out, result = local_sweep
    assert "24 runs" in result.stdout and "0 failed" in result.stdout
    t = table(out)
    assert len(t["point_id"]) == 24
    ids = [i.decode() if isinstance(i, bytes) else i for i in t["point_id"]]
    assert ids[:3] == ["p0000-r0", "p0000-r1", "p0001-r0"]
    assert t["campaign.one-trial.trials"][:4] == [1, 1, 1, 1]
    assert t["accounting.price_per_kwh"][:4] == [0.1, 0.1, 0.1, 0.1]
    # Replicates differ by seed only: base seed 7 (the scenario's), then 8.
    assert t["seed"][:2] == [7, 8]
    # Every run file exists and is linked; the single-trial oracle: 3 h x 2 GPUs x 378.8575 W
    # x PUE 1.58 per trial, so energy scales with trials and CO2e with the intensity.
    with h5py.File(os.path.join(out, "sweep.h5"), "r") as f:
        for pid in ids:
            assert f["run_files"][pid].attrs["complete"] == 1
    job_j = 378.8575 * 3 * 3600 * 1.58
    energy = np.array(t["energy_j_experimentation"])
    trials = np.array(t["campaign.one-trial.trials"])
    assert np.allclose(energy, trials * job_j, rtol=1e-9)
    co2 = np.array(t["co2_g_experimentation"])
    intensity = np.array(t["grid.us-average-2018.intensity_g_per_kwh"])
    assert np.allclose(co2, energy / 3.6e6 * intensity, rtol=1e-9)
    cost = np.array(t["cost"])
    assert np.all(cost > 0)
    # The CSV holds the same rows.
    with open(os.path.join(out, "sweep.csv"), newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["point_id"] for r in rows] == ids
    assert [float(r["co2_g_experimentation"]) for r in rows] == pytest.approx(list(co2), rel=1e-15)


def test_replicate_aggregates(local_sweep):
    out, _ = local_sweep
    with h5py.File(os.path.join(out, "sweep.h5"), "r") as f:
        agg = f["aggregates"][()]
    assert len(agg) == 12
    # The single trial has a fixed length: replicates agree, so the spread is zero.
    assert np.allclose(agg["energy_j_total_std"], 0.0, atol=1e-6)
    assert np.all(agg["n_done"] == 2)


@pytest.mark.skipif(shutil.which("mpirun") is None, reason="Open MPI (mpirun) is not installed")
@pytest.mark.parametrize("ranks,jobs", [(1, 1), (3, 1), (2, 3)])
def test_mpi_matches_local(local_sweep, tmp_path, ranks, jobs):
    """Every rank runs `--jobs` points at once; the table is the local one whatever the split."""
    out, _ = local_sweep
    sweep(tmp_path / "mpi", "--jobs", str(jobs), mpi_ranks=ranks)
    same_tables(table(out), table(tmp_path / "mpi"))


@pytest.mark.parametrize("kill_after_runs", [0, 5, 17])
def test_kill_and_resume(local_sweep, tmp_path, kill_after_runs):
    out, _ = local_sweep
    target = tmp_path / "killed"
    command = [MLCYCLE, *SWEEP, "-o", str(target), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    runs = target / "runs"
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        done = len(list(runs.glob("*.h5"))) if runs.exists() else 0
        if done >= kill_after_runs:
            break
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its running children
    process.wait()
    resumed = sweep(target, "--jobs", "2", "--resume")
    assert "0 failed" in resumed.stdout
    assert not list(runs.glob("*.tmp")) and not list(runs.glob("*.stderr"))
    same_tables(table(out), table(target))


def test_existing_directory_needs_resume(local_sweep):
    out, _ = local_sweep
    result = sweep(out, check=False)
    assert result.returncode == 2
    assert "already holds a sweep: use --resume" in result.stderr


def test_bad_vary_key_is_a_usage_error(tmp_path):
    result = subprocess.run([MLCYCLE, "sweep", SCENARIO, "-o", str(tmp_path / "s"),
                             "--vary", "campaign.one-trial.bogus=1,2"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("command line: --vary campaign.one-trial.bogus: not a key")
    assert not (tmp_path / "s" / "sweep.h5").exists()


def test_failing_point_is_recorded(tmp_path):
    out = tmp_path / "s"
    result = subprocess.run([MLCYCLE, "sweep", SCENARIO, "-o", str(out),
                             "--vary", "campaign.one-trial.trials=1,-1"],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "1 failed" in result.stdout
    with h5py.File(out / "sweep.h5", "r") as f:
        runs = f["runs"][()]
        status = h5py.check_enum_dtype(runs.dtype["status"])
    assert runs["status"].tolist() == [status["done"], status["failed"]]
    error = runs["error"][1]
    error = error.decode() if isinstance(error, bytes) else error
    assert "campaign[0].trials: must be a positive integer" in error
    assert np.isnan(runs["energy_j_total"][1])


def test_sweep_file(tmp_path):
    sweep_file = tmp_path / "sweep.toml"
    sweep_file.write_text(f'''[sweep]
scenario = "{SCENARIO}"
replicates = 1
[[sweep.vary]]
key = "campaign.one-trial.trials"
range = "1:3:1"
''')
    out = tmp_path / "s"
    result = subprocess.run([MLCYCLE, "sweep", str(sweep_file), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    t = table(out)
    assert t["campaign.one-trial.trials"] == [1, 2, 3]


def test_check_a_sweep_file(tmp_path):
    """`mlcycle check SWEEP.toml` checks the base scenario and every point, not the sweep file as
    if it were a scenario ("missing table [simulation]" before)."""
    sweep_file = tmp_path / "sweep.toml"
    sweep_file.write_text(f'''[sweep]
scenario = "{SCENARIO}"
replicates = 2
[[sweep.vary]]
key = "campaign.one-trial.gpus_per_trial"
values = [1, 8]
''')
    result = subprocess.run([MLCYCLE, "check", str(sweep_file)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"{sweep_file}: ok (2 point(s) x 2 replicate(s) of {SCENARIO}, "
                             "each point checked)\n")
    assert result.stderr == ""
    # 16 GPUs per trial do not fit the 8-GPU P100 node: only the platform check can tell, so the
    # second point fails there and the error names the point and its settings.
    sweep_file.write_text(sweep_file.read_text().replace("[1, 8]", "[1, 16]"))
    result = subprocess.run([MLCYCLE, "check", str(sweep_file)], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{sweep_file}: point p0001: "
                               "(campaign.one-trial.gpus_per_trial=16): "), lines[0]
    assert "gpus_per_trial" in lines[0][len(str(sweep_file)) + 30:], lines[0]


def test_progress_on_a_terminal(tmp_path):
    """On a terminal, stderr carries a progress line (done/total, failures, elapsed, ETA); on a
    pipe it stays empty (see the other tests, which read stderr from a pipe)."""
    import pty
    leader, follower = pty.openpty()
    process = subprocess.Popen([MLCYCLE, "sweep", SCENARIO, "-o", str(tmp_path / "s"),
                                "--vary", "campaign.one-trial.trials=1,2,3"],
                               stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(leader)
    text = b"".join(chunks).decode()
    assert process.returncode == 0
    assert "sweep: 0/3 runs, 0 failed" in text
    assert "sweep: 3/3 runs, 0 failed" in text
    assert "elapsed, ETA" in text


def test_resume_refuses_another_definition(local_sweep, tmp_path):
    out = tmp_path / "s"
    subprocess.run([MLCYCLE, "sweep", SCENARIO, "-o", str(out), "--vary",
                    "campaign.one-trial.trials=1,2"], check=True, capture_output=True)
    result = subprocess.run([MLCYCLE, "sweep", SCENARIO, "-o", str(out), "--resume", "--vary",
                             "campaign.one-trial.trials=4,5"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "was started with another sweep definition" in result.stderr


def test_varied_seed_is_the_runs_seed(tmp_path):
    out = tmp_path / "s"
    subprocess.run([MLCYCLE, "sweep", os.path.join(ROOT, "scenarios", "two-sites.toml"), "-o",
                    str(out), "--vary", "simulation.seed=10,20", "--replicates", "2"],
                   check=True, capture_output=True)
    t = table(out)
    assert t["seed"] == [10, 11, 20, 21]
    # Different seeds draw different trial lengths, so the energies differ.
    assert len(set(t["energy_j_experimentation"])) == 4
    with h5py.File(out / "runs" / "p0001-r1.h5", "r") as f:
        assert f.attrs["seed"] == 21


@pytest.mark.skipif(shutil.which("mpirun") is None, reason="Open MPI (mpirun) is not installed")
def test_mpi_usage_error_does_not_hang(local_sweep):
    out, _ = local_sweep  # holds a sweep already: no --resume is a usage error on every rank
    result = sweep(out, mpi_ranks=2, check=False)
    assert result.returncode != 0
    assert "already holds a sweep: use --resume" in result.stderr
