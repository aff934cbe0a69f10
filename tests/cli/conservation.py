"""Energy and CO2e are conserved: the one check of it for the Python tests (CLI and analysis).

A run accounts for the same facility energy in several places: per job (/jobs), per deployment
(/deployments), as idle (/summary/by_series row "idle"), per trace bin and series
(/trace/energy_j), per grid region (/trace/region_energy_j), per host (/hosts, which covers the
platform; fleets draw at sites of their own), and as totals (/summary/by_series row "total", the
/summary attributes). However grouped, the sums must agree to REL; the C++ tests use the same
tolerance (tests/support/conservation.hpp).
"""
from cli_support import TestFailure, rel_close

REL = 1e-9     # relative: the sums are of the same terms in another order
ABS_J = 1e-6   # joules (or grams): what "zero" means for a series nothing drew from
SERIES = ["experimentation", "training", "inference", "idle"]


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _agree(parts, parts_text, value, what, abs_tol=0.0):
    if not rel_close(parts, value, REL, abs_tol):
        scale = max(abs(parts), abs(value)) or 1.0
        raise TestFailure(f"not conserved: {parts_text} = {parts!r}, but {what} = {value!r} "
                          f"(relative difference {abs(parts - value) / scale:.3e} > {REL:g})")


def check_file(f):
    """Checks an open h5py.File of `mlcycle run`; returns the totals {quantity: value}."""
    def column(path, name):
        return [float(x) for x in f[path][name]] if path in f else []

    by_series = {_text(row["series"]): row for row in f["summary/by_series"][()]}
    trace = {q: f["trace"][q][()] for q in ("energy_j", "co2_g")}
    kinds = [_text(k) for k in f["deployments"]["kind"]] if "deployments" in f else []
    phases = [int(p) for p in f["jobs"]["phase"]]
    totals = {}
    for q, unit in (("energy_j", "J"), ("co2_g", "g")):
        jobs, deployments = column("jobs", q), column("deployments", q)
        idle = float(by_series["idle"][q])
        parts = sum(jobs) + sum(deployments) + idle
        parts_text = f"/jobs {q} + /deployments {q} + idle {q} ({unit})"
        trace_total = float(trace[q].sum())
        for value, what in ((trace_total, f"the sum of /trace/{q}"),
                            (float(by_series["total"][q]), f"/summary/by_series total {q}"),
                            (float(f["summary"].attrs[q]), f"the /summary attribute {q}")):
            _agree(parts, parts_text, value, what)
        # Per series: a phase's jobs (and for inference the deployments) are its trace column.
        for p, name in enumerate(SERIES):
            mine = idle if name == "idle" else sum(x for x, ph in zip(jobs, phases) if ph == p)
            mine += sum(deployments) if name == "inference" else 0.0
            _agree(mine, f"{name} {q} of /jobs and /deployments", float(trace[q][:, p].sum()),
                   f"the sum of /trace/{q}[:, {p}] ({name})", ABS_J)
            _agree(float(trace[q][:, p].sum()), f"the sum of /trace/{q}[:, {p}] ({name})",
                   float(by_series[name][q]), f"/summary/by_series {name} {q}", ABS_J)
        if f"trace/region_{q}" in f:
            _agree(trace_total, f"the sum of /trace/{q}", float(f[f"trace/region_{q}"][()].sum()),
                   f"the sum of /trace/region_{q}")
        totals[q] = trace_total
    # Each deployment's requests and tokens, binned: the trace's columns sum to /deployments.
    if "trace/deployment_served" in f:
        for field in ("served", "late", "input_tokens", "output_tokens"):
            binned = f[f"trace/deployment_{field}"][()].sum(axis=0)
            for d, (value, kind) in enumerate(zip(column("deployments", field), kinds)):
                if kind != "serving" or value != value:  # fleets; NaN: not an LLM service
                    continue
                _agree(value, f"/deployments[{d}] {field}", float(binned[d]),
                       f"the sum of /trace/deployment_{field}[:, {d}]", ABS_J)
    fleets = sum(e for e, k in zip(column("deployments", "energy_j"), kinds) if k == "fleet")
    _agree(sum(column("hosts", "energy_j")) + fleets, "/hosts energy_j + fleet energy_j (J)",
           totals["energy_j"], "the sum of /trace/energy_j")
    return totals


def check_run(run):
    """The analysis package's own sums (mlcycle_analysis.conservation_errors), each within REL."""
    from mlcycle_analysis import conservation_errors

    errors = conservation_errors(run)
    bad = {name: error for name, error in errors.items() if not error < REL}
    if bad:
        raise TestFailure("not conserved (relative differences above "
                          f"{REL:g}): " + ", ".join(f"{n}: {e:.3e}" for n, e in bad.items()))
    return errors
