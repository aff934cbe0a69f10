#!/usr/bin/python3
"""Writes a synthetic but realistic GPU-cluster job log, as Slurm's `sacct --parsable2` and as an
SWF file, with no licensed data (docs/replay.md, "The example logs").

The jobs (seeded, reproducible; Python's own random module, stdlib only):
- arrivals: a Poisson process whose rate follows the day (1 + 0.6 sin(2 pi (h - 8) / 24)) times
  `--rate` jobs an hour, so most jobs arrive in the working day;
- GPUs: 1 (55 %), 2 (15 %), 4 (13 %), 8 (12 %), 16 (3 %), 32 (2 %), as in the GPU-count mixes
  published for Philly (Jeon et al., ATC'19) and Helios (Hu et al., SC'21), where single-GPU
  jobs dominate the count and multi-node jobs the GPU-hours;
- run time: lognormal, median 1 h, sigma 1.5, between 1 min and 72 h; the requested time limit
  is the next of 1, 2, 4, 8, 12, 24, 48, 72 h at or above 1.5 x the run time;
- fate: 10 % fail after a uniform fraction of their run, 4 % are cancelled while running (the
  same), 3 % time out (they run to their limit), 1 % end by a node failure, 3 % are cancelled
  at the instant they are submitted, the rest complete.
The cluster: `--nodes` nodes of `--gpus-per-node` GPUs, scheduled first come, first served
(strict: a job that does not fit holds the jobs behind it) with mlcycle's allocation rule
(sim/workload/gpu_pool.hpp): a job that fits in a node takes the node with the fewest free GPUs
that still fits it, lowest index first; a larger job starts once that many GPUs are free and
takes whole free nodes, lowest first, then the remainder the same way, then any free GPUs,
from the nodes with the most free first. At one instant, ends come before starts. The log is taken
`--horizon` hours after the first submit: jobs still running then are RUNNING (Elapsed: their
run so far), jobs still waiting are PENDING.

    /usr/bin/python3 scenarios/replay/generate_logs.py --sacct out.sacct --swf out.swf

It prints a summary (jobs, GPU-hours, ...) as JSON on stdout: tests compare it with
`mlcycle replay-stats`.
"""
import argparse
import bisect
import heapq
import json
import math
import random
import sys
from datetime import datetime, timedelta, timezone

GPU_MIX = [(1, 0.55), (2, 0.15), (4, 0.13), (8, 0.12), (16, 0.03), (32, 0.02)]
LIMITS_H = [1, 2, 4, 8, 12, 24, 48, 72]


def draw_jobs(rng, args):
    """Submit times (s after the start), GPUs, run and limit, fate: in submit order."""
    jobs, t, peak = [], 0.0, args.rate * 1.6 / 3600.0
    horizon_s = args.horizon * 3600.0
    while True:
        t += rng.expovariate(peak)  # thinning: candidates at the peak rate, kept by the day's
        if t >= horizon_s:
            return jobs
        hour = (args.start_hour + t / 3600.0) % 24
        if rng.random() > (1 + 0.6 * math.sin(2 * math.pi * (hour - 8) / 24)) / 1.6:
            continue
        u, gpus = rng.random(), GPU_MIX[-1][0]
        for g, p in GPU_MIX:
            if u < p:
                gpus = g
                break
            u -= p
        gpus = min(gpus, args.nodes * args.gpus_per_node)
        run = min(max(math.exp(math.log(3600.0) + 1.5 * rng.gauss(0, 1)), 60.0), 72 * 3600.0)
        limit = next((h * 3600.0 for h in LIMITS_H if h * 3600.0 >= 1.5 * run), 72 * 3600.0)
        f = rng.random()
        if f < 0.10:
            fate, run = "FAILED", max(60.0, run * rng.random())
        elif f < 0.14:
            fate, run = "CANCELLED", max(60.0, run * rng.random())
        elif f < 0.17:
            fate, run = "TIMEOUT", limit
        elif f < 0.18:
            fate, run = "NODE_FAIL", max(60.0, run * rng.random())
        elif f < 0.21:
            fate, run = "CANCELLED_AT_SUBMIT", 0.0
        else:
            fate = "COMPLETED"
        jobs.append({"id": len(jobs) + 1, "submit": round(t), "gpus": gpus, "run": round(run),
                     "limit": round(limit), "fate": fate,
                     "user": f"user{rng.randrange(12):02d}",
                     "account": f"proj-{'abcde'[rng.randrange(5)]}"})


class Pool:
    """mlcycle's GpuPool allocation rule, all nodes powered."""

    def __init__(self, nodes, per_node):
        self.free = [per_node] * nodes
        self.per_node = per_node

    def allocate(self, gpus):
        if gpus <= self.per_node:
            fits = [(f, i) for i, f in enumerate(self.free) if f >= gpus]
            if not fits:
                return None
            _, i = min(fits)
            self.free[i] -= gpus
            return [(i, gpus)]
        if sum(self.free) < gpus:
            return None
        # A gang over nodes: whole free nodes (lowest first) while it fills them, then the
        # remainder best fit, then any free GPUs, most free first (GpuPool::allocate).
        free, take, needed = list(self.free), [], gpus

        def grab(i, count):
            take.append((i, count))
            free[i] -= count
            return needed - count

        for i in range(len(free)):
            if needed > 0 and free[i] == self.per_node and free[i] <= needed:
                needed = grab(i, free[i])
        for f in range(max(needed, 1), self.per_node + 1):
            if needed == 0:
                break
            if f in free:
                needed = grab(free.index(f), needed)
        for f in range(self.per_node, 0, -1):
            while needed > 0 and f in free:
                needed = grab(free.index(f), min(needed, f))
        self.free = free
        return take

    def release(self, shares):
        for i, g in shares:
            self.free[i] += g


def schedule(jobs, args):
    """Strict FIFO in submit order; sets start (None: still waiting at the horizon) and nodes."""
    pool, ends, queue = Pool(args.nodes, args.gpus_per_node), [], []
    horizon_s = args.horizon * 3600.0
    pending = [j for j in jobs if j["fate"] != "CANCELLED_AT_SUBMIT"]
    for j in jobs:
        j["start"] = None
    k = 0
    while True:
        times = []
        if k < len(pending):
            times.append(pending[k]["submit"])
        if ends:
            times.append(ends[0][0])
        if not times:
            break
        now = min(times)
        if now > horizon_s:
            break
        while ends and ends[0][0] <= now:
            _, _, shares = heapq.heappop(ends)
            pool.release(shares)
        while k < len(pending) and pending[k]["submit"] <= now:
            queue.append(pending[k])
            k += 1
        while queue:
            shares = pool.allocate(queue[0]["gpus"])
            if shares is None:
                break
            j = queue.pop(0)
            j["start"], j["nodes"] = now, len(shares)
            heapq.heappush(ends, (now + j["run"], j["id"], shares))


def utc(args, seconds):
    return args.start + timedelta(seconds=seconds)


def elapsed(seconds):
    seconds = int(round(seconds))
    d, rest = divmod(seconds, 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{d}-{text}" if d else text


def write_sacct(jobs, args, out):
    """Local time at --utc-offset hours, as sacct prints it; steps after each started job."""
    local = timezone(timedelta(hours=args.utc_offset))
    fmt = lambda s: utc(args, s).astimezone(local).strftime("%Y-%m-%dT%H:%M:%S")  # noqa: E731
    horizon_s = args.horizon * 3600.0
    out.write("JobID|Submit|Start|End|Elapsed|State|AllocTRES|ReqTRES|NNodes|Partition|Account|"
              "User|Timelimit\n")
    for j in jobs:
        req = f"cpu={4 * j['gpus']},gres/gpu={j['gpus']},node={max(1, j['gpus'] // 8)}"
        common = f"gpu|{j['account']}|{j['user']}|{elapsed(j['limit'])}"
        if j["fate"] == "CANCELLED_AT_SUBMIT":
            out.write(f"{j['id']}|{fmt(j['submit'])}|None|{fmt(j['submit'])}|00:00:00|"
                      f"CANCELLED by 0||{req}|1|{common}\n")
            continue
        if j["start"] is None:
            out.write(f"{j['id']}|{fmt(j['submit'])}|Unknown|Unknown|00:00:00|PENDING||{req}|"
                      f"1|{common}\n")
            continue
        alloc = f"cpu={4 * j['gpus']},gres/gpu={j['gpus']},node={j['nodes']}"
        end = j["start"] + j["run"]
        if end > horizon_s:
            out.write(f"{j['id']}|{fmt(j['submit'])}|{fmt(j['start'])}|Unknown|"
                      f"{elapsed(horizon_s - j['start'])}|RUNNING|{alloc}|{req}|{j['nodes']}|"
                      f"{common}\n")
            continue
        state = "CANCELLED by 0" if j["fate"] == "CANCELLED" else j["fate"]
        out.write(f"{j['id']}|{fmt(j['submit'])}|{fmt(j['start'])}|{fmt(end)}|{elapsed(j['run'])}|"
                  f"{state}|{alloc}|{req}|{j['nodes']}|{common}\n")
        out.write(f"{j['id']}.batch|{fmt(j['submit'])}|{fmt(j['start'])}|{fmt(end)}|"
                  f"{elapsed(j['run'])}|{state}|cpu=4,gres/gpu={j['gpus']},node=1||1||"
                  f"{j['account']}||\n")


def write_swf(jobs, args, out):
    """Jobs that ended by the horizon or never started; processors = 4 a GPU."""
    horizon_s = args.horizon * 3600.0
    status = {"COMPLETED": 1, "FAILED": 0, "CANCELLED": 5, "TIMEOUT": 0, "NODE_FAIL": 0}
    out.write("; Version: 2.2\n; Computer: mlcycle synthetic GPU cluster\n"
              f"; UnixStartTime: {int(args.start.timestamp())}\n"
              f"; MaxNodes: {args.nodes}\n; MaxProcs: {4 * args.nodes * args.gpus_per_node}\n"
              "; Note: processors are 4 a GPU (mlcycle replay-stats --processors-per-gpu 4)\n")
    for j in jobs:
        procs, user = 4 * j["gpus"], int(j["user"][4:])
        group = "abcde".index(j["account"][-1])
        if j["fate"] == "CANCELLED_AT_SUBMIT" or j["start"] is None:
            fields = [j["id"], j["submit"], -1, -1, -1, -1, -1, procs, j["limit"], -1,
                      5 if j["fate"] == "CANCELLED_AT_SUBMIT" else -1, user, group, -1, 1, 1,
                      -1, -1]
        elif j["start"] + j["run"] > horizon_s:
            continue  # SWF has no record for a job still running
        else:
            fields = [j["id"], j["submit"], j["start"] - j["submit"], j["run"], procs, -1, -1,
                      procs, j["limit"], -1, status[j["fate"]], user, group, -1, 1, 1, -1, -1]
        out.write(" ".join(str(int(f)) for f in fields) + "\n")


def summary(jobs, args):
    horizon_s = args.horizon * 3600.0
    ran = [j for j in jobs if j["start"] is not None]
    gpu_hours = sum(j["gpus"] * (min(j["start"] + j["run"], horizon_s) - j["start"])
                    for j in ran) / 3600.0
    return {"jobs": len(jobs), "started": len(ran),
            "running": sum(1 for j in ran if j["start"] + j["run"] > horizon_s),
            "never_started": len(jobs) - len(ran), "gpu_hours": gpu_hours}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sacct", help="write the sacct dump here")
    p.add_argument("--swf", help="write the SWF log here")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--rate", type=float, default=6.0, help="mean jobs an hour (default 6)")
    p.add_argument("--horizon", type=float, default=24 * 14, help="hours logged (default 336)")
    p.add_argument("--nodes", type=int, default=8)
    p.add_argument("--gpus-per-node", type=int, default=8)
    p.add_argument("--utc-offset", type=float, default=1.0, help="sacct's local time (h)")
    p.add_argument("--start-utc", default="2024-03-04T00:00:00")
    args = p.parse_args()
    args.start = datetime.fromisoformat(args.start_utc).replace(tzinfo=timezone.utc)
    args.start_hour = args.start.hour + args.utc_offset
    jobs = draw_jobs(random.Random(args.seed), args)
    schedule(jobs, args)
    if args.sacct:
        with open(args.sacct, "w") as out:
            write_sacct(jobs, args, out)
    if args.swf:
        with open(args.swf, "w") as out:
            write_swf(jobs, args, out)
    json.dump(summary(jobs, args), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
