"""`mlcycle replay-stats LOG`: what a job log holds, before any simulation, for Slurm sacct dumps,
SWF files and mapped CSV traces, against hand-computed figures and against the example-log
generator's own count; bad logs and options exit 2 with one located line and print nothing
else.

    /usr/bin/python3 -m pytest tests/cli/test_replay_stats.py --mlcycle PATH
"""
import json
import re
import subprocess
import sys

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
from cli_support import SOURCE_DIR, expect, expect_success, run_mlcycle  # noqa: E402

HEADER = ("JobID|Submit|Start|End|Elapsed|State|AllocTRES|ReqTRES|NNodes|Partition|Account|User|"
          "Timelimit\n")
# Local time CET (+01:00). 100: 2 GPUs 2 h (4 GPU-h), with its steps; 101_1: 1 GPU 0.5 h;
# 101_[2-5] pending; 102 cancelled while pending; 103: 8 GPUs, running, logged start 2 s before
# its submit (moved up to 12:00 local), Elapsed 1:00:02 from 11:59:58: cut at 13:00 local (8
# GPU-h); 104 no GPU. GPU-hours 4 + 0.5 + 8 = 12.5. Span 09:00 to 13:00 local = 08:00Z to
# 12:00Z, 4 h: 3.125 GPUs busy on average, 19.5 % of 16. Peak 8 at 12:00 local (100 ends as 103
# starts).
SACCT = HEADER + """\
100|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|COMPLETED|billing=8,cpu=8,gres/gpu=2,mem=64G,node=1|cpu=8,gres/gpu=2,node=1|1|gpu|proj-a|alice|04:00:00
100.batch|2024-03-01T10:00:00|2024-03-01T10:00:00|2024-03-01T12:00:00|02:00:00|COMPLETED|cpu=8,gres/gpu=2,node=1||1||proj-a||
100.0|2024-03-01T10:00:05|2024-03-01T10:00:05|2024-03-01T12:00:00|01:59:55|COMPLETED|cpu=8,gres/gpu=2,node=1||1||proj-a||
101_1|2024-03-01T10:30:00|2024-03-01T11:00:00|2024-03-01T11:30:00|00:30:00|FAILED|cpu=4,gres/gpu:a100=1,node=1|cpu=4,gres/gpu:a100=1,node=1|1|gpu|proj-b|bob|1-00:00:00
101_[2-5]|2024-03-01T10:30:00|Unknown|Unknown|00:00:00|PENDING||cpu=4,gres/gpu:a100=1,node=1|1|gpu|proj-b|bob|1-00:00:00
102|2024-03-01T11:00:00|None|2024-03-01T11:10:00|00:00:00|CANCELLED by 1001||cpu=8,gres/gpu=8,node=1|1|gpu|proj-a|alice|UNLIMITED
103|2024-03-01T12:00:00|2024-03-01T11:59:58|Unknown|01:00:02|RUNNING|cpu=16,gres/gpu=8,node=2|cpu=16,gres/gpu=8,node=2|2|gpu|proj-a|carol|2-00:00:00
104|2024-03-01T09:00:00|2024-03-01T09:00:00|2024-03-01T09:30:00|00:30:00|COMPLETED|cpu=2,mem=4G,node=1|cpu=2,mem=4G,node=1|1|cpu|proj-c|dave|01:00:00
"""

EXPECTED_SACCT = """\
  jobs                          6 (job steps skipped: 2)
  by state                      completed 2, failed 1, cancelled 1, running 1, pending 1
  replayable (ran, with GPUs)   3
  still running at the end      1
  never started                 2
  ran without GPUs              1
  start before submit           1 (moved up to the submit)
  span                          2024-03-01T08:00:00Z .. 2024-03-01T12:00:00Z (0.17 d)
  GPU-hours                     12.5
  GPUs per job                  1: 1, 2: 1, 5-8: 1
  GPUs busy                     3.1 mean, 8 peak (2024-03-01T11:00:00Z)
  utilization                   19.5 % of 16 GPUs
"""

# 2024-03-01T09:00:00Z + seconds. 1: 8 processors = 2 GPUs (4 a GPU), [10 s, 3,610 s): 2 GPU-h;
# 2: 4 processors = 1 GPU, [60 s, 1,860 s): 0.5 GPU-h, failed; 3 cancelled before it started;
# 4 never ran (run -1); 5 no processors. Span 0 to 3,610 s: 2.5 x 3,600 / 3,610 = 2.49 busy on
# average; peak 3 at 60 s.
SWF = """\
; UnixStartTime: 1709283600
1   0    10   3600  8  -1 -1  8  7200  -1 1 1 1 -1 1 -1 -1 -1
2   60   -1   1800  4  -1 -1  4  3600  -1 0 2 1 -1 1 2  -1 -1
3   120  0    0     -1 -1 -1  16 3600  -1 5 1 1 -1 1 -1 -1 -1
4   180  600  -1    4  -1 -1  4  -1    -1 -1 3 2 -1 2 -1 -1 -1
5   200  0    900   0  -1 -1  0  -1    -1 1 3 2 -1 2 -1 -1 -1
"""

EXPECTED_SWF = """\
  jobs                          5
  by state                      completed 2, failed 1, cancelled 1, pending 1
  replayable (ran, with GPUs)   2
  still running at the end      0
  never started                 2
  ran without GPUs              1
  span                          2024-03-01T09:00:00Z .. 2024-03-01T10:00:10Z (0.04 d)
  GPU-hours                     2.5
  GPUs per job                  1: 1, 2: 1
  GPUs busy                     2.5 mean, 3 peak (2024-03-01T09:01:00Z)
"""


@pytest.mark.title("replay-stats: a Slurm sacct dump, hand-computed")
def test_sacct(mlcycle, tmp):
    log = tmp / "cluster.sacct"
    log.write_text(SACCT)
    result = run_mlcycle(mlcycle, ["replay-stats", log, "--utc-offset", "+01:00", "--gpus", "16"])
    expect_success(result, "replay-stats on the sacct dump")
    expect(result.stdout == f"{log}\n" + EXPECTED_SACCT,
           f"replay-stats printed:\n{result.stdout}\nexpected:\n{EXPECTED_SACCT}")


# A Helios-shaped CSV (ISO times, local +08:00; duration in seconds): j1 4 GPUs, 1 h, Pass;
# j2 8 GPUs 30 min, Killed (mapped to cancelled); j3 1 GPU never started (empty start).
# GPU-hours 4 + 4 = 8; span 00:00 to 01:00 local (16:00Z to 17:00Z the day before), 1 h.
CSV = """job_id,user,gpu_num,state,submit_time,start_time,end_time
j1,u1,4,Pass,2020-04-01 00:00:00,2020-04-01 00:00:00,2020-04-01 01:00:00
j2,u2,8,Killed,2020-04-01 00:10:00,2020-04-01 00:20:00,2020-04-01 00:50:00
j3,u1,1,Queued,2020-04-01 00:30:00,,
"""

EXPECTED_CSV = """\
  jobs                          3
  by state                      completed 1, cancelled 1, pending 1
  replayable (ran, with GPUs)   2
  still running at the end      0
  never started                 1
  ran without GPUs              0
  span                          2020-03-31T16:00:00Z .. 2020-03-31T17:00:00Z (0.04 d)
  GPU-hours                     8.0
  GPUs per job                  3-4: 1, 5-8: 1
  GPUs busy                     8.0 mean, 12 peak (2020-03-31T16:20:00Z)
"""


@pytest.mark.title("replay-stats: a CSV trace through a column mapping, hand-computed")
def test_csv(mlcycle, tmp):
    log = tmp / "cluster_log.csv"
    log.write_text(CSV)
    result = run_mlcycle(mlcycle, [
        "replay-stats", log, "--utc-offset", "+08:00", "--columns",
        "id=job_id,user=user,gpus=gpu_num,state=state,submit=submit_time,start=start_time,"
        "end=end_time", "--states", "Killed=cancelled"])
    expect_success(result, "replay-stats on the CSV trace")
    expect(result.stdout == f"{log}\n" + EXPECTED_CSV,
           f"replay-stats printed:\n{result.stdout}\nexpected:\n{EXPECTED_CSV}")


@pytest.mark.title("replay-stats: an SWF log, processors to GPUs, hand-computed")
def test_swf(mlcycle, tmp):
    log = tmp / "archive.swf"
    log.write_text(SWF)
    result = run_mlcycle(mlcycle, ["replay-stats", log, "--processors-per-gpu", "4"])
    expect_success(result, "replay-stats on the SWF log")
    expect(result.stdout == f"{log}\n" + EXPECTED_SWF,
           f"replay-stats printed:\n{result.stdout}\nexpected:\n{EXPECTED_SWF}")


# (name, file name, log text, extra arguments, the error line after "<log>:" or the whole line)
BAD = [
    ("bad timestamp", "a.sacct",
     HEADER + "1|2024-03-01T00:00:00|2024-03-01T25:00:00|2024-03-01T01:00:00|01:00:00|"
     "COMPLETED|gres/gpu=1|gres/gpu=1|1|gpu|a|u|01:00:00\n", [],
     "{log}:2:23: Start: '2024-03-01T25:00:00' is not a time (sacct's YYYY-MM-DDTHH:MM:SS)"),
    ("gpus below zero", "a.sacct",
     HEADER + "1|2024-03-01T00:00:00|2024-03-01T00:00:00|2024-03-01T01:00:00|01:00:00|"
     "COMPLETED|gres/gpu=-2|gres/gpu=1|1|gpu|a|u|01:00:00\n", [],
     "{log}:2:82: AllocTRES: gres/gpu=-2: not a count of 0 or more (GPUs < 0, or not a number)"),
    ("end before start", "a.sacct",
     HEADER + "1|2024-03-01T00:00:00|2024-03-01T02:00:00|2024-03-01T01:00:00|01:00:00|"
     "COMPLETED|gres/gpu=1|gres/gpu=1|1|gpu|a|u|01:00:00\n", [],
     "{log}:2:43: End: '2024-03-01T01:00:00' is before Start '2024-03-01T02:00:00'"),
    ("header without gpus", "a.sacct", "JobID|Submit|Start|End|State\n", [],
     "{log}:1:1: header: has neither AllocTRES nor ReqTRES: the jobs' GPUs are unknown"),
    ("swf short record", "a.swf", "1 0 10 3600 8\n", [],
     "{log}:1:1: record: has 5 fields: an SWF record has 18"),
    ("swf negative run time", "a.swf", "1 0 10 -5 8 -1 -1 8 7200 -1 1 1 1 -1 1 -1 -1 -1\n", [],
     "{log}:1:8: run time: is negative (-5): -1 is the only unknown"),
    ("unknown format", "a.log", "x\n", ["--format", "philly"],
     "command line: --format: 'philly' is not sacct, swf or csv"),
    ("csv unknown column", "a.csv", "job,submitted,gpu_num\n", ["--columns",
     "submit=submit_time,gpus=gpu_num,duration=duration"],
     "{log}:1:1: columns.duration: the file has no column 'duration' (its columns: job, "
     "submitted, gpu_num)"),
    ("csv unknown field", "a.csv", "a\n", ["--columns", "submit=a,gpus=a,duration=a,runtime=a"],
     "command line: columns.runtime: is not a field of the job-log form (id, submit, start, end, "
     "duration, wait, gpus, nodes, state, user, account, partition, gpu_type, walltime)"),
    ("csv negative gpus", "a.csv", "submit,gpus,duration\n0,-1,60\n",
     ["--columns", "submit=submit,gpus=gpus,duration=duration", "--time", "seconds"],
     "{log}:2:3: gpus: '-1' is not a GPU count >= 0"),
    ("csv option on sacct", "a.sacct", HEADER, ["--time", "unix"],
     "command line: --time: is for csv logs"),
    ("bad utc offset", "a.sacct", HEADER, ["--utc-offset", "+25:00"],
     "command line: --utc-offset: '+25:00' is not an offset like +01:00 or -05:00"),
    ("utc offset without its minutes' second digit", "a.sacct", HEADER, ["--utc-offset", "+01:0"],
     "command line: --utc-offset: '+01:0' is not an offset like +01:00 or -05:00"),
    ("log is a directory", "d.swf", None, [], "{log}: log: is a directory, not a file"),
    ("zero processors per gpu", "a.swf", "", ["--processors-per-gpu", "0"],
     "command line: --processors-per-gpu: '0' is not a number > 0"),
    ("missing log", "absent.sacct", None, [], "{log}: log: cannot be read"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
@pytest.mark.title("replay-stats: bad input: {}")
def test_bad_input(mlcycle, tmp, case):
    _, name, text, extra, expected = case
    log = tmp / name
    if text is not None:
        log.write_text(text)
    elif name.startswith("d."):
        log.mkdir()
    result = run_mlcycle(mlcycle, ["replay-stats", log] + extra)
    expect(result.returncode == 2, f"exit status {result.returncode}, expected 2", result)
    expect(result.stdout == "", "printed something besides the error", result)
    expect(result.stderr == expected.format(log=log) + "\n",
           f"stderr {result.stderr!r}, expected {expected.format(log=log)!r}", result)


@pytest.mark.title("replay-stats: the generated sacct and SWF logs agree with the generator")
def test_generated_logs(mlcycle, tmp):
    generator = SOURCE_DIR / "scenarios" / "replay" / "generate_logs.py"
    sacct, swf = tmp / "g.sacct", tmp / "g.swf"
    made = subprocess.run([sys.executable, str(generator), "--sacct", str(sacct), "--swf",
                           str(swf), "--horizon", "72", "--seed", "7"],
                          capture_output=True, text=True, check=True)
    truth = json.loads(made.stdout)
    # The generator schedules its own jobs (FIFO, mlcycle's allocation rule) and sums their
    # GPU-hours up to the horizon: replay-stats reads the same numbers back from the dump.
    result = run_mlcycle(mlcycle, ["replay-stats", sacct, "--utc-offset", "+01:00"])
    expect_success(result, "replay-stats on the generated sacct dump")
    figures = dict(re.findall(r"^  (\S[^\n]*?)\s{2,}(\S[^\n]*)$", result.stdout, re.M))
    number = lambda text: float(text.split()[0].replace(",", ""))  # noqa: E731
    expect(number(figures["jobs"]) == truth["jobs"], f"jobs: {figures['jobs']} vs {truth}")
    expect(number(figures["replayable (ran, with GPUs)"]) == truth["started"],
           f"replayable: {figures['replayable (ran, with GPUs)']} vs {truth}")
    expect(number(figures["still running at the end"]) == truth["running"],
           f"running: {figures['still running at the end']} vs {truth}")
    expect(number(figures["never started"]) == truth["never_started"],
           f"never started: {figures['never started']} vs {truth}")
    expect(abs(number(figures["GPU-hours"]) - truth["gpu_hours"]) <= 0.05,
           f"GPU-hours: {figures['GPU-hours']} vs {truth['gpu_hours']:.3f}")
    # The SWF file has no record for the jobs still running: the rest are the same jobs.
    result = run_mlcycle(mlcycle, ["replay-stats", swf, "--processors-per-gpu", "4"])
    expect_success(result, "replay-stats on the generated SWF log")
    figures = dict(re.findall(r"^  (\S[^\n]*?)\s{2,}(\S[^\n]*)$", result.stdout, re.M))
    expect(number(figures["jobs"]) == truth["jobs"] - truth["running"],
           f"SWF jobs: {figures['jobs']} vs {truth}")
    expect(number(figures["replayable (ran, with GPUs)"]) == truth["started"] - truth["running"],
           f"SWF replayable: {figures['replayable (ran, with GPUs)']} vs {truth}")
